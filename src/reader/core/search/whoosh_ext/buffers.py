"""Opening a segment without copying it: Whoosh's compound files read in place.

A Whoosh segment is one compound file, mapped into memory (mmap); each part
of it (term table, postings, stored fields, lengths) is opened as a
``BufferFile`` over a slice of the map. Whoosh's ``BufferFile`` also wraps the
slice in a ``BytesIO`` for its file-like reads, and ``BytesIO`` copies what it
is given: opening an index copies every part of every segment into memory,
whether it is read or not (the 80 MB of 21,000 Reuters articles: ~0.15 s and
80 MB of memory at each opening, in every process). :class:`SharedBufferFile`
reads the slice in place through :class:`ViewReader`; its ``get`` (where
Whoosh reads most) is Whoosh's own. :func:`share_segment_files` makes Whoosh's
compound storage open its parts with it (the private name it replaces is
``whoosh.filedb.compound.BufferFile``; ``tests/test_whoosh_ext.py`` checks it).
"""

from __future__ import annotations

import os

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

LINE_CHUNK = 4096
"""Bytes looked at a time for the end of a line (lines are rare: Whoosh reads pickles and records)."""


class ViewReader:
    """A read-only binary file over a memoryview: what ``BytesIO`` does for
    reading, without copying the bytes first."""

    __slots__ = ("_view", "_pos", "closed")

    def __init__(self, view):
        self._view = memoryview(view).cast("B")
        self._pos = 0
        self.closed = False

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._pos = max(start, end)
        return bytes(self._view[start:end])

    def readinto(self, buffer) -> int:
        data = self.read(len(memoryview(buffer)))
        memoryview(buffer).cast("B")[:len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        view, start = self._view, self._pos
        end = len(view) if size is None or size < 0 else min(start + size, len(view))
        at = start
        while at < end:  # the line's end looked for a chunk at a time (no copy of the rest)
            found = bytes(view[at:min(at + LINE_CHUNK, end)]).find(b"\n")
            if found >= 0:
                end = at + found + 1
                break
            at += LINE_CHUNK
        self._pos = end
        return bytes(view[start:end])

    def __iter__(self):
        while line := self.readline():
            yield line

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: len(self._view)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self.closed = True


class SharedBufferFile(BufferFile):
    """Whoosh's ``BufferFile`` reading its buffer in place (see the module doc)."""

    def __init__(self, buf, name=None, onclose=None):  # noqa: D107 - BufferFile's, without its copy
        self._buf = buf
        self._name = name
        self.file = ViewReader(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    def subset(self, position, length, name=None):
        return SharedBufferFile(memoryview(self._buf)[position:position + length], name=name or self._name)


def share_segment_files() -> None:
    """Make Whoosh open the parts of a compound segment in place (idempotent)."""
    compound.BufferFile = SharedBufferFile
