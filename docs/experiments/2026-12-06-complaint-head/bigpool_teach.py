"""Session 5: per-fold teacher labels on the whole pool (all 43,410 GoEmotions train comments and 24,783
Davidson tweets, in teacher.pool's seeded order, then the narratives), from the cached MiniLM embeddings
(embed_pool.py, embed_rest.py) instead of embedding again: teacher.build's fold loop, nothing else changed.
Checks the first 17,827 rows against the committed labels. Writes /tmp/s5/big_teacher.npz.
Run from the repository root: OPENBLAS_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python THIS"""
import time, numpy as np
from pathlib import Path
from sklearn.model_selection import StratifiedKFold
from amends.signals.learning import datasets, teacher
from amends.signals.learning.recipes import complaint_extra_not
d = Path('../shared/data'); H = Path('/tmp/h14/head')
small = teacher.pool(d)
teacher.GOEMOTIONS_ROWS, teacher.DAVIDSON_ROWS = 43410, 24783
texts = teacher.pool(d)
n_small_go, n_small_dav = 8000, 6000
go = np.r_[np.load(H / 'emb_go.npy'), np.load(H / 'emb_go_rest.npy')]
dav = np.r_[np.load(H / 'emb_dav.npy'), np.load(H / 'emb_dav_rest.npy')]
pool_emb = np.r_[go, dav, np.load(H / 'emb_pay.npy'), np.load(H / 'emb_cfpb.npy')]
assert len(pool_emb) == len(texts), (len(pool_emb), len(texts))
assert texts[:8000] == small[:8000] and texts[43410:43410 + 6000] == small[8000:14000]
extra = complaint_extra_not(d)
acl, y, _ = datasets.load_acl(d)
acl_emb = np.load(H / 'emb_acl.npy')
committed = np.load(teacher.LABELS)['folds']
small_index = np.r_[np.arange(8000), 43410 + np.arange(6000), 43410 + 24783 + np.arange(len(small) - 14000)]
folds = []
for k, (tr, _) in enumerate(StratifiedKFold(10, shuffle=True, random_state=0).split(acl, y)):
    t = time.time()
    p = teacher._teacher_probabilities([acl[i] for i in tr], y[tr], acl_emb[tr], texts, pool_emb, extra)
    gap = np.abs(p[small_index] - committed[k]).max()
    folds.append(p)
    print(f'fold {k}: mean p {p.mean():.3f}, max gap to committed {gap:.2e}, {time.time() - t:.0f} s', flush=True)
np.savez_compressed('/tmp/s5/big_teacher.npz', folds=np.array(folds, dtype=np.float32),
                    pool_sha256=np.array(teacher.digest(texts)))
