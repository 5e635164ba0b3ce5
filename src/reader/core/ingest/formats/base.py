"""What every format reader yields, and the pieces they share: opening a file
(gzip included), article ids, dates.

A reader yields one :class:`SourceDoc` per article, or a
:class:`~reader.core.model.LoadWarning` naming the file and the record it
could not read (a *named skip*); it never raises for bad input.
"""

from __future__ import annotations

import email.utils
import gzip
import hashlib
import io
import re
import zlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from reader.core.ingest import meta

KEY_MAX_CHARS = 48
"""An id taken from a record's own id or address is cut (and hashed) past this."""
GZIP_ERRORS = (EOFError, gzip.BadGzipFile, zlib.error)
"""What reading a damaged or truncated gzip file raises."""
STREAM_BUFFER = 1 << 16
"""Bytes read ahead from a file (and what a reader may peek at to sniff its shape)."""
MAX_NAMED_SKIPS = 5
"""A container's skips named one by one in its warning; the rest are counted."""


@dataclass(frozen=True, slots=True)
class SourceDoc:
    """One article read from a file, before cleaning: its body and the
    metadata the format gives (None where it gives none)."""

    id: str
    """The article id, unique in the corpus and stable across runs."""
    path: str
    """The file it came from, relative to the corpus folder."""
    position: int = 0
    """Where it sits in the file: 0 for a file of one article, else the record
    (line, row, entry, response) number from 1."""
    title: str | None = None
    text: str | None = None
    """The body as plain text (paragraphs separated by blank lines)."""
    blocks: tuple[tuple[str, str], ...] = ()
    """The body as typed blocks (``heading``, ``paragraph``, ``list-item``,
    ``quote``, ``caption``), when the format has structure (HTML)."""
    markdown: bool = False
    author: str | None = None
    date: str | None = None
    """ISO 8601 (``2023-09-19``)."""
    site: str | None = None
    source: str | None = None
    """The article's address."""


def open_binary(path: Path) -> BinaryIO:
    """The file's bytes as a stream, gunzipped when it is gzip (by its first
    bytes, whatever its name). Reading a truncated or damaged gzip raises one
    of :data:`GZIP_ERRORS`."""
    with open(path, "rb") as f:
        zipped = f.read(2) == b"\x1f\x8b"
    if zipped:
        return io.BufferedReader(gzip.open(path, "rb"), STREAM_BUFFER)  # type: ignore[arg-type]
    return open(path, "rb", buffering=STREAM_BUFFER)


def read_limited(stream: BinaryIO, max_bytes: int) -> bytes | None:
    """The whole stream, or None when it holds more than ``max_bytes``."""
    data = stream.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


_SLUG = re.compile(r"[^\w.-]+")


def read_whole(path: Path, rel: str, max_bytes: int) -> bytes:
    """The bytes of a file read whole (gunzipped when it is gzipped), within
    ``max_bytes``; raises :class:`Skip` with the reason it cannot be had."""
    try:
        stream = open_binary(path)
        with stream:
            data = read_limited(stream, max_bytes)
    except PermissionError:
        raise Skip("permission denied; check the file's permissions") from None
    except GZIP_ERRORS:
        raise Skip("it is a damaged or truncated gzip file") from None
    except OSError as e:
        raise Skip(f"it cannot be read ({e.strerror or e})") from None
    if data is None:
        raise Skip(f"it is over the {max_bytes / (1024 * 1024):.1f} MB limit (raise it with --max-size)")
    return data


class Skip(Exception):
    """Why a file is skipped: the sentence of its :class:`LoadWarning`."""


def _slug(value: str) -> str:
    s = _SLUG.sub("-", value.strip()).strip("-.")
    if len(s) > KEY_MAX_CHARS:
        s = s[:KEY_MAX_CHARS - 9].rstrip("-.") + "-" + hashlib.sha1(value.encode()).hexdigest()[:8]
    return s


def url_key(url: str) -> str:
    """A short, readable, stable key for an address: its last path segment and a hash."""
    core = re.sub(r"^[a-z][\w+.-]*://(www\.)?", "", url.strip(), flags=re.I).split("#")[0]
    parts = [p for p in re.split(r"[/?&=]", core) if p]
    tail = _slug(re.sub(r"\.(s?html?|php|aspx?)$", "", parts[-1], flags=re.I)) if parts else ""
    digest = hashlib.sha1(url.strip().encode()).hexdigest()[:6]
    return f"{tail[:KEY_MAX_CHARS - 7]}-{digest}" if tail else digest


class Keys:
    """Article ids within one container: ``FILE#KEY``, KEY the record's own id,
    else a key of its address, else its record number; a key met twice gets
    ``~2``, ``~3`` in file order. Remembers 8-byte hashes, not the keys."""

    def __init__(self, file_id: str):
        self.file_id = file_id
        self.seen: set[int] = set()

    def make(self, position: int, own_id: object = None, url: str | None = None) -> str:
        if own_id not in (None, "") and not isinstance(own_id, (dict, list)):
            key = _slug(str(own_id)) or str(position)
        elif url:
            key = url_key(url)
        else:
            key = str(position)
        base, k = key, 1
        while (h := hash(key)) in self.seen:
            k += 1
            key = f"{base}~{k}"
        self.seen.add(h)
        return f"{self.file_id}#{key}"


_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})")


def iso_date(value: object) -> str | None:
    """A date as ISO 8601 (``2023-09-19``) from what exports hold: ISO strings,
    RFC 2822 (feeds), epoch seconds or milliseconds, or a date written out."""
    if value in (None, ""):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if m := _ISO.match(text):
        try:
            return datetime(int(m[1]), int(m[2]), int(m[3])).date().isoformat()
        except ValueError:
            return None
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    return meta.date_line(text[:80])


def skips_message(skips: list[str], total: int) -> str:
    """One sentence for a container's skipped records."""
    named = "; ".join(skips[:MAX_NAMED_SKIPS])
    more = total - min(total, MAX_NAMED_SKIPS)
    return named + (f"; and {more} more" if more else "")
