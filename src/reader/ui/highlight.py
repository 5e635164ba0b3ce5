"""Spans (data from the core) -> rich Text (styles from the CSS)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rich.style import Style
from rich.text import Text


def highlighted(text: str, spans: Iterable[tuple[int, int, str]], styles: Mapping[str, Style],
                base: Style | None = None) -> Text:
    """``text`` with each ``(start, end, style name)`` span styled."""
    out = Text(text, style=base or "")
    for start, end, name in spans:
        style = styles.get(name)
        if style is not None and 0 <= start < end <= len(text):
            out.stylize(style, start, end)
    return out


def mention_spans(mentions) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, m.type) for m in mentions]
