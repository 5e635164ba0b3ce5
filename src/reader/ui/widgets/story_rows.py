"""The article list grouped by story: a header row per story (its count,
outlets and dates), its articles under it. Only builds rows; the list shows them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.text import Text

from reader.ui.safe import clean

if TYPE_CHECKING:
    from reader.core.library.store import ArticleInfo
    from reader.core.stories import Story

HEADER = "\x1estory:"
"""Row keys of story headers start with this (no article id can)."""
MAX_SITES = 3
"""Outlets named in a header; the rest are counted."""


def is_header(key: str | None) -> bool:
    """Whether a row key is a story header's."""
    return bool(key) and key.startswith(HEADER)


def dates(story: Story) -> str:
    """``2031-03-04 to 2031-03-07``, one date, or ``undated``."""
    if not story.first:
        return "undated"
    return story.first if story.first == story.last else f"{story.first} to {story.last}"


def header(story: Story) -> Text:
    """A story's header row: title, then count · outlets · dates."""
    count = len(story.articles)
    sites = ", ".join(story.sites[:MAX_SITES]) + (f" +{len(story.sites) - MAX_SITES}"
                                                 if len(story.sites) > MAX_SITES else "")
    text = Text(f"▾ {clean(story.title)}", style="bold reverse", no_wrap=True, overflow="ellipsis")
    meta = " · ".join(x for x in (f"{count} report{'s' if count != 1 else ''}", clean(sites), dates(story)) if x)
    text.append("\n  " + meta, style="italic")
    return text


def grouped(stories: Iterable[Story], infos: Iterable[ArticleInfo]) -> list[tuple[str, Story | ArticleInfo]]:
    """(row key, story or article) in the order shown: each story's header,
    then its articles; articles no story holds (the book not yet updated) last."""
    by_id = {i.id: i for i in infos}
    rows: list[tuple[str, Story | ArticleInfo]] = []
    for s in stories:
        members = [by_id.pop(a) for a in s.articles if a in by_id]
        if members:
            rows.append((HEADER + s.id, s))
            rows.extend((i.id, i) for i in members)
    rows.extend((i.id, i) for i in by_id.values())
    return rows
