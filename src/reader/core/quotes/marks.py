"""Stretches of text in quotation marks.

Double marks (``"``, ``“ ”``, ``„ “``, ``« »``) are read first; single marks
(``‘ ’`` and ``'`` used as quote marks, not apostrophes) only outside them.
A straight mark opens or closes by what stands around it. An opening mark met
while a quote is open closes that quote just before it: the dataset or the
cleaner ran two paragraphs together, the first of which carried on its quote.
A quote still open at the end of a passage runs to its end; when the next
passage opens with a mark, the quote carries on there (news style leaves the
closing mark off a paragraph that the quotation continues into).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPEN = {"“": "”", "„": "“", "«": "»", "‹": "›"}
"""Opening double (and angle) marks and the mark that closes each."""
DOUBLE_CLOSE = frozenset("”»›")
"""Marks that only close."""
SINGLE_OPEN = "‘"
SINGLE_CLOSE = "’"
OPEN_BEFORE = frozenset(" \t\n([{—–-/:;,")
"""Characters after which a straight mark opens a quote."""
_DOUBLE_MARK = re.compile('["“”„«»‹›]')
_SINGLE_MARK = re.compile("[‘’']")
MAX_SINGLE_WORDS = 80
"""Longest quote in single marks taken (beyond it, a stray apostrophe is likelier)."""


@dataclass(frozen=True, slots=True)
class Span:
    """One quoted stretch of a passage."""

    start: int
    """Offset of the first quoted character (just inside the mark)."""
    end: int
    """Offset just past the last quoted character (before the closing mark)."""
    open_at: int
    """Offset of the opening mark."""
    close_at: int
    """Offset of the closing mark; ``len(text)`` when the passage ends first."""
    closed: bool
    """Whether a closing mark ends it in this passage."""

    @property
    def outer_end(self) -> int:
        """Just past the closing mark."""
        return self.close_at + (1 if self.closed else 0)


def quoted_spans(text: str) -> list[Span]:
    """The quoted stretches of one passage, in order, never overlapping."""
    doubles = _doubles(text)
    singles: list[Span] = []
    last = 0
    for s in doubles + [None]:
        stop = s.open_at if s else len(text)
        singles += _singles(text, last, stop)
        last = s.outer_end if s else last
    spans = sorted(doubles + singles, key=lambda s: s.open_at)
    return [s for s in spans if text[s.start:s.end].strip()]


def opens_with_mark(text: str) -> bool:
    """Whether a passage begins with an opening quote mark (a quotation carrying on)."""
    t = text.lstrip()
    return bool(t) and (t[0] in DOUBLE_OPEN or t[0] == '"' or t[0] == SINGLE_OPEN
                        or (t[0] == "'" and len(t) > 1 and t[1].isalnum()))


def _span(text: str, open_at: int, close_at: int, closed: bool) -> Span:
    start, end = open_at + 1, close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end, open_at, close_at, closed)


def _doubles(text: str) -> list[Span]:
    out: list[Span] = []
    open_at, closer = -1, ""
    for found in _DOUBLE_MARK.finditer(text):
        i, ch = found.start(), found.group()
        prev = text[i - 1] if i else " "
        nxt = text[i + 1] if i + 1 < len(text) else " "
        if open_at >= 0:
            if (ch == closer and ch != '"') or ch in DOUBLE_CLOSE or (ch == '"' and not _opens(prev, nxt)):
                out.append(_span(text, open_at, i, True))
                open_at = -1
                continue
            if ch in DOUBLE_OPEN or ch == '"':  # a new quote: the open one ran on unclosed
                out.append(_span(text, open_at, i, False))
                open_at, closer = i, DOUBLE_OPEN.get(ch, '"')
            continue
        if ch in DOUBLE_OPEN or (ch == '"' and not nxt.isspace()):
            open_at, closer = i, DOUBLE_OPEN.get(ch, '"')
    if open_at >= 0:
        out.append(_span(text, open_at, len(text), False))
    return out


def _opens(prev: str, nxt: str) -> bool:
    """Whether a straight mark between these characters opens a quote."""
    return (prev.isspace() or prev in OPEN_BEFORE) and not nxt.isspace()


def _single_opener(text: str, i: int) -> bool:
    ch = text[i]
    if ch not in (SINGLE_OPEN, "'"):
        return False
    prev = text[i - 1] if i else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if not (prev.isspace() or prev in OPEN_BEFORE or prev in DOUBLE_OPEN or prev == '"'):
        return False
    if not (nxt.isalnum() or nxt in "…."):
        return False
    rest = text[i + 1:i + 4]
    return not (rest[:2].isdigit() and rest[2:3] in ("s", " "))  # '90s, '05


def _single_closers(text: str, i: int, stop: int) -> list[int]:
    out = []
    for found in _SINGLE_MARK.finditer(text, i + 1, stop):
        j = found.start()
        if text[j] == SINGLE_OPEN:
            continue
        prev, nxt = text[j - 1], text[j + 1] if j + 1 < len(text) else " "
        if prev.isspace() or nxt.isalnum():
            continue
        out.append(j)
    return out


def _possessive(text: str, j: int) -> bool:
    """A mark after an ``s`` and before a word: likelier ``the players’ union``."""
    return text[j - 1] in "sS" and text[j + 1:j + 2] == " " and text[j + 2:j + 3].isalpha()


def _singles(text: str, lo: int, hi: int) -> list[Span]:
    out: list[Span] = []
    marks = [m.start() for m in _SINGLE_MARK.finditer(text, lo, hi)]
    if len(marks) < 2 and not (marks and hi == len(text)):
        return out
    i = lo
    while i < hi:
        i = next((k for k in marks if k >= i), hi)
        if i >= hi:
            break
        if not _single_opener(text, i):
            i += 1
            continue
        closers = _single_closers(text, i, hi)
        firm = [j for j in closers if not _possessive(text, j)]
        nxt_open = text.find(SINGLE_OPEN, i + 1, hi)
        nxt_open = hi if nxt_open < 0 else nxt_open
        firm = [j for j in firm if j < nxt_open] or [j for j in closers if j < nxt_open]
        if firm:
            j = firm[0]
            if len(text[i + 1:j].split()) <= MAX_SINGLE_WORDS:
                out.append(_span(text, i, j, True))
                i = j + 1
                continue
        elif hi == len(text) and i == len(text) - len(text.lstrip()) and len(text[i:].split()) > 3:
            out.append(_span(text, i, hi, False))  # a paragraph opening a quote it carries on
            break
        i += 1
    return out
