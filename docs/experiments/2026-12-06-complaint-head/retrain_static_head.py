"""Retrain complaint_static only, exactly as train_all does (complaint TF-IDF recipe on X-CI, cross-fitted rows)."""
import sys, numpy as np
from pathlib import Path
from amends.signals.engine.model import ARTIFACTS
from amends.signals.learning import training as t
from amends.signals.learning.datasets import load_xci
d = Path('/work/shared/data')
xci = load_xci(d); tweets = [r['tweet'] for r in xci]; label = np.array([int(r['label']) for r in xci])
complaint = t.fit_complaint(tweets, label, extra_not=t.complaint_extra_not(d))
print('C', complaint.extra['C'], flush=True)
out = Path(sys.argv[1]) if len(sys.argv) > 1 else ARTIFACTS
t.train_complaint_static(d, out, complaint)
