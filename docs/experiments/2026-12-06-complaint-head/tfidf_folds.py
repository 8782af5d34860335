"""Cache the per-fold TF-IDF part (as evaluation.stacked_cv) plus its logits on the extra/pool texts."""
import json, pickle, time, numpy as np
from pathlib import Path
from sklearn.model_selection import StratifiedKFold
from amends.signals.learning import datasets, recipes
from amends.signals.learning.recipes import CachedAnalyzer
d = Path('/work/shared/data'); out = Path('/tmp/h14/head')
texts, y, dom = datasets.load_acl(d)
extra = recipes.complaint_extra_not(d)
positive = recipes.complaint_extra_positive(d)
pool = json.load(open(out / 'pool.json'))
an = CachedAnalyzer()
folds = []
for k, (tr, te) in enumerate(StratifiedKFold(10, shuffle=True, random_state=0).split(texts, y)):
    t = time.time()
    train = [texts[i] for i in tr]
    tf = recipes.fit_complaint(train, y[tr], analyzer=an, extra_not=extra)
    C = tf.extra['C']
    inner = recipes.cross_fitted_logits(train, y[tr], C, analyzer=an, extra_not=extra)
    f = {'tr': tr, 'te': te, 'C': C, 'inner': inner, 'test': tf.logits([texts[i] for i in te]),
         'positive': tf.logits(positive)}
    for key, v in pool.items():
        f['pool_' + key] = tf.logits(v)
    folds.append(f)
    print(k, C, time.time() - t, flush=True)
    pickle.dump(folds, open(out / 'folds.pkl', 'wb'))
