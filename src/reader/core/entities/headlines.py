"""Headlines: ALL CAPS or Title Case text, where capitals say nothing about names.

The model is not run on them (:mod:`reader.core.entities.mentions`); they get the
names the article's body, or the corpus (:meth:`Resolution.apply`), already knows.
"""

from __future__ import annotations

import re

from reader.core.entities.gazetteer import FUNCTION_WORDS
from reader.core.entities.keys import name_words

UPPER_RATIO = 0.6
"""Share of capitals among the letters of a text above which it is written in capitals."""
TITLE_CASE_RATIO = 0.8
"""Share of capitalised long words above which a text is in Title Case."""
LONG_HEADLINE = 120
"""Characters past which a text in Title Case is taken for a sentence of names, not a headline."""
HEADLINE_WORDS = 5
"""Most words of one name looked up in a headline."""
_UPPER = re.compile(r"[A-Z]")
_LETTER = re.compile(r"[^\W\d_]")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_PIECE = re.compile(r"[\w’'.-]+")


def _capitals_say_nothing(text: str) -> bool:
    """ALL CAPS or Title Case: capitals say nothing about names there."""
    if len(text) > LONG_HEADLINE:  # a long sentence of names is no headline, unless it is ALL CAPS
        return text.isupper() and len(_UPPER.findall(text)) > UPPER_RATIO * len(_LETTER.findall(text))
    upper, letters = len(_UPPER.findall(text)), len(_LETTER.findall(text))
    if letters >= 12 and upper > UPPER_RATIO * letters:
        return True
    long_words = _LONG_WORD.findall(text)[1:]
    return len(long_words) >= 4 and sum(w[0].isupper() for w in long_words) / len(long_words) > TITLE_CASE_RATIO


def is_headline(text: str, kind: str) -> bool:
    """Whether capitals in this title or passage say nothing about names."""
    return (kind in ("title", "heading") or text.isupper()) and _capitals_say_nothing(text)


def headline_mentions(text: str, typer) -> list[tuple[int, int, str, str]]:
    """In a headline, the names ``typer(name, words) -> type or None`` knows: (start, end, text, type),
    ``words`` being the name's :func:`~reader.core.entities.keys.name_words`."""
    spans = [(m.start(), m.end()) for m in _PIECE.finditer(text)]
    # The words of a piece of ASCII pieces are its pieces' words: what stands between two
    # pieces is no word character, no dot and no apostrophe, so it only separates.
    plain = text.isascii()
    piece_words = [name_words(text[a:b]) for a, b in spans] if plain else []
    out, i = [], 0
    while i < len(spans):
        for n in range(min(HEADLINE_WORDS, len(spans) - i), 0, -1):
            start, end = spans[i][0], spans[i + n - 1][1]
            piece = text[start:end].rstrip(".")
            if piece.endswith(("'s", "’s", "'S", "’S")):
                piece = piece[:-2]
            if plain:
                last = spans[i + n - 1][0]
                toks = (_joined(piece_words, i, i + n - 1) if n > 1 else ()) + name_words(piece[last - start:])
            else:
                toks = name_words(piece)
            if not toks or toks[0] in FUNCTION_WORDS or toks[-1] in FUNCTION_WORDS:
                continue
            typ = typer(piece, toks)
            if typ:
                out.append((start, start + len(piece), piece, typ))
                i += n
                break
        else:
            i += 1
    return out


def _joined(words: list[tuple[str, ...]], a: int, b: int) -> tuple[str, ...]:
    return sum(words[a:b], ())


__all__ = ["is_headline", "headline_mentions"]
