"""The complaint head's teacher: soft labels from the MiniLM head on unlabelled text (knowledge distillation).

The default complaint head is a bag of words and characters fitted on 3,000 tweets, averaged with a
word-order reader (engine/convolution.py); the optional MiniLM head reads word order and context and scores
0.863 against the untaught default's 0.836 (docs/benchmarks.md, issue 13). The teacher's complaint
probabilities on 36,610 unlabelled, licence-allowed texts (the pool: 8,000 GoEmotions comments, every
Davidson tweet, 3,827 CFPB narratives) join both parts' training (`recipes.Teaching`,
`convolution.rows`), so the default head learns words and phrasings the tweets never showed it while
still running without the embeddings extra (docs/benchmarks.md, sessions 4 and 6).

The labels are computed once, with the extra installed, by `amends signals teach` (`build`), and committed
(`LABELS`): training and the benchmark then need no extra. The file holds

- `shipped`: the teacher the optional head is (LR on [MiniLM embedding, TF-IDF logit] on the X-CI tweets,
  MIT) on each pool text; `amends signals train` teaches the shipped head with these;
- `folds`: for the benchmark, one teacher per outer fold of complaints_acl2019's 10-fold protocol (seed 0),
  fitted on that fold's training tweets only, so no test tweet ever reaches the student through its
  teacher. complaints_acl2019 has no licence for a shipped model: these rows are used by the benchmark only;
- `pool_sha256`: the digest of the pool's texts, checked on load (the pool is drawn from ../shared/data).

The CFPB narratives in the pool are complaints by construction (every one was filed as a complaint): they
are taught as complaints (p = 1), not with the teacher's guess, which, fitted on tweets, doubts a polite
letter (its mean p on them is about 0.8). Taught with its guess, the head called "My mortgage payment was
taken twice this month and I would like the second one refunded please." no complaint (0.47), and its
recall on the CFPB 5-class narratives fell from 0.928 to 0.888 (docs/benchmarks.md, session 4).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .datasets import load_acl, load_cfpb, load_davidson, load_goemotions, load_payday_narratives, load_xci
from .recipes import STACK_EXTRA_CHARS, Teaching

LABELS = Path(__file__).parent / "teacherdata" / "complaint_teacher.npz"
GOEMOTIONS_ROWS = 8000  # drawn at random (seed 0) from the GoEmotions train split
DAVIDSON_ROWS = 24783  # then every Davidson tweet, in the same generator's order
SEED = 0
FOLDS = 10  # the benchmark's outer folds (evaluation.stacked_cv: StratifiedKFold, shuffled, seed 0)


class TeacherMismatch(RuntimeError):
    """The committed labels were computed on other texts than the pool drawn from this data folder."""


def pool(data_dir: Path) -> list[str]:
    """The unlabelled texts, in a fixed order: GoEmotions comments, Davidson tweets, CFPB payday and
    5-class narratives (their first STACK_EXTRA_CHARS characters). Licences: training.LICENCES."""
    rng = np.random.default_rng(SEED)
    go = load_goemotions(data_dir, "train")[0]
    dav = load_davidson(data_dir)[0]
    texts = [go[i] for i in rng.permutation(len(go))[:GOEMOTIONS_ROWS]]
    texts += [dav[i] for i in rng.permutation(len(dav))[:DAVIDSON_ROWS]]
    texts += [t[:STACK_EXTRA_CHARS] for t in load_payday_narratives(data_dir)]
    texts += [t[:STACK_EXTRA_CHARS] for t in load_cfpb(data_dir)[0]]
    return texts


def pool_sources(data_dir: Path) -> dict[str, int]:
    """How many pool texts each data set gives (for the model card)."""
    return {
        "goemotions": GOEMOTIONS_ROWS,
        "davidson_hate_offensive": DAVIDSON_ROWS,
        "cfpb_payday_2023": len(load_payday_narratives(data_dir)),
        "cfpb_5class_1000_llm": len(load_cfpb(data_dir)[0]),
    }


def digest(texts: list[str]) -> str:
    return hashlib.sha256("\x00".join(texts).encode("utf-8")).hexdigest()


def _load(data_dir: Path, labels: Path) -> tuple[list[str], dict[str, np.ndarray]] | None:
    needed = ("goemotions", "davidson_hate_offensive", "cfpb_payday_2023", "cfpb_5class_1000_llm")
    if not labels.is_file() or not all((data_dir / name).is_dir() for name in needed):
        return None
    texts = pool(data_dir)
    with np.load(labels) as z:  # read whole and closed: the file is small
        stored = {name: z[name] for name in z.files}
    if str(stored["pool_sha256"]) != digest(texts):
        raise TeacherMismatch(
            f"{labels} was computed on other texts than the pool drawn from {data_dir}: "
            "run `amends signals teach` (needs the embeddings extra) to compute it again"
        )
    return texts, stored


def _known(p: np.ndarray) -> np.ndarray:
    """The teacher's probabilities, the narratives' replaced by what they are: complaints."""
    p = p.astype(np.float64)
    p[GOEMOTIONS_ROWS + DAVIDSON_ROWS :] = 1.0
    return p


def shipped(data_dir: Path, labels: Path = LABELS) -> Teaching | None:
    """The shipped head's teaching (None without the labels file or the pool's data sets)."""
    loaded = _load(data_dir, labels)
    return None if loaded is None else Teaching(loaded[0], _known(loaded[1]["shipped"]))


def per_fold(data_dir: Path, labels: Path = LABELS) -> Callable[[int], Teaching] | None:
    """The benchmark's teaching for outer fold k (0-9), or None without the file or the data."""
    loaded = _load(data_dir, labels)
    if loaded is None:
        return None
    texts, stored = loaded
    folds = [_known(row) for row in stored["folds"]]
    return lambda k: Teaching(texts, folds[k])


