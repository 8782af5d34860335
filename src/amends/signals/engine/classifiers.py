"""Trained signals: complaint intent, dissatisfaction, complaint severity, anger, abuse; product routing.

Every head scores a message in one pass over its features (features.py) through the shipped model
(model.py). Evidence spans come from the same arithmetic: a word's contribution is the sum of coefficient x
tf-idf over the features that fall inside it (a bigram gives half to each of its words).

The complaint probability is the one exception: it comes from `ConvolutionComplaint`, the mean of this
head's TF-IDF logit and a word-order reader's (convolution.py, a convolution over token vectors); with
AMENDS_SIGNALS_EMBEDDINGS=1 and the `embeddings` extra installed, from `StackedComplaint` (a logistic
regression on [the full MiniLM sentence embedding, the TF-IDF logit]), tens of times slower. Either way its
evidence words are the TF-IDF head's. Framework-free.
"""

from __future__ import annotations

import json
import logging
import math
import os
from functools import cache
from pathlib import Path
from typing import cast

import numpy as np

from .features import Tokens, tokenise
from .model import ARTIFACTS, Bag, Head, Model, Scored, load_model
from .rules import Signal

EMBEDDINGS_SWITCH = "AMENDS_SIGNALS_EMBEDDINGS"  # "1": the complaint head uses the optional embeddings
log = logging.getLogger(__name__)
# What classify() returns, in order; the analyser's SIGNAL_TYPES (every type, with labels) includes these.
TRAINED_TYPES = ("complaint", "dissatisfaction", "complaint_severity", "anger", "abuse")
SEVERITY_NAMES = {1: "no explicit reproach", 2: "disapproval", 3: "accusation", 4: "blame"}


# ---------------------------------------------------------------- evidence


class Evidence:
    """Per-word contributions for one message, computed only when some signal needs spans."""

    def __init__(self, model: Model, tokens: Tokens, bag: Bag, scored: Scored):
        self.tokens, self.scored = tokens, scored
        self.offsets = tokens.offsets()
        ctx = np.array(bag.ctx, np.int64)
        owner = np.array(bag.owner, np.int64)
        pair = np.array(bag.pair, bool)
        gids = np.concatenate([*bag.parts, ctx, ctx[pair]])
        self.owners = np.concatenate(
            [np.repeat(np.arange(len(tokens.toks)), [len(p) for p in bag.parts]), owner, owner[pair] + 1]
        )
        shares = np.concatenate([np.ones(len(gids) - len(ctx) - int(pair.sum())), np.where(pair, 0.5, 1.0)])
        shares = np.concatenate([shares, np.full(int(pair.sum()), 0.5)])
        where = model.index_buffer()  # feature id -> its index among the unique ids (stale entries unused)
        where[scored.ids] = np.arange(len(scored.ids), dtype=np.int32)
        self.pos = where[gids]
        counts = np.bincount(self.pos, minlength=len(scored.ids))
        # a feature seen k times gives 1/k of its value to each occurrence
        self.share = shares / counts[self.pos]

    def spans(self, head: Head, cls: int, sign: float, limit: int = 4) -> list[tuple[int, int]]:
        """Top words by contribution towards `cls` (multiclass: that row minus the mean of the rows)."""
        s = self.scored
        w = s.gathered[:, head.rows]
        direction = w[:, 0] if head.binary else w[:, cls] - w.mean(1)
        per_feature = sign * direction * s.tf / s.norms[head.index]
        contrib = per_feature[self.pos] * self.share
        per_token = np.bincount(self.owners, weights=contrib, minlength=len(self.tokens.toks))
        toks = self.tokens.toks
        top = np.argsort(-per_token)[: limit * 3]
        ranked = zip(top.tolist(), per_token[top].tolist(), strict=True)  # Python ints: cheap to index with
        order = [(i, value) for i, value in ranked if _is_wordlike(toks[i])]
        chosen = [i for i, value in order[:limit] if value > 0] or [i for i, _ in order[:1]]
        return _merge_adjacent(self.offsets, sorted(chosen))


