"""A crfsuite model's weights in numpy arrays, and its Viterbi over many windows at once.

A linear-chain CRF scores a token's label by the sum of the weights of its
features for that label; the best labelling of a sequence adds the weights of
label transitions and is found by Viterbi. crfsuite does both in C, but each
call is handed every feature of every token as a Python string (some twenty a
token), and making those strings cost more than the tagging. Here the weights
are read once from the model file (:func:`read_model`, crfsuite's own format:
``lCRF`` header, a ``FEAT`` chunk of (type, source, target, weight) records,
the label and attribute names in CQDB tables), a word's feature weights are
summed once per word form by the caller, and :func:`viterbi` tags all of an
article's windows together. It is the same decoding as crfsuite's
(``crf1dc_viterbi``: no start or end weights, the first of equal scores kept),
so the labels are crfsuite's but for sums that differ in their last bits.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_HEADER = struct.Struct("<4sI4sIIIIIIIII")
_CHUNK = struct.Struct("<4sII")
_CQDB = struct.Struct("<4sIIIII")
_RECORD = struct.Struct("<II")
_FEATURE = np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"), ("weight", "<f8")])
STATE, TRANSITION = 0, 1
"""crfsuite's feature types: an attribute's weight for a label, a label's weight after another."""


@dataclass(frozen=True)
class Weights:
    """One model: its labels, its attributes' rows and their weights."""

    labels: tuple[str, ...]
    attributes: dict[str, int]
    """Each attribute's row in :attr:`state`."""
    state: np.ndarray
    """(attributes, labels): an attribute's weight for each label."""
    transitions: np.ndarray
    """(labels, labels): the weight of a label (column) after another (row)."""

    def score(self, features: Sequence[str]) -> np.ndarray:
        """The summed weights of features for each label (features the model does not know weigh nothing)."""
        v = np.zeros(len(self.labels))
        rows = self.attributes
        for f in features:
            i = rows.get(f)
            if i is not None:
                v += self.state[i]
        return v


def _strings(data: bytes, offset: int) -> list[str]:
    """The keys of a CQDB table by their id (its backward array)."""
    magic, _size, _flag, _order, count, back = _CQDB.unpack_from(data, offset)
    if magic != b"CQDB":
        raise ValueError("no CQDB table where the header says")
    out = [""] * count
    for pos in struct.unpack_from(f"<{count}I", data, offset + back):
        ident, size = _RECORD.unpack_from(data, offset + pos)
        start = offset + pos + _RECORD.size
        out[ident] = data[start:start + size - 1].decode("utf-8")
    return out


def read_model(path: Path) -> Weights:
    """A crfsuite first-order CRF model file's weights; ValueError if it is no such file."""
    data = path.read_bytes()
    try:
        magic, _size, kind, _version, _n, n_labels, n_attrs, off_feat, off_labels, off_attrs, _lr, _ar = \
            _HEADER.unpack_from(data, 0)
        if magic != b"lCRF" or kind != b"FOMC":
            raise ValueError("not a crfsuite CRF model")
        chunk, _csize, count = _CHUNK.unpack_from(data, off_feat)
        if chunk != b"FEAT":
            raise ValueError("no feature chunk where the header says")
        feats = np.frombuffer(data, dtype=_FEATURE, count=count, offset=off_feat + _CHUNK.size)
        labels = _strings(data, off_labels)
        attrs = _strings(data, off_attrs)
    except (struct.error, UnicodeDecodeError, IndexError) as e:
        raise ValueError(f"damaged ({e})") from e
    if len(labels) != n_labels or len(attrs) != n_attrs:
        raise ValueError("its tables do not match its header")
    state = np.zeros((n_attrs, n_labels))
    trans = np.zeros((n_labels, n_labels))
    s, t = feats[feats["type"] == STATE], feats[feats["type"] == TRANSITION]
    if (s["src"] >= n_attrs).any() or (s["dst"] >= n_labels).any() or (t["src"] >= n_labels).any() \
            or (t["dst"] >= n_labels).any():
        raise ValueError("a feature names no attribute or label")
    state[s["src"], s["dst"]] = s["weight"]
    trans[t["src"], t["dst"]] = t["weight"]
    return Weights(tuple(labels), {a: i for i, a in enumerate(attrs)}, state, trans)


def viterbi(emissions: np.ndarray, spans: Sequence[tuple[int, int]], transitions: np.ndarray) -> list[list[int]]:
    """The best label ids of each span (start, end) of rows of ``emissions`` (tokens, labels),
    each span a sequence of its own; all spans are decoded together, longest first."""
    if not spans:
        return []
    bounds = np.array(spans, dtype=np.intp)
    lengths = bounds[:, 1] - bounds[:, 0]
    order = (-lengths).argsort(kind="stable")
    starts, lengths = bounds[order, 0], lengths[order]
    longest, windows, n_labels = int(lengths[0]), len(order), transitions.shape[0]
    steps = np.arange(longest)
    em = emissions[starts[None, :] + np.minimum(steps[:, None], lengths[None, :] - 1)]  # (step, window, label)
    active = (-lengths).searchsorted(-steps, side="left").tolist()  # windows longer than t: a prefix
    delta = em[0].copy()  # (window, label)
    into = transitions.T[None, :, :]  # (1, label, previous label)
    cells = np.arange(windows * n_labels) * n_labels  # where each (window, label)'s row of previous labels starts
    back = []
    for t in range(1, longest):
        k = active[t]
        # (window, label, previous label): the argmax over the last axis is the fast one; the
        # best score is read at it (the first of equal scores, as crfsuite keeps)
        s = delta[:k, None, :] + into
        best = s.argmax(axis=2)
        back.append(best)
        delta[:k] = s.reshape(-1).take(cells[:k * n_labels] + best.reshape(-1)).reshape(k, n_labels) + em[t, :k]
    cur = delta.argmax(axis=1)
    labels = np.empty((windows, longest), dtype=np.intp)
    rows = np.arange(windows)
    for t in range(longest - 1, -1, -1):
        k = active[t]
        labels[:k, t] = cur[:k]
        if t:
            cur[:k] = back[t - 1][rows[:k], cur[:k]]
    out: list[list[int]] = [[]] * len(spans)
    for k, row, n in zip(order.tolist(), labels.tolist(), lengths.tolist()):
        out[k] = row[:n]
    return out


__all__ = ["Weights", "read_model", "viterbi"]
