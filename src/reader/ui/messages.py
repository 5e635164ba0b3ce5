"""Messages the UI's parts post upwards (attributes down, messages up)."""

from __future__ import annotations

from textual.message import Message

from reader.core.library.facade import Progress
from reader.core.library.store import ArticleInfo


class IndexProgress(Message):
    """A step of the index update (consecutive ones coalesce)."""

    def __init__(self, step: Progress) -> None:
        super().__init__()
        self.step = step

    def can_replace(self, message: Message) -> bool:
        return (isinstance(message, IndexProgress) and message.step.warning is None
                and not message.step.articles)


class IndexReady(Message):
    """The index is open and can be read. ``infos``: its articles, read by the
    worker (None: as listed before); ``final``: every file of the corpus has
    been compared with it (else the index was trusted as the corpus's folders
    are, and the comparison follows); ``more``: the rest of the list follows."""

    def __init__(self, infos: list[ArticleInfo] | None = None, final: bool = True, more: bool = False) -> None:
        super().__init__()
        self.infos = infos
        self.final = final
        self.more = more
        """``infos`` is the list's first page: :class:`IndexRows` bring the rest."""


class IndexRows(Message):
    """More of the article list, in corpus order, read after its first page; ``done``: the last."""

    def __init__(self, infos: list[ArticleInfo], done: bool = False) -> None:
        super().__init__()
        self.infos = infos
        self.done = done


class IndexFailed(Message):
    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error


class ArticleChosen(Message):
    """The user moved to another article in the list."""

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id


class PassageChosen(Message):
    """The passage under the cursor changed."""

    def __init__(self, article_id: str, n: int) -> None:
        super().__init__()
        self.article_id = article_id
        self.n = n


class JumpTo(Message):
    """Open a passage of some article (from cross-references, search …)."""

    def __init__(self, article_id: str, n: int) -> None:
        super().__init__()
        self.article_id = article_id
        self.n = n


class EntityPassages(Message):
    """Every passage mentioning an entity, found by a worker; ``step`` (1, -1
    or 0) says where to go once the walk is set."""

    def __init__(self, entity_id: str, places: list[tuple[str, int]], step: int) -> None:
        super().__init__()
        self.entity_id = entity_id
        self.places = places
        self.step = step
