"""Every article of a library by id, each loaded only when asked for."""

from __future__ import annotations

from collections.abc import Mapping

from reader.core.model import Article


class LazyArticles(Mapping):
    """A read-only mapping of article id -> resolved article, loaded on access."""

    def __init__(self, lib):
        self.lib = lib
        self.ids = [i.id for i in lib.infos()]
        self.known = set(self.ids)
        self.cache: dict[str, Article] = {}

    def __getitem__(self, key: str) -> Article:
        if key not in self.known:
            raise KeyError(key)
        if key not in self.cache:
            self.cache[key] = self.lib.article(key)
        return self.cache[key]

    def __contains__(self, key: object) -> bool:
        return key in self.known

    def __iter__(self):
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)
