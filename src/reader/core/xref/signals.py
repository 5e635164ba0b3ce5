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
    """Terms are the content words; a pair needs at least one content word."""
    bare = [s[1:] if s[:1] == "~" else s for s in stems]
    weak = [not s or s[0] == "~" for s in stems]  # a function word, or a gap
    pairs = {(x, y) for x, y, a, b, wa, wb in zip(bare, bare[1:], stems, stems[1:], weak, weak[1:])
             if a and b and a != b and not (wa and wb)}
    terms = frozenset(s for s, w in zip(stems, weak) if not w)
    return Signals(terms, frozenset(pairs), frozenset(f for f in forms if f))
