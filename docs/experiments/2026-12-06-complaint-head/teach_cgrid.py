"""Variant: the TF-IDF part's C chosen by inner CV with the teaching present (grid 50, 100, 200)."""
import sys, time, numpy as np
from pathlib import Path
from amends.signals.engine import static
from amends.signals.learning import datasets, recipes, teacher
from amends.signals.learning.evaluation import stacked_cv
from amends.signals.learning.recipes import CachedAnalyzer
d = Path('../shared/data')
GRID = tuple(float(x) for x in sys.argv[1].split(','))
original = recipes.fit_complaint
def fit_complaint(texts, y, C=None, analyzer=recipes.analyze, extra_not=(), teach=None):
    if C is None and teach is not None:
        fit = lambda t, yy, C: original(t, yy, C=C, analyzer=analyzer, extra_not=extra_not, teach=teach)
        C = recipes.choose_c(texts, np.asarray(y), GRID, fit)
        print('chosen C', C, flush=True)
    return original(texts, y, C=C, analyzer=analyzer, extra_not=extra_not, teach=teach)
recipes.fit_complaint = fit_complaint
texts, y, _ = datasets.load_acl(d)
t0 = time.time()
r = stacked_cv(texts, y, static.encode(texts), 10, CachedAnalyzer(), recipes.complaint_extra_not(d),
               recipes.complaint_extra_positive(d), static.encode, teacher.per_fold(d))
print('C grid with teaching', GRID, r, time.time() - t0, flush=True)
