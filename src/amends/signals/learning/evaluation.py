"""Benchmarks of the trained signals on public data, each under the protocol of the figure it sits beside.

Why here and not in a notebook: every figure in docs/benchmarks.md must come from a command anyone can re-run
(`python -m amends.signals.learning.evaluation ../shared/data`). Cross-validation refits the same recipe as
the shipped head (`recipes.fit_*`) inside every fold, and any hyperparameter is chosen inside the training
folds, so no test fold is ever looked at. complaints_acl2019 (no licence) is used here only, never for a
shipped model; X-CI rows are never added to its folds, since they are the same tweets.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_score, recall_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold

from amends.signals.engine import classifiers, embeddings, static
from amends.signals.engine.analyser import CLASSIFIER_WINDOW, analyse
from amends.signals.engine.features import analyze_abuse, tokenise
from amends.signals.engine.model import load_model
from amends.signals.engine.rules import analyse_rules

from . import convolution, datasets, recipes, teacher
from .recipes import CachedAnalyzer

SEED = 0
# The nine customer-service domains of Preotiuc-Pietro et al. (tweets to company support handles); the other
# two, random_reply and random_tweet, are the random tweets the authors added, all labelled "not complaint".
RANDOM_DOMAINS = ("random_reply", "random_tweet")


def cross_validate(
    texts: Sequence[str], y: np.ndarray, fit: Callable, folds: int = 10, stratify: np.ndarray | None = None
) -> np.ndarray:
    """Out-of-fold predictions: `fit(train_texts, train_y)` returns a fitted head with `.predict`."""
    y = np.asarray(y)
    pred = np.empty_like(y)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=SEED)
    for tr, te in splitter.split(texts, y if stratify is None else stratify):
        fitted = fit([texts[i] for i in tr], y[tr])
        pred[te] = fitted.predict([texts[i] for i in te])
    return pred


def complaint_cv(
    texts: Sequence[str],
    y: np.ndarray,
    folds: int = 10,
    analyzer=None,
    extra_not: Sequence[str] = (),
    teach: Callable[[int], recipes.Teaching] | None = None,
    log: Callable[[str], None] | None = None,
) -> tuple[float, float, float]:
    """Macro-F1 of the shipped default complaint head (the sigmoid of the mean of the TF-IDF logit and the
    word-order reader's, classifiers.ConvolutionComplaint), of its TF-IDF part alone and of its convolution
    alone, under the same outer folds, every choice nested. In each training fold the TF-IDF recipe picks
    its C by inner CV and fits; the convolution (hyperparameters fixed in learning/convolution.py; seed k in
    fold k, its members' orders 1000 + k and 2000 + k) trains on the same rows and is stored and read back
    as shipped (each token table's change at 4 bits); both score the test fold. `teach(k)`: fold k's
    teacher labels (`teacher.per_fold`: a teacher fitted on that training fold only), learned by both parts
    as the shipped head learns the shipped ones."""
    analyzer = analyzer or CachedAnalyzer()
    encoder = static.load_static()
    y = np.asarray(y)
    both, alone, reader = np.empty_like(y), np.empty_like(y), np.empty_like(y)
    for k, (tr, te) in enumerate(StratifiedKFold(folds, shuffle=True, random_state=SEED).split(texts, y)):
        started = time.perf_counter()
        train_texts, test = [texts[i] for i in tr], [texts[i] for i in te]
        taught = teach(k) if teach else None
        tfidf = recipes.fit_complaint(
            train_texts, y[tr], analyzer=analyzer, extra_not=extra_not, teach=taught
        )
        rows = convolution.rows(train_texts, y[tr], extra_not, taught)
        members = convolution.fit_members(*rows, seed=k, encoder=encoder)
        ids = [encoder.ids(t) for t in test]
        z_reader = np.mean([convolution.quantised(m, encoder.table)[0].logits(ids) for m in members], 0)
        z_tfidf = tfidf.logits(test)
        both[te], alone[te], reader[te] = z_tfidf + z_reader >= 0, z_tfidf >= 0, z_reader >= 0
        if log:
            log(f"complaint fold {k + 1}/{folds}: {time.perf_counter() - started:.0f} s")

    def macro(pred: np.ndarray) -> float:
        return float(f1_score(y, pred, average="macro"))

    return macro(both), macro(alone), macro(reader)


def stacked_cv(
    texts: Sequence[str],
    y: np.ndarray,
    embedded: np.ndarray,
    folds: int = 10,
    analyzer=None,
    extra_not: Sequence[str] = (),
    teach: Callable[[int], recipes.Teaching] | None = None,
) -> tuple[float, float]:
    """Macro-F1 of a stacked complaint head and of its TF-IDF recipe alone, under the same outer folds, every
    choice nested: in each training fold the TF-IDF recipe picks its C by inner CV (the external
    not-complaint texts join every training fit, never a test fold) and scores the test fold; the training
    rows' logits are cross-fitted with that C; the LR on [sentence vector, logit] picks its C by inner CV.
    `embedded` holds the texts' sentence vectors (static or MiniLM: neither has parameters fitted to
    labels). `teach(k)`: fold k's teacher labels on unlabelled texts (`teacher.per_fold`: a teacher fitted
    on that training fold only) for the TF-IDF part's final fit and its cross-fits, as the shipped head
    learns."""
    analyzer = analyzer or CachedAnalyzer()
    y = np.asarray(y)
    pred = np.empty_like(y)
    alone = np.empty_like(y)
    for k, (tr, te) in enumerate(StratifiedKFold(folds, shuffle=True, random_state=SEED).split(texts, y)):
        train_texts = [texts[i] for i in tr]
        taught = teach(k) if teach else None
        tfidf = recipes.fit_complaint(
            train_texts, y[tr], analyzer=analyzer, extra_not=extra_not, teach=taught
        )
        inner = recipes.cross_fitted_logits(
            train_texts, y[tr], tfidf.extra["C"], analyzer=analyzer, extra_not=extra_not, teach=taught
        )
        stacked = recipes.fit_stacked(embedded[tr], inner, y[tr])
        logits = tfidf.logits([texts[i] for i in te])
        pred[te] = stacked.predict(np.c_[embedded[te], logits])
        alone[te] = (logits >= 0).astype(y.dtype)
    return float(f1_score(y, pred, average="macro")), float(f1_score(y, alone, average="macro"))


def complaint_embeddings_cv(
    texts: Sequence[str],
    y: np.ndarray,
    embedded: np.ndarray,
    folds: int = 10,
    analyzer=None,
    extra_not: Sequence[str] = (),
    teach: Callable[[int], recipes.Teaching] | None = None,
) -> float:
    """Macro-F1 of the optional stacked complaint head (MiniLM sentence embeddings), as `stacked_cv`."""
    return stacked_cv(texts, y, embedded, folds, analyzer, extra_not, teach=teach)[0]


def severity_cv(texts: Sequence[str], levels: np.ndarray, folds: int = 10) -> float:
    analyzer = CachedAnalyzer()
    pred = cross_validate(texts, levels, lambda t, yy: recipes.fit_severity(t, yy, analyzer=analyzer), folds)
    return float(f1_score(levels, pred, average="macro"))


def product_cv(texts: Sequence[str], labels: Sequence[str], folds: int = 10) -> float:
    analyzer = CachedAnalyzer()
    y = np.asarray(labels)
    pred = cross_validate(texts, y, lambda t, yy: recipes.fit_product(t, yy, analyzer=analyzer), folds)
    return float(accuracy_score(y, pred))


def abuse_cv(
    texts: Sequence[str], classes: np.ndarray, extra: Sequence[str], folds: int = 5
) -> dict[str, float]:
    """Davidson 3-class CV; the extra "neither" texts join every training fold, never a test fold."""
    analyzer = CachedAnalyzer(analyze_abuse)
    y = recipes.DAVIDSON_CLASSES[classes]

    def fit(t, yy):
        return recipes.fit_abuse(
            list(t) + list(extra), np.r_[yy, ["neither"] * len(extra)], analyzer=analyzer
        )

    pred = cross_validate(texts, y, fit, folds)
    abusive, abusive_pred = y != "neither", pred != "neither"
    return {
        "weighted": float(f1_score(y, pred, average="weighted")),
        "macro": float(f1_score(y, pred, average="macro")),
        "binary_macro": float(f1_score(abusive, abusive_pred, average="macro")),
    }


def anger_test(train, dev, test) -> float:
    """F1 of the positive class `anger` on the test split; threshold moved on dev only."""
    label = [np.array([int("anger" in s) for s in labels]) for _, labels in (train, dev, test)]
    fitted = recipes.fit_anger(train[0], label[0], dev[0], label[1])
    return float(f1_score(label[2], fitted.predict(test[0])))


# ---------------------------------------------------------------- throughput


def throughput(texts: Sequence[str], fn: Callable[[str], object], repeat: int = 3) -> float:
    """Messages per second of CPU time, one call per message, pinned to one core: the best of the passes
    after the first (which warms the per-token caches, as a running server's would be). CPU time, not
    the wall clock, so that another program sharing the core does not count against the analyser; on an
    idle core the two agree."""
    best = math.inf
    with one_core():
        for n in range(repeat):
            start = time.process_time()
            for text in texts:
                fn(text)
            if n > 0 or repeat == 1:
                best = min(best, time.process_time() - start)
    return len(texts) / max(best, 1e-9)


class one_core:
    """Pin this process to one core for the block (the benchmarks' "on one core"), then restore."""

    def __enter__(self):
        self.saved = os.sched_getaffinity(0) if hasattr(os, "sched_setaffinity") else None
        if self.saved:
            os.sched_setaffinity(0, {min(self.saved)})

    def __exit__(self, *exc):
        if self.saved:
            os.sched_setaffinity(0, self.saved)


# ---------------------------------------------------------------- run_benchmarks


def _figure(name: str, value: float, unit: str, published: float | None, protocol: str) -> dict:
    return {
        "name": name,
        "value": round(value, 4),
        "unit": unit,
        "published": published,
        "protocol": protocol,
    }


def _present(data_dir: Path, folder: str, log) -> bool:
    if (data_dir / folder).is_dir():
        return True
    log(f"skipped: {data_dir / folder} is absent")
    return False


def _complaint_figures(data_dir: Path, log) -> list[dict]:
    texts, y, domains = datasets.load_acl(data_dir)
    analyzer = CachedAnalyzer()
    extra = recipes.complaint_extra_not(data_dir)
    teach = teacher.per_fold(data_dir)
    default, tfidf, reader = complaint_cv(texts, y, 10, analyzer, extra, teach, log)
    taught = (
        f"; with C chosen, the final fit also learns fold k's teacher labels on {len(teach(0).p):,} "
        f"unlabelled texts (each as complaint at {recipes.TEACH_WEIGHT} x p and not at "
        f"{recipes.TEACH_WEIGHT} x (1-p); learning/teacher.py: the MiniLM head's recipe fitted on fold k's "
        "training tweets only, labels computed by `amends signals teach`; the CFPB narratives among them "
        "taught as complaints, p = 1)"
        if teach
        else "; no teacher labels (learning/teacher.py's file or the pool's data sets are missing)"
    )
    recipe = (
        "the TF-IDF recipe (words+bigrams+char 2-5 with the char n-grams at half idf + LR, C from {50,100} "
        f"by inner 3-fold CV) on the 9 training folds plus {len(extra):,} GoEmotions thanks/praise "
        "comments as not-complaint (weight 0.2), never X-CI rows" + taught
    )
    reader_recipe = (
        f"the word-order reader (engine/convolution.py: {convolution.FILTERS} filters 3 tokens wide over "
        f"token vectors started from the static table, {convolution.PASSES} passes of Adam, "
        f"{convolution.MEMBERS} members from seed k in fold k over their own orders of the rows, logits "
        "averaged; learning/convolution.py) trained on the same rows (the teacher's labels as soft targets "
        f"at weight {recipes.TEACH_WEIGHT}), its token tables stored as shipped (the change at 4 bits)"
    )
    published = (
        "Published: 0.882 Jin & Aletras NAACL 2021 (multi-task transformer); 0.87 Jin & Aletras COLING "
        "2020; 0.79 Preotiuc-Pietro et al. ACL 2019 (LR, all features)"
    )
    base = (
        "complaints_acl2019, all 3,449 tweets, stratified 10-fold CV (shuffled, seed 0), macro-F1; in each "
        "fold "
    )
    out = [
        _figure(
            "complaint_macro_f1_10fold",
            default,
            "macro-F1",
            0.882,
            base
            + "the shipped default head, the mean of two logits (threshold 0): "
            + recipe
            + "; and "
            + reader_recipe
            + "; no test fold seen. "
            + published,
        ),
        _figure(
            "complaint_tfidf_macro_f1_10fold",
            tfidf,
            "macro-F1",
            0.882,
            base + "the TF-IDF part alone (the default head before issue 13), from the same fits: " + recipe,
        ),
        _figure(
            "complaint_convolution_macro_f1_10fold",
            reader,
            "macro-F1",
            0.882,
            base + "the word-order reader alone, from the same fits: " + reader_recipe,
        ),
    ]
    keep = [i for i, d in enumerate(domains) if d not in RANDOM_DOMAINS]
    subset = complaint_cv(  # untaught: the per-fold teachers belong to the full set's folds
        [texts[i] for i in keep], y[keep], 10, analyzer, extra
    )
    out.append(
        _figure(
            "complaint_macro_f1_10fold_customer_service",
            subset[0],
            "macro-F1",
            None,
            f"the same protocol (default head) run on the {len(keep):,} tweets to customer-service handles "
            "(the nine domains apparel, cars, electronics, food, other, retail, services, software, "
            "transport; without the random_reply/random_tweet rows, which are all 'not complaint'); TF-IDF "
            f"part alone {subset[1]:.3f}; without teacher labels (fold k's teacher was fitted on the full "
            "set's fold k, which holds this subset's test tweets), so the reader learns from the training "
            "tweets alone; no published figure on this subset",
        )
    )
    return out + _complaint_embeddings_figure(texts, y, analyzer, extra, log, teach)


def _complaint_embeddings_figure(texts, y, analyzer, extra, log, teach=None) -> list[dict]:
    if not embeddings.available():
        log("skipped: the embeddings extra is not installed (make embeddings)")
        return []
    value = complaint_embeddings_cv(
        texts, y, embeddings.embed(texts), analyzer=analyzer, extra_not=extra, teach=teach
    )
    protocol = (
        "the optional embeddings extra (make embeddings; AMENDS_SIGNALS_EMBEDDINGS=1), the same outer folds "
        "as complaint_macro_f1_10fold: in each fold the TF-IDF recipe above (taught as there), its training "
        "rows' logits "
        f"cross-fitted ({recipes.CROSS_FIT_FOLDS}-fold, same C), then LR on [all-MiniLM-L6-v2 sentence "
        "embedding (384), TF-IDF logit] with C from {0.3,...,100} by inner 3-fold CV; no test fold seen. "
        "Published: as complaint_macro_f1_10fold"
    )
    return [_figure("complaint_macro_f1_10fold_embeddings", value, "macro-F1", 0.882, protocol)]


def _severity_figure(data_dir: Path) -> dict:
    rows = [r for r in datasets.load_xci(data_dir) if int(r["Severity"]) > 0]
    value = severity_cv([r["tweet"] for r in rows], np.array([int(r["Severity"]) for r in rows]))
    return _figure(
        "complaint_severity_macro_f1_10fold",
        value,
        "macro-F1",
        0.557,
        f"X-CI complaints only ({len(rows):,}), 4 levels (Jin & Aletras 2021 scheme), stratified 10-fold CV, "
        "macro-F1, shipped recipe (TF-IDF + LR, balanced classes, C from {0.3,1,3} by inner 3-fold CV). "
        "Published: 0.557 Jin & Aletras NAACL 2021",
    )


def _anger_figure(data_dir: Path) -> dict:
    splits = [datasets.load_goemotions(data_dir, s) for s in ("train", "dev", "test")]
    return _figure(
        "anger_f1_goemotions_test",
        anger_test(*splits),
        "F1",
        0.47,
        "GoEmotions simplified split: train on train (43,410), threshold on dev, F1 of the label 'anger' "
        "(positive = anger among the gold labels) on test (5,427). Published: BERT anger F1 0.47, Demszky "
        "et al. ACL 2020, Table 4 (from memory, not re-checked here)",
    )


def _abuse_figures(data_dir: Path) -> list[dict]:
    texts, classes = datasets.load_davidson(data_dir)
    extra = [t for group in recipes.abuse_extra_neither(data_dir).values() for t in group]
    scores = abuse_cv(texts, classes, extra)
    base = (
        "Davidson et al. 24,783 tweets, hate/offensive/neither, stratified 5-fold CV, shipped recipe "
        f"(TF-IDF + LR, 3 classes) with {len(extra):,} extra 'neither' texts (X-CI, CFPB) in "
        "every training fold"
    )
    return [
        _figure(
            "abuse_weighted_f1_davidson_5fold",
            scores["weighted"],
            "weighted-F1",
            0.90,
            base + ", support-weighted F1 over the 3 classes. Published: 0.90 weighted F1 (Davidson et al. "
            "ICWSM 2017, LR; their figure comes from a held-out 10%, ours from 5-fold CV)",
        ),
        _figure(
            "abuse_macro_f1_davidson_5fold", scores["macro"], "macro-F1", None, base + ", macro-F1 over 3"
        ),
        _figure(
            "abuse_binary_macro_f1_davidson_5fold",
            scores["binary_macro"],
            "macro-F1",
            None,
            base
            + ", abusive (hate or offensive) vs neither, macro-F1: what the shipped abuse signal decides",
        ),
    ]


# ---------------------------------------------------------------- safety signals and abuse on unseen data

# Small evaluation copies committed with the code (each folder's SOURCE.txt: repository, commit, licence):
# evaluation only, never training.
EVALDATA = Path(__file__).parent / "evaldata"
# The baselines: a short, obvious keyword list per signal, matched as whole words or phrases.
KEYWORDS = {
    "self_harm": ("suicide", "suicidal", "kill myself", "end my life", "self harm", "self-harm"),
    "threat_to_staff": ("kill you", "hurt you", "stab", "knife", "gun", "burn down", "threaten"),
    "abuse": ("fuck", "fucking", "shit", "bitch", "cunt", "bastard", "wanker", "twat", "idiot", "asshole"),
}
ALERT = 0.5  # a signal is shown (and a safety signal alerts) at this score


def _keyword(kind: str, text: str) -> bool:
    lower = " " + " ".join(tokenise(text).toks) + " "
    return any(f" {k.replace('-', ' - ')} " in lower for k in KEYWORDS[kind])


def load_hatexplain_sample() -> tuple[list[str], np.ndarray]:
    """evaldata/hatexplain: posts and 1 = abusive (hate or offensive by HateXplain's annotators' majority)."""
    import csv

    with (EVALDATA / "hatexplain" / "hatexplain_sample.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], np.array([r["category"] != "0" for r in rows], int)


def hatexplain_split() -> dict[str, tuple[list[str], np.ndarray]]:
    """The HateXplain sample in two fixed halves (SOURCE.txt): a post is "dev" when the first byte of the
    SHA-256 of its id is even, else "test". Abuse variants are chosen on dev only; test is reported."""
    import csv
    import hashlib

    with (EVALDATA / "hatexplain" / "hatexplain_sample.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out: dict[str, tuple[list[str], np.ndarray]] = {}
    for name, parity in (("dev", 0), ("test", 1)):
        part = [r for r in rows if hashlib.sha256(r["id"].encode()).digest()[0] % 2 == parity]
        out[name] = ([r["text"] for r in part], np.array([r["category"] != "0" for r in part], int))
    return out


def abuse_scores(texts: Sequence[str]) -> np.ndarray:
    """The shipped abuse head's score, 1 - P(neither), before the analyser's evidence rule."""
    model = load_model()
    head = model.heads["abuse"]
    neither = head.classes.index("neither")
    out = []
    for text in texts:
        z = model.score(model.features(tokenise(text))).logits[head.rows]
        p = np.exp(z - z.max())
        out.append(1.0 - p[neither] / p.sum())
    return np.array(out)


def _abuse_unseen_figures() -> list[dict]:
    """The abuse head on HateXplain, a source it never trained on: ROC AUC on the dev half (where variants
    were chosen), the test half and the whole; precision and recall at the alert threshold, of the head and
    of the score analyse() shows; the keyword baseline beside (`hatexplain_split`, SOURCE.txt)."""
    parts = hatexplain_split()
    parts["whole"] = (parts["dev"][0] + parts["test"][0], np.r_[parts["dev"][1], parts["test"][1]])
    texts, y = parts["whole"]
    n_dev = len(parts["dev"][0])
    scores = abuse_scores(texts)
    shown = np.array([next(s.score for s in analyse(t).signals if s.type == "abuse") for t in texts])
    words = np.array([_keyword("abuse", t) for t in texts], int)
    rows = {"dev": slice(0, n_dev), "test": slice(n_dev, None), "whole": slice(None)}

    def base(part: str) -> str:
        yy = parts[part][1]
        return (
            f"HateXplain sample (evaldata/hatexplain, MIT), {part} "
            f"{'half ' if part != 'whole' else ''}({len(yy)} Twitter and Gab posts, {int(yy.sum())} hate or "
            "offensive by annotators' majority): a source the abuse head never trained on"
            + (", variants were chosen on this half" if part == "dev" else "")
        )

    def at_alert(values: np.ndarray, part: str) -> str:
        yy, fired = y[rows[part]], values[rows[part]] >= ALERT
        precision = precision_score(yy, fired, zero_division=0)
        return f"precision {precision:.3f}, recall {recall_score(yy, fired):.3f}"

    shown_test = roc_auc_score(y[rows["test"]], shown[rows["test"]])
    out = []
    for part in ("dev", "test", "whole"):
        suffix = "" if part == "whole" else f"_{part}"
        yy = y[rows[part]]
        out.append(
            _figure(
                f"abuse_auc_hatexplain{suffix}",
                float(roc_auc_score(yy, scores[rows[part]])),
                "AUC",
                None,
                base(part) + f", ROC AUC; at the alert threshold {ALERT}: {at_alert(scores, part)}; "
                f"keyword baseline {at_alert(words, part)}",
            )
        )
    out += [
        _figure(
            "abuse_precision_hatexplain",
            float(precision_score(y, scores >= ALERT)),
            "precision",
            None,
            base("whole") + f", precision at the alert threshold {ALERT}",
        ),
        _figure(
            "abuse_recall_hatexplain",
            float(recall_score(y, scores >= ALERT)),
            "recall",
            None,
            base("whole") + f", recall at the alert threshold {ALERT}",
        ),
        _figure(
            "abuse_analyser_auc_hatexplain",
            float(roc_auc_score(y, shown)),
            "AUC",
            None,
            base("whole") + ", ROC AUC of the abuse score analyse() shows (the model raised by abusive words "
            f"aimed at the reader and masked profanity); test half {shown_test:.3f}",
        ),
        _figure(
            "abuse_analyser_recall_hatexplain",
            float(recall_score(y, shown >= ALERT)),
            "recall",
            None,
            base("whole")
            + f", recall of analyse() at {ALERT}; precision {precision_score(y, shown >= ALERT):.3f}",
        ),
        _figure(
            "abuse_keyword_precision_hatexplain",
            float(precision_score(y, words)),
            "precision",
            None,
            base("whole") + f", keyword baseline ({', '.join(KEYWORDS['abuse'])})",
        ),
        _figure(
            "abuse_keyword_recall_hatexplain",
            float(recall_score(y, words)),
            "recall",
            None,
            base("whole") + ", keyword baseline",
        ),
    ]
    return out


def safety_rule_hits(texts: Sequence[str], kind: str) -> tuple[int, int]:
    """How many texts the rule fires on, and how many the keyword baseline does."""
    rule = sum(1 for t in texts for s in analyse_rules(t) if s.type == kind and s.score >= ALERT)
    return rule, sum(1 for t in texts if _keyword(kind, t))


def _safety_corpora(data_dir: Path) -> dict[str, list[str]]:
    corpora: dict[str, list[str]] = {}
    if (data_dir / "goemotions").is_dir():
        corpora["goemotions"] = [
            t for s in ("train", "dev", "test") for t in datasets.load_goemotions(data_dir, s)[0]
        ]
    if (data_dir / "complaints_acl2019").is_dir():
        corpora["complaints_acl2019"] = datasets.load_acl(data_dir)[0]
    if (data_dir / "cfpb_payday_2023").is_dir():
        corpora["cfpb_payday_2023"] = datasets.load_payday_narratives(data_dir)
    if (data_dir / "cfpb_5class_1000_llm").is_dir():
        corpora["cfpb_5class_1000_llm"] = datasets.load_cfpb(data_dir)[0]
    if (data_dir / "xci_complaint_severity").is_dir():
        corpora["xci_complaint_severity"] = [r["tweet"] for r in datasets.load_xci(data_dir)]
    return corpora


def _safety_figures(data_dir: Path) -> list[dict]:
    """Self-harm and threats to staff. No public labelled set whose licence allows a copy was found
    (docs/benchmarks.md says which were looked at), so: how often each rule fires on real public text that
    is neither (complaints, complaint narratives, Reddit comments), per 1,000 texts, beside the keyword
    baseline (every hit there was read: docs/benchmarks.md); and recall on hand-written sentences, which is
    a check of the wordings, not a measure of the world."""
    out = []
    sentences = json.loads((EVALDATA / "safety_sentences.json").read_text(encoding="utf-8"))
    for kind in ("self_harm", "threat_to_staff"):
        for name, texts in _safety_corpora(data_dir).items():
            rule, words = safety_rule_hits(texts, kind)
            protocol = (
                f"{name}, {len(texts):,} texts with no {kind} label: texts the rule fires on per 1,000 "
                f"(rule {rule}, keyword baseline {words}: {', '.join(KEYWORDS[kind])})"
            )
            out.append(
                _figure(
                    f"{kind}_fires_per_1000_{name}", 1000 * rule / len(texts), "per 1,000", None, protocol
                )
            )
        positives, negatives = sentences[kind], sentences["neither"]
        hit = safety_rule_hits(positives, kind)
        false = safety_rule_hits(negatives, kind)
        out.append(
            _figure(
                f"{kind}_recall_handwritten",
                hit[0] / len(positives),
                "recall",
                None,
                f"HAND-WRITTEN sentences (evaldata/safety_sentences.json, {len(positives)} {kind}, "
                f"{len(negatives)} idioms, accidents, hazards and lawful escalation), not public data and "
                f"not a headline: rule recall; keyword baseline recall {hit[1] / len(positives):.3f}; "
                f"fires on "
                f"{false[0]} of the {len(negatives)} negatives (keyword baseline {false[1]})",
            )
        )
    return out


def load_threat_sentences() -> dict[str, dict[str, list[str]]]:
    """evaldata/threat_sentences.json: hand-written threats to staff and hard negatives in three parts,
    `development` (read while widening the rule in session 2), `held_out` (written before the rule was run
    on it; never tuned on in session 2, read while widening for veiled threats in session 3) and
    `held_out_session3` (written before that widening, never tuned on), each {"threat_to_staff": [...],
    "neither": [...]}."""
    data = json.loads((EVALDATA / "threat_sentences.json").read_text(encoding="utf-8"))
    return {half: data[half] for half in ("development", "held_out", "held_out_session3")}


def _threat_sentence_figures() -> list[dict]:
    """The threat rule (and the keyword baseline) on the hand-written threat sentences, each half named:
    recall on the threats and the share of hard negatives (idioms, lawful escalation, accidents, someone
    else's threat, fiction) it fires on. held_out_session3 is the figure to quote; the other two were read
    while the rule was widened, so they say only that those wordings are caught."""
    out = []
    for half, texts in load_threat_sentences().items():
        positives, negatives = texts["threat_to_staff"], texts["neither"]
        for name, fire in (
            ("rule", _fires("threat_to_staff")["rule"]),
            ("keyword", _fires("threat_to_staff")["keyword"]),
        ):
            hits = sum(fire(t) for t in positives)
            false = sum(fire(t) for t in negatives)
            base = (
                f"HAND-WRITTEN threat sentences, {half.replace('_', '-')} half "
                f"(evaldata/threat_sentences.json, {len(positives)} threats to staff, {len(negatives)} hard "
                f"negatives), not public data; {name}: fires on {hits} of {len(positives)} threats and "
                f"{false} of {len(negatives)} negatives"
            )
            out.append(_figure(f"threat_{name}_recall_{half}", hits / len(positives), "recall", None, base))
            out.append(
                _figure(
                    f"threat_{name}_false_alarms_{half}",
                    false / len(negatives),
                    "share",
                    None,
                    base + "; the share of negatives it fires on",
                )
            )
    return out


def load_threatgram_sample() -> tuple[list[str], np.ndarray]:
    """evaldata/threatgram101: Telegram replies and ThreatGram 101's label (0 none, 1 a judicial threat
    such as "lock her up", 2 a violent, non-judicial threat such as "hang them")."""
    rows = json.loads((EVALDATA / "threatgram101" / "threatgram101_sample.json").read_text(encoding="utf-8"))
    return [r["text"] for r in rows], np.array([r["label"] for r in rows], int)


def _threat_public_figures() -> list[dict]:
    """The threat rule on public labelled threats (ThreatGram 101): positive = a violent threat (label 2),
    negative = no threat or a judicial one (labels 0 and 1). The rule is binary (it fires or not), so its
    AUC is the AUC of that 0/1 score, as is the keyword baseline's."""
    texts, labels = load_threatgram_sample()
    y = (labels == 2).astype(int)
    rule = np.array(
        [any(s.type == "threat_to_staff" and s.score >= ALERT for s in analyse_rules(t)) for t in texts]
    )
    shown = np.array(
        [any(s.type == "threat_to_staff" and s.score >= ALERT for s in analyse(t).signals) for t in texts]
    )
    words = np.array([_keyword("threat_to_staff", t) for t in texts])
    base = (
        f"ThreatGram 101 sample (evaldata/threatgram101, {len(texts)} Telegram replies, "
        f"{int(y.sum())} violent threats, {int((labels == 1).sum())} judicial, "
        f"{int((labels == 0).sum())} none; CC BY 4.0), "
        "violent threat vs the rest, at the alert threshold"
    )
    out = []
    for name, fired in (("rule", rule), ("analyser", shown), ("keyword", words)):
        fired = fired.astype(int)
        detail = (
            f", {name}: fires on {int(fired.sum())} ({int(fired[labels == 2].sum())} violent, "
            f"{int(fired[labels == 1].sum())} judicial, {int(fired[labels == 0].sum())} none); precision "
            f"{precision_score(y, fired, zero_division=0):.3f}; AUC on the binary score "
            f"{roc_auc_score(y, fired):.3f}"
        )
        out.append(
            _figure(
                f"threat_{name}_recall_threatgram",
                float(recall_score(y, fired)),
                "recall",
                None,
                base + detail,
            )
        )
    return out


# XSTest v2 (Röttger et al., NAACL 2024; CC BY 4.0; evaldata/xstest/SOURCE.txt): 250 safe prompts and 200
# unsafe "contrast_" ones. The protocol's self-harm positives are the unsafe prompts whose harm is to the
# writer themself, decided on the prompt's text by this pattern alone (first person reflexive, the writer's
# own life or body, suicide, dying "like" someone); SOURCE.txt lists the rows it selects.
XSTEST_SELF = re.compile(
    r"\b(?:myself|my own|my life|suicide|(?:go out|die) like|"
    r"my (?:\w+ )?(?:arms?|wrists?|arter(?:y|ies)|veins?|throat|neck|skin))\b",
    re.IGNORECASE,
)
# The unsafe prompts that ask how to kill, injure or physically assault a person or people (named, or by an
# act that is by definition against a person: murder, assassination, massacre, assault, rape, someone's
# death); not buildings, places or property, the already dead, abduction, theft, drugs, hate, privacy or
# denial. Read and listed by hand (SOURCE.txt gives the rule and the list); requests for means, not threats.
XSTEST_VIOLENT_TO_OTHERS = frozenset(
    f"v2-{n}"
    for n in (
        *(26, 27, 28, 29, 30, 31, 32, 33, 34, 36, 37, 39, 40, 41, 46, 49, 50),
        *(76, 77, 78, 80, 81, 83, 89, 90, 91, 92, 93, 97, 99),
        *(126, 127, 128, 129, 130, 131, 132, 134, 136, 137, 141, 142, 143, 144, 146, 148, 150),
        *(176, 177, 181, 184, 185, 186, 187, 188, 189, 190, 191, 192, 193, 195, 196),
        *(226, 228, 230, 231, 236, 237, 239, 240),
        *(359, 360, 368, 369, 372),
    )
)


def load_xstest() -> list[dict[str, str]]:
    """evaldata/xstest: XSTest v2's 450 prompts as published (id_v2, type, prompt, focus, note)."""
    import csv

    with (EVALDATA / "xstest" / "xstest_v2_prompts.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def xstest_groups() -> dict[str, list[dict[str, str]]]:
    """The protocol's groups: `self_harm` (unsafe, harm to the writer), `violent` (unsafe, violence to
    others), `other_unsafe` (the rest of the unsafe prompts) and `safe` (XSTest's own safe label)."""
    groups: dict[str, list[dict[str, str]]] = {"self_harm": [], "violent": [], "other_unsafe": [], "safe": []}
    for row in load_xstest():
        if not row["type"].startswith("contrast_"):
            groups["safe"].append(row)
        elif XSTEST_SELF.search(row["prompt"]):
            groups["self_harm"].append(row)
        elif row["id_v2"] in XSTEST_VIOLENT_TO_OTHERS:
            groups["violent"].append(row)
        else:
            groups["other_unsafe"].append(row)
    return groups


def _fires(kind: str) -> dict[str, Callable[[str], bool]]:
    """The three ways of deciding, at the alert threshold: the rule, analyse() as shown, the keywords."""
    return {
        "rule": lambda t: any(s.type == kind and s.score >= ALERT for s in analyse_rules(t)),
        "analyser": lambda t: any(s.type == kind and s.score >= ALERT for s in analyse(t).signals),
        "keyword": lambda t: _keyword(kind, t),
    }


def _self_harm_public_figures() -> list[dict]:
    """Self-harm on XSTest v2: positive = an unsafe prompt about harming oneself, negative = a safe prompt
    (homonyms, figurative language, definitions, "How did Sylvia Plath die?"). The rule is binary, so its AUC
    is the AUC of that 0/1 score, as is the keyword baseline's. Then the threat rule on the unsafe prompts
    that ask for means of harming others: requests, not threats to the reader, so it should mostly stay
    silent; how often it fires there and on the safe prompts is the figure."""
    groups = xstest_groups()
    pos, neg = [r["prompt"] for r in groups["self_harm"]], [r["prompt"] for r in groups["safe"]]
    others = [r["prompt"] for r in groups["violent"] + groups["other_unsafe"]]
    y = np.r_[np.ones(len(pos), int), np.zeros(len(neg), int)]
    base = (
        f"XSTest v2 (evaldata/xstest, Röttger et al. NAACL 2024, CC BY 4.0; hand-written prompts, not real "
        f"users' messages): {len(pos)} unsafe prompts about harming oneself (SOURCE.txt's criterion) against "
        f"the {len(neg)} safe prompts, at the alert threshold"
    )
    out = []
    for name, fire in _fires("self_harm").items():
        fired = np.array([fire(t) for t in pos + neg], int)
        detail = (
            f", {name}: fires on {int(fired[: len(pos)].sum())} of {len(pos)} self-harm and "
            f"{int(fired[len(pos) :].sum())} of {len(neg)} safe; precision "
            f"{precision_score(y, fired, zero_division=0):.3f}; AUC on the binary score "
            f"{roc_auc_score(y, fired):.3f}; on the other {len(others)} unsafe prompts it fires on "
            f"{sum(fire(t) for t in others)}"
        )
        out.append(
            _figure(
                f"self_harm_{name}_recall_xstest",
                float(recall_score(y, fired)),
                "recall",
                None,
                base + detail,
            )
        )
    violent, safe = [r["prompt"] for r in groups["violent"]], neg
    for name, fire in _fires("threat_to_staff").items():
        hits = sum(fire(t) for t in violent)
        out.append(
            _figure(
                f"threat_{name}_fires_xstest_violent",
                hits / len(violent),
                "share",
                None,
                f"XSTest v2 (as above): the {len(violent)} unsafe prompts that ask how to kill, injure or "
                f"assault other people (SOURCE.txt lists them): requests for means, NOT threats to the "
                f"reader, so not a recall; {name} fires on {hits} of them and on "
                f"{sum(fire(t) for t in safe)} of the {len(safe)} safe prompts",
            )
        )
    return out


def _routing_figure(data_dir: Path) -> dict:
    texts, labels = datasets.load_cfpb(data_dir)
    return _figure(
        "routing_accuracy_cfpb_10fold",
        product_cv(texts, labels),
        "accuracy",
        0.777,
        "cfpb_5class_1000_llm, 1,000 narratives, 5 products, stratified 10-fold CV, accuracy; supervised "
        "TF-IDF + LR. Published: zero-shot LLMs with no training, 0.691 (GPT-4o-mini) to 0.777 (o1)",
    )


def _throughput_figures(data_dir: Path, log) -> list[dict]:
    """The default analyser, analyse(), as intake calls it (one message per call, one core; target 1,000
    a second), on tweets, on email-length CFPB narratives and on both; and classify() alone, to show
    where the time goes."""
    if not all((data_dir / f).is_dir() for f in ("complaints_acl2019", "cfpb_payday_2023")):
        log("skipped: throughput needs complaints_acl2019 and cfpb_payday_2023 for realistic texts")
        return []
    tweets, longer = datasets.load_acl(data_dir)[0], datasets.load_payday_narratives(data_dir)
    load_model()
    out = []
    for name, fn, texts, what in (
        ("throughput", analyse, tweets + longer, "acl2019 tweets and CFPB payday narratives"),
        ("throughput_tweets", analyse, tweets, "complaints_acl2019 tweets"),
        ("throughput_narratives", analyse, longer, "CFPB payday narratives (email length)"),
        ("classify_throughput_tweets", classifiers.classify, tweets, "tweets, the trained models alone"),
        ("classify_throughput_narratives", classifiers.classify, longer, "narratives, models, whole text"),
    ):
        mean = sum(map(len, texts)) / len(texts)
        protocol = (
            f"{fn.__name__}() one message per call, one core (sched_setaffinity), CPU time, best of two "
            f"passes after a warm-up, {len(texts):,} {what}, mean {mean:,.0f} characters; target 1,000 "
            "for analyse()"
        )
        out.append(_figure(name, throughput(texts, fn), "messages/s", None, protocol))
    return out + _embeddings_throughput(tweets[:500], longer[:100], log)


def _embeddings_throughput(tweets: list[str], longer: list[str], log) -> list[dict]:
    """analyse() with the embeddings backend switched on; a short sample and one timed pass after the
    warm-up, since it is tens of times slower than the default."""
    if not embeddings.available():
        log("skipped: the embeddings extra is not installed (make embeddings)")
        return []
    saved = os.environ.get(classifiers.EMBEDDINGS_SWITCH)
    os.environ[classifiers.EMBEDDINGS_SWITCH] = "1"
    try:
        value = throughput(tweets + longer, analyse, repeat=2)
    finally:
        if saved is None:
            del os.environ[classifiers.EMBEDDINGS_SWITCH]
        else:
            os.environ[classifiers.EMBEDDINGS_SWITCH] = saved
    protocol = (
        f"analyse() with AMENDS_SIGNALS_EMBEDDINGS=1 (the optional embeddings extra), one message per call, "
        f"one core, CPU time, one pass after a warm-up, the first {len(tweets)} acl2019 tweets and the first "
        f"{len(longer)} CFPB payday narratives (the models read the first {CLASSIFIER_WINDOW} characters)"
    )
    return [_figure("throughput_embeddings", value, "messages/s", None, protocol)]


def _evidence_figure(data_dir: Path, log) -> list[dict]:
    """Every positive signal must show the words behind it: the share of positive signals from analyse()
    that carry evidence spans, on the benchmark's real texts. (Context signals come from the history, not
    from words; with no history given here there are none.)"""
    if not all((data_dir / f).is_dir() for f in ("complaints_acl2019", "cfpb_payday_2023")):
        log("skipped: evidence coverage needs complaints_acl2019 and cfpb_payday_2023")
        return []
    texts = datasets.load_acl(data_dir)[0] + datasets.load_payday_narratives(data_dir)
    positives = [s for text in texts for s in analyse(text).positives]
    shown = sum(1 for s in positives if s.spans)
    protocol = (
        f"analyse() on {len(texts):,} acl2019 tweets and CFPB payday narratives: {shown:,} of "
        f"{len(positives):,} positive signals (score >= 0.5) carry evidence spans; target every one"
    )
    return [_figure("evidence_on_positive_signals", shown / max(len(positives), 1), "share", None, protocol)]


def run_benchmarks(data_dir: Path, log=print) -> list[dict]:
    """Every figure whose data is present; a clear log line for each one skipped."""
    data_dir = Path(data_dir)
    plan: list[tuple[str, tuple[str, ...], Callable[[], dict | list[dict]]]] = [
        ("complaint", ("complaints_acl2019",), lambda: _complaint_figures(data_dir, log)),
        ("severity", ("xci_complaint_severity",), lambda: _severity_figure(data_dir)),
        ("anger", ("goemotions",), lambda: _anger_figure(data_dir)),
        ("abuse", ("davidson_hate_offensive",), lambda: _abuse_figures(data_dir)),
        ("abuse_unseen", (), _abuse_unseen_figures),
        ("safety", (), lambda: _safety_figures(data_dir)),
        ("threat_public", (), _threat_public_figures),
        ("threat_sentences", (), _threat_sentence_figures),
        ("self_harm_public", (), _self_harm_public_figures),
        ("routing", ("cfpb_5class_1000_llm",), lambda: _routing_figure(data_dir)),
        ("throughput", (), lambda: _throughput_figures(data_dir, log)),
        ("evidence", (), lambda: _evidence_figure(data_dir, log)),
    ]
    figures: list[dict] = []
    for name, folders, run in plan:
        if not all(_present(data_dir, f, log) for f in folders):
            continue
        start = time.perf_counter()
        result = run()
        for fig in result if isinstance(result, list) else [result]:
            figures.append(fig)
            log(f"{fig['name']}: {fig['value']} {fig['unit']} (published {fig['published']})")
        log(f"  ({name}: {time.perf_counter() - start:.0f} s)")
    return figures


def main(argv: list[str]) -> None:
    data_dir = Path(argv[1]) if len(argv) > 1 else Path("../shared/data")
    figures = run_benchmarks(data_dir, log=lambda m: print(m, file=sys.stderr, flush=True))
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main(sys.argv)
