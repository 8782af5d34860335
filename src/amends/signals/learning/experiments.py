"""The experiment tables behind the static complaint head (docs/benchmarks.md, issue 13), re-runnable:

    python -m amends.signals.learning.experiments ../shared/data 256,1e-4 384,1e-4 256,none 256,1e-4,4bit
    python -m amends.signals.learning.experiments ../shared/data kd go,dav 0.5 3000

The first form: each argument is a static-table variant DIM,SIF[,STORAGE] (SIF "none": no weighting;
STORAGE "float", the default, "int8" or "4bit" as distil.py stores it), distilled as distil.py does (needs
the embeddings extra). Every variant is scored under the benchmark's protocol (`evaluation.stacked_cv`:
complaints_acl2019, 10 stratified folds, seed 0, the TF-IDF recipe's C by inner CV, its training logits
cross-fitted, the stacked LR's C by inner CV); the TF-IDF part, which does not depend on the variant, is
fitted once per fold and shared, so a variant costs seconds, not minutes. The second: knowledge
distillation from the MiniLM stack into the TF-IDF part (`kd_scores`: SOURCES of unlabelled text, the
soft labels' WEIGHT, PER_SOURCE texts of each), about 20 minutes on a loaded core.
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


# ---------------------------------------------------------------- knowledge distillation (session 3)

KD_SOURCES = ("go", "dav", "pay")


def kd_pool(data_dir: Path, per_source: int) -> dict[str, list[str]]:
    """Unlabelled texts the teacher labels, never complaints_acl2019 or X-CI (the same tweets): GoEmotions
    train comments and Davidson tweets (a seeded draw of 8,000 and 6,000, in this order from one generator,
    then the first `per_source` of each) and CFPB payday narratives (first 500 characters)."""
    rng = np.random.default_rng(0)
    go = datasets.load_goemotions(data_dir, "train")[0]
    dav = datasets.load_davidson(data_dir)[0]
    go_rows = [go[i] for i in rng.permutation(len(go))[:8000]]
    dav_rows = [dav[i] for i in rng.permutation(len(dav))[:6000]]
    pay = [t[:500] for t in datasets.load_payday_narratives(data_dir)]
    return {"go": go_rows[:per_source], "dav": dav_rows[:per_source], "pay": pay[:per_source]}


def kd_scores(
    data_dir: Path,
    sources: list[str],
    weight: float,
    per_source: int,
    embed=embeddings.embed,
    encode=None,
    folds: int = 10,
    log=print,
) -> tuple[float, float]:
    """Knowledge distillation into the TF-IDF part, under the benchmark's outer folds, nothing nested seeing a
    test fold. In each training fold: the TF-IDF recipe as shipped (C by inner CV, logits cross-fitted); the
    teacher, LR on [MiniLM embedding, TF-IDF logit] (the optional head's recipe, C by inner CV), labels the
    unlabelled texts (their logits from that fold's TF-IDF fit, which never saw them); the student TF-IDF is
    refitted with the same C on the fold's rows plus every unlabelled text twice, complaint at weight
    `weight` x p and not at `weight` x (1 - p) (cross-entropy on the soft label); its training logits are
    cross-fitted the same way; then the shipped static stack (CFPB positives at 0.1). Returns (stacked
    macro-F1, student TF-IDF alone macro-F1). Needs the embeddings extra (the teacher)."""
    from amends.signals.engine import static

    encode = encode or static.encode
    texts, y, _ = datasets.load_acl(data_dir)
    extra = recipes.complaint_extra_not(data_dir)
    positive = recipes.complaint_extra_positive(data_dir)
    pool = kd_pool(data_dir, per_source)
    unlabelled = [t for s in sources for t in pool[s]]
    emb, emb_unlabelled = embed(texts), embed(unlabelled)
    vectors, vectors_positive = encode(texts), encode(positive)
    analyzer = CachedAnalyzer()

    def student(rows: list[str], labels: np.ndarray, C: float, p: np.ndarray) -> recipes.Fitted:
        return recipes.fit_linear(
            rows + extra + unlabelled + unlabelled,
            np.r_[labels, np.zeros(len(extra), int), np.ones(len(p), int), np.zeros(len(p), int)],
            C=C,
            sample_weight=np.r_[
                np.ones(len(labels)),
                np.full(len(extra), recipes.EXTRA_NOT_WEIGHT),
                weight * p,
                weight * (1 - p),
            ],
            analyzer=analyzer,
            char_weight=recipes.COMPLAINT_CHAR_WEIGHT,
        )

    pred, alone = np.empty_like(y), np.empty_like(y)
    for k, (tr, te) in enumerate(StratifiedKFold(folds, shuffle=True, random_state=SEED).split(texts, y)):
        train = [texts[i] for i in tr]
        tfidf = recipes.fit_complaint(train, y[tr], analyzer=analyzer, extra_not=extra)
        C = tfidf.extra["C"]
        inner = recipes.cross_fitted_logits(train, y[tr], C, analyzer=analyzer, extra_not=extra)
        teacher = recipes.fit_stacked(emb[tr], inner, y[tr])
        p = teacher.predict_proba(np.c_[emb_unlabelled, tfidf.logits(unlabelled)])[:, 1]
        fitted = student(train, y[tr], C, p)
        crossed = np.empty(len(tr))
        splitter = StratifiedKFold(recipes.CROSS_FIT_FOLDS, shuffle=True, random_state=2)
        for a, b in splitter.split(train, y[tr]):
            held_in = student([train[i] for i in a], y[tr][a], C, p)
            crossed[b] = held_in.logits([train[i] for i in b])
        positives = (vectors_positive, fitted.logits(positive))
        stacked = recipes.fit_stacked(vectors[tr], crossed, y[tr], positives)
        logits = fitted.logits([texts[i] for i in te])
        pred[te] = stacked.predict(np.c_[vectors[te], logits])
        alone[te] = (logits >= 0).astype(y.dtype)
        log(f"kd: fold {k + 1} of {folds}, C {C}, teacher mean p {p.mean():.3f}")
    return float(f1_score(y, pred, average="macro")), float(f1_score(y, alone, average="macro"))


def main(argv: list[str]) -> None:
    data_dir = Path(argv[1])
    if argv[2] == "kd":  # kd SOURCES WEIGHT PER_SOURCE, e.g. kd go,dav 0.5 3000
        stacked, tfidf = kd_scores(data_dir, argv[3].split(","), float(argv[4]), int(argv[5]))
        print(
            f"kd {argv[3]} weight {argv[4]} x {argv[5]}: stacked {stacked:.4f} "
            f"(student TF-IDF alone {tfidf:.4f})"
        )
        return
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
