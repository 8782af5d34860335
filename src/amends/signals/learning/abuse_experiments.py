"""The experiment table behind the abuse head (docs/benchmarks.md, session 3 of issue 12), re-runnable:

    python -m amends.signals.learning.abuse_experiments ../shared/data shipped static goemotions ...

Each argument names a variant (VARIANTS below; "before" is the recipe as issue 12's third session found it,
"shipped" the one it ships; the word lists are engine/lexicon.py as checked out, so the rows measured
before the slur and group lists were added are re-run at git 08dafab). Every variant is scored the same way:
- Davidson 5-fold (stratified, seed 0): the extra "neither" rows are split into the same five folds, so
  every row, Davidson or extra, gets an out-of-fold score from a fit that never saw it; macro-F1 over the
  three classes (where the variant has them) and abusive-vs-neither macro-F1 are on the Davidson rows only.
  A stacked variant's second stage is cross-validated on the same folds over those out-of-fold TF-IDF logits
  (its training rows' logits came from fits that saw the test fold's rows: a mild optimism, the same for
  every stacked variant).
- HateXplain (evaldata/hatexplain, never trained on): the fit on all rows scores the posts; ROC AUC on the
  dev half, the test half and the whole (`evaluation.hatexplain_split`). Choices are made on dev only.
Fits are cached under AMENDS_ABUSE_CACHE (default /tmp/amends-abuse-experiments), keyed by recipe.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import KFold, StratifiedKFold

from amends.signals.engine import static
from amends.signals.engine.features import analyze_abuse

from . import datasets, recipes
from .evaluation import SEED, hatexplain_split
from .recipes import DAVIDSON_CLASSES, CachedAnalyzer

FOLDS = 5
# the word lists are part of every recipe's cache key: a changed lexicon.py is a new recipe
_LEXICON_SOURCE = hashlib.sha256(
    (Path(__file__).parents[1] / "engine" / "lexicon.py").read_bytes()
).hexdigest()[:12]
CACHE = Path(os.environ.get("AMENDS_ABUSE_CACHE", Path(tempfile.gettempdir()) / "amends-abuse-experiments"))


@dataclass
class Recipe:
    """The TF-IDF stage: which extra "neither" rows, the word-list weight, the char n-gram weight, C, and
    three classes or two."""

    extra: tuple[str, ...] = ("xci_complaint_severity", "cfpb_5class_1000_llm")
    lexicon_weight: float = 3.0  # the recipe as session 3 found it; the shipped one is VARIANTS["shipped"]
    char_weight: float = 1.0
    C: float = 10.0
    binary: bool = False
    extra_weight: float = 1.0
    lexicon: str = field(default_factory=lambda: _LEXICON_SOURCE)

    def key(self) -> str:
        return hashlib.sha256(json.dumps(self.__dict__, sort_keys=True).encode()).hexdigest()[:12]


@dataclass
class Variant:
    recipe: Recipe = field(default_factory=Recipe)
    stack: str = ""  # "" (TF-IDF alone), "static" ([static vector, TF-IDF logit]), "static_only"


def _extra_rows(data_dir: Path, names: tuple[str, ...]) -> list[str]:
    found = recipes.abuse_extra_neither(data_dir)
    rows = [t for name in names if name in found and name != "goemotions" for t in found[name]]
    for name in names:
        if name.startswith("goemotions"):
            kind, _, count = name.partition(":")
            rows += recipes.goemotions_neither(data_dir, kind, int(count or recipes.GOEMOTIONS_NEITHER_ROWS))
    return rows


def _fit(recipe: Recipe, texts: list[str], y: np.ndarray, n_extra: int, analyzer) -> recipes.Fitted:
    labels: Any = np.where(y != "neither", "abusive", "neither") if recipe.binary else y
    weights = np.r_[np.ones(len(texts) - n_extra), np.full(n_extra, recipe.extra_weight)]
    fitted = recipes.fit_linear(
        texts,
        labels,
        C=recipe.C,
        min_df=2,
        analyzer=analyzer,
        lexicon_weight=recipe.lexicon_weight,
        char_weight=recipe.char_weight,
        sample_weight=weights,
    )
    return fitted


def abuse_logit(fitted: recipes.Fitted, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """log(P(abusive) / P(neither)) and the predicted class, for a three- or two-class fit."""
    z = fitted.model.decision_function(fitted.vectorizer.transform(texts))
    classes = list(fitted.model.classes_)
    if z.ndim == 1:  # binary: classes ["abusive", "neither"], z is the logit of "neither"
        return -z, np.where(z >= 0, "neither", "abusive")
    z = z - z.max(1, keepdims=True)
    p = np.exp(z)
    p /= p.sum(1, keepdims=True)
    n = classes.index("neither")
    p_n = np.clip(p[:, n], 1e-9, 1 - 1e-9)
    return np.log((1 - p_n) / p_n), np.array(classes)[np.argmax(p, 1)]


def tfidf_stage(data_dir: Path, recipe: Recipe, analyzer, log=print) -> dict:
    """Out-of-fold logits and classes for every training row; the full fit's logits on HateXplain."""
    path = CACHE / f"{recipe.key()}.npz"
    if path.is_file():
        with np.load(path) as z:
            cached = {k: z[k] for k in z.files}
        return {
            "oof": cached["oof"],
            "pred": cached["pred"].astype(object),
            "y": cached["y"],
            "fold": cached["fold"],
            "n_davidson": int(cached["n_davidson"]),
            "every": cached["every"].tolist(),
            "hatexplain": {"dev": cached["hx_dev"], "test": cached["hx_test"]},
            "cpu_s": float(cached["cpu_s"]),
        }
    texts, cls = datasets.load_davidson(data_dir)
    extra = _extra_rows(data_dir, recipe.extra)
    y_dav = DAVIDSON_CLASSES[cls]
    every = list(texts) + extra
    y = np.r_[y_dav, ["neither"] * len(extra)]
    fold_of = np.empty(len(every), int)
    for k, (_, te) in enumerate(StratifiedKFold(FOLDS, shuffle=True, random_state=SEED).split(texts, y_dav)):
        fold_of[te] = k
    if extra:
        for k, (_, te) in enumerate(KFold(FOLDS, shuffle=True, random_state=SEED).split(extra)):
            fold_of[len(texts) + te] = k
    oof = np.empty(len(every))
    pred = np.empty(len(every), object)
    start = time.process_time()
    for k in range(FOLDS):
        tr, te = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
        n_extra = int((tr >= len(texts)).sum())
        fitted = _fit(recipe, [every[i] for i in tr], y[tr], n_extra, analyzer)
        oof[te], pred[te] = abuse_logit(fitted, [every[i] for i in te])
        log(f"  fold {k}: {time.process_time() - start:.0f} s")
    fitted = _fit(recipe, every, y, len(extra), analyzer)
    posts = hatexplain_split()
    hx = {name: abuse_logit(fitted, part[0])[0] for name, part in posts.items()}
    out = {"oof": oof, "pred": pred, "y": y, "fold": fold_of, "n_davidson": len(texts), "every": every}
    out["hatexplain"] = hx
    out["cpu_s"] = time.process_time() - start
    CACHE.mkdir(parents=True, exist_ok=True)
    np.savez(
        path,
        oof=oof,
        pred=pred.astype(str),
        y=y,
        fold=fold_of,
        n_davidson=len(texts),
        every=np.array(every),
        hx_dev=hx["dev"],
        hx_test=hx["test"],
        cpu_s=out["cpu_s"],
    )
    return out


