"""Session 4: the teaching variants of docs/benchmarks.md under the benchmark's stacked_cv: MODE soft (the
teacher's p on every pool text), hard (narratives p = 1: the shipped rule, teacher._known), chat (narratives left out); WEIGHT (0.5
shipped). Reads the committed raw labels, not the loader. Run from the repository root:
AMENDS_EMBEDDING_MODEL_DIR=/nonexistent OPENBLAS_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python THIS MODE [W]"""
import sys, time, numpy as np
from pathlib import Path
from amends.signals.engine import static
from amends.signals.learning import datasets, recipes, teacher
from amends.signals.learning.evaluation import stacked_cv
from amends.signals.learning.recipes import CachedAnalyzer
d = Path('../shared/data')
mode = sys.argv[1]; W = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5
texts, y, _ = datasets.load_acl(d)
texts_pool = teacher.pool(d)
raw = np.load(teacher.LABELS)["folds"].astype(np.float64)  # the teacher's p, before teacher._known
fold = lambda k: recipes.Teaching(texts_pool, raw[k])
n_chat = teacher.GOEMOTIONS_ROWS + teacher.DAVIDSON_ROWS
def teach(k):
    t = fold(k)
    p = t.p.copy()
    if mode == 'hard':
        p[n_chat:] = 1.0
    elif mode == 'chat':
        return recipes.Teaching(list(t.texts)[:n_chat], p[:n_chat], W)
    return recipes.Teaching(t.texts, p, W)
t0 = time.time()
r = stacked_cv(texts, y, static.encode(texts), 10, CachedAnalyzer(), recipes.complaint_extra_not(d),
               recipes.complaint_extra_positive(d), static.encode, teach)
print(mode, W, r, time.time() - t0, flush=True)
