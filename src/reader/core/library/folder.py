"""The index folder of one corpus: the Whoosh index and the article store, opened,
checked, wiped when outdated or damaged, and locked while it is updated."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from reader.core.errors import IndexError_
from reader.core.library.store import DAMAGED, ArticleStore
from reader.core.library.version import VersionKey
from reader.core.stories import STORIES_FILE, StoryBook

LOCK_SECONDS = 120
"""How long an update waits for another kreader updating the same index."""
PARTS = ("articles.sqlite", "articles.sqlite-journal", "articles.sqlite-wal", "whoosh", DAMAGED,
         STORIES_FILE, STORIES_FILE + "-journal")
"""What an index folder holds (all of it is thrown away by a rebuild)."""
STAMP = "version_stamp"
"""The store's meta key of the code stamp its version key was last checked with
(:class:`~reader.core.library.version.VersionKey`)."""


def cannot_write(folder: Path, e: BaseException | None = None) -> IndexError_:
    why = f" ({e.strerror})" if isinstance(e, OSError) and e.strerror else ""
    return IndexError_(f"Cannot write the index in {folder}{why}; give a writable folder with --index-dir.")


class IndexFolder:
    """``path`` holding ``whoosh/`` and ``articles.sqlite``."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.store: ArticleStore | None = None
        self.ix = None
        self.read_only = False
        """True when the folder cannot be written: an up-to-date index is still read."""
        self.stories: StoryBook | None = None
        """Which story each article belongs to (kept beside the store)."""
        self._readers: list = []
        """The reader the opening checked the index with, kept for the first searcher
        (opening one costs ~0.1 s at 10 segments); a list, so taking it is atomic."""

    def take_reader(self):
        """The reader the opening checked the index with, once; None when it was
        taken or dropped (the index changed since)."""
        try:
            return self._readers.pop()
        except IndexError:
            return None

    def drop_reader(self) -> None:
        """The index changed: the reader the opening kept is out of date."""
        reader = self.take_reader()
        if reader is not None:
            reader.close()

    def open(self, key: VersionKey) -> str:
        """Open store and index; wipe them when outdated (their version key is not
        ``key``) or damaged. Returns why it rebuilt ("" when it did not)."""
        from reader.core.search import index
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise IndexError_(f"Cannot create the index folder {self.path} ({e.strerror or e}); "
                              f"give a writable folder with --index-dir.") from e
        if self.read_only:
            return self._open_read_only(key)
        why, stored, stamp = "", None, None
        try:
            self.store = ArticleStore(self.path / "articles.sqlite")
            try:
                stored, stamp = self.store.get("version"), self.store.get(STAMP)
            except ValueError:  # kept by a kreader that stored its values another way
                stored = "earlier"
        except Exception:  # noqa: BLE001 - a damaged store raises many kinds of errors
            why = "the index was damaged"
        if not why:
            why = self._check(stored, key.current(stored, stamp), index)
        if not why and stored is not None and stamp != key.stamp:  # the key held: keep the new stamp
            self.store.put(STAMP, key.stamp)
            self.store.commit()
        if why:
            self.wipe()
        elif self.stories is None:
            self.stories = _open_stories(self.path)
        return why

    def _check(self, stored: str | None, version: str, index) -> str:
        """Why the opened store and index must be rebuilt ("" when they need not be)."""
        why = ""
        try:
            if (self.path / DAMAGED).exists():
                why = "the index was found damaged while searching"
            elif stored not in (None, version):
                why = "kreader's rules changed since the index was built"
            elif stored is None and self.store.count():
                why = "the index was left unfinished"
            self.drop_reader()  # an earlier opening's
            self.ix, docs, reader = (None, 0, None) if why else index.open_checked(self.path / "whoosh")
            if reader is not None:
                self._readers.append(reader)
            if not why and docs == 0 and self.store.count():
                why = "the search index is missing its documents"
        except Exception:  # noqa: BLE001 - a damaged store or a corrupt Whoosh segment raises many kinds
            why = "the index was damaged"
        return why

    def _open_read_only(self, key: VersionKey) -> str:
        """Open an index this process cannot write: only an intact, current one will do."""
        from whoosh import index as wix
        try:
            self.store = ArticleStore(self.path / "articles.sqlite", read_only=True)
            stored = self.store.get("version")
            current = (stored == key.current(stored, self.store.get(STAMP))
                       and not (self.path / DAMAGED).exists())
            self.ix = wix.open_dir(str(self.path / "whoosh")) if current else None
        except (IndexError_, ValueError, OSError, wix.EmptyIndexError):
            current = False
        if not current:
            raise IndexError_(f"The index in {self.path} must be built again, and that folder cannot be "
                              f"written; give a writable folder with --index-dir.")
        try:
            self.stories = StoryBook(self.path / STORIES_FILE, read_only=True)
        except IndexError_:  # none, or damaged: the index is read without stories
            self.stories = None
        return ""

    def wipe(self) -> None:
        """Throw the index and the store away and start both empty."""
        from reader.core.search import index
        self.drop_reader()
        if self.store:
            self.store.close()
        if self.stories:
            self.stories.close()
        self.store, self.ix, self.stories = None, None, None
        try:
            for name in PARTS:
                p = self.path / name
                if p.is_dir():
                    shutil.rmtree(p)
                elif p.exists():
                    p.unlink()
            self.store = ArticleStore(self.path / "articles.sqlite")
            self.ix, _ = index.open_or_create(self.path / "whoosh")
            self.stories = _open_stories(self.path)
        except OSError as e:
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
            if not (self.path / "articles.sqlite").exists():
                raise IndexError_(f"Cannot write in {self.path.parent} ({e.strerror or e}); "
                                  f"give a writable folder with --index-dir.") from e
            self.read_only = True  # an index is there: read it if it is up to date
            yield
            return
        self.read_only = False
        try:
            yield
        finally:
            lock.release()

    def abandon(self) -> None:
        """An update failed: roll back what it had not committed and close the
        store, so nothing of this process holds the files when the next opening
        finds them unfinished and wipes them."""
        self.drop_reader()
        if self.store:
            try:
                self.store.db.rollback()
            except IndexError_:
                pass
            self.store.close()
            self.store = None

    def close(self) -> None:
        self.drop_reader()
        if self.stories:
            self.stories.close()
        if self.store:
            self.store.close()


def _open_stories(path: Path) -> StoryBook:
    """The story book of an index folder; a damaged one is started again (it is
    rebuilt from the store by the next update)."""
    try:
        return StoryBook(path / STORIES_FILE)
    except IndexError_:
        (path / STORIES_FILE).unlink(missing_ok=True)
        return StoryBook(path / STORIES_FILE)
