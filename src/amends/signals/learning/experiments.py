"""The experiment tables behind the static complaint head (docs/benchmarks.md, issue 13), re-runnable:

    python -m amends.signals.learning.experiments ../shared/data 256,1e-4 384,1e-4 256,none 256,1e-4,4bit

The first form: each argument is a static-table variant DIM,SIF[,STORAGE] (SIF "none": no weighting;
STORAGE "float", the default, "int8" or "4bit" as distil.py stores it), distilled as distil.py does (needs
the embeddings extra). Every variant is scored under the benchmark's protocol (`evaluation.stacked_cv`:
complaints_acl2019, 10 stratified folds, seed 0, the TF-IDF recipe's C by inner CV, its training logits
cross-fitted, the stacked LR's C by inner CV); the TF-IDF part, which does not depend on the variant, is
fitted once per fold and shared, so a variant costs seconds, not minutes. (The knowledge distillation the
session-3 harness also ran is now the shipped recipe: teacher.py, measured by `amends bench signals`.)
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from amends.signals.engine import embeddings
from amends.signals.engine.static import unpack4
from amends.signals.engine.wordpiece import WordPiece

from . import datasets, distil, recipes
from .evaluation import SEED
from .recipes import CachedAnalyzer


def tfidf_folds(data_dir: Path, folds: int = 10) -> list[dict]:
    """Per outer fold: train and test rows, the TF-IDF test logits, the cross-fitted training logits."""
    texts, y, _ = datasets.load_acl(data_dir)
    extra = recipes.complaint_extra_not(data_dir)
    analyzer = CachedAnalyzer()
    out = []
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(texts, y):
        train = [texts[i] for i in tr]
        tfidf = recipes.fit_complaint(train, y[tr], analyzer=analyzer, extra_not=extra)
        C = tfidf.extra["C"]
        inner = recipes.cross_fitted_logits(train, y[tr], C, analyzer=analyzer, extra_not=extra)
        out.append({"tr": tr, "te": te, "inner": inner, "test": tfidf.logits([texts[i] for i in te])})
    return out


def sentences(table: np.ndarray, token_ids: list[list[int]]) -> np.ndarray:
    """Mean of each text's rows, L2-normalised, as engine/static.py computes it."""
    out = np.zeros((len(token_ids), table.shape[1]), np.float32)
    for i, ids in enumerate(token_ids):
        if ids:
            v = table[ids].mean(0)
            out[i] = v / max(float(np.linalg.norm(v)), 1e-12)
    return out


def stored(table: np.ndarray, storage: str) -> np.ndarray:
    """The table as the runtime would read it back after distil.py stored it."""
    if storage == "int8":
        rows, scale = distil.quantise(table)
        return rows * scale[:, None]
    if storage == "4bit":
        packed, scale, column = distil.quantise4(table)
        return unpack4(packed) * scale[:, None] * column[None, :]
    return table


def score(vectors: np.ndarray, y: np.ndarray, folds: list[dict]) -> tuple[float, float]:
    """(stacked macro-F1, TF-IDF alone macro-F1) over the shared folds."""
    pred, alone = np.empty_like(y), np.empty_like(y)
    for f in folds:
        stacked = recipes.fit_stacked(vectors[f["tr"]], f["inner"], y[f["tr"]])
        pred[f["te"]] = stacked.predict(np.c_[vectors[f["te"]], f["test"]])
        alone[f["te"]] = (f["test"] >= 0).astype(y.dtype)
    return float(f1_score(y, pred, average="macro")), float(f1_score(y, alone, average="macro"))


def main(argv: list[str]) -> None:
    data_dir = Path(argv[1])
    directory = embeddings.model_dir()
    assert directory is not None
    vocab = distil.vocabulary(directory)
    outputs = distil.token_outputs(embeddings.encoder(), vocab)
    unused = np.array([t.startswith("[unused") for t in vocab])
    texts, y, _ = datasets.load_acl(data_dir)
    wordpiece = WordPiece(vocab)
    token_ids = [wordpiece.ids(t) for t in texts]
    folds = tfidf_folds(data_dir)
    for spec in argv[2:]:
        dim, sif, storage = (spec.split(",") + ["float"])[:3]
        table = np.zeros((len(vocab), int(dim)), np.float32)
        table[~unused] = distil.reduce(outputs[~unused], int(dim), None if sif == "none" else float(sif))[0]
        stacked, tfidf = score(sentences(stored(table, storage), token_ids), y, folds)
        print(f"dim {dim} sif {sif} {storage}: stacked {stacked:.4f} (TF-IDF alone {tfidf:.4f})", flush=True)


if __name__ == "__main__":
    main(sys.argv)
