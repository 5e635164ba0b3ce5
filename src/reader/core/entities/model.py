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

from reader.core.entities.features import Tokens, document_votes, sequence_features, tokenise, windows
from reader.core.errors import ReaderError

MODEL_FILE = "data/ner.crfsuite"
"""The model's path inside the package."""
TYPES = {"PER": "person", "LOC": "place", "ORG": "organization"}
"""The model's labels and the types kreader gives them."""
SPAN_BREAKS = frozenset(',;:()[]"“”«»|/')
"""Marks no name holds: a span the model runs across one is cut there."""
_LOCAL = threading.local()


def model_path() -> Path:
    """Where the package keeps its model file."""
    return Path(str(resources.files("reader.core.entities").joinpath(MODEL_FILE)))


@functools.lru_cache(maxsize=1)
def _model_bytes_path() -> str:
    path = model_path()
    if not path.is_file():
        raise ReaderError(f"The entity model {path} is missing; reinstall kreader or retrain it with "
                          f"python -m reader.core.entities.train PATH.")
    return str(path)


def _tagger():
    """This thread's tagger (crfsuite taggers are not shared between threads)."""
    tagger = getattr(_LOCAL, "tagger", None)
    if tagger is None:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        try:
            tagger.open(_model_bytes_path())
        except (OSError, ValueError) as e:
            raise ReaderError(f"The entity model {_model_bytes_path()} cannot be read ({e}); reinstall kreader "
                              f"or retrain it with python -m reader.core.entities.train PATH.") from e
        _LOCAL.tagger = tagger
    return tagger


def tag_texts(texts: Sequence[str]) -> list[tuple[Tokens, list[tuple[int, int, str]]]]:
    """For each text, its tokens and the (start, end, type) of the names the model
    finds in it; the article-level features see all the texts together."""
    toks = [tokenise(t) for t in texts]
    votes = document_votes(toks)
    tagger = _tagger()
    out = []
    for t in toks:
        found: list[tuple[int, int, str]] = []
        for a, b in windows(t, votes):
            labels = tagger.tag(sequence_features(t, votes, a, b))
            if any(lab != "O" for lab in labels):
                found.extend(_spans(t, a, labels))
        out.append((t, found))
    return out


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


__all__ = ["tag_texts", "model_path", "MODEL_FILE", "TYPES"]
