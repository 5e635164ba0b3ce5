"""A corpus opened for reading: the façade the CLI and the UI both use.

``Library(corpus).update()`` is a generator that brings the index up to date
and yields :class:`~reader.core.library.update.Progress` as it goes, so a
progress bar (command line) or a thread worker (reader) can drive it. Only
new or changed files are analysed again; a change of kreader's rules
rebuilds; a damaged index is rebuilt. Everything else reads: articles,
entities, search, cross-references.
"""

from __future__ import annotations

import errno
import gc
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core import locations
from reader.core.errors import IndexError_, NotFoundError
from reader.core.ingest import rules as cleanrules
from reader.core.ingest.files import DEFAULT_MAX_BYTES
from reader.core.ingest.formats.fields import FieldMap
from reader.core.library import freshness
from reader.core.library.folder import IndexFolder, cannot_write
from reader.core.library.articles import LazyArticles, StoreTitles
from reader.core.library.queries import Queries
from reader.core.library.searchers import Lease, SearcherPool
from reader.core.library.store import ArticleInfo, ArticleStore
from reader.core.library.update import Progress, Update, UpdateSummary
from reader.core.library.version import VersionKey
from reader.core.model import Article, Entity, LoadWarning

if TYPE_CHECKING:
    from reader.core.search import index
    from reader.core.stories import Story
    from reader.core.xref.engine import Xref, XrefResult

# Whoosh, the cleaner and the entity recogniser are imported where they are
# used, not here: the reader paints its window before any of them is needed,
# and the index worker imports them in its own thread.

NOT_OPEN = "The index is not open yet; run kreader index first."
NO_ENTITIES = "The index has no entities yet; run kreader index --rebuild."
FULL_PASS_EVERY = 1000
"""Passes of the cycle collector's middle generation before a full one, while a library is open."""


