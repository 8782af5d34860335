"""The heads' recipes: how each shipped head is fitted, the same in training and in every evaluation fold.

Every head is TF-IDF (sublinear tf, l2) over the runtime's own features (engine/features.py `analyze`),
then logistic regression; hyperparameters are chosen by inner cross-validation on the training data only
(`choose_c`), so an evaluation fold is never looked at.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.sparse import diags as sp_diags
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.preprocessing import normalize

from amends.signals.engine.features import analyze, analyze_abuse

from .datasets import load_cfpb, load_goemotions, load_xci

Analyzer = Callable[[str], list[str]]
COMPLAINT_C_GRID = (50.0, 100.0)
# The complaint head's character n-grams count at half their idf: at full weight the many char grams of a
# tweet dominate its l2 norm and crowd out the words and bigrams. Mean 10-fold macro-F1 on complaints_acl2019
# over four CV seeds at a fixed C: 0.827 at weight 1 (C 30), 0.834 at 0.5 (C 50 or 100); the benchmark's
# nested protocol (seed 0, C by inner CV): 0.831 before, 0.832 after. It costs the runtime nothing: the
# weight is folded into the exported idf.
COMPLAINT_CHAR_WEIGHT = 0.5
SEVERITY_C_GRID = (0.3, 1.0, 3.0)
# The stacked complaint head (embedding + TF-IDF logit): its C by inner 3-fold CV from this grid; its training
# rows' TF-IDF logits come from CROSS_FIT_FOLDS fits that never saw the row (as at runtime, where the shipped
# TF-IDF model has never seen the message).
STACK_C_GRID = (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
CROSS_FIT_FOLDS = 5
# Narratives in the teacher's pool (teacher.py) are cut to the analyser's classifier window.
STACK_EXTRA_CHARS = 500
# The abuse head's word-list features (lexicon.py) count at this multiple of their idf: one "p:profane"
# among a tweet's hundreds of word and character features is otherwise too faint to carry what was learned
# to words the training data never used. 3 in issue 12's first session (Davidson 5-fold CV and the
# HateXplain sample); 8 since its third, with the slur and group-hostility features and the GoEmotions
# "neither" rows, chosen on the HateXplain dev half only: AUC 0.730 at 3, 0.734 at 8 (docs/benchmarks.md).
ABUSE_LEXICON_WEIGHT = 8.0
EXTRA_NOT_ROWS = 3000
EXTRA_NOT_WEIGHT = 0.2
# Knowledge distillation (issue 13): unlabelled texts with the MiniLM teacher's complaint probability p
# join the complaint TF-IDF head's fit twice, complaint at TEACH_WEIGHT x p and not at TEACH_WEIGHT x (1-p)
# (`Teaching`, built by `teacher.py`). They teach it words 3,000 tweets never showed it.
TEACH_WEIGHT = 0.5
DISSATISFIED_EMOTIONS = ("anger", "annoyance", "disappointment", "disapproval", "disgust")


class CachedAnalyzer:
    """`analyze` (or another analyzer) memoised per text: cross-validation re-vectorises the same texts
    once per fold."""

    def __init__(self, analyzer: Analyzer = analyze) -> None:
        self.cache: dict[str, list[str]] = {}
        self.analyzer = analyzer

    def __call__(self, text: str) -> list[str]:
        feats = self.cache.get(text)
        if feats is None:
            feats = self.cache[text] = self.analyzer(text)
        return feats


@dataclass
class Fitted:
    vectorizer: TfidfVectorizer
    model: LogisticRegression
    shift: float = 0.0
    extra: dict = field(default_factory=dict)

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """Decision function, with the head's threshold shift (binary), as the runtime computes it."""
        z = self.model.decision_function(self.vectorizer.transform(texts))
        return z + self.shift if z.ndim == 1 else z

    def predict(self, texts: Sequence[str]) -> np.ndarray:
        z = self.logits(texts)
        if z.ndim == 1:
            return self.model.classes_[(z >= 0).astype(int)]
        return self.model.classes_[np.argmax(z, 1)]


