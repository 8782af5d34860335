"""Training engine/convolution.py's word-order reader (numpy; no deep-learning framework in the install).

The recipe was fixed in advance and measured first with PyTorch (docs/benchmarks.md, issue 13, session 6;
docs/experiments/2026-12-06-complaint-head/cnn_trainable.py): the token vectors start from the static
table and are trained with the rest; FILTERS filters WIDTH tokens wide; PASSES passes over the rows in a
seeded order, BATCH rows a step; Adam at RATE (the token table updated sparsely, only the rows a batch
uses, as PyTorch's SparseAdam does); the loss is cross-entropy against soft targets, weighted per row.
The rows: the labelled tweets (their label, weight 1), the warm GoEmotions texts (not, EXTRA_NOT_WEIGHT)
and the teacher's pool (its probability, TEACH_WEIGHT) - the TF-IDF head's rows, each once.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from amends.signals.engine import static
from amends.signals.engine.convolution import MAX_TOKENS, WIDTH, Convolution, batch, from_arrays

from . import distil
from .recipes import EXTRA_NOT_WEIGHT, Teaching

FILTERS = 128
PASSES = 2
BATCH = 64
RATE = 1e-3
BETAS = (0.9, 0.999)
EPS = 1e-8
SEED = 0  # the shipped reader's; the benchmark's fold k uses seed k
MEMBERS = 2


def rows(
    texts: Sequence[str], y: np.ndarray, extra_not: Sequence[str], teach: Teaching | None
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Texts, soft targets and weights, in that order: labelled, warm, taught."""
    pool = list(teach.texts) if teach else []
    p = np.asarray(teach.p, np.float64) if teach else np.zeros(0)
    taught_weight = teach.weight if teach else 0.0
    return (
        list(texts) + list(extra_not) + pool,
        np.r_[np.asarray(y, np.float64), np.zeros(len(extra_not)), p],
        np.r_[
            np.ones(len(texts)), np.full(len(extra_not), EXTRA_NOT_WEIGHT), np.full(len(pool), taught_weight)
        ],
    )


def fit_members(
    texts: Sequence[str],
    target: np.ndarray,
    weight: np.ndarray,
    seed: int,
    encoder: static.StaticEncoder | None = None,
    log: Callable[[str], None] | None = None,
) -> list[Convolution]:
    """The shipped reader: MEMBERS convolutions from the same initial weights (seed `seed`), each over its
    own order of the rows (seeds 1000 + seed, 2000 + seed, ...), whose logits the runtime averages. One
    convolution's macro-F1 moved 0.848-0.856 with the seed alone; the average is steadier."""
    encoder = encoder or static.load_static()
    return [fit(texts, target, weight, seed, (n + 1) * 1000 + seed, encoder, log) for n in range(MEMBERS)]


