"""Trained signals: complaint intent, dissatisfaction, complaint severity, anger, abuse; product routing.

Why numpy only: the analyser must score 1,000+ messages a second on one core, one message at a time, and
importing scikit-learn takes one to two seconds and one of its predict calls more than our whole budget.
So `training.py` fits linear models with scikit-learn and exports vocabulary, idf and weights; here one
tokeniser pass feeds every head through dict look-ups and one small matrix product.

Every head is a TF-IDF (sublinear tf, l2) logistic regression over the same kinds of features: words, word
bigrams, character 2-5-grams inside words, the first and last token, SHOUTED words and words under a negation.
`analyze` is the one definition of the features: training passes it to the scikit-learn vectorizer as
`analyzer=`, and the fast path here is checked against it by the tests. Evidence spans come from the same
arithmetic: a word's contribution is the sum of coefficient x tf-idf over the features that fall inside it
(a bigram gives half to each of its words).

The one exception is optional: with AMENDS_SIGNALS_EMBEDDINGS=1 and the `embeddings` extra installed, the
complaint probability comes from `StackedComplaint` (sentence embedding + this head's logit), tens of times
slower; its evidence words are still the TF-IDF head's.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from amends.signals.rules import Signal

ARTIFACTS = Path(__file__).parent / "artifacts"
EMBEDDINGS_SWITCH = "AMENDS_SIGNALS_EMBEDDINGS"  # "1": the complaint head uses the optional embeddings
log = logging.getLogger(__name__)
# What classify() returns, in order; the analyser's SIGNAL_TYPES (every type, with labels) includes these.
TRAINED_TYPES = ("complaint", "dissatisfaction", "complaint_severity", "anger", "abuse")
SEVERITY_NAMES = {1: "no explicit reproach", 2: "disapproval", 3: "accusation", 4: "blame"}

TOKEN_RE = re.compile(r"https?://\S+|www\.\S+|[@#]?\w+(?:['’]\w+)*|[!?]+|[^\w\s]")
DIGIT_RE = re.compile(r"\d")
NEGATORS = frozenset(
    ("not", "no", "never", "nothing", "nobody", "none", "nor", "cannot", "dont", "doesnt", "didnt", "cant")
    + ("couldnt", "wont", "wouldnt", "shouldnt", "isnt", "arent", "wasnt", "werent", "havent", "hasnt")
    + ("hadnt", "aint")
)
CLAUSE_ENDS = frozenset(".,;:!?")
APOSTROPHES = frozenset("'’")
CHAR_NGRAMS = (2, 5)
MAX_TOKEN = 30  # longer "words" are pasted codes; capping them keeps char n-grams cheap
CACHE_LIMIT = 200_000  # per-token caches stop growing here, so pasted junk cannot eat memory

# ---------------------------------------------------------------- features (shared with training)


def normalise_token(raw: str) -> str:
    """Lower-case; user mentions, URLs and anything with a digit collapse to one placeholder each."""
    tok = raw.lower()
    if tok[0] == "@" and len(tok) > 1:
        return "<user>"
    if tok.startswith(("http://", "https://", "www.")):
        return "<url>"
    if tok[0] == "#" and len(tok) > 1:
        tok = tok[1:]
    tok = tok.replace("'", "").replace("’", "")
    if DIGIT_RE.search(tok):
        return "<num>"
    return tok[:MAX_TOKEN]


_NORMALISED: dict[str, tuple[str, bool]] = {}


@dataclass
class Tokens:
    """Normalised tokens and which were SHOUTED; character offsets are found only when evidence needs them."""

    text: str
    raw: list[str]  # each token as it stands in the text
    toks: list[str]
    shouted: list[bool]

    def offsets(self) -> list[tuple[int, int]]:
        """Between two matches of TOKEN_RE there is only white space (its last branch takes any other
        character), and a dropped lone apostrophe cannot begin a kept token, so each token is found by
        str.find from the end of the one before, cheaper than a second regex pass."""
        out, pos, find = [], 0, self.text.find
        for raw in self.raw:
            start = find(raw, pos)
            pos = start + len(raw)
            out.append((start, pos))
        return out


def _normalised(raw: str) -> tuple[str, bool]:
    entry = _NORMALISED.get(raw)
    if entry is None:
        entry = (normalise_token(raw), len(raw) > 1 and raw.isupper() and raw.isalpha())
        if len(_NORMALISED) < CACHE_LIMIT:
            _NORMALISED[raw] = entry
    return entry


def tokenise(text: str) -> Tokens:
    """findall runs in C; finditer with a match object per token would double the cost of long emails."""
    known = _NORMALISED
    raws = TOKEN_RE.findall(text)
    entries = [known.get(raw) or _normalised(raw) for raw in raws]
    if not all(e[0] for e in entries):  # a lone apostrophe normalises to nothing: drop it
        kept = [(raw, e) for raw, e in zip(raws, entries, strict=True) if e[0]]
        raws, entries = [k[0] for k in kept], [k[1] for k in kept]
    return Tokens(text, raws, [e[0] for e in entries], [e[1] for e in entries])


def token_features(tok: str) -> list[str]:
    """Features that depend on one token alone (so inference can cache them per token)."""
    feats = ["w:" + tok]
    if tok[0] != "<" and (tok[0].isalnum() or tok[0] == "_"):
        padded = " " + tok + " "
        lo, hi = CHAR_NGRAMS
        for n in range(lo, hi + 1):
            feats.extend("c:" + padded[i : i + n] for i in range(len(padded) - n + 1))
    return feats


def context_features(tokens: Tokens) -> list[tuple[str, int, int]]:
    """Features that need neighbours, each with the token(s) it belongs to (second index -1 if one)."""
    toks = tokens.toks
    out = [("b:" + a + " " + b, i, i + 1) for i, (a, b) in enumerate(zip(toks, toks[1:], strict=False))]
    if toks:
        out.append(("f:" + toks[0], 0, -1))
        out.append(("l:" + toks[-1], len(toks) - 1, -1))
    out += [("x:caps", i, -1) for i, shouted in enumerate(tokens.shouted) if shouted]
    out += [("n:" + toks[i], i, -1) for i in _negated(toks)]
    return out


def _negated(toks: list[str]) -> list[int]:
    """Tokens after a negator up to the end of the clause."""
    if NEGATORS.isdisjoint(toks):
        return []
    out = []
    negated = False
    for i, tok in enumerate(toks):
        if tok in NEGATORS:
            negated = True
        elif tok[0] in CLAUSE_ENDS:
            negated = False
        elif negated:
            out.append(i)
    return out


def analyze(text: str) -> list[str]:
    """Every feature of a text, as the scikit-learn vectorizer sees it during training."""
    tokens = tokenise(text)
    feats = [f for tok in tokens.toks for f in token_features(tok)]
    feats.extend(f for f, _, _ in context_features(tokens))
    return feats


# ---------------------------------------------------------------- the exported model


@dataclass
class Head:
    name: str
    index: int  # this head's column among the norms
    rows: slice  # this head's rows among the logits
    classes: list[str]
    binary: bool  # one row and a sigmoid, else a softmax over the rows
    shift: float  # added to a binary logit so that the head's chosen threshold sits at 0.5
    meta: dict


class Model:
    """All heads over one union vocabulary.

    `table` is features x (rows + heads): coefficient x idf for every logit row, then idf squared for every
    head, so one gather and one 2 x n matrix product give every head's dot product and l2 norm at once.
    """

    def __init__(self, directory: Path):
        with np.load(directory / "vocab.npz") as z:
            words = bytes(z["vocab"]).decode("utf-8").split("\n")
        self.vocab = {w: i for i, w in enumerate(words)}
        names = json.loads((directory / "manifest.json").read_text())["heads"]
        weighted, idf_sq, biases, head_of_row = [], [], [], []
        self.heads: dict[str, Head] = {}
        for h, name in enumerate(names):
            meta = json.loads((directory / f"{name}.json").read_text())
            with np.load(directory / f"{name}.npz") as z:
                ids, idf = z["ids"], z["idf"].astype(np.float32)
                coef, bias = z["coef"].astype(np.float32), z["bias"].astype(np.float32)
            column = np.zeros(len(words), np.float32)
            column[ids] = idf * idf
            idf_sq.append(column)
            first = len(weighted)
            for row in coef:
                column = np.zeros(len(words), np.float32)
                column[ids] = row * idf
                weighted.append(column)
                head_of_row.append(h)
            biases.extend(bias.tolist())
            rows = slice(first, len(weighted))
            self.heads[name] = Head(
                name, h, rows, meta["classes"], len(coef) == 1, meta.get("shift", 0.0), meta
            )
        self.n_rows = len(weighted)
        self.table = np.ascontiguousarray(np.stack(weighted + idf_sq, 1))
        self.bias = np.array(biases, np.float32)
        self.head_of_row = np.array(head_of_row)
        self._token_ids: dict[str, list[int]] = {}
        self._local = threading.local()

    def index_buffer(self) -> np.ndarray:
        """A feature id -> position table as long as the vocabulary, one per thread and reused: allocating
        it per message costs a page fault for every page that evidence touches."""
        buffer = getattr(self._local, "buffer", None)
        if buffer is None:
            buffer = self._local.buffer = np.empty(len(self.vocab), np.int32)
        return buffer

    def token_ids(self, tok: str) -> np.ndarray:
        ids = self._token_ids.get(tok)
        if ids is None:
            vocab = self.vocab
            ids = np.array([vocab[f] for f in token_features(tok) if f in vocab], np.int64)
            if len(self._token_ids) < CACHE_LIMIT:
                self._token_ids[tok] = ids
        return ids

    def features(self, tokens: Tokens) -> Bag:
        """The fast path of `analyze`: per-token id arrays (cached), context features' ids and owners."""
        vocab = self.vocab
        toks = tokens.toks
        known = self._token_ids
        parts = [known.get(tok) for tok in toks]
        if not all(p is not None for p in parts):
            parts = [self.token_ids(tok) if p is None else p for tok, p in zip(toks, parts, strict=True)]
        bigrams = [vocab.get(f"b:{a} {b}") for a, b in zip(toks, toks[1:], strict=False)]
        ctx = [(gid, i, True) for i, gid in enumerate(bigrams) if gid is not None]
        singles = [("x:caps", i) for i, shouted in enumerate(tokens.shouted) if shouted]
        singles += [("n:" + toks[i], i) for i in _negated(toks)]
        if toks:
            singles += [("f:" + toks[0], 0), ("l:" + toks[-1], len(toks) - 1)]
        ctx += [(vocab[f], i, False) for f, i in singles if f in vocab]
        return Bag(parts, [c[0] for c in ctx], [c[1] for c in ctx], [c[2] for c in ctx])

    def score(self, bag: Bag) -> Scored:
        """Unique ids and counts by sorting (cheaper than np.unique for a few hundred ids); one product."""
        gids = np.concatenate([*bag.parts, np.array(bag.ctx, np.int64)])
        if not len(gids):
            return Scored(
                gids, np.zeros(0, np.float32), self.table[gids], np.ones(len(self.heads)), self.bias
            )
        gids.sort()
        first = np.empty(len(gids), bool)
        first[0] = True
        np.not_equal(gids[1:], gids[:-1], out=first[1:])
        starts = np.flatnonzero(first)
        ids = gids[starts]
        ends = np.empty_like(starts)
        ends[:-1] = starts[1:]
        ends[-1] = len(gids)
        counts = ends - starts
        tf = 1.0 + np.log(counts, dtype=np.float32)
        gathered = self.table[ids]
        both = np.empty((2, len(ids)), np.float32)
        both[0] = tf
        np.multiply(tf, tf, out=both[1])
        sums = both @ gathered
        norms = np.sqrt(sums[1, self.n_rows :])
        norms[norms == 0] = 1.0
        logits = sums[0, : self.n_rows] / norms[self.head_of_row] + self.bias
        return Scored(ids, tf, gathered, norms, logits)


