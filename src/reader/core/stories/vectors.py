"""Weighted keys as numbers: what placing compares, kept small and compared in bulk.

A book's keys (word stems and ``e:`` names) get numbers the first time they
are seen (:class:`Vocab`, in memory only: what is stored keeps the keys
themselves). A story's centroid and vector are then two arrays each (key
numbers, ascending for a centroid; weights), some kilobytes where dicts of
strings took tens, so thousands of stories stay decoded. A new article is
compared with all its candidates at once (:func:`Scorer.cosines`): its weights
spread over a dense array indexed by key number, each candidate's keys
gathered from it, the products summed per candidate.

What is stored of an article for comparing two articles (cross-references)
needs no vocabulary: its keys as stable 64-bit hashes (:func:`key_hash`,
the lowest bit telling a name), so a read is two arrays from the bytes
(:func:`hashed_vectors`) and a comparison looks the other side's hashes up
in the article's, sorted (:func:`hashed_cosines`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from reader.core.stories.profile import NAME_PREFIX

INT = np.int32
"""Key numbers."""
HASH = np.dtype("<i8")
"""Stored keys: stable 64-bit hashes, lowest bit set for a name (:func:`key_hash`)."""


def key_hash(key: str) -> int:
    """A key's stored number, the same in every process (BLAKE2b's first 8 bytes;
    the lowest bit set for a name, cleared for a word)."""
    h = int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True)
    return h | 1 if key.startswith(NAME_PREFIX) else h & ~1


class Vocab:
    """Key <-> number, and whether the key is a name."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.keys: list[str] = []
        self._names = np.zeros(1024, dtype=bool)
        self._hashes = np.zeros(1024, dtype=HASH)

    def __len__(self) -> int:
        return len(self.keys)

    def _add(self, key: str) -> int:
        n = len(self.keys)
        self.index[key] = n
        self.keys.append(key)
        if n >= len(self._names):
            self._names = np.concatenate([self._names, np.zeros(len(self._names), dtype=bool)])
            self._hashes = np.concatenate([self._hashes, np.zeros(len(self._hashes), dtype=HASH)])
        self._names[n] = key.startswith(NAME_PREFIX)
        self._hashes[n] = key_hash(key)
        return n

    def ids(self, keys: Iterable[str]) -> np.ndarray:
        """The numbers of ``keys`` (new keys numbered now), in their order."""
        keys = keys if isinstance(keys, list) else list(keys)
        found = list(map(self.index.get, keys))  # (the keys known: in one pass of C)
        if None in found:
            index, add = self.index, self._add
            found = [i if (i := index.get(k)) is not None else add(k) for k in keys]
        return np.array(found, dtype=INT)

    def names(self, ids: np.ndarray) -> np.ndarray:
        """Which of these keys are names (a boolean mask)."""
        return self._names[ids]

    def hashes(self, ids: np.ndarray) -> np.ndarray:
        """The stored numbers of these keys (:func:`key_hash`)."""
        return self._hashes[ids]

    def to_dict(self, ids: np.ndarray, values: np.ndarray) -> dict[str, float]:
        keys = self.keys
        return dict(zip([keys[i] for i in ids.tolist()], values.tolist()))


@dataclass(frozen=True, slots=True, eq=False)
class Vector:
    """A story's (or an article's) heaviest keys weighted by rarity, heaviest first."""

    ids: np.ndarray
    """Its keys: a :class:`Vocab`'s numbers, or their hashes (:func:`hashed_vectors`)."""
    values: np.ndarray
    norms: tuple[float, float]
    """Euclidean norms of the words and of the names."""


EMPTY = Vector(np.zeros(0, dtype=INT), np.zeros(0), (0.0, 0.0))
"""The vector of a story with no member yet."""


def as_stored(values: np.ndarray) -> np.ndarray:
    """Weights as a later read finds them (they are stored as 32-bit floats)."""
    return values.astype(np.float32).astype(np.float64)


def make_vector(vocab: Vocab, ids: np.ndarray, values: np.ndarray) -> Vector:
    """A vector of these keys and weights (kept as :func:`as_stored` gives them)."""
    values = as_stored(values)
    names = vocab.names(ids)
    return Vector(ids, values, (float(np.sqrt(np.dot(values[~names], values[~names]))),
                                float(np.sqrt(np.dot(values[names], values[names])))))


def vector_of(vocab: Vocab, weights: Mapping[str, float]) -> Vector:
    return make_vector(vocab, vocab.ids(weights), np.fromiter(weights.values(), float, len(weights)))


def pack_hashed(vocab: Vocab, ids: np.ndarray, values: np.ndarray) -> bytes:
    """An article's keys and weights as stored for comparing articles: the keys'
    hashes (:func:`key_hash`, little-endian), then the weights as little-endian
    32-bit floats, in their order."""
    return vocab.hashes(ids).tobytes() + values.astype("<f4").tobytes()


