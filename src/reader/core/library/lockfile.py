"""The update lock of an index folder: an exclusive advisory lock on a file beside it.

Where the system has ``fcntl.flock`` this is that lock, taken directly: it is
what ``filelock``'s Unix lock takes on the same file, so kreaders using
either exclude each other, and importing ``filelock`` (~50 ms, more than the
rest of a command-line search's own work) is left to the systems without it
and to file systems that refuse ``flock``.
"""

from __future__ import annotations

import errno
import os
import time
from collections.abc import Callable

POLL_SECONDS = 0.05
"""How often a waiting update tries the lock again."""
NO_FLOCK = (errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOLCK)
"""What ``flock`` raises on a file system that does not lock: ``filelock`` is used there."""


class LockTimeout(Exception):
    """Another process held the lock for the whole wait."""


def acquire(path: str, timeout: float) -> Callable[[], None]:
    """Take the lock on the file ``path`` (made when missing), waiting up to ``timeout``
    seconds; returns the function that releases it. Raises :class:`LockTimeout`, or
    OSError when the file cannot be made or opened."""
    try:
        import fcntl
    except ImportError:  # not a Unix
        return _with_filelock(path, timeout)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise LockTimeout(path) from None
            time.sleep(POLL_SECONDS)
        except OSError as e:
            os.close(fd)
            if e.errno in NO_FLOCK:
                return _with_filelock(path, timeout)
            raise

    def release() -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    return release


def _with_filelock(path: str, timeout: float) -> Callable[[], None]:
    """The lock taken by ``filelock`` (Windows' lock, or its fallback where flock fails)."""
    import filelock
    lock = filelock.FileLock(path, timeout=timeout)
    try:
        lock.acquire()
    except filelock.Timeout as e:
        raise LockTimeout(path) from e
    return lock.release
