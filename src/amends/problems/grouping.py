"""Grouping contacts by what they are about: the text representation, batch grouping, incremental assignment.

Framework-free (numpy, scipy, scikit-learn; no Django), type-checked by `make check`.

- **Representation** (`represent`, `Representation`): one place turns texts into rows of a matrix, each row
  L2-normalised, so cosine similarity is a dot product. The default, `"lsa"`, is TF-IDF over words and word
  pairs (sublinear term frequency, English stop words, digits and CFPB-style redactions such as
  "XX/XX/XXXX" masked, at most 50,000 terms) reduced by truncated SVD to 100 dimensions (latent semantic
  analysis) and normalised. A representation that needs no fitting (a static sentence embedding) plugs into
  `REPRESENTATIONS`; `"lsa+static"` style concatenation is `Concatenated`.
- **Extra features**: product and root cause, when present, are one-hot columns appended with a weight
  (`extra_weight`, 0.5) before re-normalising, so two messages about the same product are a little closer.
- **Batch grouping** (`Grouper.fit`): k-means over-clusters into m = 2·sqrt(n) (at most 400) small groups,
  then average-linkage agglomerative clustering on their centroids (cosine distance) merges those closer
  than `threshold` (0.6): the number of groups is chosen by the data, never given. Cost is linear in n
  (k-means, mini-batch above 20,000 rows); the merge is over m centroids only.
- **Incremental assignment** (`Grouper.assign`): each new row goes to the nearest group centroid if its
  cosine distance is within `threshold`, else it starts a new group; the centroid (the normalised sum of its
  members) moves with each member added.
"""

from __future__ import annotations

import math
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

# Redactions ("XX/XX/XXXX", "XXXX"), amounts and other digits say nothing about what a complaint is about.
_MASK = re.compile(r"\b[xX]{2,}\b|[{}$]|\d+")


def _clean(text: str) -> str:
    return _MASK.sub(" ", text).lower()