# Words that are never evidence on their own: a letter's "Dear", "with", "just" may carry weight in the
# model, but showing them to an adviser as the reason explains nothing, so they are skipped when the
# evidence words are chosen. Negations are not in the list: "not arrived" keeps its "not".
NOT_EVIDENCE = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "dear",
        "for",
        "from",
        "had",
        "has",
        "have",
        "hello",
        "hi",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "just",
        "madam",
        "me",
        "my",
        "of",
        "on",
        "or",
        "our",
        "sir",
        "so",
        "that",
        "the",
        "this",
        "to",
        "was",
        "we",
        "were",
        "with",
        "you",
        "your",
        "yours",
    }
)


def _is_wordlike(tok: str) -> bool:
    return (tok[0].isalnum() or tok[0] in "!?") and tok not in NOT_EVIDENCE  # tokens are lower-case


def _merge_adjacent(offsets: list[tuple[int, int]], chosen: list[int]) -> list[tuple[int, int]]:
    """Neighbouring cue words become one phrase: 'still waiting' rather than 'still', 'waiting'."""
    spans: list[tuple[int, int]] = []
    last = -2
    for i in chosen:
        start, end = offsets[i]
        if i == last + 1:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        last = i
    return spans


def _quote(text: str, spans: list[tuple[int, int]]) -> str:
    return ", ".join(f"'{text[a:b]}'" for a, b in spans)


# ---------------------------------------------------------------- signals


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


BINARY = {
    # head: (what it reads as when it fires, what it says when it does not)
    "complaint": ("Reads as a complaint", "Does not read as a complaint"),
    "dissatisfaction": ("Sounds dissatisfied", "No clear dissatisfaction"),
    "anger": ("Sounds angry", "No clear anger"),
}
NO_ABUSE = "No abusive or offensive language found"


class _Message:
    """One message's scores, with evidence built lazily the first time a signal fires."""

    def __init__(self, model: Model, text: str, tokens: Tokens, bag: Bag, scored: Scored):
        self.model, self.text, self.tokens, self.bag, self.scored = model, text, tokens, bag, scored
        self._evidence: Evidence | None = None
        self.overrides: dict[str, float] = {}  # a head's probability from another model (the stacked head)

    def logit(self, name: str) -> float:
        """A binary head's logit with its threshold shift, as training's `Fitted.logits` computes it."""
        head = self.model.heads[name]
        return float(self.scored.logits[head.rows][0]) + head.shift

    def prob(self, name: str) -> float | np.ndarray:
        if name in self.overrides:
            return self.overrides[name]
        head = self.model.heads[name]
        z = self.scored.logits[head.rows]
        return _sigmoid(float(z[0]) + head.shift) if head.binary else _softmax(z)

    def spans(self, name: str, cls: int = 0, sign: float = 1.0) -> list[tuple[int, int]]:
        if not self.tokens.toks:
            return []
        if self._evidence is None:
            self._evidence = Evidence(self.model, self.tokens, self.bag, self.scored)
        return self._evidence.spans(self.model.heads[name], cls, sign)

    def binary(self, name: str) -> Signal:
        fires, quiet = BINARY[name]
        score = float(self.prob(name))
        spans = self.spans(name) if score >= 0.5 else []
        if not spans:  # no words to show means no signal: every score >= 0.5 carries evidence
            return Signal(name, round(min(score, 0.49), 4), [], quiet)
        return Signal(name, round(score, 4), spans, f"{fires}: {_quote(self.text, spans)}")

    def severity(self, is_complaint: bool) -> Signal:
        if not is_complaint:
            return Signal("complaint_severity", 0.0, [], "Not a complaint, so no severity")
        head = self.model.heads["complaint_severity"]
        k = int(np.argmax(self.prob("complaint_severity")))
        level = int(head.classes[k])
        spans = self.spans("complaint_severity", k)
        cues = _quote(self.text, spans) if spans else "no cue words"
        return Signal(
            "complaint_severity", level / 4, spans, f"Severity {level} of 4 ({SEVERITY_NAMES[level]}): {cues}"
        )

    def abuse(self) -> Signal:
        """Davidson's three classes; abuse = 1 - P(neither), evidence = words pulling away from "neither"."""
        classes = self.model.heads["abuse"].classes
        probs = cast(np.ndarray, self.prob("abuse"))  # a multiclass head
        neither = classes.index("neither")
        score = float(1.0 - probs[neither])
        spans = self.spans("abuse", neither, -1.0) if score >= 0.5 else []
        if not spans:
            return Signal("abuse", round(min(score, 0.49), 4), [], NO_ABUSE)
        kind = "hateful" if classes[int(np.argmax(probs))] == "hate" else "abusive or offensive"
        return Signal("abuse", round(score, 4), spans, f"Uses {kind} language: {_quote(self.text, spans)}")

    def signals(self) -> list[Signal]:
        complaint = self.binary("complaint")
        return [
            complaint,
            self.binary("dissatisfaction"),
            self.severity(complaint.score >= 0.5),
            self.binary("anger"),
            self.abuse(),
        ]