def fit_linear(
    texts: Sequence[str],
    y: Sequence,
    *,
    C: float,
    class_weight: str | None = None,
    min_df: int = 1,
    sample_weight: np.ndarray | None = None,
    analyzer: Analyzer = analyze,
    char_weight: float = 1.0,
    lexicon_weight: float = 1.0,
) -> Fitted:
    """TF-IDF (sublinear tf, l2) over `analyze` features, then logistic regression: every head is this.
    `char_weight` scales the idf of the character n-gram features ("c:..."); it lives in `idf_`, so the
    exported idf (and the runtime's norm) carry it with no change to the runtime."""
    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=min_df, dtype=np.float32)
    matrix = vectorizer.fit_transform(texts)
    if char_weight != 1.0 or lexicon_weight != 1.0:
        scale = np.ones(len(vectorizer.idf_), np.float32)
        for feat, j in vectorizer.vocabulary_.items():
            if feat.startswith("c:"):
                scale[j] = char_weight
            elif feat.startswith("p:"):
                scale[j] = lexicon_weight
        # rows were l2-normalised with the plain idf; rescaling columns and renormalising gives exactly the
        # rows the reweighted idf would have produced
        matrix = normalize(matrix @ sp_diags(scale))
        vectorizer.idf_ = vectorizer.idf_ * scale
    model = LogisticRegression(C=C, class_weight=class_weight, max_iter=3000)
    model.fit(matrix, np.asarray(y), sample_weight=sample_weight)
    return Fitted(vectorizer, model)


def choose_c(texts: Sequence, y: np.ndarray, grid: Sequence[float], fit, folds: int = 3) -> float:
    """C by inner stratified CV on the training data only (macro-F1), so no test fold is ever looked at."""
    inner = StratifiedKFold(folds, shuffle=True, random_state=1)
    scores = []
    for c in grid:
        pred = np.empty_like(y)
        for tr, te in inner.split(texts, y):
            fitted = fit([texts[i] for i in tr], y[tr], C=c)
            pred[te] = fitted.predict([texts[i] for i in te])
        scores.append(f1_score(y, pred, average="macro"))
    return float(grid[int(np.argmax(scores))])


def best_shift(logits: np.ndarray, y: np.ndarray) -> float:
    """Logit shift that puts the F1-best threshold (on a dev split) at probability 0.5."""
    candidates = np.quantile(logits, np.linspace(0.5, 0.995, 100))
    f1s = [f1_score(y, (logits >= t).astype(int)) for t in candidates]
    return -float(candidates[int(np.argmax(f1s))])


# ---------------------------------------------------------------- the heads' recipes (used by evaluation too)


@dataclass(frozen=True)
class Teaching:
    """Unlabelled texts and a teacher's complaint probability for each (knowledge distillation)."""

    texts: Sequence[str]
    p: np.ndarray
    weight: float = TEACH_WEIGHT

    def rows(self) -> tuple[list[str], np.ndarray, np.ndarray]:
        """Each text twice: as a complaint at weight x p, as not one at weight x (1 - p)."""
        p = np.asarray(self.p, dtype=np.float64)
        texts = list(self.texts)
        return (
            texts + texts,
            np.r_[np.ones(len(p), int), np.zeros(len(p), int)],
            np.r_[self.weight * p, self.weight * (1 - p)],
        )


