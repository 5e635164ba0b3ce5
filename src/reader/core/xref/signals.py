"""What a passage offers for relating it to others: content words and entities.

Computed once at index time (stored with the passage) and used by the
cross-reference engine, so no passage is analysed again at query time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from reader.core.search.stopwords import STOPWORDS


@lru_cache(maxsize=1)
def _analyzer():
    from reader.core.search.analyzer import analyzer
    return analyzer()


ARTICLES = frozenset({"the", "a", "an"})


def content_stems(text: str, spans: Iterable[tuple[int, int, str]]) -> list[str]:
    """The passage's words, stemmed, in order: content words as they are,
    function words marked ``~`` (they count only inside a phrase: "until the
    end", "not involved"), ``""`` where an entity stood; articles skipped."""
    inside: set[int] = set()
    for s, e, _ in spans:
        inside.update(range(s, e))
    out: list[str] = []
    for tok in _analyzer()(text, chars=True, removestops=False):
        word = text[tok.startchar:tok.endchar].lower().replace("’", "'")
        if word in ARTICLES:
            continue
        if len(tok.text) < 2 or tok.startchar in inside:
            if out and out[-1]:
                out.append("")
            continue
        out.append("~" + tok.text if word in STOPWORDS else tok.text)
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
    """Terms are the content words; a pair needs at least one content word."""
    pairs = {(a.lstrip("~"), b.lstrip("~")) for a, b in zip(stems, stems[1:])
             if a and b and a != b and not (a[0] == "~" and b[0] == "~")}
    terms = frozenset(s for s in stems if s and s[0] != "~")
    return Signals(terms, frozenset(pairs), frozenset(f for f in forms if f))
