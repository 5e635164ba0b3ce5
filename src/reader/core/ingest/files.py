"""Finding and reading the files of a corpus folder.

A corpus is a folder, searched recursively, of files kreader reads (text,
pages, record exports, feeds, web archives: :mod:`.formats.kinds`). There is
one walker (:func:`scan_corpus`) and one id scheme (:func:`with_ids`). Reading
never raises for one bad file: it yields a :class:`LoadWarning` naming the
file and the reason, and goes on.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from reader.core.errors import CorpusError
from reader.core.ingest.formats import kinds
from reader.core.model import LoadWarning, SourceFile

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
"""Files larger than this are skipped (``--max-size`` changes it); in a
container (records, feeds, archives), one article's text."""
SYSTEM_FOLDERS = ("/proc", "/sys", "/dev", "/run")
"""Folders of the system, never walked through a link."""

_SNIFF = 8192
_C1 = frozenset(range(0x80, 0xA0))
_CP1252_UNDEFINED = frozenset((0x81, 0x8D, 0x8F, 0x90, 0x9D))


def _legacy_byte(err: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: a byte that is not UTF-8, read as Windows-1252."""
    b = err.object[err.start]
    ch = chr(b) if b in _CP1252_UNDEFINED else bytes([b]).decode("cp1252")
    return ch, err.start + 1


codecs.register_error("kreader-cp1252", _legacy_byte)


class Entry(NamedTuple):
    """A corpus file as found by :func:`scan`: no read yet. (A named tuple: a scan makes
    one a file, and a tuple is made in a third of a frozen dataclass's time.)"""

    rel: str
    """Relative to the corpus folder, ``/``-separated."""
    path: str
    size: int
    mtime_ns: int
    id: str = ""


@dataclass
class CorpusScan:
    """What a walk of the corpus folder found."""

    entries: list[Entry] = field(default_factory=list)
    """The files kreader reads, in path order."""
    unread: Counter = field(default_factory=Counter)
    """Files of types kreader does not read, counted by suffix (``""``: none)."""
    not_followed: list[LoadWarning] = field(default_factory=list)
    """Links to folders that were not followed, each with the reason."""
    folders: list[tuple[str, int]] = field(default_factory=list)
    """Each folder walked (its path as walked) with its mtime_ns, stat'ed before it was
    listed: a file added, deleted or renamed in it changes that time."""


def _check_folder(folder: Path) -> None:
    if not folder.exists():
        raise CorpusError(f"The corpus folder {folder} does not exist; give the path of a folder of articles.")
    if not folder.is_dir():
        raise CorpusError(f"{folder} is not a folder; give the path of a folder of articles.")


def stamp(path: str | Path) -> tuple[int, int]:
    """A file's (size, mtime_ns); a dangling link's own, so it is not
    "changed" at every open; (-1, -1) when there is nothing to stat."""
    for follow in (True, False):
        try:
            st = os.stat(path, follow_symlinks=follow)
            return st.st_size, st.st_mtime_ns
        except OSError:
            continue
    return -1, -1


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


class _Walker:
    """Walks a corpus folder. A link to a folder is followed when it points
    into the corpus, or is a plain folder link below it (to a folder that
    neither holds the corpus nor is a system folder); links found inside a
    linked folder outside the corpus are followed only into the corpus or
    that folder. Each real folder is walked once (a link to a parent would loop)."""

    def __init__(self, folder: Path):
        self.root = os.path.realpath(folder)
        self.out = CorpusScan()
        self.seen: set[tuple[int, int]] = set()

    def link_refused(self, target: str, base: str | None) -> str | None:
        """Why a linked folder is not walked (None: it is)."""
        if _inside(target, self.root):
            return None
        if _inside(self.root, target):
            return f"it links to {target}, a folder that holds the corpus"
        if any(_inside(target, s) for s in SYSTEM_FOLDERS):
            return f"it links to the system folder {target}"
        if base is not None and not _inside(target, base):
            return f"it links to {target}, outside the corpus, from a folder that is itself linked"
        return None

    def walk(self, top: str, prefix: str, base: str | None) -> None:
        try:
            st = os.stat(top)
            if (st.st_dev, st.st_ino) in self.seen:
                return
            self.seen.add((st.st_dev, st.st_ino))
            entries = sorted(os.scandir(top), key=lambda e: e.name)
        except OSError:
            return
        self.out.folders.append((top, st.st_mtime_ns))
        found = self.out.entries.append  # the loop below runs once a file: 100,000 times at 100k
        read = kinds.reads_name
        for e in entries:
            name = e.name
            if name[0] == ".":
                continue
            rel = prefix + name
            try:
                is_dir = e.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                self.folder(e, rel, base)
            elif read(name):
                try:
                    st = e.stat()  # the same stat as stamp()'s first try, without building the path again
                    found(Entry(rel, e.path, st.st_size, st.st_mtime_ns))
                except OSError:
                    found(Entry(rel, e.path, *stamp(e.path)))
            elif not (prefix == "" and name in kinds.NOT_CORPUS_FILES):
                self.out.unread[kinds.suffix_of(name)] += 1

    def folder(self, e: os.DirEntry, rel: str, base: str | None) -> None:
        if not e.is_symlink():
            self.walk(e.path, rel + "/", base)
            return
        target = os.path.realpath(e.path)
        why = self.link_refused(target, base)
        if why:
            self.out.not_followed.append(LoadWarning(rel, f"not followed: {why}"))
            return
        self.walk(e.path, rel + "/", base if _inside(target, self.root) or base else target)


def scan_corpus(folder: Path) -> CorpusScan:
    """Walk the corpus folder: the files kreader reads (with size and mtime, in
    path order), the others counted by type, the links not followed. Nothing
    is read. (Ids are given by :func:`with_ids`, only to the files that need them.)"""
    folder = Path(folder)
    _check_folder(folder)
    walker = _Walker(folder)
    walker.walk(str(folder), "", None)
    walker.out.entries.sort(key=lambda e: e.rel)
    return walker.out


def scan(folder: Path) -> list[Entry]:
    """The files kreader reads below ``folder``, in path order (see :func:`scan_corpus`)."""
    return scan_corpus(folder).entries


def with_ids(entries: list[Entry], wanted: list[Entry]) -> list[Entry]:
    """``wanted`` with their article ids, unique among all ``entries``."""
    ids = _ids([e.rel for e in entries])
    return [Entry(e.rel, e.path, e.size, e.mtime_ns, ids[e.rel]) for e in wanted]


def _ids(rels: list[str]) -> dict[str, str]:
    """The one id scheme: the file's stem (``x`` for ``x.jsonl.gz``); the
    relative path without suffix where stems clash; the relative path with
    its suffix where even that clashes (``x.txt``, ``x.md``)."""
    def bare(rel: str) -> str:
        suffix = kinds.suffix_of(rel.rsplit("/", 1)[-1])
        return rel[:len(rel) - len(suffix)] if suffix else rel

    def stem(rel: str) -> str:
        return bare(rel).rsplit("/", 1)[-1]
    stems = Counter(stem(r) for r in rels)
    bares = Counter(bare(r) for r in rels)
    return {r: stem(r) if stems[stem(r)] == 1 else (bare(r) if bares[bare(r)] == 1 else r) for r in rels}


def unread_line(unread: Counter) -> str:
    """One line naming the files of types kreader does not read ('' when none)."""
    if not unread:
        return ""
    total = sum(unread.values())
    parts = [f"{n} {s or 'without a suffix'}" for s, n in sorted(unread.items(), key=lambda kv: (-kv[1], kv[0]))]
    return (f"{total} file{'s' if total != 1 else ''} not read, of types kreader does not read: "
            f"{', '.join(parts)}")


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le`` or ``-be`` when NULs sit in every other byte, as in Latin text."""
    if len(data) < 4 or len(data) % 2:
        return None
    head = data[:_SNIFF]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    half = len(head) // 2
    if odd > 0.7 * half and even == 0:
        return "utf-16-le"
    if even > 0.7 * half and odd == 0:
        return "utf-16-be"
    return None


def _mostly_utf8(data: bytes) -> bool:
    """Valid multi-byte UTF-8 sequences outnumber the bytes that are not UTF-8."""
    text = data.decode("utf-8", "surrogateescape")
    bad = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    good = sum(1 for ch in text if ord(ch) > 0x7F) - bad
    return good > 0 and good >= bad


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding it was read with; ValueError if none fits.

    UTF-8 (with or without a byte-order mark), UTF-16 (with a byte-order mark,
    or without one when the NULs say so), UTF-8 with a few stray Windows-1252
    bytes, then Windows-1252, then Latin-1 when the result is plausible text.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (utf16 := _utf16_without_bom(data)):
        try:
            return data.decode("utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else utf16), "utf-16"
        except UnicodeDecodeError as e:
            raise ValueError("it starts like UTF-16 but its bytes are not valid UTF-16") from e
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        return data.decode("utf-8-sig", "kreader-cp1252"), "utf-8+cp1252"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    text = data.decode("latin-1")
    c1 = sum(1 for ch in text if ord(ch) in _C1)
    if c1 > max(2, len(text) // 200):
        raise ValueError("its bytes are not valid text in UTF-8, Windows-1252 or Latin-1")
    return text, "latin-1"


def looks_binary(head: bytes) -> bool:
    """NUL bytes, or many control bytes, in the first few kilobytes."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(head[:len(head) - len(head) % 2]):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(4, len(head) // 100)


def read_file(path: Path, rel: str, stem: str, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceFile | LoadWarning:
    """Read and decode one file, or say in one sentence why it was skipped."""
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            return LoadWarning(rel, "it is not a regular file")
        if st.st_size > max_bytes:
            mb = 1024 * 1024  # as --max-size counts them
            return LoadWarning(rel, f"it is {st.st_size / mb:.1f} MB, over the {max_bytes / mb:.1f} MB limit "
                                    f"(raise it with --max-size)")
        data = path.read_bytes()
    except PermissionError:
        return LoadWarning(rel, "permission denied; check the file's permissions")
    except OSError as e:
        return LoadWarning(rel, f"it cannot be read ({e.strerror or e})")
    if not data.strip():
        return LoadWarning(rel, "it is empty")
    if looks_binary(data[:_SNIFF]):
        return LoadWarning(rel, "it looks like a binary file, not text")
    try:
        text, encoding = decode(data)
    except ValueError as e:
        return LoadWarning(rel, f"it cannot be decoded: {e}")
    if not text.strip():
        return LoadWarning(rel, "it is empty")
    return SourceFile(path=rel, stem=stem, text=text, size=st.st_size, mtime_ns=st.st_mtime_ns,
                      sha1=hashlib.sha1(data).hexdigest(), encoding=encoding)