def fit_complaint(
    texts: Sequence[str],
    y: np.ndarray,
    C: float | None = None,
    analyzer=analyze,
    extra_not: Sequence[str] = (),
    teach: Teaching | None = None,
) -> Fitted:
    """Complaint intent. No class weight: the threshold stays at 0.5 and macro-F1 was better without one.
    `extra_not`: licence-allowed texts that are plainly not complaints (GoEmotions thanks and praise), added
    at weight EXTRA_NOT_WEIGHT so that warm messages full of service words do not read as complaints.
    `teach`: a teacher's soft labels on unlabelled texts, in the final fit only (C is chosen without
    them, as measured: docs/benchmarks.md, issue 13, session 4)."""
    extra = list(extra_not)

    def fit(t, yy, C, teach=None):
        more, more_y, more_w = teach.rows() if teach else ([], np.zeros(0, int), np.zeros(0))
        weights = np.r_[np.ones(len(t)), np.full(len(extra), EXTRA_NOT_WEIGHT), more_w]
        return fit_linear(
            list(t) + extra + more,
            np.r_[yy, np.zeros(len(extra), int), more_y],
            C=C,
            sample_weight=weights,
            analyzer=analyzer,
            char_weight=COMPLAINT_CHAR_WEIGHT,
        )

    chosen = C if C is not None else choose_c(texts, np.asarray(y), COMPLAINT_C_GRID, fit)
    fitted = fit(texts, y, chosen, teach)
    if teach is not None:
        fitted.extra["taught_rows"] = len(teach.p)
        fitted.extra["teach_weight"] = teach.weight
    fitted.extra["C"] = chosen
    fitted.extra["extra_not_complaint_rows"] = len(extra)
    fitted.extra["extra_weight"] = EXTRA_NOT_WEIGHT
    fitted.extra["char_ngram_weight"] = COMPLAINT_CHAR_WEIGHT
    return fitted


def cross_fitted_logits(
    texts: Sequence[str],
    y: np.ndarray,
    C: float,
    analyzer=analyze,
    extra_not: Sequence[str] = (),
    teach: Teaching | None = None,
) -> np.ndarray:
    """Each row's complaint logit from a fit_complaint (C fixed, the same teaching) on the other folds:
    honest logits for training a model that takes the TF-IDF logit as an input."""
    y = np.asarray(y)
    out = np.empty(len(texts))
    splitter = StratifiedKFold(CROSS_FIT_FOLDS, shuffle=True, random_state=2)
    for tr, te in splitter.split(texts, y):
        fitted = fit_complaint(
            [texts[i] for i in tr], y[tr], C=C, analyzer=analyzer, extra_not=extra_not, teach=teach
        )
        out[te] = fitted.logits([texts[i] for i in te])
    return out


def fit_stacked(embedded: np.ndarray, logits: np.ndarray, y: np.ndarray) -> LogisticRegression:
    """LR on [embedding, TF-IDF logit], C by inner 3-fold CV (macro-F1) on these rows only (`choose_c`)."""
    features = np.c_[embedded, logits]
    y = np.asarray(y)

    def fit(rows, yy, C):
        return LogisticRegression(C=C, max_iter=5000).fit(np.asarray(rows), yy)

    return fit(features, y, choose_c(features, y, STACK_C_GRID, fit))


def complaint_extra_not(data_dir: Path) -> list[str]:
    """GoEmotions train comments labelled gratitude/admiration/joy/approval with no dissatisfied emotion
    (the first EXTRA_NOT_ROWS); none when the folder is absent."""
    if not (data_dir / "goemotions").is_dir():
        return []
    texts, labels = load_goemotions(data_dir, "train")
    warm = {"gratitude", "admiration", "joy", "approval"}
    keep = [t for t, s in zip(texts, labels, strict=True) if s & warm and not s & set(DISSATISFIED_EMOTIONS)]
    return keep[:EXTRA_NOT_ROWS]


def fit_severity(
    texts: Sequence[str], levels: np.ndarray, C: float | None = None, analyzer=analyze
) -> Fitted:
    """Severity 1..4 of complaints; balanced classes because the published metric is macro-F1. Small data
    wants strong regularisation: C by inner CV from a lower grid than the complaint head's."""

    def fit(t, yy, C):
        return fit_linear(t, yy, C=C, class_weight="balanced", analyzer=analyzer)

    chosen = C if C is not None else choose_c(texts, np.asarray(levels), SEVERITY_C_GRID, fit)
    fitted = fit(texts, levels, chosen)
    fitted.extra["C"] = chosen
    return fitted


