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
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core import locations
from reader.core.errors import IndexError_, NotFoundError, QueryError
from reader.core.ingest import rules as cleanrules
from reader.core.ingest.files import DEFAULT_MAX_BYTES
from reader.core.ingest.formats.fields import FieldMap
from reader.core.library.folder import IndexFolder, cannot_write
from reader.core.library.searchers import Lease, SearcherPool
from reader.core.library.store import ArticleInfo, ArticleStore
from reader.core.library.update import Progress, Update, UpdateSummary, version_key
from reader.core.model import Article, Entity, LoadWarning

if TYPE_CHECKING:
    from reader.core.search import index
    from reader.core.quotes import Said
    from reader.core.stories import Story
    from reader.core.xref.engine import Xref, XrefResult

# Whoosh, the cleaner and the entity recogniser are imported where they are
# used, not here: the reader paints its window before any of them is needed,
# and the index worker imports them in its own thread.

STRICT_EXPANSION = 90
"""A name filter of the reader's suggestions (strict) expands only to entities scoring at least this."""
EXPANSION_TIE = 0.5
"""Entities within this score of the best are all taken as what a name filter means."""
NOT_OPEN = "The index is not open yet; run kreader index first."


class Library:
    """A corpus folder and its index."""

    def __init__(self, corpus: Path, index_dir: Path | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 rule_extra: list | None = None, fields: Mapping[str, str] | None = None):
        self.corpus = Path(corpus).resolve()
        self.index_dir = Path(index_dir) if index_dir else locations.index_dir_for(self.corpus)
        self.max_bytes = max_bytes
        self._rule_extra = rule_extra
        self._rules = cleanrules.load_rules(rule_extra) if rule_extra else None  # a bad rule: said now
        self.fields = FieldMap(fields) if fields else None  # a mapping naming no role: said now
        self.folder = IndexFolder(self.index_dir)
        self.warnings: list[LoadWarning] = []
        self.summary = UpdateSummary()
        self._resolution = None
        self._pool = SearcherPool(self._open_searcher, self.folder.mark_damaged)
        self._opened = False
        self._titles: dict[str, str] | None = None
        self._infos: dict[str, ArticleInfo] | None = None
        self._qparser = None
        self._vocab: dict[str, index.Vocabulary] = {}
        self._xref: Xref | None = None

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
    def update(self, rebuild: bool = False) -> Iterator[Progress]:
        """Bring the index up to date with the corpus folder, yielding progress."""
        with self.folder.locked():
            try:
                yield from self._update_locked(rebuild)
            except BaseException:
                self.folder.abandon()  # what the failed batch wrote is rolled back, the store closed
                raise

    def _update_locked(self, rebuild: bool) -> Iterator[Progress]:
        try:
            why = self.folder.open(version_key(self.rules, self.fields))
            if rebuild and not why:
                why = "a rebuild was asked for"
                self.folder.wipe()
            if why:
                yield Progress("scan", message=f"Rebuilding the index: {why}.")
            job = Update(self.folder, self.corpus, self.max_bytes, self.rules, self.fields,
                         on_commit=self._batch_committed)
            for step in job.run(why):
                if step.phase == "done":
                    self._updated(job)
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
        self._titles = self._infos = None
        self._vocab = {}
        self._pool.next_generation()

    def _updated(self, job: Update) -> None:
        """The index changed: drop whatever was cached from the one before."""
        self._resolution = job.resolution
        self.warnings, self.summary = job.warnings, job.summary
        self._opened = True
        self._titles = self._infos = self._xref = None
        self._vocab = {}
        self._pool.next_generation()

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
                raise IndexError_("The index has no entities yet; run kreader index --rebuild.")
        return self._resolution

    @property
    def titles(self) -> dict[str, str]:
        """Article id -> title, built when first needed."""
        if self._titles is None:
            self._titles = {i.id: i.title for i in self.store.infos()}
        return self._titles

    def infos(self) -> list[ArticleInfo]:
        """Every article's list entry, in corpus order."""
        return self.store.infos()

    def info(self, article_id: str) -> ArticleInfo:
        """The list entry of one article (NotFoundError when there is none)."""
        if self._infos is None:
            self._infos = {i.id: i for i in self.store.infos()}
        found = self._infos.get(article_id)
        if found is None:
            raise _no_article(article_id)
        return found

    def title(self, article_id: str) -> str:
        return self.titles.get(article_id, "")

    def article(self, article_id: str) -> Article:
        """One article, its mentions resolved to entities."""
        a = self.store.article(article_id)
        if a is None:
            raise _no_article(article_id)
        return self.resolution.apply(a)

    def article_map(self) -> Mapping[str, Article]:
        """Every article by id, each loaded only when asked for."""
        return _LazyArticles(self)

    def articles(self) -> Iterator[Article]:
        for a in self.store.articles():
            yield self.resolution.apply(a)

    def entities(self, type: str | None = None) -> list[Entity]:
        return [e for e in self.resolution.entities if type is None or e.type == type]

    def resolve(self, name: str, limit: int = 10, type: str | None = None):
        """Entities a typed name may mean, best first, with their scores."""
        return self.resolution.lookup(name, limit=limit, type=type)

    # -- search ---------------------------------------------------------------
    def _open_searcher(self):
        from whoosh import scoring
        if self.folder.ix is None:
            raise IndexError_(NOT_OPEN)
        return self.folder.ix.searcher(weighting=scoring.BM25F())

    @contextmanager
    def searching(self) -> Iterator[Lease]:
        """A searcher over the current index, with its block scorer, lent for one call."""
        with self._pool.lend() as lease:
            yield lease

    def _expand(self, value: str, type: str | None, strict: bool = False) -> list[str]:
        """The indexed name forms a name filter (``person:pashinian``) stands for."""
        from reader.core import entities
        if self._resolution is None and not self._opened:  # the first index is still being built
            if strict:
                return []  # plain words: searched as words only
            raise QueryError("Names are matched once the first index is built; search the words "
                             "without the filter until then.")
        matches = self.resolution.lookup(value, limit=3, type=type)
        if strict:
            matches = [(e, s) for e, s in matches if s >= STRICT_EXPANSION]
        if not matches:
            return []
        best = matches[0][1]
        forms = set()
        for e, s in matches:
            if s >= best - EXPANSION_TIE:
                forms.update(entities.normalise_name(f) for f in self.resolution.forms(e.id))
        return sorted(f for f in forms if f)

    def search(self, text: str, limit: int = 20) -> list[index.Hit]:
        """The passages matching a query of the query language, best first."""
        from reader.core.search import index
        if self._qparser is None:
            self._qparser = index.parser(self.folder.ix.schema)
        q = index.parse(self._qparser, text, self._expand)
        with self.searching() as lease:
            q = index.expand_fuzzy(q, lambda fieldname: self._vocabulary(fieldname, lease.searcher))
            return index.run_search(lease.searcher, q, limit, self.titles, lease.topn)

    def _vocabulary(self, fieldname: str, searcher) -> index.Vocabulary:
        """The words of a field, built once per index generation."""
        from reader.core.search import index
        if fieldname not in self._vocab:
            self._vocab[fieldname] = index.Vocabulary(searcher.reader(), fieldname)
        return self._vocab[fieldname]

    def entity_hits(self, entity_id: str, limit: int | None = None) -> list[index.Hit]:
        """Every passage that mentions the entity, in corpus order."""
        from reader.core import entities
        from reader.core.search import index
        forms = sorted({entities.normalise_name(f) for f in self.resolution.forms(entity_id)} - {""})
        if not forms:
            return []
        with self.searching() as lease:
            hits = index.run_search(lease.searcher, index.ent_query(forms), limit, self.titles, lease.topn)
        order = {info.id: i for i, info in enumerate(self.infos())}
        return sorted(hits, key=lambda h: (order.get(h.article, 1 << 30), h.passage))

    # -- quotes -----------------------------------------------------------------
    def quotes(self, speaker: str | None = None) -> list[Said]:
        """Every quote of the corpus with its speaker, in corpus order; with ``speaker``, only
        the quotes of the entities that name means (matched fuzzily, as ``person:`` is)."""
        from reader.core.quotes import said_in
        if speaker is None:
            return [s for a in self.articles() for s in said_in(a, self.resolution)]
        matches = self.resolution.lookup(speaker, limit=3)
        if not matches:
            return []
        best = matches[0][1]
        return self.quotes_of([e.id for e, score in matches if score >= best - EXPANSION_TIE])

    def quotes_of(self, entity_ids: list[str]) -> list[Said]:
        """The quotes of these speakers across the corpus, in corpus order (found through the
        index's ``said`` field, so only the articles quoting them are read)."""
        from reader.core import entities
        from reader.core.quotes import said_in
        from reader.core.search import index
        forms = sorted({entities.normalise_name(f) for e in entity_ids for f in self.resolution.forms(e)} - {""})
        if not forms:
            return []
        with self.searching() as lease:
            hits = index.run_search(lease.searcher, index.said_query(forms), None, self.titles, lease.topn)
        wanted = set(entity_ids)
        order = {info.id: i for i, info in enumerate(self.infos())}
        out = []
        for article_id in sorted({h.article for h in hits}, key=lambda a: order.get(a, 1 << 30)):
            out += [s for s in said_in(self.article(article_id), self.resolution)
                    if s.entity is not None and s.entity.id in wanted]
        return out

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
        if name in self.titles:
            return name
        for i in self.infos():
            if name in (i.path, Path(i.path).name):
                return i.id
        raise _no_article(name)

    def close(self) -> None:
        self._pool.close()
        self.folder.close()


def _no_article(article_id: str) -> NotFoundError:
    return NotFoundError(f"No article “{article_id}” in this corpus; kreader export lists the ids.")


class _LazyArticles(Mapping):
    """A read-only mapping of article id -> resolved article, loaded on access."""

    def __init__(self, lib: Library):
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
