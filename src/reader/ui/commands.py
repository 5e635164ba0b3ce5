"""Command palette: jump to an entity or an article by name."""

from __future__ import annotations

from functools import partial

from textual.command import Hit, Hits, Provider


class JumpCommands(Provider):
    """Entities and article titles, fuzzily matched."""

    async def search(self, query: str) -> Hits:
        main = getattr(self.app, "main", None)
        if main is None or not main.ready or len(query) < 2:
            return
        matcher = self.matcher(query)
        for e, score in main.lib.resolve(query, limit=8):
            yield Hit(score / 100, f"Go to {e.type} {e.name}",
                      partial(self._entity, main, e.id), text=f"{e.name}",
                      help=f"{e.articles} articles, {e.mentions} mentions")
        for info in main.query_one("#list").infos:
            score = matcher.match(info.title)
            if score > 0:
                yield Hit(score * 0.9, matcher.highlight(info.title), partial(main.jump, info.id, 0),
                          text=info.title, help=f"Open the article ({info.site or info.path})")

    @staticmethod
    def _entity(main, entity_id: str) -> None:
        main.set_walk(entity_id, [(h.article, h.passage) for h in main.lib.entity_hits(entity_id)])
        main.action_walk(1)
