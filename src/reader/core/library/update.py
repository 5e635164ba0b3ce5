"""Bringing an index folder up to date with its corpus folder.

:class:`Update` is driven by :meth:`Library.update`: it compares the corpus
with the store (size and modification time, then content; an unchanged corpus
by one digest of every file's stamp, kept by the last update that completed:
at 100,000 files, reading and comparing the stored stamps took a fifth of the
check), analyses new and changed files (in worker processes when there are
many), writes them batch by batch (a kill loses at most the batch under way),
and resolves the entities of the corpus again when anything changed. It
yields :class:`Progress`.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.errors import IndexError_
from reader.core.ingest.files import scan_corpus, unread_line, with_ids
from reader.core.ingest.formats import CONTAINERS, format_of, read_suffixes
from reader.core.ingest.formats.fields import FieldMap
from reader.core.library import resolving
from reader.core.library.folder import STAMP, IndexFolder
from reader.core.library.store import STAMPS_DIGEST, ArticleInfo
from reader.core.library.version import VersionKey
from reader.core.entities.tables import TABLES_FORMAT as RESOLUTION_FORMAT
from reader.core.model import LoadWarning
from reader.core.text import plural

if TYPE_CHECKING:
    from reader.core.library.analysis import Analysed

# The analysis (cleaner, recogniser, quote finder) is imported only when a file
# is new or changed: an unchanged corpus is checked without it.

FIRST_BATCH = 2000
"""Files analysed and committed together first (soon searchable while the rest is analysed)."""
BATCH = 25_000
"""The most files analysed and committed together: batches double from
:data:`FIRST_BATCH` up to this. Each batch gives the index one segment per
worker, and more than a dozen segments get merged in the owner (Whoosh's
merge re-adds every posting, while the workers wait): equal batches of 5,000
rewrote 0.9x a 100k corpus (7x at 1M), doubling ones 0.14x. What a kill
loses is at most one batch."""
PARALLEL_FROM = 200
"""Analyse in worker processes when at least this many files changed."""
PROGRESS_EVERY = 25
"""Files between two progress steps."""
WRITER_LIMIT_MB = 256
"""Whoosh's in-memory posting pool of the owner's writer."""
CONTAINER_COMMIT = 5_000
"""Articles of a container written between two commits of the index and the store."""
CONTAINER_WRITER_MB = 64
"""Whoosh's in-memory posting pool while a container is written (what keeps
memory flat however large the file: the pool spills to disk past it)."""
GUESS_RECORD_BYTES = 3000
"""What one article of a container is guessed to take, for the progress total
until the container has been read (a gzipped one: a third of it)."""


@dataclass(frozen=True)
class Progress:
    """One step of :meth:`Library.update`."""

    phase: str
    """``scan``, ``analyse``, ``resolve`` or ``done``."""
    done: int = 0
    """Articles analysed so far."""
    total: int = 0
    """Articles expected: a container's are guessed from its size until it is read."""
    message: str = ""
    warning: LoadWarning | None = None
    articles: tuple[ArticleInfo, ...] = ()
    """Articles analysed since the last step (the reader lists them as they come)."""


