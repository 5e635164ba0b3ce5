"""kreader: a terminal reader for news corpora.

The public API, for scripts and for kreader's own command line and reader::

    from reader import open_library
    lib = open_library("~/news/karabakh")
    for step in lib.update():
        ...
    hits = lib.search('place:"nagorno karabakh" blockade')

Names are loaded on first use, so ``import reader`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

_EXPORTS = {
    "Library": "reader.core.library",
    "Progress": "reader.core.library",
    "UpdateSummary": "reader.core.library",
    "Article": "reader.core.model",
    "Passage": "reader.core.model",
    "Mention": "reader.core.model",
    "Entity": "reader.core.model",
    "Removed": "reader.core.model",
    "LoadWarning": "reader.core.model",
    "SourceFile": "reader.core.model",
    "ReaderError": "reader.core.errors",
    "CorpusError": "reader.core.errors",
    "ConfigError": "reader.core.errors",
    "IndexError_": "reader.core.errors",
    "QueryError": "reader.core.errors",
    "NotFoundError": "reader.core.errors",
    "BookmarkError": "reader.core.errors",
    "BookmarksReadOnly": "reader.core.errors",
}

__all__ = ["open_library", *_EXPORTS]

if TYPE_CHECKING:
    from reader.core.errors import (BookmarkError, BookmarksReadOnly, ConfigError, CorpusError, IndexError_,
                                    NotFoundError, QueryError, ReaderError)
    from reader.core.library import Library, Progress, UpdateSummary
    from reader.core.model import Article, Entity, LoadWarning, Mention, Passage, Removed, SourceFile


def open_library(corpus, index_dir=None, **options) -> "Library":
    """Open the corpus folder ``corpus`` for reading (call ``.update()`` to index it)."""
    from pathlib import Path

    from reader.core.library import Library
    return Library(Path(corpus).expanduser(), Path(index_dir).expanduser() if index_dir else None, **options)


def __getattr__(name: str):
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'reader' has no attribute {name!r}") from None
    return getattr(importlib.import_module(module), name)
