"""What a passage offers for relating it to others: content words and entities.

Computed once at index time (stored with the passage) and used by the
cross-reference engine, so no passage is analysed again at query time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reader.core.search.stopwords import STOPWORDS

ARTICLES = frozenset({"the", "a", "an"})


def content_stems(text: str, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """The passage's words, stemmed, in order: content words as they are,
    function words marked ``~`` (they count only inside a phrase: "until the
    end", "not involved"), ``""`` where an entity stood; articles skipped."""
    from reader.core.search.analyzer import word_forms  # here: Whoosh's analysis is not imported with this module
    inside = bytearray(len(text))
    for s, e, _ in spans:
        s, e = max(s, 0), min(e, len(text))
        if e > s:
            inside[s:e] = b"\x01" * (e - s)
    out: list[str] = []
    for start, low, form in word_forms(text):
        word = low.replace("’", "'") if "’" in low else low
        if word in ARTICLES:
            continue
        if len(form) < 2 or inside[start]:
            if out and out[-1]:
                out.append("")
            continue
        out.append("~" + form if word in STOPWORDS else form)
    return out


@dataclass(frozen=True)
class Signals:
    terms: frozenset[str]
    """Content stems."""
    pairs: frozenset[tuple[str, str]]
    """Adjacent content stems: a phrase signal ("until the end", "not involved")."""
    forms: frozenset[str]
    """Indexed entity forms (mentions and demonym places)."""


def make_signals(stems: list[str], forms: Iterable[str]) -> Signals:
    """Terms are the content words; a pair is two neighbours (no gap between them,
    not the same stem twice) of which at least one is a content word. One pass
    over the stems: the engine makes these for every passage it has not read yet,
    and comprehensions over zipped copies of the list took twice as long."""
    terms: set[str] = set()
    pairs: list[tuple[str, str]] = []
    before, before_bare, before_weak = "", "", True  # the previous stem ("": a gap), bare, weak
    for stem in stems:
        if not stem:
            before, before_weak = "", True
            continue
        if stem[0] == "~":  # a function word: paired with a content word only
            bare = stem[1:]
            if before and not before_weak and before != stem:
                pairs.append((before_bare, bare))
            before_weak = True
        else:
            bare = stem
            terms.add(stem)
            if before and before != stem:
                pairs.append((before_bare, bare))
            before_weak = False
        before, before_bare = stem, bare
    return Signals(frozenset(terms), frozenset(pairs), frozenset(f for f in forms if f))
