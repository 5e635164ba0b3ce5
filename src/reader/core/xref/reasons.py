"""Which shared words are shown as the reasons of a cross-reference.

A reason is a word rare enough to say something: a word found in a large
share of the passages (``three``, ``December``, ``profits`` in a business
corpus) is not one, nor a count or a calendar word; nor a word of a shared
entity's name or the title standing before it (``Prime Minister`` beside
``Nikol Pashinyan``): the entity is already named.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from reader.core.search.analyzer import analyzer
from reader.core.xref.figures import NUMBER_WORDS

GENERIC_FRACTION = 0.5
"""A word is generic when its rarity is below this share of the rarest word's
(at 20,000 passages: found in more than about 1% of them)."""
CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow week weeks "
    "month months year years day days hour hours minute minutes quarter quarterly annual "
    "percent per cent bn billion million thousand hundred dozen".split())
"""Words of time and quantity: never a reason on their own."""
TITLE_WORDS_BEFORE = 3
"""Capitalised words standing right before a name are read as its title (``Prime Minister``)."""


def _stems(words: Iterable[str]) -> set[str]:
    analyse = analyzer()
    return {t.text for w in words for t in analyse(w)}


GENERIC_STEMS = frozenset(_stems(CALENDAR) | _stems(NUMBER_WORDS))
"""The stems of :data:`CALENDAR` and of counts written as words."""


def is_generic(stem: str, idf: float, n_docs: int) -> bool:
    """Whether a shared word says too little to be shown as a reason."""
    if stem in GENERIC_STEMS or re.fullmatch(r"[\d.,]{1,2}", stem):
        return True
    return idf < GENERIC_FRACTION * math.log(1 + n_docs)


def name_words(text: str, spans: Iterable[tuple[int, int, str]], forms: set[str]) -> set[str]:
    """Stems of the words inside the mentions of ``forms`` in ``text`` and of
    the capitalised words right before them (their titles)."""
    return words_of_names(mention_words(text, [s for s in spans if s[2] in forms]), forms)


def mention_words(text: str, spans: Iterable[tuple[int, int, str]]) -> list[tuple[str, set[str]]]:
    """Each mention's form and the stems of its words and of its title (see
    :func:`name_words`): a passage compared with many is analysed once."""
    analyse = analyzer()
    out = []
    for start, end, form in spans:
        words = {t.text for t in analyse(text[start:end])}
        for word in reversed(text[max(0, start - 60):start].split()[-TITLE_WORDS_BEFORE:]):
            if not word[0].isupper() or not word[-1].isalnum():
                break  # the title ends where a lower-case word or a comma stands
            words.update(t.text for t in analyse(word))
        out.append((form, words))
    return out


def words_of_names(mentions: list[tuple[str, set[str]]], forms: set[str]) -> set[str]:
    """:func:`name_words` from a passage's :func:`mention_words`."""
    out: set[str] = set()
    for form, words in mentions:
        if form in forms:
            out |= words
    return out