# ---------------------------------------------------------------- public API


def classify(text: str) -> list[Signal]:
    """One Signal for each of TRAINED_TYPES, always present, in that order."""
    model = load_model()
    tokens = tokenise(text)
    bag = model.features(tokens)
    message = _Message(model, text, tokens, bag, model.score(bag))
    _stack_complaint([message])
    return message.signals()


def classify_many(texts: list[str]) -> list[list[Signal]]:
    """Batched: one gather and one reduction for all texts' scores; evidence only where a signal fires."""
    model = load_model()
    all_tokens = [tokenise(t) for t in texts]
    bags = [model.features(toks) for toks in all_tokens]
    scored = _score_batch(model, bags)
    messages = [_Message(model, *args) for args in zip(texts, all_tokens, bags, scored, strict=True)]
    _stack_complaint(messages)
    return [m.signals() for m in messages]


# ---------------------------------------------------------------- the complaint head's stacked models


class ConvolutionComplaint:
    """The default complaint probability: the sigmoid of the mean of the TF-IDF head's logit and the
    word-order reader's (convolution.py), both taught by the MiniLM head (learning/teacher.py). The
    evidence words stay the TF-IDF head's, since the convolution has no words to show."""

    def __init__(self, directory: Path):
        from . import convolution

        self.reader = convolution.load(directory)

    def prob(self, text: str, tfidf_logit: float) -> float:
        return _sigmoid((tfidf_logit + self.reader.logit(text)) / 2)


@cache
def convolution_complaint(directory: Path = ARTIFACTS) -> ConvolutionComplaint | None:
    """None when the artifacts hold no convolution, or one trained with another static table (one
    warning): then the TF-IDF head alone scores."""
    from . import convolution

    if not (directory / convolution.META).is_file():
        return None
    try:
        return ConvolutionComplaint(directory)
    except Exception as exc:  # a mismatched deployment must not stop analysis
        log.warning("the complaint convolution is unusable (%s); using the TF-IDF head alone", exc)
        return None


class StackedComplaint:
    """Logistic regression on [sentence embedding (384), the complaint head's TF-IDF logit], trained by
    `training.train_complaint_embeddings`. Only the probability comes from here: the evidence words stay the
    TF-IDF head's, since an embedding has no words to show."""

    def __init__(self, directory: Path):
        from . import embeddings  # the optional backend: not even imported unless switched on

        self.meta = json.loads((directory / "complaint_embeddings.json").read_text())
        if self.meta["embedding_model_sha256"] != embeddings.MODEL_SHA256:
            raise RuntimeError("complaint_embeddings was trained on another embedding model")
        with np.load(directory / "complaint_embeddings.npz") as z:
            coef, self.bias = z["coef"].astype(np.float32), float(z["bias"][0])
        self.coef, self.logit_weight = coef[:-1], float(coef[-1])
        self.embed = embeddings.embed
        self.version = "emb-" + embeddings.MODEL_SHA256[:10]

    def probs(self, texts: list[str], tfidf_logits: np.ndarray) -> np.ndarray:
        z = self.embed(texts) @ self.coef + self.logit_weight * tfidf_logits + self.bias
        return 1.0 / (1.0 + np.exp(-z))