def fit(
    texts: Sequence[str],
    target: np.ndarray,
    weight: np.ndarray,
    seed: int,
    order_seed: int | None = None,
    encoder: static.StaticEncoder | None = None,
    log: Callable[[str], None] | None = None,
) -> Convolution:
    """One convolution from the static table (`encoder`, the shipped one by default): initial weights
    from `seed`, the rows' order from `order_seed` (default `seed`). Deterministic for its seeds."""
    encoder = encoder or static.load_static()
    dim = encoder.table.shape[1]
    model = _initial(encoder.table, dim, np.random.default_rng(seed))
    gen = np.random.default_rng(seed if order_seed is None else order_seed)
    ids = [encoder.ids(t)[:MAX_TOKENS] for t in texts]
    target = np.asarray(target, np.float32)
    weight = np.asarray(weight, np.float32)
    dense = _Adam([model.kernel, model.bias, model.out, model.out_bias])
    table = _SparseAdam(model.table)
    for n in range(PASSES):
        total = 0.0
        for chosen in np.array_split(gen.permutation(len(ids)), max(1, len(ids) // BATCH)):
            idx, mask = batch([ids[i] for i in chosen])
            loss, grads, rows_used, table_grad = _gradients(model, idx, mask, target[chosen], weight[chosen])
            dense.step(grads)
            table.step(rows_used, table_grad)
            total += loss * len(chosen)
        if log:
            log(f"convolution: pass {n + 1}/{PASSES}, mean loss {total / max(1, len(ids)):.4f}")
    return model


def quantised(model: Convolution, base: np.ndarray) -> tuple[Convolution, dict[str, Any]]:
    """The model as shipped, and the arrays that store it. The token table is stored as its change from
    `base` (the static table it started from, which ships anyway): only the rows training moved, at 4 bits
    a number (distil.quantise4). A change is small, so its rounding error is too; rounding the whole table
    instead moved a fold's macro-F1 by up to 0.007 either way (docs/benchmarks.md, issue 13, session 6)."""
    change = model.table - base
    moved = np.flatnonzero(np.abs(change).max(1) > 0).astype(np.int32)
    packed, scale, column = distil.quantise4(change[moved])
    arrays: dict[str, Any] = {  # Any: np.savez_compressed(**arrays) reads them as keyword arguments
        "moved": moved,
        "rows4": packed,
        "scale": scale,
        "column": column,
        "kernel": model.kernel.astype(np.float32),
        "bias": model.bias.astype(np.float32),
        "out": model.out.astype(np.float32),
        "out_bias": model.out_bias.astype(np.float32),
    }
    return from_arrays(arrays, base), arrays


def _initial(table: np.ndarray, dim: int, gen: np.random.Generator) -> Convolution:
    """PyTorch's default initial weights for Conv1d and Linear (uniform within 1 / sqrt(fan in))."""
    fan_conv, fan_out = WIDTH * dim, 2 * FILTERS

    def uniform(fan: int, shape) -> np.ndarray:
        bound = 1 / math.sqrt(fan)
        return gen.uniform(-bound, bound, shape).astype(np.float32)

    return Convolution(
        table.astype(np.float32, copy=True),
        uniform(fan_conv, (fan_conv, FILTERS)),
        uniform(fan_conv, FILTERS),
        uniform(fan_out, fan_out),
        uniform(fan_out, 1),
    )


def _gradients(model: Convolution, idx, mask, target, weight):
    """Weighted soft-target cross-entropy of a batch, the dense parameters' gradients, and the token
    table's gradient as (rows used, their gradients)."""
    z, (cols, h, pooled, lengths) = model.forward(idx, mask)
    total = weight.sum()
    loss = float((weight * (np.logaddexp(0, z) - target * z)).sum() / total)
    dz = weight * (1 / (1 + np.exp(-z)) - target) / total
    filters = h.shape[2]
    d_pooled = dz[:, None] * model.out[None, :]
    dh = mask[..., None] * (d_pooled[:, None, filters:] / lengths[:, :, None])
    best = h.argmax(1)
    dh[np.arange(len(z))[:, None], best, np.arange(filters)[None, :]] += d_pooled[:, :filters]
    dh *= h > 0
    flat_cols, flat_dh = cols.reshape(-1, cols.shape[2]), dh.reshape(-1, filters)
    grads = [flat_cols.T @ flat_dh, flat_dh.sum(0), pooled.T @ dz, np.array([dz.sum()], np.float32)]
    d_cols = dh @ model.kernel.T
    length, dim = idx.shape[1], model.table.shape[1]
    d_padded = np.zeros((len(z), length + 2, dim), np.float32)
    d_padded[:, :length] += d_cols[..., :dim]
    d_padded[:, 1 : length + 1] += d_cols[..., dim : 2 * dim]
    d_padded[:, 2:] += d_cols[..., 2 * dim :]
    live = mask.reshape(-1) > 0
    token_ids = idx.reshape(-1)[live]
    d_tokens = d_padded[:, 1 : length + 1].reshape(-1, dim)[live]
    used, where = np.unique(token_ids, return_inverse=True)
    gather = sp.csr_matrix(
        (np.ones(len(where), np.float32), (where, np.arange(len(where)))), shape=(len(used), len(where))
    )
    return loss, grads, used, np.asarray(gather @ d_tokens, np.float32)


class _Adam:
    """Adam (PyTorch's defaults, no weight decay) over arrays updated in place."""

    def __init__(self, params: list[np.ndarray]):
        self.params = params
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.t = 0

    def step(self, grads: list[np.ndarray]) -> None:
        self.t += 1
        b1, b2 = BETAS
        c1, c2 = 1 - b1**self.t, 1 - b2**self.t
        for p, g, m, v in zip(self.params, grads, self.m, self.v, strict=True):
            m *= b1
            m += (1 - b1) * g
            v *= b2
            v += (1 - b2) * g * g
            p -= (RATE / c1) * m / (np.sqrt(v / c2) + EPS)


class _SparseAdam:
    """PyTorch's SparseAdam: the moments and values of the rows a step uses change, the others wait."""

    def __init__(self, table: np.ndarray):
        self.table = table
        self.m = np.zeros_like(table)
        self.v = np.zeros_like(table)
        self.t = 0

    def step(self, rows_used: np.ndarray, grad: np.ndarray) -> None:
        self.t += 1
        b1, b2 = BETAS
        m = self.m[rows_used] * b1 + (1 - b1) * grad
        v = self.v[rows_used] * b2 + (1 - b2) * grad * grad
        self.m[rows_used], self.v[rows_used] = m, v
        size = RATE * math.sqrt(1 - b2**self.t) / (1 - b1**self.t)
        self.table[rows_used] -= size * m / (np.sqrt(v) + EPS)


__all__ = ["FILTERS", "MEMBERS", "PASSES", "fit", "fit_members", "quantised", "rows"]
