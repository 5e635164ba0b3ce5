"""The text analysis of passages: words, lower-cased, stop words, British
spellings, stemmed. The index, each passage's signals and the highlights all
use it, so it is on the ingest's hot path."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from whoosh.analysis import (STOP_WORDS, Analyzer, Filter, LowercaseFilter, RegexTokenizer, StemFilter,
                             StopFilter, Token)

_ISE = re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations|er|ers)$")


class SpellingFilter(Filter):
    """British ``-ise`` spellings to ``-ize``, so ``recognised`` meets ``recognized``."""

    def __call__(self, tokens):
        for t in tokens:
            if "is" in t.text:
                t.text = _ISE.sub(r"iz\1", t.text)
            yield t


_WORDS = re.compile(r"\d+(?:[.,]\d+)*|\w+(?:['’]\w+)*")


def reference_text_analyzer():
    """The text analysis as a chain of Whoosh's parts: words (numbers with their
    separators kept whole), lower-cased, stop words, ``-ise`` spellings,
    stemmed. :class:`TextAnalyzer` gives the same tokens, faster."""
    return (RegexTokenizer(_WORDS.pattern) | LowercaseFilter() | StopFilter()
            | SpellingFilter() | StemFilter())


@lru_cache(maxsize=1 << 16)
def _normal(word: str, stopped: bool) -> str:
    """A lower-case word as indexed: respelt, and stemmed unless a stop word."""
    from whoosh.lang.porter import stem
    if "is" in word:
        word = _ISE.sub(r"iz\1", word)
    return word if stopped else stem(word)


def word_forms(text: str) -> list[tuple[int, str, str]]:
    """(start, lower-case word, form) of each word of ``text``: the form as
    :class:`TextAnalyzer` gives it with ``removestops=False`` (a stop word
    respelt, any other word stemmed too), without Whoosh's token objects (each
    passage's signals are computed from these at index time)."""
    stops = STOP_WORDS
    out = []
    for m in _WORDS.finditer(text):
        low = m.group().lower()
        out.append((m.start(), low, _normal(low, len(low) < 2 or low in stops)))
    return out


def content_forms(text: str) -> tuple[str, ...]:
    """The forms of the words of ``text`` that are not stop words (nor a single
    character), in order: :func:`word_forms` without the stopped ones."""
    stops = STOP_WORDS
    return tuple(_normal(low, False) for low in map(str.lower, _WORDS.findall(text))
                 if not (len(low) < 2 or low in stops))


def surfaces(text: str, forms: Iterable[str]) -> dict[str, str]:
    """Form -> the first word of ``text`` that has it (as :class:`TextAnalyzer`
    gives forms with ``removestops=False``), for the forms found: the words a
    cross-reference's reasons are shown as, without Whoosh's token objects."""
    wanted = set(forms)
    found: dict[str, str] = {}
    if not wanted:
        return found
    stops = STOP_WORDS
    for m in _WORDS.finditer(text):
        raw = m.group()
        low = raw.lower()
        form = _normal(low, len(low) < 2 or low in stops)
        if form in wanted and form not in found:
            found[form] = raw
            if len(found) == len(wanted):
                break
    return found


class TextAnalyzer(Analyzer):
    """:func:`reference_text_analyzer` in one loop with the words' forms cached:
    the same tokens (text, positions renumbered past removed stop words,
    character offsets, stopped flags), for a fraction of the cost of five
    chained generators. Text is analysed for the index, for each passage's
    signals and for highlights, so this is on the ingest's hot path."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        stops = STOP_WORDS
        matches = _WORDS.finditer(value) if tokenize else (_Whole(value),)
        kept = None  # position of the last token kept: Whoosh renumbers past removed stop words
        for i, m in enumerate(matches):
            raw = m.group(0)
            low = raw.lower()
            stopped = len(low) < 2 or low in stops
            if stopped and removestops:
                continue
            t.text = _normal(low, stopped)
            t.boost = 1.0
            t.stopped = stopped
            if keeporiginal or not tokenize:
                t.original = raw
            if positions:
                if stopped:
                    t.pos = start_pos + i
                else:
                    kept = start_pos + i if kept is None else kept + 1
                    t.pos = kept
            if chars:
                t.startchar = start_char + m.start()
                t.endchar = start_char + m.end()
            yield t


class _Whole:
    """The whole value as one match (``tokenize=False``)."""

    def __init__(self, value: str):
        self.value = value

    def group(self, _):
        return self.value

    def start(self):
        return 0

    def end(self):
        return len(self.value)


def text_analyzer():
    return TextAnalyzer()


@lru_cache(maxsize=1)
def analyzer() -> TextAnalyzer:
    """One shared analyzer (it keeps no state between calls)."""
    return text_analyzer()
