"""Text made safe to print on a terminal, and counted words in sentences.

Ids and paths come from file names, titles from file contents, bookmark quotes
and notes from a file the user may edit; any of them can hold an ESC (an OSC 2
sequence sets the terminal's title, OSC 52 writes the clipboard), a C1 control
(U+009B is a CSI on some terminals) or a bidi control that reorders the line.
:func:`visible` writes each such character as its escape (``\\x1b``,
``\\u202e``), so it is seen, not obeyed, and the output says what was there.
"""

from __future__ import annotations

BIDI_CONTROLS = (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
"""Embeddings, overrides and isolates: they reorder what follows on the line."""

CONTROLS = (*range(0x20), 0x7F, *range(0x80, 0xA0), *BIDI_CONTROLS)
"""Every character :func:`visible` escapes (line breaks only on one line)."""


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_ONE_LINE = {c: _escape(c) for c in CONTROLS}
_LINES = {**_ONE_LINE, 0x0A: "\n"}


def visible(text: object, *, lines: bool = False) -> str:
    """``text`` with every control character written as its escape (``\\x1b``);
    line breaks are kept when ``lines``, else escaped too (``\\x0a``), so a
    value prints as one line. Tabs are kept as spaces."""
    s = str(text if text is not None else "")
    if s.isprintable():  # the common case: nothing to escape
        return s
    return s.replace("\t", " ").translate(_LINES if lines else _ONE_LINE)


IRREGULAR = {"entity": "entities", "story": "stories", "is": "are", "was": "were"}
"""Plurals that are not the word with an ``s``."""


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 article``, ``2 articles``, ``3 entities``: ``n`` and the word in the right number."""
    if n == 1:
        return f"{n} {word}"
    return f"{n:,} {many or IRREGULAR.get(word) or word + 's'}"
