"""The trained recogniser: a linear-chain CRF (trained with python-crfsuite) shipped with the package.

:func:`tag_texts` tags an article's texts with it and gives the spans it finds,
each with its type; :mod:`reader.core.entities.mentions` makes them
consistent over the article. The model file lives in the package
(``data/ner.crfsuite``, loaded through :mod:`importlib.resources`, never
downloaded); :mod:`reader.core.entities.train` makes it again. Tagging reads
its weights into numpy (:mod:`reader.core.entities.crf`) and weighs each word
form's features once (:class:`_WordTable`): the labels are crfsuite's, without
a Python string a feature a token.
"""

from __future__ import annotations

import functools
import threading
from itertools import accumulate, repeat
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from reader.core.entities.crf import Weights, read_model, viterbi
from reader.core.entities.features import (BOUNDARY, CONTEXT, FLAG_FEATURES, DocumentVotes, Tokens, document_votes, label_counts, non_local, own_features, token_document_features,
                                           token_flags,
                                           tokenise, windows)
from reader.core.errors import ReaderError

MODEL_FILE = "data/ner.crfsuite"
"""The model's path inside the package."""
SECOND_FILE = "data/ner-doc.crfsuite"
"""The document-level pass's model, beside the first (optional: without it, one pass)."""
TYPES = {"PER": "person", "LOC": "place", "ORG": "organization"}
"""The model's labels and the types kreader gives them."""
SPAN_BREAKS = frozenset(',;:()[]"“”«»|/')
"""Marks no name holds: a span the model runs across one is cut there."""
TABLE_START = 4096
"""Rows a word table starts with (it doubles when full)."""
TABLE_MAX = 100_000
"""Word forms a word table holds before it is emptied (each costs a few hundred bytes)."""
_LOCAL = threading.local()


def model_path(name: str = MODEL_FILE) -> Path:
    """Where the package keeps a model file (the first pass's unless ``name`` says)."""
    return Path(str(resources.files("reader.core.entities").joinpath(name)))


@functools.lru_cache(maxsize=2)
def _model_bytes_path(name: str = MODEL_FILE) -> str:
    path = model_path(name)
    if not path.is_file():
        raise ReaderError(f"The entity model {path} is missing; reinstall kreader or retrain it with "
                          f"python -m reader.core.entities.train PATH.")
    return str(path)


def _weights(name: str) -> Weights:
    path = _model_bytes_path(name)
    try:
        return read_model(Path(path))
    except (OSError, ValueError) as e:
        raise ReaderError(f"The entity model {path} cannot be read ({e}); reinstall kreader "
                          f"or retrain it with python -m reader.core.entities.train PATH.") from e


@functools.lru_cache(maxsize=1)
def models() -> tuple[Weights, Weights | None]:
    """The first pass's weights and the document-level pass's (None where the package has none)."""
    return _weights(MODEL_FILE), (_weights(SECOND_FILE) if model_path(SECOND_FILE).is_file() else None)


_NOT_NEAR = ("hp=", "acr=")
"""Own features a neighbour does not carry (:func:`~reader.core.entities.features.near_features`)."""
_BOUNDARY_NEAR = ("w=" + BOUNDARY,)
"""A boundary's features as a neighbour, without the offset."""


def _offset_views(attributes: dict[str, int]) -> list[dict[str, int]]:
    """For each neighbour's offset of :data:`~reader.core.entities.features.CONTEXT`, the rows of its
    attributes (``-1:w=the``), keyed without the offset (``w=the``)."""
    views: dict[str, dict[str, int]] = {f"{k}": {} for k in CONTEXT}
    for a, i in attributes.items():
        head, colon, rest = a.partition(":")
        if colon and head in views:
            views[head][rest] = i
    return list(views.values())


