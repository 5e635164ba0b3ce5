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

from reader.core.entities.aliases import AliasConfig, find_alias_file, load_aliases
from reader.core.entities.clusters import resolve_corpus
from reader.core.entities.gazetteer import demonym_place
from reader.core.entities.keys import normalise_name, phonetic
from reader.core.entities.mentions import recognise_article
from reader.core.entities.resolve import LOOKUP_CUTOFF, Resolution, ResolutionDataError

ENTITY_VERSION = 12
"""Bumped whenever recognition or resolution changes, so cached analyses are redone."""

__all__ = ["ENTITY_VERSION", "recognise_article", "resolve_corpus", "Resolution", "ResolutionDataError",
           "AliasConfig", "load_aliases", "find_alias_file", "demonym_place", "normalise_name", "phonetic",
           "LOOKUP_CUTOFF"]