# ---------------------------------------------------------------- computing the labels (embeddings extra)


def _teacher_probabilities(
    tweets: list[str], y: np.ndarray, embedded: np.ndarray, texts: list[str], pool_embedded: np.ndarray, extra
) -> np.ndarray:
    """Fit the optional head's recipe on these tweets (the TF-IDF head, its cross-fitted logits, LR on
    [embedding, logit], C by inner CV) and give its complaint probability on each pool text."""
    from .recipes import CachedAnalyzer, cross_fitted_logits, fit_complaint, fit_stacked

    analyzer = CachedAnalyzer()
    tfidf = fit_complaint(tweets, y, analyzer=analyzer, extra_not=extra)
    inner = cross_fitted_logits(tweets, y, tfidf.extra["C"], analyzer=analyzer, extra_not=extra)
    teacher = fit_stacked(embedded, inner, y)
    return teacher.predict_proba(np.c_[pool_embedded, tfidf.logits(texts)])[:, 1]


def build(data_dir: Path, out: Path = LABELS, log=print) -> dict:
    """Compute and write the labels file (`amends signals teach`): about 30 minutes on one core."""
    from sklearn.model_selection import StratifiedKFold

    from amends.signals.engine import embeddings

    from .recipes import complaint_extra_not

    texts = pool(data_dir)
    extra = complaint_extra_not(data_dir)
    log(f"embedding {len(texts):,} pool texts with all-MiniLM-L6-v2")
    pool_embedded = embeddings.embed(texts)
    xci = load_xci(data_dir)
    tweets = [r["tweet"] for r in xci]
    label = np.array([int(r["label"]) for r in xci])
    shipped_p = _teacher_probabilities(tweets, label, embeddings.embed(tweets), texts, pool_embedded, extra)
    log(f"shipped teacher (X-CI): mean p {shipped_p.mean():.3f}")
    acl, y, _ = load_acl(data_dir)
    acl_embedded = embeddings.embed(acl)
    folds = []
    splitter = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    for k, (tr, _) in enumerate(splitter.split(acl, y)):
        train = [acl[i] for i in tr]
        folds.append(_teacher_probabilities(train, y[tr], acl_embedded[tr], texts, pool_embedded, extra))
        log(f"fold {k + 1} of {FOLDS}: mean p {folds[-1].mean():.3f}")
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out,
        shipped=shipped_p.astype(np.float32),
        folds=np.array(folds, dtype=np.float32),
        pool_sha256=np.array(digest(texts)),
    )
    return {"pool": len(texts), "folds": FOLDS, "bytes": out.stat().st_size, "pool_sha256": digest(texts)}