@dataclass(frozen=True)
class UpdateSummary:
    """What the last update did."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    skipped: int = 0
    articles: int = 0
    seconds: float = 0.0
    rebuilt: str = ""
    """Why the index was rebuilt ("" when it was not)."""
    unread: str = ""
    """One line naming the files of types kreader does not read ("" when none)."""
    not_followed: tuple[LoadWarning, ...] = ()
    """Links to folders that were not walked, with the reason."""

    @property
    def empty_note(self) -> str:
        """What to say when the corpus gave no article at all."""
        return f"No article found; kreader reads {read_suffixes()}."


@dataclass(frozen=True)
class FileJob:
    """A new or changed corpus file to analyse."""

    path: Path
    rel: str
    """The path below the corpus folder, the store's key."""
    stem: str
    """The article id the file's articles are named from."""
    known: bool
    """Whether the store knew the file (changed) or not (new)."""
    size: int = 0

    @property
    def container(self) -> bool:
        """One file of many articles, read and written part by part."""
        return format_of(self.rel) in CONTAINERS

    @property
    def guess(self) -> int:
        """The articles it is expected to hold."""
        if not self.container:
            return 1
        per = GUESS_RECORD_BYTES // (3 if self.rel.lower().endswith(".gz") else 1)
        return max(1, self.size // per)


def _alias_key(alias_file: Path | None) -> str:
    return hashlib.sha1(alias_file.read_bytes()).hexdigest() if alias_file else ""


class Update:
    """One update of ``folder`` from ``corpus`` (see the module doc)."""

    def __init__(self, folder: IndexFolder, corpus: Path, max_bytes: int, rules_of: Callable[[], tuple],
                 key: VersionKey, fields: FieldMap | None = None, on_commit=lambda: None):
        self.on_commit = on_commit
        """Called after each committed batch: what is committed can be searched while the rest is analysed."""
        self.folder, self.corpus, self.max_bytes = folder, corpus, max_bytes
        self._rules_of = rules_of
        """Gives the cleaning rules, compiled when a file is first analysed."""
        self.key = key
        self.fields = fields
        self.total = 0
        """Articles expected (see :attr:`Progress.total`)."""
        self.store = folder.store
        self.resolution = None
        """The resolution worked out by this update (None when the stored one still holds)."""
        self.warnings: list[LoadWarning] = []
        self.summary = UpdateSummary()

    def run(self, rebuilt: str) -> Iterator[Progress]:
        from reader.core import entities
        start = time.perf_counter()
        known, todo, gone = self._changes()
        alias_file = entities.find_alias_file(self.corpus)
        alias_key = _alias_key(alias_file)
        added = changed = 0
        if self.folder.read_only and (todo or gone or self._needs_resolving(alias_key)
                                      or self.store.get("max_bytes") != self.max_bytes):
            raise IndexError_(f"The index in {self.folder.path} is out of date and that folder cannot be "
                              f"written; give a writable folder with --index-dir.")
        # The alias file is read before any work: an error in it is one sentence and leaves
        # the index as it was (read after analysing, it left a first index without its
        # version, which the next opening wiped as unfinished).
        aliases = (entities.load_aliases(alias_file)
                   if alias_file and (todo or gone or self._needs_resolving(alias_key)) else None)
        if todo or gone:
            self.total = sum(job.guess for job in todo)
            yield Progress("analyse", 0, self.total, f"Analysing {plural(len(todo), 'file')}")
            added, changed = yield from self._analyse(todo, gone)
            from reader.core.search import termstats
            termstats.refresh(self.folder.ix)  # the term counts cross-references weigh, for the next process
        book = self.folder.stories
        group = book is not None and not self.folder.read_only and (todo or gone or not book.holds(self.store.count()))
        beside = None
        try:
            if todo or gone or self._needs_resolving(alias_key):
                yield Progress("resolve", 0, 1, "Resolving entities across the corpus")
                beside = self._resolve_beside(aliases, alias_key) if group else None
                if beside is None:
                    self._resolved(self._resolve(aliases, alias_key), alias_key)
            if group:
                yield Progress("resolve", 0, 1, "Grouping the reports of each story")
                book.sync({a: f.sha1 for f in self.store.files().values() for a in f.ids}, self.store.article,
                          self.store.profiles)
            if beside is not None:
                beside.wait()
                self._resolved(self._put_beside(), alias_key)
        finally:
            if beside is not None:
                beside.close()
        if self.store.get("max_bytes") != self.max_bytes:
            self.store.put("max_bytes", self.max_bytes)
            self.store.commit()
        if known is None:  # nothing changed, and the store's digest said so
            self.warnings = [LoadWarning(path, w) for path, w in self.store.file_warnings()]
        else:
            stamps = self.store.file_stamps() if (todo or gone) else known
            self.warnings = [LoadWarning(path, w) for path, (_, _, w) in stamps.items() if w]
            self._keep_digest(stamps)
        self.summary = UpdateSummary(added, changed, len(gone), len(self.warnings), self.store.count(),
                                     time.perf_counter() - start, rebuilt, unread_line(self.found.unread),
                                     tuple(self.found.not_followed))
        yield Progress("done", 1, 1, "Up to date")

    def _resolved(self, resolution, alias_key: str) -> None:
        """Record that the store's entity tables resolve this version of the corpus."""
        self.resolution = resolution
        self.store.put("resolution_format", RESOLUTION_FORMAT)
        self.store.put("alias_key", alias_key)
        self.store.put("resolved", True)
        self.store.put("version", self.key.full())
        self.store.put(STAMP, self.key.stamp)
        self.store.commit()

    def _resolve_beside(self, aliases, alias_key: str):
        """A whole resolution started in a process of its own (the stories are grouped
        meanwhile, on the other core), or None where the update resolves in this process:
        only what changed, a small corpus, one core."""
        if self.store.count() < PARALLEL_FROM or (os.cpu_count() or 1) < 2:
            return None
        return resolving.start_beside(self.store, self.folder.path, aliases, alias_key)

    def _put_beside(self):
        return resolving.put_beside(self.store, self.folder.path)

    def _resolve(self, aliases, alias_key: str):
        return resolving.resolve(self.store, self.folder.path, aliases, alias_key)

    def _needs_resolving(self, alias_key: str) -> bool:
        return (not self.store.get("resolved", False) or self.store.get("alias_key") != alias_key
                or self.store.get("resolution_format") != RESOLUTION_FORMAT)

    def _changes(self) -> tuple[dict | None, list[FileJob], list[str]]:
        """The store's stamps of the files (None when its digest of them matched the
        scan's: nothing changed), files new or changed since, and files gone."""
        self.found = scan_corpus(self.corpus)
        entries = self.found.entries
        # A file skipped under another size limit is tried again (its stamp has not changed).
        retry = self.store.get("max_bytes", self.max_bytes) != self.max_bytes
        if not retry and all(e.size >= 0 for e in entries):
            kept = self.store.get(STAMPS_DIGEST)
            if kept is not None and kept == stamps_digest((e.rel, e.size, e.mtime_ns) for e in entries):
                return None, [], []
        known = self.store.file_stamps()
        changed = [e for e in entries if _changed(known.get(e.rel), e.size, e.mtime_ns, retry)]
        # Ids are worked out only when a file needs one (for every file of the corpus: ~1 s at 20,000).
        todo = [FileJob(Path(e.path), e.rel, e.id, e.rel in known, e.size)
                for e in (with_ids(entries, changed) if changed else ())]
        gone = sorted(known.keys() - {e.rel for e in entries}) if len(known) > len(entries) - len(changed) else []
        return known, todo, gone

    def _keep_digest(self, stamps: dict) -> None:
        """Keep the digest of the files' stamps as the store now holds them: the next full
        check whose scan gives the same digest needs neither the stamps nor a comparison."""
        if self.folder.read_only:
            return
        digest = stamps_digest(sorted((path, size, mtime) for path, (size, mtime, _) in stamps.items()))
        if self.store.get(STAMPS_DIGEST) != digest:
            self.store.put(STAMPS_DIGEST, digest)
            self.store.commit()

    @property
    def rules(self) -> tuple:
        """The cleaning rules (compiled when first asked for)."""
        return self._rules_of()

    def _analysed(self, batch: list[FileJob], workers) -> Iterator[Analysed]:
        from reader.core.library.analysis import analyse_file
        args = [(job.path, job.rel, job.stem, self.max_bytes, self.rules, self.fields) for job in batch]
        return workers.run(args) if workers else (analyse_file(*a) for a in args)

    def _analyse(self, todo: list[FileJob], gone: list[str]) -> Iterator[Progress]:
        self.store.put("resolved", False)
        for path in gone:
            self.store.drop_file(path)
        singles = [job for job in todo if not job.container]
        workers = None
        if len(singles) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
            from reader.core.library.workers import IndexWorkers
            workers = IndexWorkers(os.cpu_count() or 2, str(self.folder.path / "whoosh"))
        counts = {"added": 0, "changed": 0, "done": 0, "articles": 0, "shown": 0}
        try:
            batches = list(_batches(singles)) or [[]]
            for b, batch in enumerate(batches):
                yield from self._write_batch(batch, gone if b == 0 else [], workers, counts, len(singles))
                self.store.commit()
                self.on_commit()
        finally:
            if workers:
                workers.close()
        for job in todo:
            if job.container:
                yield from self._write_container(job, counts)
        return counts["added"], counts["changed"]

    def _step(self, counts: dict, **kw) -> Progress:
        self.total = max(self.total, counts["articles"])
        return Progress("analyse", counts["articles"], self.total, **kw)

    def _write_batch(self, batch, gone, workers, counts, total) -> Iterator[Progress]:
        """Analyse one batch of single-article files into the index and the
        store, and commit the index."""
        from reader.core.search import index
        from reader.core.search.whoosh_ext.segments import commit_with_segments
        from reader.core.stories import PROFILE_VERSION  # the version of the profiles the analysis made
        known = {job.rel: job.known for job in batch}
        writer = index.writer(self.folder.ix, limitmb=WRITER_LIMIT_MB)
        deleter = writer.searcher()
        fresh: list[ArticleInfo] = []
        try:
            index.delete_paths(writer, gone, deleter)
            for done in self._analysed(batch, workers):
                state = done.state
                counts["changed" if known.get(state.path) else "added"] += 1
                # Also for a file the store does not know: a kill between the two commits
                # may have left its passages in the index. (Deletes reach the index's
                # segments only, not the workers' new ones.)
                index.delete_paths(writer, [state.path], deleter)
                index.add_passages(writer, done.docs)  # none when a worker indexed them
                self.store.put_file(state, done.infos, done.blobs, done.profiles, PROFILE_VERSION)
                counts["done"] += 1
                counts["articles"] += len(done.infos)
                self.total += len(done.infos) - 1  # a file was expected to give one article
                fresh.extend(done.infos)
                if state.warning:
                    yield self._step(counts, warning=LoadWarning(state.path, state.warning))
                # The first file, then every PROGRESS_EVERY files (results come one by one):
                # the list and the bar move as soon as the work does.
                if counts["done"] - counts["shown"] >= PROGRESS_EVERY or counts["shown"] == 0 \
                        or counts["done"] == total:
                    counts["shown"] = counts["done"]
                    yield self._step(counts, articles=tuple(fresh))
                    fresh = []
            deleter.close()
            if workers:
                commit_with_segments(writer, workers.segments)
            else:
                writer.commit()
        except BaseException:
            deleter.close()
            _cancel(writer)
            raise

    def _write_container(self, job: FileJob, counts: dict) -> Iterator[Progress]:
        """Read one container part by part into the index and the store,
        committing both every :data:`CONTAINER_COMMIT` articles (memory stays
        flat however large the file). Its old articles go first; a kill half-way
        leaves it marked unfinished, to be read again."""
        from reader.core.library.analysis import analyse_parts
        from reader.core.search import index
        from reader.core.stories import PROFILE_VERSION
        base = self.total - job.guess
        got = in_writer = 0
        writer = index.writer(self.folder.ix, limitmb=CONTAINER_WRITER_MB)
        try:
            index.delete_paths(writer, [job.rel])
            self.store.begin_file(job.rel)
            for part in analyse_parts(job.path, job.rel, job.stem, self.max_bytes, self.rules, self.fields):
                if writer is None:
                    writer = index.writer(self.folder.ix, limitmb=CONTAINER_WRITER_MB)
                index.add_passages(writer, part.docs)
                self.store.add_articles(part.infos, part.blobs, part.profiles, PROFILE_VERSION)
                got += len(part.infos)
                in_writer += len(part.infos)
                counts["articles"] += len(part.infos)
                self.total = base + (got if part.final else max(got, job.guess))
                if part.final:
                    self.store.end_file(part.state)
                    counts["changed" if job.known else "added"] += 1
                if part.final or in_writer >= CONTAINER_COMMIT:
                    writer.commit()
                    self.store.commit()
                    self.on_commit()
                    writer, in_writer = None, 0
                if part.final and part.state.warning:
                    yield self._step(counts, warning=LoadWarning(job.rel, part.state.warning))
                yield self._step(counts, articles=tuple(part.infos))
        except BaseException:
            if writer is not None:
                _cancel(writer)
            raise


def _batches(jobs: list) -> Iterator[list]:
    """``jobs`` cut into batches of doubling size (see :data:`BATCH`)."""
    size, start = min(FIRST_BATCH, BATCH), 0
    while start < len(jobs):
        yield jobs[start:start + size]
        start += size
        size = min(BATCH, size * 2)


def _cancel(writer) -> None:
    try:
        writer.cancel()
    except Exception:  # noqa: BLE001 - never hide the error that brought us here
        pass


def stamps_digest(stamps: Iterable[tuple[str, int, int]]) -> str:
    """A digest of files' (path, size, mtime_ns), given in path order: the same for the
    store's rows and a scan exactly when no file is new, gone or of another stamp, which
    is when :func:`_changed` finds nothing to do (a scan's stamp failure is never digested)."""
    h = hashlib.blake2b(digest_size=20)
    h.update("\n".join(f"{path}\0{size}\0{mtime}" for path, size, mtime in stamps)
             .encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def _changed(seen: tuple | None, size: int, mtime_ns: int, retry: bool) -> bool:
    """Whether a file found by the scan needs analysing: new, changed since the store saw it,
    without a stamp, or skipped before under another size limit (``seen``: the store's
    size, mtime_ns and warning of it)."""
    return seen is None or size < 0 or seen[0] != size or seen[1] != mtime_ns or (retry and bool(seen[2]))