class _WordTable:
    """Each word form's summed feature weights under each model: as the token tagged, and as its
    neighbour at each of :data:`~reader.core.entities.features.CONTEXT` (rows of one array a model,
    filled the first time a word is seen, emptied when full)."""

    def __init__(self, weights: Sequence[Weights]):
        self.weights = weights
        self.rows: dict[str, int] = {}
        self.views = [[w.attributes] + _offset_views(w.attributes) for w in weights]
        """Each model's attribute rows as the token's own (the model's own table) and as each
        neighbour's, keyed without the neighbour's ``k:``."""
        self.parts = [np.zeros((TABLE_START, 1 + len(CONTEXT), len(w.labels))) for w in weights]
        self.flags = [np.array([w.score(FLAG_FEATURES[c]) for c in range(len(FLAG_FEATURES))]) for w in weights]
        self.around: dict[tuple[str, str, str], int] = {}
        """The second pass's rows for a token's label and its neighbours' (a few hundred at most)."""
        self.non_local: dict[tuple[str, ...], int] = {}
        """The second pass's rows for a word's non-local features (a few dozen)."""
        self.extra: list[np.ndarray] = []
        self._extra: np.ndarray | None = None

    def ids(self, words: Sequence[str]) -> np.ndarray:
        """The rows of the words (added where new)."""
        rows = self.rows
        if len(rows) + len(words) > TABLE_MAX:
            rows.clear()
        ids = list(map(rows.get, words))
        if None in ids:
            self._add(list(dict.fromkeys([w for w, i in zip(words, ids) if i is None])))
            ids = list(map(rows.__getitem__, words))
        return np.array(ids, dtype=np.intp)

    def _add(self, words: list[str]) -> None:
        first = len(self.rows) + 1  # row 0 is never used
        size = len(self.parts[0])
        if first + len(words) > size:
            grow = max(size, first + len(words) - size)
            self.parts = [np.concatenate([p, np.zeros((grow,) + p.shape[1:])]) for p in self.parts]
        # A word's features as the token and as each neighbour, without their offset: those of
        # near_features(word, k) with its "k:" taken off, in its order (the sums are the same).
        features: list[list[str]] = [[] for _ in range(1 + len(CONTEXT))]  # of all the words, a group each
        rows: list[list[int]] = [[] for _ in features]
        for n, w in enumerate(words, first):
            if w == BOUNDARY:
                groups = ((),) + (_BOUNDARY_NEAR,) * len(CONTEXT)
            else:
                own = own_features(w)
                far = own[1:2]
                near = own[1:2] + own[3:4] + [x for x in own[5:] if not x.startswith(_NOT_NEAR)]
                groups = (own,) + tuple(near if abs(k) == 1 else far for k in CONTEXT)
            for f, r, group in zip(features, rows, groups):
                f.extend(group)
                r.extend([n] * len(group))
        for part, weights, views in zip(self.parts, self.weights, self.views):
            part[first:first + len(words)] = 0.0
            for g, (f, r, index) in enumerate(zip(features, rows, views)):
                attrs = np.fromiter(map(index.get, f, repeat(-1)), dtype=np.intp, count=len(f))
                known = attrs >= 0
                # a word's weights added in the order of its features, as before (the same sums)
                np.add.at(part[:, g], np.array(r, dtype=np.intp)[known], weights.state[attrs[known]])
        self.rows.update(zip(words, range(first, first + len(words))))

    def add_extra(self, table: dict, key, features: Sequence[str]) -> int:
        """The row of the second model's summed weights of ``features``, kept in ``table`` under ``key``."""
        n = table[key] = len(self.extra)
        self.extra.append(self.weights[1].score(features))
        self._extra = None
        return n

    def extra_scores(self) -> np.ndarray:
        """The rows :meth:`add_extra` made, as one array."""
        if self._extra is None:
            self._extra = np.array(self.extra)
        return self._extra

    def emissions(self, model: int, ids: np.ndarray, flags: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
        """The scores of each label of the tokens ``ids[2:-2]`` (the rest are their context), or only
        of those ``rows`` of them (the same sums)."""
        p = self.parts[model]
        if rows is not None:
            return (p[ids[rows + 2], 0] + p[ids[rows], 1] + p[ids[rows + 1], 2] + p[ids[rows + 3], 3]
                    + p[ids[rows + 4], 4] + self.flags[model][flags[rows]])
        n = len(ids)
        return (p[ids[2:n - 2], 0] + p[ids[0:n - 4], 1] + p[ids[1:n - 3], 2] + p[ids[3:n - 1], 3]
                + p[ids[4:n], 4] + self.flags[model][flags])


def _table() -> _WordTable:
    """This thread's word table."""
    table = getattr(_LOCAL, "table", None)
    if table is None:
        first, second = models()
        table = _LOCAL.table = _WordTable([first] + ([second] if second is not None else []))
    return table


def tag_texts(texts: Sequence[str]) -> list[tuple[Tokens, list[tuple[int, int, str]]]]:
    """For each text, its tokens and the (start, end, type) of the names the model finds in it
    (:func:`tag_article`)."""
    return tag_article(texts)[0]


def tag_article(texts: Sequence[str]) -> tuple[list[tuple[Tokens, list[tuple[int, int, str]]]], DocumentVotes]:
    """For each text, its tokens and the (start, end, type) of the names the model
    finds in it; the article-level features see all the texts together. The second pass
    tags again each window holding a capitalised word the first pass labelled in two ways
    in the article (a name here, none there; a person here, a place there), seeing what it
    made of the same word elsewhere; where the first pass was of one mind, it stands.
    Also the article-level votes (:func:`~reader.core.entities.features.document_votes`).
    The features are those :func:`~reader.core.entities.features.sequence_features` gives
    (training sees the same), weighed through a :class:`_WordTable`."""
    toks = [tokenise(t) for t in texts]
    votes = document_votes(toks)
    words: list[str] = []
    flags: list[int] = []
    where: list[tuple[int, int, int, int]] = []  # text, a, b, first row of the window's tokens
    memo: dict = {}
    pad = [BOUNDARY, BOUNDARY]
    zeros = [0] * 6
    for i, t in enumerate(toks):
        for a, b in windows(t, votes):
            lo = a - 2 if a > 2 else 0
            base = len(words) - lo + 2  # words[base + j] is t.words[j]
            words += pad  # the window in its context, as sequence_features (padded) sees it
            words += t.words[lo:b + 2]
            words += pad
            flags += zeros[:a - lo + 2]
            flags += token_flags(words, base + a, base + b, votes, memo)
            flags += zeros[:len(words) - len(flags)]
            where.append((i, a, b, base + a - 2))
    found: list[list[tuple[int, int, str]]] = [[] for _ in toks]
    if not where:
        return list(zip(toks, found)), votes
    table = _table()
    ids = table.ids(words)
    codes = np.array(flags[2:len(flags) - 2], dtype=np.intp)
    first, second = table.weights[0], (table.weights[1] if len(table.weights) > 1 else None)
    spans = [(r, r + b - a) for _, a, b, r in where]
    names = first.labels
    labels = [list(map(names.__getitem__, y)) for y in viterbi(table.emissions(0, ids, codes), spans, first.transitions)]
    if second is not None:
        _second_pass(table, second, ids, codes, toks, where, labels)
    for (i, a, _, _), y in zip(where, labels):
        if y.count("O") < len(y):
            found[i].extend(_spans(toks[i], a, y))
    return list(zip(toks, found)), votes


def _second_pass(table: _WordTable, second: Weights, ids: np.ndarray, codes: np.ndarray, toks: list[Tokens],
                 where: list[tuple[int, int, int, int]], labels: list[list[str]]) -> None:
    """Tag again, in place, the windows holding a word the first pass labelled in two ways."""
    window_words = [toks[i].words[a:b] for i, a, b, _ in where]
    counts = label_counts(window_words, labels)
    disputed = {w for w, c in counts.items() if len(c) > 1}
    again = [n for n, ws in enumerate(window_words) if not disputed.isdisjoint(ws)]
    if not again:
        return
    around, nl = table.around, table.non_local
    tokens: list[int] = []
    rows_around: list[int] = []
    rows_nl: list[int] = []
    memo: dict[tuple[str, str], int] = {}  # (word, label): the row of its non-local features
    edge = [BOUNDARY]
    for n in again:
        r, ws, ys = where[n][3], window_words[n], labels[n]
        keys = list(zip(ys, edge + ys[:-1], ys[1:] + edge))  # a token's label, its neighbours'
        ks = list(map(around.get, keys))
        if None in ks:
            ks = [around[key] if key in around
                  else table.add_extra(around, key, token_document_features("", *key, {}, {})) for key in keys]
        pairs = list(zip(ws, ys))
        ms = list(map(memo.get, pairs))
        if None in ms:
            for j, pair in enumerate(pairs):
                if ms[j] is None:
                    c = counts.get(pair[0])
                    f = () if c is None else tuple(non_local(c, pair[1]))
                    m = nl.get(f)
                    if m is None:
                        m = table.add_extra(nl, f, f)
                    ms[j] = memo[pair] = m
        tokens.extend(range(r, r + len(ws)))
        rows_around.extend(ks)
        rows_nl.extend(ms)
    extra = table.extra_scores()
    em = table.emissions(1, ids, codes, np.array(tokens, dtype=np.intp))  # the windows again, one after another
    em += extra[np.array(rows_around, dtype=np.intp)] + extra[np.array(rows_nl, dtype=np.intp)]
    ends = list(accumulate(len(window_words[n]) for n in again))
    names = second.labels
    for n, y in zip(again, viterbi(em, list(zip([0] + ends[:-1], ends)), second.transitions)):
        labels[n] = list(map(names.__getitem__, y))


def _spans(toks: Tokens, a: int, labels: Sequence[str]) -> list[tuple[int, int, str]]:
    out = []
    start = typ = None
    end = 0
    words, starts = toks.words, toks.starts()
    for i, lab in enumerate(labels, a):
        if lab == "O" or words[i] in SPAN_BREAKS:  # "Foreign Ministry, Sergei Lavrov" is two names
            if start is not None:
                out.append((start, end, TYPES[typ]))
                start = typ = None
            continue
        if typ is not None and lab[0] == "I" and typ == lab[2:]:
            end = starts[i] + len(words[i])
            continue
        if start is not None:
            out.append((start, end, TYPES[typ]))
        start, typ = starts[i], lab[2:]
        end = start + len(words[i])
    if start is not None:
        out.append((start, end, TYPES[typ]))
    return out


__all__ = ["tag_texts", "tag_article", "model_path", "MODEL_FILE", "SECOND_FILE", "TYPES"]
