"""A corpus opened for reading: the façade the CLI and the UI both use.

``Library(corpus).update()`` is a generator that brings the index up to date
and yields :class:`Progress` as it goes, so a progress bar (command line) or a
thread worker (reader) can drive it. Only new or changed files are analysed
again; a change of kreader's rules rebuilds; a damaged index is rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import struct
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from typing import TYPE_CHECKING

from reader.core.ingest import rules as cleanrules
from reader.core import locations
from reader.core.ingest.files import DEFAULT_MAX_BYTES, scan, with_ids
from reader.core.errors import IndexError_, NotFoundError
from reader.core.model import Article, Entity, LoadWarning
from reader.core.library.store import ArticleInfo, Store

if TYPE_CHECKING:
    from reader.core.search import index

# Whoosh, the cleaner and the entity recogniser are imported where they are
# used, not here: the reader paints its window before any of them is needed,
# and the index worker imports them in its own thread.


def analyse_file(*args):
    """See :func:`reader.core.analysis.analyse_file`."""
    from reader.core.library.analysis import analyse_file as analyse
    return analyse(*args)

BATCH = 5000
"""Files analysed and committed together."""
PARALLEL_FROM = 200
"""Analyse in worker processes when at least this many files changed."""


@dataclass(frozen=True)
class Progress:
    """One step of :meth:`Library.update`."""

    phase: str
    """``scan``, ``analyse``, ``resolve`` or ``done``."""
    done: int = 0
    total: int = 0
    message: str = ""
    warning: LoadWarning | None = None
    articles: tuple[ArticleInfo, ...] = ()
    """Articles analysed since the last step (the reader lists them as they come)."""


@dataclass(frozen=True)
class UpdateSummary:
    added: int = 0
    changed: int = 0
    removed: int = 0
    skipped: int = 0
    articles: int = 0
    seconds: float = 0.0
    rebuilt: str = ""


def version_key(rules) -> str:
    from reader.core import entities
    from reader.core.search import index
    from reader.core.ingest.clean import CLEAN_VERSION
    return (f"index{index.INDEX_VERSION}-clean{CLEAN_VERSION}-rules{cleanrules.fingerprint(rules)}"
            f"-ent{getattr(entities, 'ENTITY_VERSION', 0)}")


class Library:
    """A corpus folder and its index."""

    def __init__(self, corpus: Path, index_dir: Path | None = None, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 rule_extra: list | None = None):
        self.corpus = Path(corpus).resolve()
        self.index_dir = Path(index_dir) if index_dir else locations.index_dir_for(self.corpus)
        self.max_bytes = max_bytes
        self._rule_extra = rule_extra
        self._rules = cleanrules.load_rules(rule_extra) if rule_extra else None  # a bad rule: said now
        self._store: Store | None = None
        self._ix = None
        self._resolution = None
        self.warnings: list[LoadWarning] = []
        self.summary = UpdateSummary()
        self._local = threading.local()
        self._idle: list[_Lease] = []
        self._idle_lock = threading.Lock()
        self._generation = 0
        self._titles: dict[str, str] | None = None
        self._qparser = None
        self._vocab: dict[tuple[int, str], index.Vocabulary] = {}
        self._infos: dict[str, ArticleInfo] | None = None
        self._infos_gen = -1

    @property
    def rules(self):
        """The cleaning rules (built-in and the config's), read when first needed."""
        if self._rules is None:
            self._rules = cleanrules.load_rules(self._rule_extra)
        return self._rules

    # -- opening --------------------------------------------------------------
    def _open_parts(self) -> str:
        """Open store and index; wipe them when outdated or damaged. Returns why it rebuilt."""
        from reader.core.search import index
        why = ""
        try:
            self.index_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise IndexError_(f"Cannot create the index folder {self.index_dir} ({e.strerror or e}); "
                              f"give a writable folder with --index-dir.") from e
        try:
            self._store = Store(self.index_dir / "articles.sqlite")
            if (self.index_dir / DAMAGED).exists():
                why = "the index was found damaged while searching"
            elif self._store.get("version") not in (None, version_key(self.rules)):
                why = "kreader's rules changed since the index was built"
            elif self._store.get("version") is None and self._store.count():
                why = "the index was left unfinished"
            self._ix, docs = (None, 0) if why else index.open_or_create(self.index_dir / "whoosh")
            if not why and docs == 0 and self._store.count():
                why = "the search index is missing its documents"
        except IndexError_ as e:
            if "Cannot" in str(e):
                raise
            why = "the index was damaged"
        except Exception:  # a corrupt Whoosh segment raises many kinds of errors
            why = "the index was damaged"
        if why:
            self._wipe()
        return why

    def _mark_damaged(self) -> None:
        try:
            (self.index_dir / DAMAGED).touch()
        except OSError:  # a read-only folder: the error message still tells what to do
            pass

    def _wipe(self) -> None:
        from reader.core.search import index
        if self._store:
            self._store.close()
        self._store, self._ix = None, None
        for name in ("articles.sqlite", "articles.sqlite-journal", "whoosh", DAMAGED):
            p = self.index_dir / name
            if p.is_dir():
                shutil.rmtree(p, ignore_errors=True)
            elif p.exists():
                p.unlink()
        self._store = Store(self.index_dir / "articles.sqlite")
        self._ix, _ = index.open_or_create(self.index_dir / "whoosh")

    @property
    def store(self) -> Store:
        if self._store is None:
            raise IndexError_("The index is not open yet; run kreader index first.")
        return self._store

    def update(self, rebuild: bool = False) -> Iterator[Progress]:
        """Bring the index up to date with the corpus folder, yielding progress."""
        import filelock
        start = time.perf_counter()
        try:
            lock = filelock.FileLock(str(self.index_dir) + ".lock", timeout=120)
            self.index_dir.parent.mkdir(parents=True, exist_ok=True)
            lock.acquire()
        except filelock.Timeout as e:
            raise IndexError_(f"Another kreader is updating the index {self.index_dir}; wait for it to finish.") from e
        except OSError as e:
            raise IndexError_(f"Cannot write in {self.index_dir.parent} ({e.strerror or e}); "
                              f"give a writable folder with --index-dir.") from e
        try:
            why = self._open_parts()
            if rebuild and not why:
                why = "a rebuild was asked for"
                self._wipe()
            if why:
                yield Progress("scan", message=f"Rebuilding the index: {why}.")
            yield from self._sync(start, why)
        except PermissionError as e:
            raise IndexError_(f"Cannot write the index in {self.index_dir}; "
                              f"give a writable folder with --index-dir.") from e
        except Exception as e:
            import sqlite3
            if isinstance(e, sqlite3.OperationalError) and "readonly" in str(e):
                raise IndexError_(f"Cannot write the index in {self.index_dir}; "
                                  f"give a writable folder with --index-dir.") from e
            raise
        finally:
            lock.release()

    def ensure(self, report: Callable[[Progress], None] | None = None) -> Library:
        """Update, passing each step to ``report``; returns self."""
        for step in self.update():
            if report:
                report(step)
        return self

    # -- the update itself ----------------------------------------------------
    def _scan(self):
        """Files new or changed since the store saw them, and files gone."""
        known = self.store.file_stamps()
        entries = scan(self.corpus)
        # A file skipped under another size limit is tried again (its stamp has not changed).
        retry = self.store.get("max_bytes", self.max_bytes) != self.max_bytes
        changed = [e for e in entries if e.size < 0 or known.get(e.rel, (None, None))[:2] != (e.size, e.mtime_ns)
                   or (retry and known[e.rel][2])]
        todo = [(Path(e.path), e.rel, e.id, e.rel in known) for e in with_ids(entries, changed)] if changed else []
        gone = sorted(set(known) - {e.rel for e in entries})
        return todo, gone, known

    def _sync(self, start: float, rebuilt: str) -> Iterator[Progress]:
        from reader.core import entities
        todo, gone, known = self._scan()
        alias_file = entities.find_alias_file(self.corpus)
        alias_key = hashlib.sha1(alias_file.read_bytes()).hexdigest() if alias_file else ""
        added = changed = 0
        if todo or gone:
            yield Progress("analyse", 0, len(todo), f"Analysing {len(todo)} files")
            added, changed = yield from self._analyse(todo, gone)
        resolution = None  # loaded when first needed (unpickling it costs, at scale)
        if (todo or gone or not self.store.get("resolved", False)
                or self.store.get("alias_key") != alias_key):
            yield Progress("resolve", 0, 1, "Resolving entities across the corpus")
            aliases = entities.load_aliases(alias_file) if alias_file else None
            resolution = entities.resolve_corpus(_StoredArticles(self.store), aliases)
            self.store.put("resolution", resolution)
            self.store.put("alias_key", alias_key)
            self.store.put("resolved", True)
            self.store.put("version", version_key(self.rules))
            self.store.commit()
        if self.store.get("max_bytes") != self.max_bytes:
            self.store.put("max_bytes", self.max_bytes)
            self.store.commit()
        self._resolution = resolution
        self._generation += 1
        self._titles = None
        stamps = self.store.file_stamps() if (todo or gone) else known
        self.warnings = [LoadWarning(path, w) for path, (_, _, w) in stamps.items() if w]
        self.summary = UpdateSummary(added, changed, len(gone), len(self.warnings), self.store.count(),
                                     time.perf_counter() - start, rebuilt)
        yield Progress("done", 1, 1, "Up to date")

    def _analyse(self, todo, gone) -> Iterator[Progress]:
        from reader.core.search import index
        self.store.put("resolved", False)
        for path in gone:
            self.store.drop_file(path)
        added = changed = 0
        batches = [todo[i:i + BATCH] for i in range(0, len(todo), BATCH)] or [[]]
        workers = None
        if len(todo) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            from reader.core.library.workers import IndexWorkers
            workers = IndexWorkers(os.cpu_count() or 2, str(self.index_dir / "whoosh"))
        done = 0
        known_before = {t[1]: t[3] for t in todo}  # path -> did the store know it
        fresh: list[ArticleInfo] = []
        try:
            for b, batch in enumerate(batches):
                writer = index.writer(self._ix, limitmb=256)
                deleter = writer.searcher()
                try:
                    index.delete_paths(writer, gone if b == 0 else (), deleter)
                    args = [(f, rel, stem, self.max_bytes, self.rules) for f, rel, stem, _ in batch]
                    for done_file in workers.run(args) if workers else (analyse_file(*a) for a in args):
                        state = done_file.state
                        old = known_before.get(state.path, False)
                        added += not old
                        changed += old
                        # Also for a file the store does not know: a kill between the two
                        # commits may have left its passages in the index. (Deletes reach
                        # the index's segments only, not the workers' new ones.)
                        index.delete_paths(writer, [state.path], deleter)
                        index.add_passages(writer, done_file.docs)  # none when a worker indexed them
                        self.store.put_file(state, done_file.infos, done_file.blobs)
                        done += 1
                        fresh.extend(done_file.infos)
                        if state.warning:
                            yield Progress("analyse", done, len(todo), warning=LoadWarning(state.path, state.warning))
                        if done % 25 == 0 or done == len(todo):
                            yield Progress("analyse", done, len(todo), articles=tuple(fresh))
                            fresh = []
                    deleter.close()
                    if workers:
                        from reader.core.library.workers import commit_with_segments
                        commit_with_segments(writer, workers.segments)
                    else:
                        writer.commit()
                except BaseException:
                    deleter.close()
                    try:
                        writer.cancel()
                    except Exception:  # never hide the error that brought us here
                        pass
                    raise
                self.store.commit()
        finally:
            if workers:
                workers.close()
        return added, changed

    # -- reading --------------------------------------------------------------
    @property
    def resolution(self):
        """The corpus's entities (Resolution), loaded from the store when first needed."""
        if self._resolution is None:
            if self._store is None or self._generation == 0:
                raise IndexError_("The index is not open yet; run kreader index first.")
            self._resolution = self.store.get("resolution")
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
        return self.store.infos()

    def info(self, article_id: str) -> ArticleInfo:
        """The list entry of one article (NotFoundError when there is none)."""
        if self._infos is None or self._infos_gen != self._generation:
            self._infos = {i.id: i for i in self.store.infos()}
            self._infos_gen = self._generation
        found = self._infos.get(article_id)
        if found is None:
            raise NotFoundError(f"No article “{article_id}” in this corpus; kreader export lists the ids.")
        return found

    def article(self, article_id: str) -> Article:
        a = self.store.article(article_id)
        if a is None:
            raise NotFoundError(f"No article “{article_id}” in this corpus; kreader export lists the ids.")
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
        return self.resolution.lookup(name, limit=limit, type=type)

    def _expand(self, value: str, type: str | None, strict: bool = False) -> list[str]:
        from reader.core import entities
        matches = self.resolution.lookup(value, limit=3, type=type)
        if strict:
            matches = [(e, s) for e, s in matches if s >= 90]
        if not matches:
            return []
        best = matches[0][1]
        forms = set()
        for e, s in matches:
            if s >= best - 0.5:
                forms.update(entities.normalise_name(f) for f in self.resolution.forms(e.id))
        return sorted(f for f in forms if f)

    def searcher(self):
        """This thread's own Whoosh searcher over the current index, reopened
        after an update: for a caller that keeps to one thread (tests,
        benchmarks). Searches borrow one through :meth:`searching`."""
        local = self._local
        if getattr(local, "generation", None) != self._generation:
            from whoosh import scoring
            if getattr(local, "searcher", None) is not None:
                local.searcher.close()
            local.searcher = self._ix.searcher(weighting=scoring.BM25F())
            local.generation = self._generation
        return local.searcher

    @contextmanager
    def searching(self) -> Iterator[_Lease]:
        """A searcher over the current index, with its block scorer, lent for
        one call. Whoosh searchers must not serve two threads at once, and the
        reader runs each search and each cross-reference in a new thread: a
        searcher opened per thread would cost more than the search (at 20,000
        articles, 100-700 ms against 15-40). So idle searchers are kept for the
        next caller, and dropped when the index changes."""
        lease = None
        with self._idle_lock:
            while self._idle and lease is None:
                lease = self._idle.pop()
                if lease.generation != self._generation:
                    lease.close()
                    lease = None
        if lease is None:
            from whoosh import scoring
            lease = _Lease(self._generation, self._ix.searcher(weighting=scoring.BM25F()))
        try:
            yield lease
        except DAMAGE as e:  # a posting block or stored field that no longer decodes
            self._mark_damaged()
            raise IndexError_(f"The search index in {self.index_dir} is damaged; "
                              f"it will be rebuilt the next time kreader opens this corpus, or now with "
                              f"kreader index --rebuild.") from e
        finally:
            with self._idle_lock:
                if lease.generation == self._generation and len(self._idle) < IDLE_SEARCHERS:
                    self._idle.append(lease)
                    lease = None
            if lease is not None:
                lease.close()

    def search(self, text: str, limit: int = 20) -> list[index.Hit]:
        from reader.core.search import index
        if self._qparser is None:
            self._qparser = index.parser(self._ix.schema)
        q = index.parse(self._qparser, text, self._expand)
        with self.searching() as lease:
            q = index.expand_fuzzy(q, lambda fieldname: self._vocabulary(fieldname, lease.searcher))
            return index.run_search(lease.searcher, q, limit, self.titles, lease.topn)

    def _vocabulary(self, fieldname: str, searcher) -> index.Vocabulary:
        """The words of a field, built once per index generation."""
        from reader.core.search import index
        key = (self._generation, fieldname)
        if key not in self._vocab:
            self._vocab = {k: v for k, v in self._vocab.items() if k[0] == self._generation}
            self._vocab[key] = index.Vocabulary(searcher.reader(), fieldname)
        return self._vocab[key]

    def entity_hits(self, entity_id: str, limit: int | None = None) -> list[index.Hit]:
        from reader.core import entities
        from reader.core.search import index
        """Every passage that mentions the entity, in corpus order."""
        forms = sorted({entities.normalise_name(f) for f in self.resolution.forms(entity_id)} - {""})
        if not forms:
            return []
        with self.searching() as lease:
            hits = index.run_search(lease.searcher, index.ent_query(forms), limit, self.titles, lease.topn)
        order = {info.id: i for i, info in enumerate(self.infos())}
        return sorted(hits, key=lambda h: (order.get(h.article, 1 << 30), h.passage))

    @property
    def whoosh(self):
        return self._ix

    def title(self, article_id: str) -> str:
        return self.titles.get(article_id, "")

    def close(self) -> None:
        if getattr(self._local, "searcher", None) is not None:
            self._local.searcher.close()
        with self._idle_lock:
            for lease in self._idle:
                lease.close()
            self._idle = []
        if self._store:
            self._store.close()


DAMAGE = (zlib.error, struct.error, EOFError, pickle.UnpicklingError)
"""What reading a garbled part of the index raises (zlib streams carry a checksum)."""
DAMAGED = "DAMAGED"
"""A file left in the index folder when a search found the index damaged: the
next opening rebuilds it."""

IDLE_SEARCHERS = 4
"""Idle searchers kept for the next call (one per thread that searched at once)."""


class _Lease:
    """A searcher of one index generation and its block scorer (made when first used)."""

    def __init__(self, generation: int, searcher):
        self.generation = generation
        self.searcher = searcher
        self._topn = None

    @property
    def topn(self):
        if self._topn is None:
            from reader.core.search.scoring import TopN
            self._topn = TopN(self.searcher)
        return self._topn

    def close(self) -> None:
        self.searcher.close()


class _StoredArticles:
    """Every stored article, streamed from the store each time it is iterated."""

    def __init__(self, store: Store):
        self.store = store

    def __iter__(self):
        return self.store.articles()


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