class Library(Queries):
    """A corpus folder and its index."""

    def __init__(self, corpus: Path, index_dir: Path | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 rule_extra: list | None = None, fields: Mapping[str, str] | None = None):
        self.corpus = Path(corpus).resolve()
        self.index_dir = Path(index_dir) if index_dir else locations.index_dir_for(self.corpus)
        self.max_bytes = max_bytes
        self._rule_extra = rule_extra
        if rule_extra:
            cleanrules.check_rules(rule_extra)  # a bad rule: said now (the rules are compiled when needed)
        self._rules = None
        self.fields = FieldMap(fields) if fields else None  # a mapping naming no role: said now
        self.folder = IndexFolder(self.index_dir)
        self.warnings: list[LoadWarning] = []
        self.summary = UpdateSummary()
        self._resolution = None
        self._pool = SearcherPool(self._open_searcher, self.folder.mark_damaged)
        self._opened = False
        self._titles: dict[str, str] | None = None
        self._infos: dict[str, ArticleInfo] | None = None
        self._order: dict[str, int] | None = None
        self._few_titles: StoreTitles | None = None
        self._few_infos: dict[str, ArticleInfo | None] = {}
        """The entries read one by one (a command asks for a few), while :attr:`_infos` is not built."""
        self._qparser = None
        self._vocab: dict[str, index.Vocabulary] = {}
        self._xref: Xref | None = None
        self._key: VersionKey | None = None
        self._kept = False
        """True while an update uses the store and index an earlier one opened."""
        self._frozen = False
        """True while what opening loaded is kept out of the collector's passes (:meth:`_settle`)."""
        self.trusted = False
        """True when the last update was quick and found the corpus's folders as the
        last full one saw them: it trusted the index without comparing each file."""

    @property
    def rules(self):
        """The cleaning rules (built-in and the config's), read when first needed."""
        if self._rules is None:
            self._rules = cleanrules.load_rules(self._rule_extra)
        return self._rules

    @property
    def generation(self) -> int:
        """Counts the updates of this library: whatever is cached from the index
        is kept for one generation only."""
        return self._pool.generation

    @property
    def store(self) -> ArticleStore:
        """The SQLite store of analysed articles."""
        if self.folder.store is None:
            raise IndexError_(NOT_OPEN)
        return self.folder.store

    # -- updating -------------------------------------------------------------
    def update(self, rebuild: bool = False, quick: bool = False) -> Iterator[Progress]:
        """Bring the index up to date with the corpus folder, yielding progress.
        ``quick``: trust the index when the corpus's folders are as the last full
        update saw them (:mod:`~reader.core.library.freshness`: a file added, deleted
        or renamed is seen, one rewritten in place is not), without statting each file."""
        with self.folder.locked():
            self._kept = False
            try:
                yield from self._update_locked(rebuild, quick)
            except BaseException:
                # What the failed batch wrote is rolled back, and the store closed, unless it
                # was kept open from an earlier update: then others (the reader's threads)
                # may be reading it, and it stays open for them.
                self.folder.abandon(close=not self._kept)
                raise

    def _update_locked(self, rebuild: bool, quick: bool) -> Iterator[Progress]:
        try:
            if self._key is None:
                self._key = VersionKey(lambda: self.rules, self._rule_extra, self.fields)
            quick, self.trusted = quick and not rebuild, False
            kept = self._kept = self._opened and not rebuild and self.folder.still_open(self._key)
            if kept:
                why = ""  # opened by an earlier update of this library, and as it was
            else:
                why = self.folder.open(self._key, index_now=not quick)  # quick: Whoosh opened when first used
            if rebuild and not why:
                why = "a rebuild was asked for"
                self.folder.wipe()
            if quick and not why:
                # after an upgrade the first command checks in full: what the index keeps
                # beside its key (the story book) may be of another version
                if not self.folder.code_changed and self._looks_unchanged():
                    self._opened = self.trusted = True
                    self._settle()
                    yield Progress("done", 1, 1, "Up to date")
                    return
                why = self.folder.open_index()
            if why:
                yield Progress("scan", message=f"Rebuilding the index: {why}.")
            looked = freshness.looked_now(self.corpus)
            job = Update(self.folder, self.corpus, self.max_bytes, lambda: self.rules, self._key, self.fields,
                         on_commit=self._batch_committed)
            for step in job.run(why):
                if step.phase == "done":
                    self._updated(job, kept)
                    self._keep_snapshot(job, looked)
                yield step
        except PermissionError as e:
            raise cannot_write(self.index_dir, e) from e
        except OSError as e:
            if e.errno == errno.ENOSPC:
                raise IndexError_(f"The disk holding the index {self.index_dir} is full; free some space "
                                  f"or give another folder with --index-dir.") from e
            raise

    def _batch_committed(self) -> None:
        """A batch of an update is committed: searches from now on see it (the
        reader searches while the first index is built)."""
        self.folder.drop_reader()
        self._drop_articles()
        self._vocab = {}
        self._pool.next_generation()

    def _updated(self, job: Update, kept: bool = False) -> None:
        """The index changed: drop whatever was cached from the one before (the
        entities loaded from a store ``kept`` open stay when the update left them)."""
        if job.resolution is not None or not kept:
            self._resolution = job.resolution
        self.warnings, self.summary = job.warnings, job.summary
        self._opened = True
        self._settle()
        self._drop_articles()
        self._xref = None
        self._vocab = {}
        self._pool.next_generation()

    def _settle(self) -> None:
        """Once the library is first open: everything alive then (the modules, the index's
        readers and tables) is moved out of the cycle collector's reach (``gc.freeze``)
        until :meth:`close`. Its full passes walk every tracked object: at 21,000
        articles each paused a search or cross-reference for 40-57 ms (12-32 ms with this).
        A full pass also waits for :data:`FULL_PASS_EVERY` passes of the middle generation
        (Python's default: 10): the cross-reference engine's caches, bounded, make each
        one 20-60 ms at 100,000 articles (8 full passes in 300 cross-references before,
        none after). Short-lived cycles are still collected by the younger passes."""
        if not self._frozen:
            gc.freeze()
            self._frozen = True
            first, second, full = self._thresholds = gc.get_threshold()
            gc.set_threshold(first, second, max(full, FULL_PASS_EVERY))

    def _drop_articles(self) -> None:
        """Forget the article entries and titles read from the index before it changed."""
        self._titles = self._infos = self._order = self._few_titles = None
        self._few_infos = {}

    def _looks_unchanged(self) -> bool:
        """The last full update completed, the corpus's folders, alias file and size
        limit are as it saw them, and the story book holds every article (a book
        deleted, damaged or of another version is made again by the full check)."""
        return (bool(self.store.get("resolved", False))
                and freshness.unchanged(self.store.get(freshness.SNAPSHOT_KEY), self.max_bytes)
                and self._book_whole())

    def _book_whole(self) -> bool:
        """Whether the story book holds the store's articles (or cannot be written here),
        read without opening it (:func:`~reader.core.stories.versions.book_holds`)."""
        from reader.core.stories.versions import STORIES_FILE, book_holds
        return self.folder.read_only or book_holds(self.folder.path / STORIES_FILE, self.store.count())

    def _keep_snapshot(self, job: Update, looked: freshness.Looked) -> None:
        """Keep what the completed update saw of the corpus's folders, for the next quick check."""
        if self.folder.read_only:
            return
        snap = freshness.snapshot(job.found.folders, looked, self.max_bytes)
        if self.store.get(freshness.SNAPSHOT_KEY) != snap:
            self.store.put(freshness.SNAPSHOT_KEY, snap)
            self.store.commit()

    def ensure(self, report: Callable[[Progress], None] | None = None) -> Library:
        """Update, passing each step to ``report``; returns self."""
        for step in self.update():
            if report:
                report(step)
        return self

    # -- articles and entities ------------------------------------------------
    @property
    def resolution(self):
        """The corpus's entities (:class:`~reader.core.entities.Resolution`), loaded when first needed."""
        if self._resolution is None:
            if not self._opened:
                raise IndexError_(NOT_OPEN)
            self._resolution = self.store.get_resolution()
            if self._resolution is None:
                raise IndexError_(NO_ENTITIES)
        return self._resolution

    @property
    def titles(self) -> dict[str, str]:
        """Article id -> title, built when first needed."""
        if self._titles is None:
            self._titles = {i.id: i.title for i in self.store.infos()}
        return self._titles

    def hit_titles(self) -> Mapping[str, str]:
        """Article id -> title for a search's hits: :attr:`titles` once it is built,
        else each title read when asked for (a command-line search needs a few)."""
        if self._titles is not None:
            return self._titles
        if self._few_titles is None:
            self._few_titles = StoreTitles(self.store)
        return self._few_titles

    def infos(self) -> list[ArticleInfo]:
        """Every article's list entry, in corpus order."""
        return self.store.infos()

    def info_pages(self, first: int, size: int) -> Iterator[list[ArticleInfo]]:
        """Every article's list entry, in corpus order, ``first`` entries, then pages of
        ``size`` (the reader shows the first screen before the rest are read)."""
        return self.store.info_pages(first, size)

    def info(self, article_id: str) -> ArticleInfo:
        """The list entry of one article (NotFoundError when there is none): from
        the whole list once it is built, else read alone (and kept)."""
        if self._infos is not None:
            found = self._infos.get(article_id)
        elif article_id in self._few_infos:
            found = self._few_infos[article_id]
        else:
            found = self._few_infos[article_id] = self.store.info(article_id)
        if found is None:
            raise _no_article(article_id)
        return found

    def preload_infos(self, article_ids: Iterable[str]) -> None:
        """Read the list entries of these articles together, so that :meth:`info`
        answers them from memory (nothing to do once the whole list is built)."""
        if self._infos is not None:
            return
        missing = [a for a in dict.fromkeys(article_ids) if a not in self._few_infos]
        if missing:
            found = self.store.infos_of(missing)
            self._few_infos.update((a, found.get(a)) for a in missing)

    def _info_map(self) -> dict[str, ArticleInfo]:
        """Article id -> list entry, in corpus order, built once per generation."""
        if self._infos is None:
            self._infos = {i.id: i for i in self.store.infos()}
        return self._infos

    def title(self, article_id: str) -> str:
        """One article's title ("" when there is no such article): from a list entry
        already read (:meth:`preload_infos`) before the store is asked."""
        if self._titles is None and (info := self._few_infos.get(article_id)) is not None:
            return info.title
        return self.hit_titles().get(article_id, "")

    def article(self, article_id: str) -> Article:
        """One article, its mentions resolved to entities."""
        a = self.store.article(article_id)
        if a is None:
            raise _no_article(article_id)
        return self.resolution.apply(a)

    def article_map(self) -> Mapping[str, Article]:
        """Every article by id, each loaded only when asked for."""
        return LazyArticles(self)

    def articles(self) -> Iterator[Article]:
        for a in self.store.articles():
            yield self.resolution.apply(a)

    def entities(self, type: str | None = None) -> list[Entity]:
        """Every entity (of one type), most mentioned first. Before the resolution is
        loaded they are read from its entity table alone: a listing needs neither the
        look-up nor the modules it imports."""
        if self._resolution is not None:
            return [e for e in self._resolution.entities if type is None or e.type == type]
        if not self._opened:
            raise IndexError_(NOT_OPEN)
        tables = self.store.entity_tables()
        if not tables.complete():
            raise IndexError_(NO_ENTITIES)
        return [Entity(*row) for row in tables.entity_rows() if type is None or row[2] == type]

    def resolve(self, name: str, limit: int = 10, type: str | None = None):
        """Entities a typed name may mean, best first, with their scores."""
        return self.resolution.lookup(name, limit=limit, type=type)

    # -- search ---------------------------------------------------------------
    def _open_searcher(self):
        from whoosh import scoring
        from whoosh.searching import Searcher
        if self.folder.ix is None:
            raise IndexError_(NOT_OPEN)
        reader = self.folder.take_reader()  # the opening's, while the index is as it was then
        if reader is not None:
            return Searcher(reader, weighting=scoring.BM25F(), fromindex=self.folder.ix)
        return self.folder.ix.searcher(weighting=scoring.BM25F())

    @contextmanager
    def searching(self) -> Iterator[Lease]:
        """A searcher over the current index, with its block scorer, lent for one call."""
        with self._pool.lend() as lease:
            yield lease

    # -- cross-references and stories ------------------------------------------
    def _engine(self) -> Xref:
        if self._xref is None:  # one engine per generation: its caches never outlive an update
            from reader.core.xref.engine import Xref
            self._xref = Xref(self, self.folder.stories)
        return self._xref

    def related(self, article_id: str, passage: int, limit: int = 10) -> XrefResult:
        """Passages of other articles related to passage ``passage`` of ``article_id``."""
        return self._engine().related(article_id, passage, limit=limit)

    def related_all(self, article_id: str, limit: int = 10) -> list[XrefResult]:
        """The cross-references of every passage of one article."""
        return self._engine().related_all(article_id, limit=limit)

    def stories(self) -> list[Story]:
        """Every story (the reports of one event), largest first; each article in exactly one."""
        return self.folder.stories.stories() if self.folder.stories else []

    def story_of(self, article_id: str) -> Story | None:
        """The story an article belongs to."""
        return self.folder.stories.story_of(article_id) if self.folder.stories else None

    def find_article(self, name: str) -> str:
        """The id of the article ``name`` means: its id, or its file's name or path
        (a file holding several: the first). NotFoundError when none."""
        if name in self.hit_titles():
            return name
        for i in self.infos():
            if name in (i.path, Path(i.path).name):
                return i.id
        raise _no_article(name)

    def close(self) -> None:
        self._pool.close()
        self.folder.close()
        if self._frozen:  # what was frozen may be garbage now (this library, in a cycle)
            self._frozen = False
            gc.unfreeze()
            gc.set_threshold(*self._thresholds)


def _no_article(article_id: str) -> NotFoundError:
    return NotFoundError(f"No article “{article_id}” in this corpus; kreader export lists the ids.")
