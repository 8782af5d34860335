"""Session 5: evaluation.stacked_cv's loop for some outer folds only (so two processes share the ten), the
TF-IDF part taught with LABELS (an npz with `folds`, as teacher.build writes) on the pool drawn with GO / DAV
rows; narratives taught as complaints (teacher._known). Writes the folds' predictions to OUT; the macro-F1 is
computed when all ten are in (combine with --score OUT...). Run from the repository root:
AMENDS_EMBEDDING_MODEL_DIR=/nonexistent OPENBLAS_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python THIS \
    LABELS GO DAV WEIGHT FOLDS(comma) OUT"""
import sys, time, numpy as np
from pathlib import Path
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from amends.signals.engine import static
from amends.signals.learning import datasets, recipes, teacher
from amends.signals.learning.recipes import CachedAnalyzer
d = Path('../shared/data')
texts, y, _ = datasets.load_acl(d)
if sys.argv[1] == '--score':
    pred = np.full(len(y), -1); alone = np.full(len(y), -1)
    for f in sys.argv[2:]:
        z = np.load(f); pred[z['te']] = z['pred']; alone[z['te']] = z['alone']
    assert (pred >= 0).all(), 'some folds missing'
    print('stacked', f1_score(y, pred, average='macro'), 'tfidf alone', f1_score(y, alone, average='macro'))
    sys.exit()
labels, go_rows, dav_rows, weight, wanted, out = sys.argv[1:7]
teacher.GOEMOTIONS_ROWS, teacher.DAVIDSON_ROWS = int(go_rows), int(dav_rows)
pool = teacher.pool(d)
raw = np.load(labels)['folds']
assert raw.shape[1] == len(pool), (raw.shape, len(pool))
wanted = [int(k) for k in wanted.split(',')]
analyzer = CachedAnalyzer()
extra_not = recipes.complaint_extra_not(d); extra_positive = recipes.complaint_extra_positive(d)
embedded = static.encode(texts); extra_vectors = static.encode(list(extra_positive))
keep = {'te': [], 'pred': [], 'alone': []}
for k, (tr, te) in enumerate(StratifiedKFold(10, shuffle=True, random_state=0).split(texts, y)):
    if k not in wanted:
        continue
    t0 = time.time()
    taught = recipes.Teaching(pool, teacher._known(raw[k]), float(weight))
    train_texts = [texts[i] for i in tr]
    tfidf = recipes.fit_complaint(train_texts, y[tr], analyzer=analyzer, extra_not=extra_not, teach=taught)
    inner = recipes.cross_fitted_logits(train_texts, y[tr], tfidf.extra['C'], analyzer=analyzer,
                                        extra_not=extra_not, teach=taught)
    stacked = recipes.fit_stacked(embedded[tr], inner, y[tr], (extra_vectors, tfidf.logits(list(extra_positive))))
    logits = tfidf.logits([texts[i] for i in te])
    keep['te'].append(te); keep['pred'].append(stacked.predict(np.c_[embedded[te], logits]))
    keep['alone'].append((logits >= 0).astype(int))
    print(f'fold {k}: {time.time() - t0:.0f} s, C {tfidf.extra["C"]}', flush=True)
    np.savez(out, **{name: np.concatenate(v) for name, v in keep.items()})
