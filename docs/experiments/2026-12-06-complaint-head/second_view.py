"""Session 5: bigpool_student.py with a second view in the stack: a TF-IDF model fitted on the pool alone,
the fold teacher's soft labels (each text twice, complaint at p, not at 1-p; narratives p = 1), C = POOL_C,
never shown a tweet; its logit joins [static vector, taught TF-IDF logit]. Run as bigpool_student.py with
POOL_C after WEIGHT: LABELS GO DAV WEIGHT POOL_C FOLDS OUT (score with bigpool_student.py --score)."""
import sys, time, numpy as np
from pathlib import Path
from sklearn.model_selection import StratifiedKFold
from amends.signals.engine import static
from amends.signals.learning import datasets, recipes, teacher
from amends.signals.learning.recipes import CachedAnalyzer, fit_linear, COMPLAINT_CHAR_WEIGHT
d = Path('../shared/data')
texts, y, _ = datasets.load_acl(d)
labels, go_rows, dav_rows, weight, pool_c, wanted, out = sys.argv[1:8]
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
    p = teacher._known(raw[k])
    taught = recipes.Teaching(pool, p, float(weight))
    ptexts, py, pw = recipes.Teaching(pool, p, 1.0).rows()
    pooled = fit_linear(ptexts, py, C=float(pool_c), sample_weight=pw, analyzer=analyzer,
                        char_weight=COMPLAINT_CHAR_WEIGHT)
    train_texts = [texts[i] for i in tr]
    tfidf = recipes.fit_complaint(train_texts, y[tr], analyzer=analyzer, extra_not=extra_not, teach=taught)
    inner = recipes.cross_fitted_logits(train_texts, y[tr], tfidf.extra['C'], analyzer=analyzer,
                                        extra_not=extra_not, teach=taught)
    view = np.c_[embedded, pooled.logits(texts)]
    positives = (np.c_[extra_vectors, pooled.logits(list(extra_positive))], tfidf.logits(list(extra_positive)))
    stacked = recipes.fit_stacked(view[tr], inner, y[tr], positives)
    logits = tfidf.logits([texts[i] for i in te])
    keep['te'].append(te); keep['pred'].append(stacked.predict(np.c_[view[te], logits]))
    keep['alone'].append((logits >= 0).astype(int))
    print(f'fold {k}: {time.time() - t0:.0f} s, C {tfidf.extra["C"]}, stack coef on the pool logit '
          f'{stacked.coef_[0][-2]:.2f}, on the taught logit {stacked.coef_[0][-1]:.2f}', flush=True)
    np.savez(out, **{name: np.concatenate(v) for name, v in keep.items()})
