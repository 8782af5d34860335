"""Session 6: cnn_trainable.py's experiment with the package's numpy trainer (signals/learning/convolution.py)
in place of PyTorch, the token table stored as shipped (`convolution.quantised`: its change from the static table at 4 bits; the float table's figures printed too); env SEED_OFFSET adds to each fold's seed. Reports per
test fold the taught TF-IDF part alone, the convolution alone and the mean of their logits.
LABELS GO DAV FOLDS OUT (the first three as cnn.py)."""
import sys, time, numpy as np
from pathlib import Path
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
sys.path.insert(0, 'src')
from amends.signals.engine import static
from amends.signals.learning import convolution, datasets, recipes, teacher
from amends.signals.learning.recipes import CachedAnalyzer
d = Path('../shared/data')
texts, y, _ = datasets.load_acl(d)
labels, go_rows, dav_rows, wanted, out = sys.argv[1:6]
teacher.GOEMOTIONS_ROWS, teacher.DAVIDSON_ROWS = int(go_rows), int(dav_rows)
pool = teacher.pool(d)
raw = np.load(labels)['folds']
wanted = [int(k) for k in wanted.split(',')]
analyzer = CachedAnalyzer()
extra_not = recipes.complaint_extra_not(d)
enc = static.load_static()
import os; SEED_OFFSET = int(os.environ.get('SEED_OFFSET', 0))
keep = {'te': [], 'linear': [], 'cnn': [], 'mean': [], 'zl': [], 'zc': []}
for k, (tr, te) in enumerate(StratifiedKFold(10, shuffle=True, random_state=0).split(texts, y)):
    if k not in wanted:
        continue
    t0 = time.time()
    taught = recipes.Teaching(pool, teacher._known(raw[k]), 0.5)
    train_texts = [texts[i] for i in tr]; test = [texts[i] for i in te]
    tfidf = recipes.fit_complaint(train_texts, y[tr], analyzer=analyzer, extra_not=extra_not, teach=taught)
    raw_model = convolution.fit(*convolution.rows(train_texts, y[tr], extra_not, taught), seed=k + SEED_OFFSET, log=print)
    model = convolution.quantised(raw_model, enc.table)[0]
    zl, zc = tfidf.logits(test), model.logits([enc.ids(t) for t in test])
    zf = raw_model.logits([enc.ids(t) for t in test])
    print('float table: cnn', round(f1_score(y[te], (zf >= 0).astype(int), average='macro'), 4),
          'mean', round(f1_score(y[te], (zl + zf >= 0).astype(int), average='macro'), 4), flush=True)
    keep['te'].append(te); keep['zl'].append(zl); keep['zc'].append(zc)
    for name, z in (('linear', zl), ('cnn', zc), ('mean', (zl + zc) / 2)):
        keep[name].append((z >= 0).astype(int))
    f = lambda q: round(f1_score(y[te], q, average='macro'), 4)
    print(f'fold {k}: {time.time() - t0:.0f} s, linear {f(keep["linear"][-1])}, cnn {f(keep["cnn"][-1])}, '
          f'mean {f(keep["mean"][-1])}', flush=True)
    np.savez(out, **{name: np.concatenate(v) for name, v in keep.items()})
