"""People, places and organisations: recognising mentions, resolving them to entities.

Two steps, both without any model download:

1. :func:`recognise_article` (per article, pure, cacheable) tags names with the
   trained model shipped in the package (a CRF over word, shape, gazetteer and
   context features: :mod:`reader.core.entities.model`, trained by
   :mod:`reader.core.entities.train`), cuts its spans into names and types each
   consistently over the article. See :mod:`reader.core.entities.mentions`.
2. :func:`resolve_corpus` (the whole corpus) clusters the mentions into
   entities with rapidfuzz, types each entity by the evidence of all its
   mentions, and applies the user's alias file. :meth:`Resolution.apply` then
   puts the final type and entity id on an article's mentions, and
   :meth:`Resolution.lookup` answers fuzzy look-ups. See :mod:`reader.core.entities.clusters`
   and :mod:`reader.core.entities.resolve`.

The user's alias file (``aliases.yaml`` beside the corpus, else in kreader's
config folder; see :func:`find_alias_file`) merges, splits, renames, retypes
or suppresses entities; its format is in :mod:`reader.core.entities.aliases` and the
README. A malformed file raises :class:`~reader.core.errors.ConfigError`
naming the file and the line.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

ENTITY_VERSION = 17
"""Bumped whenever recognition or resolution changes, so cached analyses are redone."""

_EXPORTS = {"AliasConfig": "aliases", "find_alias_file": "aliases", "load_aliases": "aliases",
            "resolve_corpus": "passes", "demonym_place": "gazetteer", "normalise_name": "keys",
            "phonetic": "keys", "recognise_article": "mentions", "LOOKUP_CUTOFF": "resolve",
            "Resolution": "resolve"}
"""Where each name lives: loaded on first use, so a search or a look-up imports
neither the recogniser nor the corpus resolver (the command line starts fast)."""

if TYPE_CHECKING:
    from reader.core.entities.aliases import AliasConfig, find_alias_file, load_aliases
    from reader.core.entities.passes import resolve_corpus
    from reader.core.entities.gazetteer import demonym_place
    from reader.core.entities.keys import normalise_name, phonetic
    from reader.core.entities.mentions import recognise_article
    from reader.core.entities.resolve import LOOKUP_CUTOFF, Resolution


def __getattr__(name: str):
    try:
        module = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = globals()[name] = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    return value


__all__ = ["ENTITY_VERSION", "recognise_article", "resolve_corpus", "Resolution",
           "AliasConfig", "load_aliases", "find_alias_file", "demonym_place", "normalise_name", "phonetic",
           "LOOKUP_CUTOFF"]
