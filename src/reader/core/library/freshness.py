"""The cheap check that a corpus folder has not changed since its index was brought up to date.

A full update stats every file of the corpus (0.3 s at 20,000 files, more
on a cold or network disk) and compares the stamps with the store's (by one
digest when nothing changed: :mod:`~reader.core.library.update`). A
command-line search or look-up does not pay that: it compares what the last
full update saw of the corpus's *folders* instead. Adding, deleting or
renaming a file changes its folder's modification time (and an editor's
atomic save is a rename), so when every folder walked still has the time it
had, no file was added, deleted or replaced since. A file rewritten in
place (its folder's time unchanged) is seen by the next full check:
``kreader index``, the reader, or a command given ``--recheck``.

The snapshot also holds the alias files' stamps, the config folder and the size limit the
update ran with; it is kept in the store's meta table, written only after a
full update that completed.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from reader.core.locations import config_dir

SNAPSHOT_KEY = "corpus_folders"
"""The store's meta key of the snapshot."""
SNAPSHOT_FORMAT = 1
"""Bumped when the snapshot's shape changes (an older one is simply not trusted)."""
RACY_NS = 2_000_000_000
"""A folder changed this close before the update looked at it may change again within the
same tick of the file system's clock (2 s on FAT) without its time moving: such a time is
not trusted, and the next command checks every file."""
UNTRUSTED = -1
"""The time kept for a folder whose time is not trusted (see :data:`RACY_NS`)."""


@dataclass(frozen=True)
class Looked:
    """When a full update began looking at the corpus, and the alias files then."""

    ns: int
    """The clock's time, in nanoseconds since the epoch."""
    aliases: list
    """The stamp of each place an alias file may be (see :func:`_stamp`)."""


def _alias_places(corpus: Path) -> list[Path]:
    """Where the alias file of a corpus may be, in the order the resolution looks."""
    from reader.core.entities.aliases import ALIAS_FILE
    return [Path(corpus) / ALIAS_FILE, config_dir() / ALIAS_FILE]


def _stamp(path: str | os.PathLike) -> list:
    """A file's path, size and mtime_ns (path, None, None when there is no such file)."""
    try:
        st = os.stat(path)
    except OSError:
        return [str(path), None, None]
    return [str(path), st.st_size, st.st_mtime_ns]


def looked_now(corpus: Path) -> Looked:
    """Taken before a full update walks the corpus: a change made while it walks is
    then either seen by it or seen by the next check."""
    return Looked(time.time_ns(), [_stamp(p) for p in _alias_places(corpus)])


def snapshot(folders: list[tuple[str, int]], looked: Looked, max_bytes: int) -> dict:
    """What a full update saw: each folder walked with its mtime_ns (untrusted when it
    changed within :data:`RACY_NS` of when the walk began), the alias files' stamps,
    the config folder and the size limit."""
    return {"format": SNAPSHOT_FORMAT, "max_bytes": max_bytes, "config": str(config_dir()),
            "aliases": looked.aliases,
            "folders": [[path, mtime if looked.ns - mtime >= RACY_NS else UNTRUSTED]
                        for path, mtime in folders]}


def unchanged(stored: dict | None, max_bytes: int) -> bool:
    """Whether the corpus still looks as the snapshot ``stored`` saw it: every folder's
    time the same (and trusted), the alias files as they were, the same config folder
    and size limit."""
    if not isinstance(stored, dict) or stored.get("format") != SNAPSHOT_FORMAT:
        return False
    if stored.get("max_bytes") != max_bytes or stored.get("config") != str(config_dir()):
        return False
    folders, aliases = stored.get("folders"), stored.get("aliases")
    if not folders or not isinstance(folders, list) or not isinstance(aliases, list):
        return False
    try:
        return (all(_stamp(stamp[0]) == stamp for stamp in aliases)
                and all(mtime != UNTRUSTED and os.stat(path).st_mtime_ns == mtime for path, mtime in folders))
    except (OSError, TypeError, ValueError, IndexError):  # a folder gone, or a snapshot of another shape
        return False
