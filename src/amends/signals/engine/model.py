"""The shipped model: every trained head over one union vocabulary, loaded from `artifacts/` with numpy.

Why numpy only: the analyser must score 1,000+ messages a second on one core, one message at a time, and
importing scikit-learn takes one to two seconds and one of its predict calls more than our whole budget.
So learning/training.py fits linear models with scikit-learn and exports vocabulary, idf and weights; here one
tokeniser pass feeds every head through dict look-ups and one small matrix product. Framework-free.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import cast

import numpy as np

from .features import CACHE_LIMIT, Tokens, negated_tokens, token_features
from .lexicon import lexicon_features, word_kind

ARTIFACTS = Path(__file__).parent / "artifacts"


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
        weighted: list[np.ndarray] = []
        idf_sq: list[np.ndarray] = []
        biases: list[float] = []
        head_of_row: list[int] = []
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
        self._token_ids: dict[str, np.ndarray] = {}
        self._kinds: dict[str, str] = {}
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

    def word_kinds(self, tokens: Tokens) -> list[str]:
        """`lexicon.word_kind` of each token, cached by token (a "<num>" token is read from its raw form)."""
        known = self._kinds
        kinds = []
        for tok, raw in zip(tokens.toks, tokens.raw, strict=True):
            kind = known.get(tok)
            if kind is None:
                kind = word_kind(tok, raw)
                if tok != "<num>" and len(known) < CACHE_LIMIT:
                    known[tok] = kind
            kinds.append(kind)
        return kinds

    def features(self, tokens: Tokens) -> Bag:
        """The fast path of `analyze`: per-token id arrays (cached), context features' ids and owners."""
        vocab = self.vocab
        toks = tokens.toks
        known = self._token_ids
        parts: list[np.ndarray | None] = [known.get(tok) for tok in toks]
        if not all(p is not None for p in parts):
            parts = [self.token_ids(tok) if p is None else p for tok, p in zip(toks, parts, strict=True)]
        bigrams = [vocab.get(f"b:{a} {b}") for a, b in zip(toks, toks[1:], strict=False)]
        ctx = [(gid, i, True) for i, gid in enumerate(bigrams) if gid is not None]
        singles = [("x:caps", i) for i, shouted in enumerate(tokens.shouted) if shouted]
        singles += [("n:" + toks[i], i) for i in negated_tokens(toks)]
        if toks:
            singles += [("f:" + toks[0], 0), ("l:" + toks[-1], len(toks) - 1)]
        singles += lexicon_features(toks, tokens.raw, self.word_kinds(tokens))
        ctx += [(vocab[f], i, False) for f, i in singles if f in vocab]
        return Bag(
            cast("list[np.ndarray]", parts), [c[0] for c in ctx], [c[1] for c in ctx], [c[2] for c in ctx]
        )

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
