"""Text from files made safe to show: no control character reaches the
terminal, and nothing is read as markup.

Ids and paths come from file names, titles and passages from file contents,
bookmark quotes and notes from a file the user may edit: any of them can hold
an ESC (an OSC 2 sequence sets the terminal's title, OSC 52 writes the
clipboard) or text that looks like Rich markup (``[/b]``, ``[@click=…]``).
Everything the reader shows from them goes through :func:`clean` and reaches a
widget as a :class:`rich.text.Text` (never a markup string).
"""

from __future__ import annotations

from rich.text import Text

from reader.core.text import BIDI_CONTROLS

CONTROL_PICTURE = 0x2400
"""U+2400 + a C0 code is that code's visible picture (ESC shows as ␛)."""

_ONE_LINE = {
    **{c: chr(CONTROL_PICTURE + c) for c in range(0x20)},
    0x09: " ", 0x0A: " ", 0x0D: " ",
    0x7F: "\u2421",
    **{c: "\ufffd" for c in range(0x80, 0xA0)},
    **{c: "\ufffd" for c in BIDI_CONTROLS},
}
"""One character for one: offsets of highlight spans stay right."""

_LINES = {**_ONE_LINE, 0x0A: "\n"}


def clean(text: object, *, lines: bool = False) -> str:
    """``text`` with every control character replaced by a visible one of the
    same length (line breaks and tabs become spaces unless ``lines``)."""
    return str(text if text is not None else "").translate(_LINES if lines else _ONE_LINE)


def plain(text: object, style: str = "", *, lines: bool = False) -> Text:
    """``text`` cleaned, as a Text that no widget reads as markup."""
    return Text(clean(text, lines=lines), style=style)


def shorten(text: object, width: int) -> str:
    """``text`` on one line, cut at a word with an ellipsis when longer than
    ``width`` characters (or mid-word when one word is longer)."""
    s = " ".join(clean(text).split())
    if len(s) <= width:
        return s
    cut = s[:width - 1]
    at = cut.rfind(" ")
    if at > width // 2:
        cut = cut[:at]
    return cut.rstrip(" ,;:.-—") + "…"
