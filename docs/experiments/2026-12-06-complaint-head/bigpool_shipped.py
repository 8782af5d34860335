"""Session 5: the labels file for a pool of GO GoEmotions and DAV Davidson rows, from the cached MiniLM
embeddings: the `shipped` column (teacher.build's X-CI teacher; X-CI tweets found among the acl2019
tweets' cached embeddings by text, the few others embedded) and the `folds` columns sliced from
/tmp/s5/big_teacher.npz (bigpool_teach.py), which holds the same per-fold teachers on every text.
Writes OUT in teacher.LABELS' format. Run: OPENBLAS_NUM_THREADS=1 PYTHONPATH=src python THIS GO DAV OUT"""
import sys, numpy as np
from pathlib import Path
from amends.signals.learning import datasets, teacher
from amends.signals.learning.recipes import complaint_extra_not
d = Path('../shared/data'); H = Path('/tmp/h14/head')
go_rows, dav_rows, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
teacher.GOEMOTIONS_ROWS, teacher.DAVIDSON_ROWS = 43410, 24783
big = teacher.pool(d)
teacher.GOEMOTIONS_ROWS, teacher.DAVIDSON_ROWS = go_rows, dav_rows
texts = teacher.pool(d)
idx = np.r_[np.arange(go_rows), 43410 + np.arange(dav_rows), np.arange(43410 + 24783, len(big))]
assert [big[i] for i in idx] == texts
go = np.r_[np.load(H / 'emb_go.npy'), np.load(H / 'emb_go_rest.npy')]
dav = np.r_[np.load(H / 'emb_dav.npy'), np.load(H / 'emb_dav_rest.npy')]
pool_emb = np.r_[go, dav, np.load(H / 'emb_pay.npy'), np.load(H / 'emb_cfpb.npy')][idx]
acl = datasets.load_acl(d)[0]; acl_emb = np.load(H / 'emb_acl.npy')
at = {t: i for i, t in enumerate(acl)}
xci = datasets.load_xci(d); tweets = [r['tweet'] for r in xci]; label = np.array([int(r['label']) for r in xci])
missing = [t for t in tweets if t not in at]
from amends.signals.engine import embeddings
more = dict(zip(missing, embeddings.embed(missing))) if missing else {}
xci_emb = np.array([acl_emb[at[t]] if t in at else more[t] for t in tweets])
print(f'{len(missing)} X-CI tweets embedded, the rest found among acl2019', flush=True)
shipped = teacher._teacher_probabilities(tweets, label, xci_emb, texts, pool_emb, complaint_extra_not(d))
folds = np.load('/tmp/s5/big_teacher.npz')['folds'][:, idx]
np.savez_compressed(out, shipped=shipped.astype(np.float32), folds=folds.astype(np.float32),
                    pool_sha256=np.array(teacher.digest(texts)))
print('shipped mean p', shipped.mean(), 'pool', len(texts), flush=True)