def embeddings_switched_on() -> bool:
    return os.environ.get(EMBEDDINGS_SWITCH, "") == "1"


def stacked_complaint() -> StackedComplaint | None:
    """The stacked complaint model when AMENDS_SIGNALS_EMBEDDINGS=1 and the extra is installed, else None
    (the default model scores). Switched on but unavailable: one warning per process, then the default."""
    if not embeddings_switched_on():
        return None
    return _load_stacked(ARTIFACTS)


@cache
def _load_stacked(directory: Path) -> StackedComplaint | None:
    from . import embeddings  # the optional backend: not even imported unless switched on

    try:
        if not embeddings.available():
            raise RuntimeError("the embeddings extra is not installed or its model file failed its check")
        return StackedComplaint(directory)
    except Exception as exc:  # never let the optional backend stop analysis
        log.warning(
            "%s=1 but the embeddings backend is unavailable (%s); using the default model",
            EMBEDDINGS_SWITCH,
            exc,
        )
        return None


def backend_version() -> str:
    """What scored the complaint head, for the analyser version: "" for the default, "+emb-<sha10>" else."""
    stacked = stacked_complaint()
    return "+" + stacked.version if stacked else ""


def _stack_complaint(messages: list[_Message]) -> None:
    if not messages:
        return
    stacked = stacked_complaint()
    if stacked is None:
        default = convolution_complaint()
        if default is not None:
            for message in messages:
                message.overrides["complaint"] = default.prob(message.text, message.logit("complaint"))
        return
    logits = np.array([m.logit("complaint") for m in messages], np.float32)
    for message, p in zip(messages, stacked.probs([m.text for m in messages], logits).tolist(), strict=True):
        message.overrides["complaint"] = p


def _score_batch(model: Model, bags: list[Bag]) -> list[Scored]:
    """Model.score for many texts at once: the same arithmetic, segment sums instead of per-text calls."""
    arrays = [np.concatenate([*b.parts, np.array(b.ctx, np.int64)]) for b in bags]
    lengths = np.array([len(a) for a in arrays], np.int64)
    if not lengths.any():
        return [model.score(b) for b in bags]
    n_vocab = len(model.vocab)
    doc = np.repeat(np.arange(len(bags)), lengths)
    keys, counts = np.unique(doc * n_vocab + np.concatenate(arrays), return_counts=True)
    kdoc, kid = keys // n_vocab, keys % n_vocab
    tf = 1.0 + np.log(counts, dtype=np.float32)
    gathered = model.table[kid]
    starts = np.searchsorted(kdoc, np.arange(len(bags) + 1))
    full = starts[:-1] < starts[1:]
    dots = np.zeros((len(bags), model.n_rows), np.float32)
    squares = np.zeros((len(bags), gathered.shape[1] - model.n_rows), np.float32)
    dots[full] = np.add.reduceat(gathered[:, : model.n_rows] * tf[:, None], starts[:-1][full])
    squares[full] = np.add.reduceat(gathered[:, model.n_rows :] * (tf * tf)[:, None], starts[:-1][full])
    norms = np.sqrt(squares)
    norms[norms == 0] = 1.0
    logits = dots / norms[:, model.head_of_row] + model.bias
    out = []
    for d in range(len(bags)):
        a, b = starts[d], starts[d + 1]
        out.append(Scored(kid[a:b], tf[a:b], gathered[a:b], norms[d], logits[d]))
    return out


def route_product(text: str) -> tuple[str, float]:
    """CFPB product class (credit_reporting, debt_collection, mortgages_and_loans, credit_card,
    retail_banking) and its probability. Trained on lemmatised, stop-word-free narratives: a hint for
    routing, not a decision."""
    model = load_model()
    head = model.heads["product"]
    probs = _softmax(model.score(model.features(tokenise(text))).logits[head.rows])
    k = int(np.argmax(probs))
    return head.classes[k], float(probs[k])
