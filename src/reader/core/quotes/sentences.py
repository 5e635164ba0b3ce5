"""Sentences of a passage, and their words with each quoted stretch as one word.

A sentence ends at ``.``, ``!`` or ``?`` (and any closing marks after it)
followed by a space and a capital, a digit or an opening mark, except after
a title (``Mr.``) or an initial (``J.``); a stop inside quotation marks never
ends the sentence around them (``"Why now?" he asked.`` is one sentence).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from reader.core.quotes.marks import Span

ABBREVIATIONS = frozenset("""
mr mrs ms dr st prof gen col lt sgt rev sen rep gov jr sr no vs etc capt maj adm cmdr supt insp
det mt ft jan feb mar apr jun jul aug sep sept oct nov dec inc corp ltd co
""".split())
"""Words that end in a full stop without ending the sentence."""
_END = re.compile(r"[.!?]+[\"”’'»)\]]*(?=\s+[\"“‘'«(A-Z0-9])")
_LAST_WORD = re.compile(r"(\w+)\W*$")
LAST_WORD_REACH = 24
"""Characters before a stop searched for the word it ends (an abbreviation?)."""
_WORD = re.compile(r"[\w$£€%]+(?:[’'.\-&][\w$£€%]+)*|\S")


class Tok(NamedTuple):
    """A word, a punctuation mark, or a whole quoted stretch (``is_quote``). A named tuple:
    a passage makes hundreds, and a tuple is the cheapest thing to make."""

    text: str
    start: int
    end: int
    quote: int = -1
    """Index of the quoted stretch this word stands for, -1 for a plain word."""
    low: str = ""
    """``text`` lower-cased."""
    is_quote: bool = False


def sentences(text: str, spans: list[Span]) -> list[tuple[int, int]]:
    """The (start, end) of each sentence of ``text``, none cut inside a quoted stretch."""
    inside = [(s.open_at, s.outer_end) for s in spans]
    out, start = [], 0
    for m in _END.finditer(text):
        cut = m.end()
        if any(a < m.start() < b for a, b in inside) and not any(
                a < m.start() and cut <= b and not text[cut:b].strip() for a, b in inside):
            continue
        word = _LAST_WORD.search(text, max(start, m.start() - LAST_WORD_REACH), m.start() + 1)
        if m.group().startswith(".") and word and (word.group(1).lower() in ABBREVIATIONS
                                                   or (len(word.group(1)) == 1 and word.group(1).isupper())):
            continue
        if any(a < cut < b and text[cut:b].strip() for a, b in inside):
            continue
        out.append((start, cut))
        start = cut
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def tokens(text: str, start: int, end: int, spans: list[Span], inside: list[int] | None = None) -> list[Tok]:
    """The words of ``text[start:end]``, each quoted stretch (marks included) one :class:`Tok`
    (``inside``: the indices of the spans that reach into it, when the caller knows them)."""
    out: list[Tok] = []
    pos = start
    for k in (range(len(spans)) if inside is None else inside):
        s = spans[k]
        if s.outer_end <= start or s.open_at >= end:
            continue
        a, b = max(s.open_at, start), min(s.outer_end, end)
        out += _words(text, pos, a)
        out.append(Tok(text[a:b], a, b, k, "", True))
        pos = b
    out += _words(text, pos, end)
    return out


def _words(text: str, a: int, b: int) -> list[Tok]:
    new, cls, find = tuple.__new__, Tok, text.find  # the named tuple's own __new__ costs twice as much
    low = text[a:b].lower()  # once for the stretch, then sliced: cheaper than a lower() per word
    if len(low) != b - a:  # a letter whose lower case is longer (``İ``): word by word
        return [new(cls, (w.text, w.start, w.end, -1, w.text.lower(), False)) for w in _words_as_is(text, a, b)]
    out = []
    pos = a
    for w in _WORD.findall(text, a, b):  # strings, then their places: cheaper than match objects
        s = find(w, pos)
        pos = s + len(w)
        out.append(new(cls, (w, s, pos, -1, low[s - a:pos - a], False)))
    return out


def _words_as_is(text: str, a: int, b: int) -> list[Tok]:
    out, pos = [], a
    for w in _WORD.findall(text, a, b):
        s = text.find(w, pos)
        pos = s + len(w)
        out.append(Tok(w, s, pos))
    return out