def fit_anger(texts, y, dev_texts, dev_y, analyzer=analyze) -> Fitted:
    fitted = fit_linear(texts, y, C=10.0, min_df=2, analyzer=analyzer)
    fitted.shift = best_shift(fitted.logits(dev_texts), np.asarray(dev_y))
    return fitted


def fit_abuse(texts, y, analyzer=analyze_abuse) -> Fitted:
    """Three classes as Davidson et al. (hate, offensive, neither); the runtime's abuse is 1 - P(neither).
    It reads the word-list features too (`analyze_abuse`, engine/lexicon.py), so what it learned of
    Davidson's words carries to slurs, insults and spellings that data never used."""
    fitted = fit_linear(texts, y, C=10.0, min_df=2, analyzer=analyzer, lexicon_weight=ABUSE_LEXICON_WEIGHT)
    fitted.extra["lexicon_weight"] = ABUSE_LEXICON_WEIGHT
    return fitted


def fit_product(texts, y, analyzer=analyze) -> Fitted:
    return fit_linear(texts, y, C=10.0, analyzer=analyzer)


DAVIDSON_CLASSES = np.array(["hate", "offensive", "neither"])


def abuse_extra_neither(data_dir: Path) -> dict[str, list[str]]:
    """Ordinary writing to label "neither", by source folder, whichever folders are present: customer
    writing (X-CI tweets to companies, CFPB complaint narratives) and Reddit comments about people and
    things (GoEmotions, `goemotions_neither` "goemotions_clean": no hostile emotion, no profanity). The
    Reddit comments teach the head that naming people, groups and feelings is not abuse: AUC on the
    HateXplain dev half 0.728 -> 0.730 (docs/benchmarks.md, session 3)."""
    extra: dict[str, list[str]] = {}
    if (data_dir / "xci_complaint_severity").is_dir():
        extra["xci_complaint_severity"] = [r["tweet"] for r in load_xci(data_dir)]
    if (data_dir / "cfpb_5class_1000_llm").is_dir():
        extra["cfpb_5class_1000_llm"] = load_cfpb(data_dir)[0]
    comments = goemotions_neither(data_dir, "goemotions_clean")
    if comments:
        extra["goemotions"] = comments
    return extra


GOEMOTIONS_NEITHER_ROWS = 5000
HOSTILE_EMOTIONS = ("anger", "annoyance", "disapproval", "disgust")


def goemotions_neither(data_dir: Path, name: str, rows: int = GOEMOTIONS_NEITHER_ROWS) -> list[str]:
    """GoEmotions train comments (Apache-2.0) as extra "neither": ordinary Reddit comments about people and
    things. "goemotions_ordinary": the first GOEMOTIONS_NEITHER_ROWS whose labels carry no hostile emotion;
    "goemotions_clean": the same with no word of the profanity list either (a Reddit comment may swear
    without being labelled angry, and swearing is what the head must not unlearn). Never positives: anger
    is not abuse. None when the folder is absent."""
    from amends.signals.engine.features import tokenise
    from amends.signals.engine.lexicon import word_kind

    if not (data_dir / "goemotions").is_dir():
        return []
    texts, labels = load_goemotions(data_dir, "train")
    keep = []
    for text, emotions in zip(texts, labels, strict=True):
        if emotions & set(HOSTILE_EMOTIONS):
            continue
        if name == "goemotions_clean":
            tokens = tokenise(text)
            kinds = (word_kind(t, r) for t, r in zip(tokens.toks, tokens.raw, strict=True))
            if any(kind in ("profane", "slur") for kind in kinds):
                continue
        keep.append(text)
        if len(keep) == rows:
            break
    return keep
