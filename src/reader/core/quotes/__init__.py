"""Who said what: direct and indirect quotes in an article, and their speakers.

Pure functions over an :class:`~reader.core.model.Article`'s passages and the
mentions recognition put on them (no model, no index):

* :mod:`.marks` finds the stretches in quotation marks (straight, curly,
  guillemets, single quotes used as quote marks), including a quotation that
  runs over several paragraphs;
* :mod:`.sentences` splits a passage into sentences and words, with each
  quoted stretch as one word;
* :mod:`.cues` holds the word lists (verbs of saying, pronouns, description
  heads);
* :mod:`.attribute` finds the cue and the speaker's words around a quote or a
  content clause, and the mention a pronoun or description refers to;
* :mod:`.extract` puts them together: :func:`find_quotes`.

A speaker keeps a reference to the mention it resolved to (passage and
offset); :func:`speaker_entity` turns it into an entity once the corpus-wide
resolution has put entity ids on the mentions; :mod:`.corpus` gives a
corpus's quotes by speaker (:class:`QuoteIndex`).
"""

from __future__ import annotations

from reader.core.quotes.corpus import QuoteIndex, Said, said_in
from reader.core.quotes.extract import find_quotes, speaker_entity
from reader.core.quotes.types import Quote, Speaker

QUOTES_VERSION = 4
"""Bumped whenever quote finding changes, so stored analyses are redone."""

__all__ = ["QUOTES_VERSION", "Quote", "Speaker", "find_quotes", "speaker_entity", "said_in", "Said", "QuoteIndex"]
