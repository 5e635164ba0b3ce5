"""The index folder of one corpus: the Whoosh index and the article store, opened,
checked, wiped when outdated or damaged, and locked while it is updated."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.core.errors import IndexError_
from reader.core.library.store import Store

DAMAGED = "DAMAGED"
"""A file left in the index folder when a search found the index damaged: the
next opening rebuilds it."""
LOCK_SECONDS = 120
"""How long an update waits for another kreader updating the same index."""
PARTS = ("articles.sqlite", "articles.sqlite-journal", "articles.sqlite-wal", "whoosh", DAMAGED)
"""What an index folder holds (all of it is thrown away by a rebuild)."""


def cannot_write(folder: Path, e: BaseException | None = None) -> IndexError_:
    why = f" ({e.strerror})" if isinstance(e, OSError) and e.strerror else ""
    return IndexError_(f"Cannot write the index in {folder}{why}; give a writable folder with --index-dir.")


class IndexFolder:
    """``path`` holding ``whoosh/`` and ``articles.sqlite``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.store: Store | None = None
        self.ix = None

    def open(self, version: str) -> str:
        """Open store and index; wipe them when outdated or damaged. Returns why it
        rebuilt ("" when it did not)."""
        from reader.core.search import index
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise IndexError_(f"Cannot create the index folder {self.path} ({e.strerror or e}); "
                              f"give a writable folder with --index-dir.") from e
        why = ""
        try:
            self.store = Store(self.path / "articles.sqlite")
            try:
                stored = self.store.get("version")
            except ValueError:  # kept by a kreader that stored its values another way
                stored = "earlier"
            if (self.path / DAMAGED).exists():
                why = "the index was found damaged while searching"
            elif stored not in (None, version):
                why = "kreader's rules changed since the index was built"
            elif stored is None and self.store.count():
                why = "the index was left unfinished"
            self.ix, docs = (None, 0) if why else index.open_or_create(self.path / "whoosh")
            if not why and docs == 0 and self.store.count():
                why = "the search index is missing its documents"
        except (IndexError_, sqlite3.DatabaseError):
            why = "the index was damaged"
        except Exception:  # noqa: BLE001 - a corrupt Whoosh segment raises many kinds of errors
            why = "the index was damaged"
        if why:
            self.wipe()
        return why

    def wipe(self) -> None:
        """Throw the index and the store away and start both empty."""
        from reader.core.search import index
        if self.store:
            self.store.close()
        self.store, self.ix = None, None
        try:
            for name in PARTS:
                p = self.path / name
                if p.is_dir():
                    shutil.rmtree(p)
                elif p.exists():
                    p.unlink()
            self.store = Store(self.path / "articles.sqlite")
            self.ix, _ = index.open_or_create(self.path / "whoosh")
        except (OSError, sqlite3.OperationalError) as e:
            raise cannot_write(self.path, e) from e

    def mark_damaged(self) -> str:
        """Leave the mark that makes the next opening rebuild; returns the sentence for the user."""
        try:
            (self.path / DAMAGED).touch()
        except OSError:  # a read-only folder: the message still tells what to do
            pass
        return (f"The search index in {self.path} is damaged; it will be rebuilt the next time kreader "
                f"opens this corpus, or now with kreader index --rebuild.")

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the folder's update lock (another kreader updating it waits, then gives up)."""
        import filelock
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = filelock.FileLock(str(self.path) + ".lock", timeout=LOCK_SECONDS)
            lock.acquire()
        except filelock.Timeout as e:
            raise IndexError_(f"Another kreader is updating the index {self.path}; wait for it to finish.") from e
        except OSError as e:
            raise IndexError_(f"Cannot write in {self.path.parent} ({e.strerror or e}); "
                              f"give a writable folder with --index-dir.") from e
        try:
            yield
        finally:
            lock.release()

    def abandon(self) -> None:
        """An update failed: roll back what it had not committed and close the
        store, so nothing of this process holds the files when the next opening
        finds them unfinished and wipes them."""
        if self.store:
            try:
                self.store.db.rollback()
            except sqlite3.Error:
                pass
            self.store.close()
            self.store = None

    def close(self) -> None:
        if self.store:
            self.store.close()
