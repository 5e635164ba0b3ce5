"""The index folder of one corpus: the Whoosh index and the article store, opened,
checked, wiped when outdated or damaged, and locked while it is updated."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.errors import IndexError_
from reader.core.library import lockfile
from reader.core.library.store import DAMAGED, ArticleStore
from reader.core.library.version import VersionKey

if TYPE_CHECKING:
    from reader.core.stories import StoryBook

# The story book is opened (and its package imported) when first asked for: a
# search or a look-up has no use for it.

LOCK_SECONDS = 120
"""How long an update waits for another kreader updating the same index."""
PARTS = ("articles.sqlite", "articles.sqlite-journal", "articles.sqlite-wal", "whoosh", DAMAGED)
"""What an index folder holds besides the story book (all of it is thrown away by a rebuild)."""
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
        self._ix = None
        self._index_pending = False
        """True while the Whoosh index is to be opened when first used (see :meth:`open`)."""
        self._index_lock = threading.Lock()
        self.read_only = False
        """True when the folder cannot be written: an up-to-date index is still read."""
        self.code_changed = False
        """True when the last :meth:`open` found the index last checked by other code of
        kreader's (an upgrade): its first update then checks everything."""
        self._stories: StoryBook | None = None
        self._stories_mode: str | None = None
        """How :attr:`stories` opens the book: "write", "read" (a read-only folder), None (not at all)."""
        self._stories_lock = threading.Lock()
        self._readers: list = []
        """The reader the opening checked the index with, kept for the first searcher
        (opening one costs ~0.1 s at 10 segments); a list, so taking it is atomic."""

    @property
    def stories(self) -> StoryBook | None:
        """Which story each article belongs to (kept beside the store), opened when first
        asked for; None when the index is not open, or is read-only without a book."""
        if self._stories is None and self._stories_mode is not None:
            with self._stories_lock:
                if self._stories is None and self._stories_mode is not None:
                    self._stories = self._open_stories()
        return self._stories

    def _open_stories(self) -> StoryBook | None:
        """The story book: in a read-only folder None when there is none or it is damaged;
        else a damaged one is started again (it is rebuilt from the store by the next update)."""
        from reader.core.stories import STORIES_FILE, StoryBook
        path = self.path / STORIES_FILE
        if self._stories_mode == "read":
            try:
                return StoryBook(path, read_only=True)
            except IndexError_:  # none, or damaged: the index is read without stories
                self._stories_mode = None
                return None
        try:
            return StoryBook(path)
        except IndexError_:
            path.unlink(missing_ok=True)
            return StoryBook(path)

    def _close_stories(self) -> None:
        if self._stories is not None:
            self._stories.close()
        self._stories, self._stories_mode = None, None

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

    def open(self, key: VersionKey, index_now: bool = True) -> str:
        """Open store and index; wipe them when outdated (their version key is not
        ``key``) or damaged. Returns why it rebuilt ("" when it did not).
        ``index_now=False`` leaves the Whoosh index to be opened (and checked) when
        first used, or by :meth:`open_index` (a look-up of entities never needs it)."""
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
            why = self._check(stored, key.current(stored, stamp), index_now)
        self.code_changed = stored is not None and stamp != key.stamp
        if not why and self.code_changed:  # the key held: keep the new stamp
            self.store.put(STAMP, key.stamp)
            self.store.commit()
        if why:
            self.wipe()
        elif self._stories_mode is None:
            self._stories_mode = "write"
        return why

    def still_open(self, key: VersionKey) -> bool:
        """Whether the store and index an earlier :meth:`open` opened serve as they are,
        not opened again (the reader updates its library while it reads it): still of
        ``key``, writable, and not found damaged since."""
        if self.store is None or self.read_only or (self._ix is None and not self._index_pending):
            return False
        try:
            stored, stamp = self.store.get("version"), self.store.get(STAMP)
        except (IndexError_, ValueError):
            return False
        return stored == key.current(stored, stamp) and not (self.path / DAMAGED).exists()

    def _check(self, stored: str | None, version: str, index_now: bool) -> str:
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
            self._ix, self._index_pending = None, not why
            if not why and index_now:
                why = self._open_index()
        except Exception:  # noqa: BLE001 - a damaged store or a corrupt Whoosh segment raises many kinds
            why = "the index was damaged"
        return why

    def _open_index(self) -> str:
        """Open the Whoosh index left pending: why it must be rebuilt ("" when it opened
        whole). Raises what a damaged index raises."""
        from reader.core.search import index
        from reader.core.search.whoosh_ext.buffers import share_segment_files
        share_segment_files()  # opening reads the segments in place, not a copy of each
        try:
            self._ix, docs, reader = index.open_checked(self.path / "whoosh")
        finally:  # not before: another thread asking for ix meanwhile would be given None
            self._index_pending = False
        if reader is not None:
            self._readers.append(reader)
        if docs == 0 and self.store.count():
            return "the search index is missing its documents"
        return ""

    def open_index(self) -> str:
        """Open the Whoosh index if :meth:`open` left it pending; wipe the folder when
        it is damaged. Returns why it rebuilt ("" when it did not)."""
        if not self._index_pending:
            return ""
        try:
            why = self._open_index()
        except Exception:  # noqa: BLE001 - a corrupt Whoosh segment raises many kinds
            why = "the index was damaged"
        if why:
            self.wipe()
        return why

    @property
    def ix(self):
        """The Whoosh index (None when the folder is not open); one left pending by
        :meth:`open` is opened here, and found damaged raises one :class:`IndexError_`."""
        if self._ix is None and self._index_pending:
            with self._index_lock:
                if self._ix is None and self._index_pending:
                    try:
                        why = self._open_index()
                    except Exception as e:  # noqa: BLE001 - a corrupt Whoosh segment raises many kinds
                        raise IndexError_(self.mark_damaged()) from e
                    if why:
                        raise IndexError_(self.mark_damaged())
        return self._ix

    @ix.setter
    def ix(self, value) -> None:
        self._ix, self._index_pending = value, False

    def _open_read_only(self, key: VersionKey) -> str:
        """Open an index this process cannot write: only an intact, current one will do."""
        from whoosh import index as wix

        from reader.core.search.whoosh_ext.buffers import share_segment_files
        share_segment_files()
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
        self._close_stories()
        self._stories_mode = "read"
        return ""

    def wipe(self) -> None:
        """Throw the index and the store away and start both empty."""
        from reader.core.search import index
        from reader.core.stories import STORIES_FILE
        self.drop_reader()
        if self.store:
            self.store.close()
        self._close_stories()
        self.store, self.ix = None, None
        try:
            for name in (*PARTS, STORIES_FILE, STORIES_FILE + "-journal"):
                p = self.path / name
                if p.is_dir():
                    shutil.rmtree(p)
                elif p.exists():
                    p.unlink()
            self.store = ArticleStore(self.path / "articles.sqlite")
            self.ix, _ = index.open_or_create(self.path / "whoosh")
            self._stories_mode = "write"
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
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            release = lockfile.acquire(str(self.path) + ".lock", LOCK_SECONDS)
        except lockfile.LockTimeout as e:
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
            release()

    def abandon(self, close: bool = True) -> None:
        """An update failed: roll back what it had not committed and (``close``)
        close the store, so nothing of this process holds the files when the next
        opening finds them unfinished and wipes them."""
        self.drop_reader()
        if self.store:
            try:
                self.store.db.rollback()
            except IndexError_:
                pass
            if close:
                self.store.close()
                self.store = None

    def close(self) -> None:
        self.drop_reader()
        self._close_stories()
        if self.store:
            self.store.close()