LEXICON_KINDS = ("p:profane", "p:insult", "p:you_profane", "p:you_insult", "p:masked", "p:you_masked")


def lexicon_presence(texts: list[str], analyzer) -> np.ndarray:
    """Per text: whether each word-list feature is present (not diluted by the text's length), and the log
    of its token count."""
    out = np.zeros((len(texts), len(LEXICON_KINDS) + 1), np.float32)
    for i, text in enumerate(texts):
        feats = analyzer(text)
        present = set(f for f in feats if f.startswith("p:"))
        out[i, :-1] = [kind in present for kind in LEXICON_KINDS]
        out[i, -1] = np.log1p(sum(f.startswith("w:") for f in feats))
    return out


def _stack_features(texts: list[str], logits: np.ndarray, stack: str, analyzer) -> np.ndarray:
    parts = []
    if "static" in stack:
        parts.append(static.encode(texts))
    if "lexicon" in stack:
        parts.append(lexicon_presence(texts, analyzer))
    if stack != "static_only":
        parts.append(logits[:, None])
    return np.hstack(parts)


def run_variant(data_dir: Path, variant: Variant, analyzer, log=print) -> dict:
    stage = tfidf_stage(data_dir, variant.recipe, analyzer, log)
    nd = stage["n_davidson"]
    y = stage["y"]
    abusive = (y != "neither").astype(int)
    posts = hatexplain_split()
    row: dict = {}
    if not variant.stack:
        oof_score, hx = stage["oof"], stage["hatexplain"]
        pred_abusive = stage["pred"][:nd] != "neither"
        if not variant.recipe.binary:
            pred = stage["pred"][:nd].astype(str)
            row["davidson_macro_f1"] = float(f1_score(y[:nd], pred, average="macro"))
    else:
        feats: Any = _stack_features(stage["every"], stage["oof"], variant.stack, analyzer)

        def fit(rows, yy, C):
            return LogisticRegression(C=C, max_iter=5000).fit(np.asarray(rows), yy)

        oof_score = np.empty(len(y))
        for k in range(FOLDS):
            tr, te = stage["fold"] != k, stage["fold"] == k
            C = recipes.choose_c(feats[tr], abusive[tr], recipes.STACK_C_GRID, fit)
            oof_score[te] = fit(feats[tr], abusive[tr], C).decision_function(feats[te])
        C = recipes.choose_c(feats, abusive, recipes.STACK_C_GRID, fit)
        model = fit(feats, abusive, C)
        row["stack_C"] = C
        if variant.stack != "static_only":
            row["logit_weight"] = round(float(model.coef_[0][-1]), 3)
        if "lexicon" in variant.stack:
            n = len(LEXICON_KINDS) + 1
            row["lexicon_coef"] = [round(float(c), 2) for c in model.coef_[0][-1 - n : -1]]
        hx = {
            name: model.decision_function(
                _stack_features(posts[name][0], stage["hatexplain"][name], variant.stack, analyzer)
            )
            for name in posts
        }
        pred_abusive = oof_score[:nd] >= 0
    row["davidson_binary_macro_f1"] = float(f1_score(abusive[:nd], pred_abusive, average="macro"))
    row["davidson_auc"] = float(roc_auc_score(abusive[:nd], oof_score[:nd]))
    for name in ("dev", "test"):
        row[f"auc_{name}"] = float(roc_auc_score(posts[name][1], hx[name]))
    whole_y = np.r_[posts["dev"][1], posts["test"][1]]
    row["auc_whole"] = float(roc_auc_score(whole_y, np.r_[hx["dev"], hx["test"]]))
    for name in ("dev", "test"):
        p = 1 / (1 + np.exp(-hx[name]))
        yy = posts[name][1]
        fired = p >= 0.5
        row[f"recall_{name}"] = float(fired[yy == 1].mean())
        row[f"precision_{name}"] = float(yy[fired].mean()) if fired.any() else float("nan")
    row["tfidf_cpu_s"] = round(stage["cpu_s"])
    return row


