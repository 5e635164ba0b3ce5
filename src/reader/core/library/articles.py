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


class StoreTitles(Mapping):
    """Article id -> title, each read from the store when asked for: what a
    search's few hits need, without listing every article of the corpus."""

    def __init__(self, store):
        self.store = store
        self.cache: dict[str, str] = {}

    def __getitem__(self, key: str) -> str:
        if key not in self.cache:
            title = self.store.title(key)
            if title is None:
                raise KeyError(key)
            self.cache[key] = title
        return self.cache[key]

    def __iter__(self):
        return (i.id for i in self.store.infos())

    def __len__(self) -> int:
        return self.store.count()
