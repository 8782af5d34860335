"""The complaint head's word-order reader: one convolution over token vectors (issue 13).

A TF-IDF model and a mean of static token vectors both read a message as a bag; what the MiniLM encoder
adds is word order ("not happy", "still waiting", "why is my ..."). This model reads it cheaply: the
message's WordPiece ids (static.py's tokeniser, at most MAX_TOKENS), their token vectors (a table trained
for this head, started from the static table), one convolution WIDTH tokens wide with FILTERS filters and
a ReLU, the maximum and the mean of each filter over the message, then one linear unit: a logit for
"complaint". learning/convolution.py trains it (numpy, at build time) on the MiniLM teacher's labels, as
two members from the same initial weights over two orders of the rows; the reader's logit is the mean of
theirs, and the complaint probability the sigmoid of the mean of that and the TF-IDF head's logit
(classifiers.py). Training reads it as `Convolution`; the runtime folds it into the vocabulary at load
(`Projected`: three row lookups a token, 90-115 microseconds a message). Framework-free.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from . import static

ARTIFACTS = Path(__file__).parent / "artifacts"
META = "complaint_cnn.json"  # lists the members' files, complaint_cnn_0.npz, ...
WIDTH = 3
MAX_TOKENS = 64


@dataclass
class Convolution:
    """The weights. `table` (vocabulary x dim) token vectors; `kernel` (WIDTH x dim, filters) with the rows
    of the token before, the token itself and the token after, in that order; `out` (2 x filters): the
    weights of the maxima then of the means."""

    table: np.ndarray
    kernel: np.ndarray
    bias: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray  # shape (1,), so that training can update it in place

    def forward(self, idx: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, tuple]:
        """A batch: ids (B, L) and mask (B, L) of 1 for a token, 0 for padding -> logits (B,) and what
        the backward pass needs. Padding reads as zero vectors, as the convolution's own edges do, so a
        text scores the same alone or in a batch."""
        x = self.table[idx] * mask[..., None]
        cols = windows(x)
        h = np.maximum(cols @ self.kernel + self.bias, 0) * mask[..., None]
        lengths = np.maximum(mask.sum(1, keepdims=True), 1)
        pooled = np.concatenate([h.max(1), h.sum(1) / lengths], 1)
        return pooled @ self.out + self.out_bias[0], (cols, h, pooled, lengths)

    def logits(self, ids: list[list[int]]) -> np.ndarray:
        idx, mask = batch(ids)
        return self.forward(idx, mask)[0]


def windows(x: np.ndarray) -> np.ndarray:
    """(B, L, D) -> (B, L, WIDTH x D): each position beside its neighbours (zeros past either end)."""
    n, length, dim = x.shape
    padded = np.zeros((n, length + 2, dim), x.dtype)
    padded[:, 1 : length + 1] = x
    return np.concatenate([padded[:, :length], padded[:, 1 : length + 1], padded[:, 2:]], 2)


def batch(ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Token id lists (each cut to MAX_TOKENS) -> ids (B, L) and mask (B, L) float32."""
    rows = [r[:MAX_TOKENS] for r in ids]
    length = max([1, *map(len, rows)])
    idx = np.zeros((len(rows), length), np.int64)
    mask = np.zeros((len(rows), length), np.float32)
    for i, r in enumerate(rows):
        idx[i, : len(r)] = r
        mask[i, : len(r)] = 1
    return idx, mask


def from_arrays(z: dict[str, np.ndarray], base: np.ndarray) -> Convolution:
    """The stored form (learning/convolution.py's `quantised`): the token table is `base`, the static table
    training started from, plus the stored change to the rows it moved (4 bits a number, a scale per row
    and per column, as static.py's table)."""
    table = base.astype(np.float32, copy=True)
    table[z["moved"]] += static.unpack4(z["rows4"]) * z["scale"][:, None] * z["column"][None, :]
    return Convolution(table, z["kernel"], z["bias"], z["out"], z["out_bias"].astype(np.float32))


class Projected:
    """Trained members as the runtime reads them, in one pass. The convolution is linear before its ReLU,
    so each token's share of it, for its three places in a window (before, at, after), is computed once
    for the whole vocabulary at load: a message then costs three row lookups and additions a token instead
    of a (WIDTH x dim) x filters product. The members sit side by side as one wider layer whose output
    weights are divided by their number, so the logit is the mean of theirs. The same arithmetic as
    `Convolution.forward`, in another order."""

    def __init__(self, members: list[Convolution]):
        dim = members[0].table.shape[1]
        n, filters = len(members), len(members[0].bias)
        self.parts = [
            np.concatenate([m.table @ m.kernel[k * dim : (k + 1) * dim] for m in members], 1)
            for k in range(WIDTH)
        ]
        self.bias = np.concatenate([m.bias for m in members])
        maxima = np.concatenate([m.out[:filters] for m in members])
        means = np.concatenate([m.out[filters:] for m in members])
        self.out = np.concatenate([maxima, means]) / n
        self.out_bias = float(np.mean([m.out_bias[0] for m in members]))

    def logit(self, ids: list[int]) -> float:
        ids = ids[:MAX_TOKENS]
        if not ids:
            return self.out_bias
        before, at, after = self.parts
        h = at[ids] + self.bias
        h[1:] += before[ids[:-1]]
        h[:-1] += after[ids[1:]]
        np.maximum(h, 0, out=h)
        return float(np.concatenate([h.max(0), h.mean(0)]) @ self.out) + self.out_bias


class ComplaintConvolution:
    """The shipped members and the static tokeniser they were trained with."""

    def __init__(self, directory: Path = ARTIFACTS):
        self.meta = json.loads((directory / META).read_text())
        self.encoder = static.load_static(directory)
        if self.meta["static_table_sha256"] != self.encoder.meta["sha256"]:
            raise RuntimeError(
                "complaint_cnn was trained with another static table: run amends signals train"
            )
        self.projected = Projected(
            [member(directory / name, self.encoder.table) for name in self.meta["files"]]
        )

    def logit(self, text: str) -> float:
        """The mean of the members' logits."""
        return self.projected.logit(self.encoder.ids(text))


def member(path: Path, base: np.ndarray) -> Convolution:
    with np.load(path) as z:
        return from_arrays({k: z[k] for k in z.files}, base)


@cache
def load(directory: Path = ARTIFACTS) -> ComplaintConvolution:
    return ComplaintConvolution(directory)