VARIANTS: dict[str, Callable[[], Variant]] = {
    "before": lambda: Variant(),
    # what `recipes.fit_abuse` and `abuse_extra_neither` ship (the same as goemotions_clean_lexicon8)
    "shipped": lambda: Variant(
        Recipe(
            extra=("xci_complaint_severity", "cfpb_5class_1000_llm", "goemotions_clean"),
            lexicon_weight=recipes.ABUSE_LEXICON_WEIGHT,
        )
    ),
    "lexicon1": lambda: Variant(Recipe(lexicon_weight=1.0)),
    "lexicon8": lambda: Variant(Recipe(lexicon_weight=8.0)),
    "char05": lambda: Variant(Recipe(char_weight=0.5)),
    "binary": lambda: Variant(Recipe(binary=True)),
    "C3": lambda: Variant(Recipe(C=3.0)),
    "C1": lambda: Variant(Recipe(C=1.0)),
    "static": lambda: Variant(stack="static"),
    "static_only": lambda: Variant(stack="static_only"),
    "lexicon_stack": lambda: Variant(stack="lexicon"),
    "static_lexicon_stack": lambda: Variant(stack="static_lexicon"),
    "goemotions": lambda: Variant(
        Recipe(extra=("xci_complaint_severity", "cfpb_5class_1000_llm", "goemotions_ordinary"))
    ),
    "goemotions_clean": lambda: Variant(
        Recipe(extra=("xci_complaint_severity", "cfpb_5class_1000_llm", "goemotions_clean"))
    ),
    "goemotions_clean_10k": lambda: Variant(
        Recipe(extra=("xci_complaint_severity", "cfpb_5class_1000_llm", "goemotions_clean:10000"))
    ),
    "goemotions_clean_lexicon8": lambda: Variant(
        Recipe(
            extra=("xci_complaint_severity", "cfpb_5class_1000_llm", "goemotions_clean"), lexicon_weight=8.0
        )
    ),
    "goemotions_clean_2k": lambda: Variant(
        Recipe(extra=("xci_complaint_severity", "cfpb_5class_1000_llm", "goemotions_clean:2000"))
    ),
    "goemotions_static": lambda: Variant(
        Recipe(extra=("xci_complaint_severity", "cfpb_5class_1000_llm", "goemotions_ordinary")),
        stack="static",
    ),
    "goemotions_clean_static": lambda: Variant(
        Recipe(extra=("xci_complaint_severity", "cfpb_5class_1000_llm", "goemotions_clean")),
        stack="static",
    ),
}


def main(argv: list[str]) -> None:
    data_dir = Path(argv[1])
    analyzer = CachedAnalyzer(analyze_abuse)
    for name in argv[2:]:
        start = time.time()
        row = run_variant(data_dir, VARIANTS[name](), analyzer, log=lambda m: print(m, file=sys.stderr))
        row = {k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()}
        print(json.dumps({"variant": name, **row, "wall_s": round(time.time() - start)}), flush=True)


if __name__ == "__main__":
    main(sys.argv)
