"""Writing a user's file so that it is never lost, truncated or half-written.

The recipe: write a temporary file in the same folder, flush and fsync it,
``os.replace`` it over the target, then fsync the folder so the rename itself
survives a power cut. The previous version is kept as ``NAME.bak``, written the
same way. Writers take an inter-process lock (``NAME.lock``, :mod:`filelock`)
so that each can re-read, change and write the file without losing another's
change.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import filelock

from reader.core.errors import BookmarkError

LOCK_TIMEOUT = 15.0
"""Seconds to wait for another kreader to finish writing before giving up."""

_TMP_SUFFIX = ".tmp"

_ERRNO_PHRASES = {
    errno.EACCES: "permission is denied",
    errno.EPERM: "permission is denied",
    errno.EROFS: "the disk is read-only",
    errno.ENOSPC: "the disk is full",
    getattr(errno, "EDQUOT", -1): "the disk quota is exceeded",
    errno.ENOTDIR: "part of the path is a file, not a folder",
    errno.EEXIST: "part of the path is a file, not a folder",
    errno.EISDIR: "the path is a folder, not a file",
    errno.ENAMETOOLONG: "the path is too long",
}


def backup_path(path: Path) -> Path:
    """Where the previous good version of ``path`` is kept."""
    return path.with_name(path.name + ".bak")


def lock_path(path: Path) -> Path:
    """The lock file that writers of ``path`` share."""
    return path.with_name(path.name + ".lock")


def os_error_phrase(error: OSError) -> str:
    """A few plain words for what went wrong, without a traceback."""
    return _ERRNO_PHRASES.get(error.errno or 0, error.strerror or str(error))


def cannot_write(path: Path, error: OSError) -> BookmarkError:
    """The one-sentence error for an unwritable bookmarks location."""
    return BookmarkError(
        f"Cannot save bookmarks to {path} because {os_error_phrase(error)}; "
        "fix the folder's permissions or choose another file with --bookmarks."
    )


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders can't be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` by ``data`` all at once: readers see the old or the new file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=_TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        _copy_mode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def save_with_backup(path: Path, data: bytes, previous: bytes | None) -> None:
    """Write ``data`` to ``path`` atomically, first keeping ``previous`` as the backup.

    Raises :class:`BookmarkError` (one sentence) when the location is unwritable.
    """
    try:
        if previous is not None:
            write_atomic(backup_path(path), previous)
        write_atomic(path, data)
    except OSError as e:
        raise cannot_write(path, e) from e


@contextlib.contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the writers' lock of ``path``, creating its folder if needed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(lock_path(path), timeout=timeout)
        lock.acquire()
    except filelock.Timeout as e:
        raise BookmarkError(
            f"Another kreader has held {lock_path(path)} for over {timeout:.0f} seconds; "
            "close it, or delete that lock file if no kreader is running, and try again."
        ) from e
    except OSError as e:
        raise cannot_write(path, e) from e
    try:
        remove_stale_temps(path)
        yield
    finally:
        lock.release()


def remove_stale_temps(path: Path) -> None:
    """Delete temporary files a crashed writer left (call only under the lock)."""
    start = f".{path.name}."
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            if entry.name.startswith(start) and entry.name.endswith(_TMP_SUFFIX):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _copy_mode(path: Path, tmp: str) -> None:
    """Give the new file the old one's permissions (mkstemp makes it 0600)."""
    with contextlib.suppress(OSError):
        os.chmod(tmp, os.stat(path).st_mode & 0o7777)