def _stored(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The hashes and the 32-bit weights :func:`pack_hashed` wrote (views of ``blob``)."""
    n = len(blob) // 12
    return np.frombuffer(blob, dtype=HASH, count=n), np.frombuffer(blob, dtype="<f4", offset=8 * n)


def unpack_hashed(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    """:func:`pack_hashed` undone: the hashes, and the weights as 64-bit floats."""
    hashes, weights = _stored(blob)
    return hashes, weights.astype(np.float64)


def hashed_vectors(rows: Sequence[tuple[str, bytes]]) -> dict[str, Vector]:
    """Vectors of :func:`pack_hashed` keys and weights (``rows``: an id and its
    stored bytes; a vector's ``ids`` are then hashes, a read-only view of its own
    bytes), their norms worked out together."""
    if not rows:
        return {}
    ids, values = [], []
    for _, blob in rows:
        hashes, weights = _stored(blob)
        ids.append(hashes)
        values.append(weights.astype(np.float64))
    every, weights = np.concatenate(ids), np.concatenate(values)
    names = (every & 1).astype(bool)
    squares = weights * weights
    which = np.repeat(np.arange(len(rows)), [len(h) for h in ids])
    word_norms = np.sqrt(np.bincount(which, np.where(names, 0.0, squares), len(rows))).tolist()
    name_norms = np.sqrt(np.bincount(which, np.where(names, squares, 0.0), len(rows))).tolist()
    return {article: Vector(h, v, (wn, nn))
            for (article, _), h, v, wn, nn in zip(rows, ids, values, word_norms, name_norms)}


def merge(ids: np.ndarray, values: np.ndarray, more_ids: np.ndarray, more: np.ndarray,
          sign: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Sparse ``values + sign * more`` (ids ascending and unique in the result)."""
    if not len(more_ids):
        return ids, values
    every, where = np.unique(np.concatenate([ids, more_ids]), return_inverse=True)
    total = np.bincount(where, np.concatenate([values, sign * more]), len(every))
    return every.astype(INT), total


class Scorer:
    """Cosines of one article with many vectors at a time (see the module doc)."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        self._words = np.zeros(1024)
        self._names = np.zeros(1024)

    def cosines(self, article: Vector, others: Sequence[Vector]) -> tuple[np.ndarray, np.ndarray]:
        """Cosine of the word parts and of the name parts of ``article`` with each of ``others``."""
        if not others:
            return np.zeros(0), np.zeros(0)
        if len(self.vocab) > len(self._words):
            size = max(len(self.vocab), 2 * len(self._words))
            self._words, self._names = np.zeros(size), np.zeros(size)
        names = self.vocab.names(article.ids)
        w_ids, n_ids = article.ids[~names], article.ids[names]
        self._words[w_ids] = article.values[~names]
        self._names[n_ids] = article.values[names]
        try:
            ids = np.concatenate([o.ids for o in others])
            values = np.concatenate([o.values for o in others])
            which = np.repeat(np.arange(len(others)), [len(o.ids) for o in others])
            dw = np.bincount(which, self._words[ids] * values, len(others))
            dn = np.bincount(which, self._names[ids] * values, len(others))
        finally:
            self._words[w_ids] = 0.0
            self._names[n_ids] = 0.0
        return _cosines(article, others, dw, dn)


def hashed_cosines(article: Vector, others: Sequence[Vector]) -> tuple[np.ndarray, np.ndarray]:
    """:meth:`Scorer.cosines` of :func:`hashed_vectors`: each of the others' hashes
    looked up in the article's, sorted (the products summed in the same order)."""
    if not others:
        return np.zeros(0), np.zeros(0)
    order = np.argsort(article.ids, kind="stable")
    mine, weights = article.ids[order], article.values[order]
    ids = np.concatenate([o.ids for o in others])
    values = np.concatenate([o.values for o in others])
    which = np.repeat(np.arange(len(others)), [len(o.ids) for o in others])
    if len(mine):
        at = np.minimum(np.searchsorted(mine, ids), len(mine) - 1)
        products = np.where(mine[at] == ids, weights[at] * values, 0.0)
    else:
        products = np.zeros(len(ids))
    names = (ids & 1).astype(bool)
    dw = np.bincount(which, np.where(names, 0.0, products), len(others))
    dn = np.bincount(which, np.where(names, products, 0.0), len(others))
    return _cosines(article, others, dw, dn)


def _cosines(article: Vector, others: Sequence[Vector], dw: np.ndarray,
             dn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The dot products of the words and of the names over both sides' norms."""
    norms = np.array([o.norms for o in others]).reshape(len(others), 2)
    aw, an = article.norms
    with np.errstate(divide="ignore", invalid="ignore"):
        cw = np.where((norms[:, 0] > 0) & (aw > 0), dw / (aw * norms[:, 0]), 0.0)
        cn = np.where((norms[:, 1] > 0) & (an > 0), dn / (an * norms[:, 1]), 0.0)
    return cw, cn
