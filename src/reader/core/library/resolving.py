"""The store's entity tables brought up to date after an update's files are written.

Only the articles gone, new or changed are resolved again when the tables hold
a resolution of the same kind (:func:`resolve`); else all of them, in tables of
a file of their own put in place of the store's in one step, so that a reader
meanwhile sees the entities it had, never none. A first index of many files
resolves in a process of its own (:func:`start_beside`) while the update groups
the stories, which read the articles' mentions, not their entities.
"""

from __future__ import annotations

import os
import queue
from multiprocessing import get_context
from pathlib import Path

from reader.core.entities.tables import TABLES_FORMAT as RESOLUTION_FORMAT
from reader.core.errors import IndexError_
from reader.core.library.workers import JOIN_SECONDS, POLL_SECONDS, _die_with_parent, _start_resource_tracker

RESOLVING_FILE = "entities-new.sqlite"
"""Where a whole resolution of an index that has one is built, beside the store (removed after)."""


class StoredArticles:
    """Every stored article (or these ids), with its file's hash, streamed from the store
    each time it is iterated (what the resolution passes read: see
    :meth:`~reader.core.library.store.ArticleStore.stamped_articles`)."""

    def __init__(self, store, ids: list[str] | None = None):
        self.store, self.ids = store, ids

    def __iter__(self):
        return self.store.stamped_articles(self.ids)


def _same_kind(store, alias_key: str) -> bool:
    return store.get("resolution_format") == RESOLUTION_FORMAT and store.get("alias_key") == alias_key


def resolve(store, folder: Path, aliases, alias_key: str):
    """The corpus's entities brought up to date in the store, in this process: only the
    articles gone, new or changed when the tables hold a resolution of the same kind, else
    all again. Returns the :class:`~reader.core.entities.Resolution`."""
    from reader.core.entities import AliasConfig, Resolution, passes
    tables = store.entity_tables()
    aliases = aliases or AliasConfig()
    if _same_kind(store, alias_key):
        removed, fresh = store.entity_changes()
        if passes.resolve_changes(tables, removed, StoredArticles(store, fresh), aliases, store.article):
            return Resolution(tables)
    store.db.execute("DELETE FROM blobs WHERE key='resolution'")  # format 1's blob
    if tables.complete():
        _resolve_aside(store, tables, folder, aliases)
    else:  # nothing a reader could see yet: no need to build aside
        passes.resolve_all(tables, StoredArticles(store), aliases)
    return Resolution(tables)


def _resolve_aside(store, tables, folder: Path, aliases) -> None:
    path = folder / RESOLVING_FILE
    path.unlink(missing_ok=True)
    try:
        _resolve_into(path, store, aliases)
        tables.replace_with(path)
    finally:
        path.unlink(missing_ok=True)


def _resolve_into(path, store, aliases) -> None:
    """A whole resolution of ``store``'s articles written to new tables in the file ``path``."""
    from reader.core.entities import passes
    from reader.core.entities.tables import EntityTables, FileDB
    db = FileDB(path)
    try:
        passes.resolve_all(EntityTables(db), StoredArticles(store), aliases)
        db.commit()
    finally:
        db.close()


def start_beside(store, folder: Path, aliases, alias_key: str):
    """A whole resolution started in a :class:`ResolvingProcess`
    (finished by :func:`put_beside`), or None when only what changed needs resolving
    (:func:`resolve` does that in this process, cheaply)."""
    from reader.core.entities import AliasConfig
    if _same_kind(store, alias_key) and store.entity_tables().complete():
        return None
    store.db.execute("DELETE FROM blobs WHERE key='resolution'")  # format 1's blob
    store.commit()  # the process reads the store as it is on disk
    path = folder / RESOLVING_FILE
    path.unlink(missing_ok=True)
    return ResolvingProcess(store.path, path, aliases or AliasConfig())


def put_beside(store, folder: Path):
    """The tables the process of :func:`start_beside` wrote, put in place of the store's in
    one step (call after it is done); the :class:`~reader.core.entities.Resolution`."""
    from reader.core.entities import Resolution
    tables = store.entity_tables()
    path = folder / RESOLVING_FILE
    try:
        tables.replace_with(path)
    finally:
        path.unlink(missing_ok=True)
    return Resolution(tables)


def _resolver_main(store_path: str, aside: str, aliases, results, parent: int) -> None:
    _die_with_parent()
    if os.getppid() != parent:
        return
    try:
        from reader.core.library.store import ArticleStore
        store = ArticleStore(Path(store_path), read_only=True)
        try:
            _resolve_into(aside, store, aliases)
        finally:
            store.close()
        results.put(("done", None))
    except BaseException as e:  # reported to the owner, which stops the update
        try:
            results.put(("error", f"{type(e).__name__}: {e}"))
        except (OSError, ValueError):
            pass


class ResolvingProcess:
    """A whole resolution of the store at ``store_path`` built in a process of its own,
    into the entity tables of the file ``aside`` (the owner puts them in place of the
    store's): the owner groups the stories meanwhile, on the other core. The store must
    be committed: the process reads it as it is on disk."""

    def __init__(self, store_path, aside, aliases):
        _start_resource_tracker()
        ctx = get_context("spawn")
        self.results = ctx.Queue()
        self.proc = ctx.Process(target=_resolver_main, daemon=True,
                                args=(str(store_path), str(aside), aliases, self.results, os.getpid()))
        self.proc.start()

    def wait(self) -> None:
        """Until the resolution is written; a failure is one sentence (:class:`IndexError_`)."""
        try:
            while True:
                try:
                    kind, payload = self.results.get(timeout=POLL_SECONDS)
                    break
                except queue.Empty:
                    if not self.proc.is_alive():
                        raise IndexError_("The entity resolution process died (out of memory?); "
                                          "run kreader index again.") from None
            if kind != "done":
                raise IndexError_(f"The entity resolution failed ({payload}); run kreader index --rebuild.")
        finally:
            self.close()

    def close(self) -> None:
        """Stop the process (terminated when it does not end in time); again: nothing."""
        if self.proc is None:
            return
        self.proc.join(timeout=JOIN_SECONDS)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join(timeout=JOIN_SECONDS)
        self.results.cancel_join_thread()
        self.results.close()
        self.proc = None
