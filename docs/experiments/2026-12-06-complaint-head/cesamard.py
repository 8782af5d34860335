"""Session 4: the shipped complaint head (whatever artifacts are installed) on CESAMARD-Aspect, a set no head
trains on (Amazon.in reviews, evaluation only): macro-F1, precision and recall at 0.5.
Run from the repository root: OPENBLAS_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python THIS_FILE"""
import csv

import numpy as np
from sklearn.metrics import f1_score, precision_score, recall_score

from amends.signals.engine.classifiers import classify

path = "../shared/data/cesamard_aspect/CESAMARD-Aspect_Dataset.csv"
rows = list(csv.DictReader(open(path, encoding="utf-8")))
texts = [r["Review_S"] for r in rows]
y = np.array([int(float(r["Complaint"])) for r in rows])
scores = np.array([{s.type: s.score for s in classify(t)}["complaint"] for t in texts])
pred = (scores >= 0.5).astype(int)
print(len(texts), "macro-F1 %.3f precision %.3f recall %.3f" % (
    f1_score(y, pred, average="macro"), precision_score(y, pred), recall_score(y, pred)))
