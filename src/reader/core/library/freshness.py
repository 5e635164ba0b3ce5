"""The cheap check that a corpus folder has not changed since its index was brought up to date.

A full update stats every file of the corpus (0.3 s at 20,000 files, more
on a cold or network disk) and reads every file's stamp from the store. A
command-line search or look-up does not pay that: it compares what the last
full update saw of the corpus's *folders* instead. Adding, deleting or
renaming a file changes its folder's modification time (and an editor's
atomic save is a rename), so when every folder walked still has the time it
had, no file was added, deleted or replaced since. A file rewritten in
place (its folder's time unchanged) is seen by the next full check:
``kreader index``, the reader, or a command given ``--recheck``.

The snapshot also holds the alias file's stamp and the size limit the
update ran with; it is kept in the store's meta table, written only after a
full update that completed.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

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
    """When a full update began looking at the corpus, and its alias file then."""

    ns: int
    """The clock's time, in nanoseconds since the epoch."""
    aliases: list | None
    """The alias file's stamp (see :func:`_stamp`)."""


def alias_file(corpus: Path) -> Path | None:
    """The alias file a corpus's resolution reads (beside it, else in the config folder)."""
    from reader.core.entities import find_alias_file
    return find_alias_file(corpus)


def _stamp(path: str | os.PathLike | None) -> list | None:
    """A file's path, size and mtime_ns (None when there is no such file)."""
    if path is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [str(path), st.st_size, st.st_mtime_ns]


def looked_now(corpus: Path) -> Looked:
    """Taken before a full update walks the corpus: a change made while it walks is
    then either seen by it or seen by the next check."""
    return Looked(time.time_ns(), _stamp(alias_file(corpus)))


def snapshot(folders: list[tuple[str, int]], looked: Looked, max_bytes: int) -> dict:
    """What a full update saw: each folder walked with its mtime_ns (untrusted when it
    changed within :data:`RACY_NS` of when the walk began), the alias file's stamp
    and the size limit."""
    return {"format": SNAPSHOT_FORMAT, "max_bytes": max_bytes, "aliases": looked.aliases,
            "folders": [[path, mtime if looked.ns - mtime >= RACY_NS else UNTRUSTED]
                        for path, mtime in folders]}


def unchanged(stored: dict | None, alias_file: Path | None, max_bytes: int) -> bool:
    """Whether the corpus still looks as the snapshot ``stored`` saw it: every folder's
    time the same (and trusted), the same alias file, the same size limit."""
    if not isinstance(stored, dict) or stored.get("format") != SNAPSHOT_FORMAT:
        return False
    if stored.get("max_bytes") != max_bytes or stored.get("aliases") != _stamp(alias_file):
        return False
    folders = stored.get("folders")
    if not folders or not isinstance(folders, list):
        return False
    try:
        return all(mtime != UNTRUSTED and os.stat(path).st_mtime_ns == mtime for path, mtime in folders)
    except (OSError, TypeError, ValueError):  # a folder gone, or a snapshot of another shape
        return False
