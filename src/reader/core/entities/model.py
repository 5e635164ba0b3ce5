"""The trained recogniser: a linear-chain CRF (python-crfsuite) shipped with the package.

:func:`tag_texts` tags an article's texts with it and gives the spans it finds,
each with its type; :mod:`reader.core.entities.mentions` makes them
consistent over the article. The model file lives in the package
(``data/ner.crfsuite``, loaded through :mod:`importlib.resources`, never
downloaded); :mod:`reader.core.entities.train` makes it again.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

from reader.core.entities.features import (Tokens, document_votes, label_counts, sequence_features, stacked_features,
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


def _open(name: str):
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    try:
        tagger.open(_model_bytes_path(name))
    except (OSError, ValueError) as e:
        raise ReaderError(f"The entity model {_model_bytes_path(name)} cannot be read ({e}); reinstall kreader "
                          f"or retrain it with python -m reader.core.entities.train PATH.") from e
    return tagger


def _tagger():
    """This thread's tagger (crfsuite taggers are not shared between threads)."""
    tagger = getattr(_LOCAL, "tagger", None)
    if tagger is None:
        tagger = _LOCAL.tagger = _open(MODEL_FILE)
    return tagger


def _second_tagger():
    """This thread's tagger of the document-level pass, or None where the package has no such model."""
    if not hasattr(_LOCAL, "second"):
        _LOCAL.second = _open(SECOND_FILE) if model_path(SECOND_FILE).is_file() else None
    return _LOCAL.second


def tag_texts(texts: Sequence[str]) -> list[tuple[Tokens, list[tuple[int, int, str]]]]:
    """For each text, its tokens and the (start, end, type) of the names the model
    finds in it; the article-level features see all the texts together. The second pass
    tags again each window holding a capitalised word the first pass labelled in two ways
    in the article (a name here, none there; a person here, a place there), seeing what it
    made of the same word elsewhere; where the first pass was of one mind, it stands."""
    toks = [tokenise(t) for t in texts]
    votes = document_votes(toks)
    tagger = _tagger()
    tagged = []
    for i, t in enumerate(toks):
        for a, b in windows(t, votes):
            x = sequence_features(t, votes, a, b)
            tagged.append((i, a, b, x, tagger.tag(x)))
    second = _second_tagger()
    if second is not None and tagged:
        counts = label_counts([toks[i].words[a:b] for i, a, b, _, _ in tagged], [y for *_, y in tagged])
        disputed = {w for w, c in counts.items() if len(c) > 1}
        for n, (i, a, b, x, y) in enumerate(tagged):
            words = toks[i].words[a:b]
            if not disputed.isdisjoint(words):
                tagged[n] = (i, a, b, x, second.tag(stacked_features(x, words, y, counts)))
    found: list[list[tuple[int, int, str]]] = [[] for _ in toks]
    for i, a, _, _, labels in tagged:
        if any(lab != "O" for lab in labels):
            found[i].extend(_spans(toks[i], a, labels))
    return list(zip(toks, found))


def _spans(toks: Tokens, a: int, labels: Sequence[str]) -> list[tuple[int, int, str]]:
    out = []
    start = typ = None
    end = 0
    words = toks.words
    for i, lab in enumerate(list(labels) + ["O"]):
        if lab != "O" and i < len(labels) and words[a + i] in SPAN_BREAKS:
            lab = "O"  # "Foreign Ministry, Sergei Lavrov" is two names
        if lab.startswith("I-") and typ == lab[2:]:
            end = toks.end(a + i)
            continue
        if start is not None:
            out.append((start, end, TYPES[typ]))
            start = typ = None
        if lab != "O":
            start, end, typ = toks.start(a + i), toks.end(a + i), lab[2:]
    return out


__all__ = ["tag_texts", "model_path", "MODEL_FILE", "SECOND_FILE", "TYPES"]
