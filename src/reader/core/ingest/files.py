"""Finding and reading the files of a corpus folder.

A corpus is a folder, searched recursively, of ``.txt`` and ``.md`` files, one
article a file. Reading never raises for one bad file: it yields a
:class:`LoadWarning` naming the file and the reason, and goes on.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
from collections import Counter
from dataclasses import dataclass
from collections.abc import Iterator
from pathlib import Path

from reader.core.errors import CorpusError
from reader.core.model import LoadWarning, SourceFile

SUFFIXES = (".txt", ".md")
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
"""Files larger than this are skipped (``--max-size`` changes it)."""

_SNIFF = 8192
_C1 = frozenset(range(0x80, 0xA0))
_CP1252_UNDEFINED = frozenset((0x81, 0x8D, 0x8F, 0x90, 0x9D))


def _legacy_byte(err: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: a byte that is not UTF-8, read as Windows-1252."""
    b = err.object[err.start]
    ch = chr(b) if b in _CP1252_UNDEFINED else bytes([b]).decode("cp1252")
    return ch, err.start + 1


codecs.register_error("kreader-cp1252", _legacy_byte)


def find_files(folder: Path, check_only: bool = False) -> list[Path]:
    """Every article file below ``folder``, sorted, hidden folders skipped."""
    folder = Path(folder)
    if not folder.exists():
        raise CorpusError(f"The corpus folder {folder} does not exist; give the path of a folder of .txt or .md files.")
    if not folder.is_dir():
        raise CorpusError(f"{folder} is not a folder; give the path of a folder of .txt or .md files.")
    if check_only:
        return []
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=None):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found.extend(Path(root) / f for f in files
                     if f.lower().endswith(SUFFIXES) and not f.startswith("."))
    return sorted(found)


@dataclass(frozen=True, slots=True)
class Entry:
    """A corpus file as found by :func:`scan`: no read yet."""

    rel: str
    """Relative to the corpus folder, ``/``-separated."""
    path: str
    size: int
    mtime_ns: int
    id: str = ""


def _walk(top: str, prefix: str, out: list[Entry], seen: set[tuple[int, int]]) -> None:
    """Collect the article files below ``top``. Linked folders are followed,
    each real folder once (a link to a parent folder would loop)."""
    try:
        st = os.stat(top)
        if (st.st_dev, st.st_ino) in seen:
            return
        seen.add((st.st_dev, st.st_ino))
        entries = sorted(os.scandir(top), key=lambda e: e.name)
    except OSError:
        return
    for e in entries:
        if e.name.startswith("."):
            continue
        try:
            if e.is_dir():
                _walk(e.path, prefix + e.name + "/", out, seen)
            elif e.name.lower().endswith(SUFFIXES):
                st = e.stat()
                out.append(Entry(prefix + e.name, e.path, st.st_size, st.st_mtime_ns))
        except OSError:  # a dangling link or a file that vanished: read_file will say why
            try:  # the link's own stamp: a dangling link is not "changed" at every open
                st = e.stat(follow_symlinks=False)
                out.append(Entry(prefix + e.name, e.path, st.st_size, st.st_mtime_ns))
            except OSError:
                out.append(Entry(prefix + e.name, e.path, -1, -1))


def scan(folder: Path) -> list[Entry]:
    """Every article file below ``folder`` with its size and mtime, in path
    order: what incremental indexing compares, without reading anything.
    (Ids are given by :func:`with_ids`, only for the files that need them.)"""
    find_files(folder, check_only=True)
    out: list[Entry] = []
    _walk(str(folder), "", out, set())
    out.sort(key=lambda e: e.rel)
    return out


def with_ids(entries: list[Entry], wanted: list[Entry]) -> list[Entry]:
    """``wanted`` with their article ids, unique among all ``entries``."""
    ids = _ids([e.rel for e in entries])
    return [Entry(e.rel, e.path, e.size, e.mtime_ns, ids[e.rel]) for e in wanted]


def _ids(rels: list[str]) -> dict[str, str]:
    """Stem as id; the relative path without suffix where stems clash; the
    relative path with its suffix where even that clashes."""
    def stem(rel: str) -> str:
        return os.path.splitext(rel.rsplit("/", 1)[-1])[0]
    stems = Counter(stem(r) for r in rels)
    bare = Counter(os.path.splitext(r)[0] for r in rels)
    out = {}
    for r in rels:
        s, b = stem(r), os.path.splitext(r)[0]
        out[r] = s if stems[s] == 1 else (b if bare[b] == 1 else r)
    return out


def article_ids(folder: Path, files: list[Path]) -> dict[Path, str]:
    """File stem as id; the relative path (no suffix) where stems clash, and
    the relative path with its suffix where even that clashes (``x.txt``, ``x.md``)."""
    stems = Counter(f.stem for f in files)
    rels = Counter(f.relative_to(folder).with_suffix("").as_posix() for f in files)
    ids = {}
    for f in files:
        rel = f.relative_to(folder).with_suffix("").as_posix()
        if stems[f.stem] == 1:
            ids[f] = f.stem
        else:
            ids[f] = rel if rels[rel] == 1 else f.relative_to(folder).as_posix()
    return ids


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


def read_corpus(folder: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[SourceFile | LoadWarning]:
    """Every file of the corpus, read, in path order (a generator)."""
    folder = Path(folder)
    files = find_files(folder)
    ids = article_ids(folder, files)
    for f in files:
        yield read_file(f, f.relative_to(folder).as_posix(), ids[f], max_bytes)