def _normalise(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


class Representation(Protocol):
    """Texts to L2-normalised rows. `fit` learns what it needs from a batch (nothing, for a static one)."""

    def fit(self, texts: Sequence[str]) -> Representation: ...

    def transform(self, texts: Sequence[str]) -> np.ndarray: ...


LINKAGE_ONLY_UP_TO = 400  # texts in a batch grouped by average linkage alone


class Lsa:
    """TF-IDF (words and word pairs) -> truncated SVD -> L2. Fitted on the batch it groups."""

    def __init__(self, dimensions: int = 100, max_features: int = 50_000) -> None:
        self.dimensions, self.max_features = dimensions, max_features
        self.vectorizer: object | None = None
        self.svd: object | None = None

    def fit(self, texts: Sequence[str]) -> Lsa:
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer

        small = len(texts) < 50  # a handful of texts: every word counts, none is "too common"
        vectorizer = TfidfVectorizer(
            sublinear_tf=True,
            ngram_range=(1, 2),
            min_df=1 if small else 2,
            max_df=1.0 if small else 0.5,
            stop_words="english",
            preprocessor=_clean,
            max_features=self.max_features,
            dtype=np.float32,
        )
        try:
            matrix = vectorizer.fit_transform(texts)
        except ValueError:  # no word at all (empty texts, only stop words): fall back to every word
            vectorizer = TfidfVectorizer(sublinear_tf=True, preprocessor=_clean, token_pattern=r"(?u)\b\w+\b")
            matrix = vectorizer.fit_transform([t or "empty" for t in texts])
        self.vectorizer = vectorizer
        # Few texts, few themes: the rank grows with the square root of the batch (100 from 10,000 texts),
        # so a small batch's rows are not nearly orthogonal raw TF-IDF.
        rank = min(
            self.dimensions,
            max(math.ceil(math.sqrt(matrix.shape[0])), matrix.shape[0] // 2),
            matrix.shape[1] - 1,
        )
        self.svd = TruncatedSVD(rank, random_state=0).fit(matrix) if rank >= 2 else None
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """The fitted TF-IDF and SVD. For a few messages (the incremental grouping) applied directly, as
        scikit-learn's per-call input checks cost more than the arithmetic: counts -> 1 + log -> x idf -> L2
        -> x components (the same numbers, tests/test_grouping.py)."""
        if self.vectorizer is None:
            raise ValueError("the representation is not fitted")
        if len(texts) >= 64:  # a batch: scikit-learn's sparse arithmetic, its checks paid once
            matrix = self.vectorizer.transform(texts)  # type: ignore[attr-defined]
            reduced = matrix.toarray() if self.svd is None else self.svd.transform(matrix)  # type: ignore[attr-defined]
            return _normalise(np.asarray(reduced, dtype=np.float32))
        analyse, vocabulary, idf, projection = self._fast()
        out = np.zeros(
            (len(texts), len(vocabulary) if projection is None else projection.shape[1]), np.float32
        )
        for i, text in enumerate(texts):
            counts: dict[int, int] = {}
            for token in analyse(text):
                j = vocabulary.get(token)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            if not counts:
                continue  # no word the batch knew: a zero row (it joins no group)
            columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
            weights = (1.0 + np.log(np.fromiter(counts.values(), np.float32, len(counts)))) * idf[columns]
            weights /= np.linalg.norm(weights)
            if projection is None:
                out[i, columns] = weights
            else:
                out[i] = weights @ projection[columns]
        return _normalise(out)

    def _fast(self) -> tuple[Any, dict[str, int], np.ndarray, np.ndarray | None]:
        if getattr(self, "_cache", None) is None:
            vectorizer: Any = self.vectorizer
            svd: Any = self.svd
            # terms x dimensions, contiguous: one message's row is its weights times its terms' rows
            projection = None if svd is None else np.ascontiguousarray(svd.components_.T, dtype=np.float32)
            self._cache = (
                vectorizer.build_analyzer(),
                vectorizer.vocabulary_,
                np.asarray(vectorizer.idf_, dtype=np.float32),
                projection,
            )
        return self._cache

    def __getstate__(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "_cache"}


class Static:
    """A representation that needs no fitting: `encode(texts) -> rows`, e.g. the signals' static sentence
    embedding (`amends.signals.engine.static.encode`, the model2vec method) once it is on main."""

    def __init__(self, encode: Callable[[Sequence[str]], np.ndarray]) -> None:
        self.encode = encode

    def fit(self, texts: Sequence[str]) -> Static:
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        return _normalise(np.asarray(self.encode(list(texts)), dtype=np.float32))


class Concatenated:
    """Several representations side by side, each weighted, the whole row normalised again."""

    def __init__(self, parts: Sequence[tuple[Representation, float]]) -> None:
        self.parts = list(parts)

    def fit(self, texts: Sequence[str]) -> Concatenated:
        for part, _ in self.parts:
            part.fit(texts)
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        return _normalise(np.hstack([weight * part.transform(texts) for part, weight in self.parts]))


# The one place a representation is chosen by name. To use the static embedding when it lands:
#   "static": lambda: Static(amends.signals.engine.static.encode),
#   "lsa+static": lambda: Concatenated([(Lsa(), 1.0), (Static(static.encode), 1.0)]),
# and make it DEFAULT_REPRESENTATION if `amends bench problems` says it groups better.
REPRESENTATIONS: dict[str, Callable[[], Representation]] = {"lsa": Lsa}
DEFAULT_REPRESENTATION = "lsa"


def make_representation(name: str = DEFAULT_REPRESENTATION) -> Representation:
    try:
        return REPRESENTATIONS[name]()
    except KeyError:
        raise ValueError(
            f"no representation {name!r}; there are {', '.join(sorted(REPRESENTATIONS))}"
        ) from None


def represent(texts: Sequence[str], representation: str = DEFAULT_REPRESENTATION) -> np.ndarray:
    """Texts as L2-normalised rows (float32), the representation fitted on these texts."""
    rep = make_representation(representation)
    return rep.fit(texts).transform(texts)


@dataclass
class Extras:
    """Product and root cause as one-hot columns; a value not seen when fitting gets no column."""

    weight: float = 0.5
    columns: dict[tuple[str, str], int] = field(default_factory=dict)

    def fit(self, rows: Sequence[dict[str, str]]) -> Extras:
        keys = sorted({(k, v) for row in rows for k, v in row.items() if v})
        self.columns = {key: i for i, key in enumerate(keys)}
        return self

    def transform(self, rows: Sequence[dict[str, str]]) -> np.ndarray:
        out = np.zeros((len(rows), len(self.columns)), dtype=np.float32)
        for i, row in enumerate(rows):
            for key in row.items():
                if (j := self.columns.get(key)) is not None:
                    out[i, j] = self.weight
        return out


def _renumber(labels: np.ndarray) -> np.ndarray:
    """Groups numbered in the order they first appear (the first input is in group 0)."""
    seen: dict[int, int] = {}
    return np.array([seen.setdefault(int(x), len(seen)) for x in labels], dtype=np.int64)


@dataclass
class Grouper:
    """Batch grouping (`fit`) and incremental assignment (`assign`) over one representation.

    `threshold` is a cosine distance: groups closer than it merge in the batch, and a new message joins
    the nearest group only within it. The centroids are kept as sums of members' rows with counts.
    """

    representation: str = DEFAULT_REPRESENTATION
    threshold: float = 0.6
    extra_weight: float = 0.5
    max_small_groups: int = 400
    seed: int = 0
    rep: Representation | None = None
    extras: Extras | None = None
    sums: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    counts: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def vectors(self, texts: Sequence[str], extra: Sequence[dict[str, str]] | None = None) -> np.ndarray:
        if self.rep is None or self.extras is None:
            raise ValueError("the grouper is not fitted: group a batch first")
        rows = self.rep.transform(texts)
        if self.extras.columns:
            rows = _normalise(np.hstack([rows, self.extras.transform(extra or [{}] * len(texts))]))
        return rows

    def fit(self, texts: Sequence[str], extra: Sequence[dict[str, str]] | None = None) -> np.ndarray:
        """Groups a batch; returns one group number per text (0, 1, ... in order of first appearance)."""
        if not texts:
            raise ValueError("nothing to group")
        if extra is not None and len(extra) != len(texts):
            raise ValueError("one set of extra features per text, or none")
        self.rep = make_representation(self.representation).fit(texts)
        self.extras = Extras(self.extra_weight).fit(extra or [])
        rows = self.vectors(texts, extra)
        labels = _renumber(self._batch(rows))
        k = int(labels.max()) + 1
        self.sums = np.zeros((k, rows.shape[1]), dtype=np.float32)
        np.add.at(self.sums, labels, rows)
        self.counts = np.bincount(labels, minlength=k)
        return labels

    def _batch(self, rows: np.ndarray) -> np.ndarray:
        n = rows.shape[0]
        small = min(n, self.max_small_groups, max(2, round(2 * math.sqrt(n))))
        if n <= LINKAGE_ONLY_UP_TO:
            # Few enough to link every pair: no k-means step, whose starts and float sums move with the
            # CPU's kernels (a batch of two dozen texts grouped differently on AMD EPYC and generic x86).
            return self._merge(rows)
        with warnings.catch_warnings():  # repeated texts leave fewer distinct small groups: that is fine
            warnings.simplefilter("ignore")
            km = self._kmeans(rows, small)
        centres = _normalise(np.asarray(km.cluster_centers_, dtype=np.float32))
        return self._merge(centres)[km.labels_]

    def _kmeans(self, rows: np.ndarray, small: int) -> Any:
        if rows.shape[0] > 20_000:
            from sklearn.cluster import MiniBatchKMeans

            return MiniBatchKMeans(small, n_init=3, random_state=self.seed, batch_size=4096).fit(rows)
        from sklearn.cluster import KMeans

        return KMeans(small, n_init=3, random_state=self.seed).fit(rows)

    def _merge(self, centres: np.ndarray) -> np.ndarray:
        """Average linkage on cosine distance, cut at `threshold` (a zero row is far from everything)."""
        if centres.shape[0] < 2:
            return np.zeros(centres.shape[0], dtype=np.int64)
        from scipy.cluster.hierarchy import fcluster, linkage
        from scipy.spatial.distance import squareform

        distances = np.clip(1.0 - centres.astype(np.float64) @ centres.T.astype(np.float64), 0.0, 2.0)
        np.fill_diagonal(distances, 0.0)
        tree = linkage(squareform(distances, checks=False), method="average")
        return np.asarray(fcluster(tree, t=self.threshold, criterion="distance"), dtype=np.int64) - 1

    @property
    def centroids(self) -> np.ndarray:
        return _normalise(self.sums.copy())

    def assign(self, texts: Sequence[str], extra: Sequence[dict[str, str]] | None = None) -> list[int]:
        """New messages, one by one in order: the nearest group within `threshold`, else a new group."""
        rows = self.vectors(texts, extra)
        return [self.assign_row(row) for row in rows]

    def assign_row(self, row: np.ndarray) -> int:
        if len(self.counts):
            norms = np.linalg.norm(self.sums, axis=1)
            norms[norms == 0] = 1.0
            similarity = (self.sums @ row) / norms
            best = int(np.argmax(similarity))
            if 1.0 - float(similarity[best]) <= self.threshold:
                self.sums[best] += row
                self.counts[best] += 1
                return best
        self.sums = np.vstack([self.sums.reshape(-1, row.shape[0]), row[None, :]])
        self.counts = np.append(self.counts, 1)
        return len(self.counts) - 1


_WORD = re.compile(r"[a-z][a-z']{2,}")


def describe(texts: Sequence[str], words: int = 4) -> str:
    """A group in a few words: those most of its texts use (not stop words), most used first."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    counts: dict[str, int] = {}
    for text in texts:
        for word in set(_WORD.findall(_clean(text))) - ENGLISH_STOP_WORDS:
            counts[word] = counts.get(word, 0) + 1
    best = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:words]
    return ", ".join(word for word, _ in best)


def group(
    texts: Sequence[str],
    extra: Sequence[dict[str, str]] | None = None,
    *,
    representation: str = DEFAULT_REPRESENTATION,
    threshold: float = 0.6,
) -> list[int]:
    """The batch grouping in one call: one group number per text."""
    return [int(g) for g in Grouper(representation, threshold).fit(texts, extra)]
