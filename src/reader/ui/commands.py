"""Command palette: jump to an entity or an article by name, or open an entity's quotes."""

from __future__ import annotations

import asyncio
from functools import partial

from textual.command import Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from reader.core.errors import ReaderError
from reader.ui.safe import clean

ENTITY_HITS = 8
"""How many entities the palette offers for a query."""


class JumpCommands(Provider):
    """Entities and article titles, fuzzily matched."""

    async def search(self, query: str) -> Hits:
        main = getattr(self.app, "main", None)
        if main is None or not main.ready or len(query) < 2:
            return
        try:  # rapidfuzz over every entity name: off the event loop
            entities = await asyncio.to_thread(main.lib.resolve, query, ENTITY_HITS)
        except ReaderError:
            entities = []
        matcher = self.matcher(query)
        grouping = "Group the articles by story (g)"
        if matcher.match(grouping) > 0:
            yield Hit(matcher.match(grouping), matcher.highlight(grouping), main.action_group_stories,
                      text=grouping, help="Each story a header with its reports, outlets and dates; g again undoes it")
        for e, score in entities:
            name = clean(e.name)
            yield Hit(score / 100, Content(f"Go to {e.type} {name}"), partial(main.start_walk, e.id, 1),
                      text=name, help=f"{e.articles} articles, {e.mentions} mentions")
            if e.type != "place":
                yield Hit(score / 100 * 0.95, Content(f"Quotes of {name}"), partial(main.show_quotes, e.id),
                          text=f"Quotes of {name}", help="What they said, across the corpus, by article")
        for info in main.query_one("#list").infos:
            title = clean(info.title)
            score = matcher.match(title)
            if score > 0:
                yield Hit(score * 0.9, highlight(matcher, title), partial(main.jump, info.id, 0),
                          text=title, help=escape(f"Open the article ({clean(info.site or info.path)})"))


def highlight(matcher: Matcher, text: str) -> Content:
    """``text`` as plain content with the matched letters styled (Matcher.highlight
    reads its argument as markup: a title holding ``[/b]`` broke the palette)."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if score:
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
