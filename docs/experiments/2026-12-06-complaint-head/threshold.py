"""Session 5: bigpool_student.py, and the stack's decision threshold chosen by inner CV: in each outer
training fold, the stack (its C as fit_stacked chose it) is cross-fitted 3-fold on the training rows (their
TF-IDF logits are already cross-fitted), and the threshold on P(complaint) maximising macro-F1 over those
predictions (0.30 to 0.70 by 0.01) is used on the test fold. Saves the test fold's probabilities, the
prediction at 0.5 and at the chosen threshold. LABELS GO DAV WEIGHT FOLDS OUT; score with --score OUT..."""
import sys, time, numpy as np
from pathlib import Path
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from amends.signals.engine import static
from amends.signals.learning import datasets, recipes, teacher
from amends.signals.learning.recipes import CachedAnalyzer
d = Path('../shared/data')
texts, y, _ = datasets.load_acl(d)
GRID = np.round(np.arange(0.30, 0.701, 0.01), 2)
if sys.argv[1] == '--score':
    got = {}
    for f in sys.argv[2:]:
        z = np.load(f)
        for name in ('at_half', 'chosen'):
            got.setdefault(name, np.full(len(y), -1))[z['te']] = z[name]
        print(f, 'thresholds', z['thresholds'])
    for name, pred in got.items():
        assert (pred >= 0).all(), 'some folds missing'
        print(name, round(f1_score(y, pred, average='macro'), 4))
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
keep = {'te': [], 'p': [], 'at_half': [], 'chosen': [], 'thresholds': []}
for k, (tr, te) in enumerate(StratifiedKFold(10, shuffle=True, random_state=0).split(texts, y)):
    if k not in wanted:
        continue
    t0 = time.time()
    taught = recipes.Teaching(pool, teacher._known(raw[k]), float(weight))
    train_texts = [texts[i] for i in tr]
    tfidf = recipes.fit_complaint(train_texts, y[tr], analyzer=analyzer, extra_not=extra_not, teach=taught)
    inner = recipes.cross_fitted_logits(train_texts, y[tr], tfidf.extra['C'], analyzer=analyzer,
                                        extra_not=extra_not, teach=taught)
    positives = (extra_vectors, tfidf.logits(list(extra_positive)))
    stacked = recipes.fit_stacked(embedded[tr], inner, y[tr], positives)
    features = np.c_[embedded[tr], inner]
    honest = np.empty(len(tr))
    for a, b in StratifiedKFold(3, shuffle=True, random_state=3).split(features, y[tr]):
        m = LogisticRegression(C=stacked.C, max_iter=5000).fit(features[a], y[tr][a])
        honest[b] = m.predict_proba(features[b])[:, 1]
    scores = [f1_score(y[tr], (honest >= t).astype(int), average='macro') for t in GRID]
    threshold = GRID[int(np.argmax(scores))]
    p = stacked.predict_proba(np.c_[embedded[te], tfidf.logits([texts[i] for i in te])])[:, 1]
    keep['te'].append(te); keep['p'].append(p); keep['at_half'].append((p >= 0.5).astype(int))
    keep['chosen'].append((p >= threshold).astype(int)); keep['thresholds'].append([threshold])
    print(f'fold {k}: {time.time() - t0:.0f} s, C {tfidf.extra["C"]}, threshold {threshold}', flush=True)
    np.savez(out, **{name: np.concatenate(v) for name, v in keep.items()})