@dataclass
class Bag:
    """A message's features: one id array per token, then context features with the token(s) they belong to
    (a bigram belongs to `owner` and the token after it)."""

    parts: list[np.ndarray]
    ctx: list[int]
    owner: list[int]
    pair: list[bool]


@dataclass
class Scored:
    """One message's unique feature ids, their tf and table rows, each head's norm, and the logits."""

    ids: np.ndarray
    tf: np.ndarray
    gathered: np.ndarray
    norms: np.ndarray
    logits: np.ndarray


@cache
def load_model(directory: Path = ARTIFACTS) -> Model:
    """Loaded once per process, on first use: importing this module costs nothing."""
    return Model(directory)


@cache
def model_version(directory: Path = ARTIFACTS) -> str:
    """Training date and a digest of the weights, stored beside each analysis so a score can be traced to the
    exact artifacts that produced it."""
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.npz")) + sorted(directory.glob("*.json")):
        digest.update(path.name.encode() + path.read_bytes())
    dates = [head.meta.get("trained", "") for head in load_model(directory).heads.values()]
    return f"models-{max(dates, default='unknown')}-{digest.hexdigest()[:10]}"


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
        probs = self.prob("abuse")
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


# ---------------------------------------------------------------- the optional embeddings backend


class StackedComplaint:
    """Logistic regression on [sentence embedding (384), the complaint head's TF-IDF logit], trained by
    `training.train_complaint_embeddings`. Only the probability comes from here: the evidence words stay the
    TF-IDF head's, since an embedding has no words to show."""

    def __init__(self, directory: Path):
        from amends.signals import embeddings  # tokenizers and the model load only when switched on

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
    from amends.signals import embeddings

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
    stacked = stacked_complaint()
    if stacked is None or not messages:
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
