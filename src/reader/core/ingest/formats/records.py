"""Record exports: JSON Lines, JSON, CSV and TSV (also gzipped), one record an article.

Every reader streams: a line, a row or an array item at a time, so memory
does not grow with the file. A record that cannot be read (not JSON, not an
object, no text, text over the size limit) is a named skip; the records after
it are read. A file that ends early (a truncated gzip) keeps the records read
before the break and says where it broke.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

from reader.core.ingest import files  # noqa: F401  (registers the "kreader-cp1252" codec error handler)
from reader.core.ingest.formats.base import GZIP_ERRORS, Keys, SourceDoc, iso_date, open_binary
from reader.core.ingest.formats.fields import FieldMap, as_names, as_text
from reader.core.model import LoadWarning

MB = 1024 * 1024
LINE_SLACK = 1 << 20
"""A JSON line may be this much longer than ``--max-size`` (its other fields)
before it is skipped unread."""

Item = SourceDoc | LoadWarning


def record_doc(record: Mapping, n: int, rel: str, keys: Keys, fields: FieldMap, max_bytes: int) -> Item:
    """One record as a source document, or the named skip saying why not."""
    get = lambda role: fields.get(record, role)  # noqa: E731
    url = as_text(get("url"))
    url = url.strip() if url and url.strip().lower().startswith(("http://", "https://")) else url
    meta = {"title": as_text(get("title")), "author": as_names(get("author")),
            "date": iso_date(get("date")), "site": as_text(get("site")), "source": url}
    text, html = as_text(get("text")), as_text(get("html"))
    if text is None and html is None:
        text = as_text(get("summary"))
    if text is None and html is None:
        return LoadWarning(rel, f"record {n} has no text (no field named {fields.names('text', 4)}, "
                                f"{fields.names('html', 1)} or {fields.names('summary', 1)}; "
                                f"a config mapping can name it)")
    size = len((text or html or "").encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        return LoadWarning(rel, f"record {n} has {size / MB:.1f} MB of text, over the "
                                f"{max_bytes / MB:.1f} MB limit (raise it with --max-size)")
    doc_id = keys.make(n, get("id"), url)
    if text is None:
        from reader.core.ingest.formats.html import extract, page_doc
        page = extract(html, url)
        if page is None:
            return LoadWarning(rel, f"record {n}: no article text was found in its HTML")
        return page_doc(page, doc_id, rel, n, **meta)
    return SourceDoc(id=doc_id, path=rel, position=n, text=text, **meta)


def _json_lines(stream, rel: str, keys: Keys, fields: FieldMap, max_bytes: int) -> Iterator[Item]:
    limit = max_bytes + LINE_SLACK
    n = 0
    while True:
        line = stream.readline(limit)
        if not line:
            return
        n += 1
        if len(line) >= limit and not line.endswith(b"\n"):
            while (more := stream.readline(limit)) and not more.endswith(b"\n"):
                pass
            yield LoadWarning(rel, f"record {n} is over the {max_bytes / MB:.1f} MB limit "
                                   f"(raise it with --max-size)")
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line.decode("utf-8", "kreader-cp1252"))
        except ValueError as e:
            yield LoadWarning(rel, f"record {n} (line {n}) is not valid JSON ({_short(e)})")
            continue
        if not isinstance(record, dict):
            yield LoadWarning(rel, f"record {n} (line {n}) is a JSON {type(record).__name__}, not an object")
            continue
        yield record_doc(record, n, rel, keys, fields, max_bytes)


def _short(e: Exception) -> str:
    return str(e).split(":")[0][:80]


def _first_char(stream) -> bytes:
    head = stream.peek(4096)[:4096] if hasattr(stream, "peek") else b""
    head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1]


def _array_prefix(path: Path) -> str | None:
    """For a JSON object holding the records in a list (``{"articles": [...]}``),
    the ijson prefix of the list's items; None when it holds no list."""
    import ijson
    stream = open_binary(path)
    with stream:
        try:
            for prefix, event, value in ijson.parse(stream):
                if event == "start_array" and prefix.count(".") == 0 and prefix:
                    return f"{prefix}.item"
                if event == "end_map" and prefix == "":
                    return None
        except (ijson.JSONError, *GZIP_ERRORS):
            return None
    return None


def _looks_like_lines(stream) -> bool:
    """A ``.json`` file that is JSON Lines: its first line is a whole object."""
    head = bytes(stream.peek(1 << 16)[:1 << 16]) if hasattr(stream, "peek") else b""
    first, sep, rest = head.lstrip(b"\xef\xbb\xbf \t\r\n").partition(b"\n")
    if not sep or not rest.strip():
        return False
    try:
        return isinstance(json.loads(first), dict)
    except ValueError:
        return False


def _json(path: Path, stream, rel: str, keys: Keys, fields: FieldMap, max_bytes: int) -> Iterator[Item]:
    import ijson
    start = _first_char(stream)
    if start == b"{" and _looks_like_lines(stream):
        yield from _json_lines(stream, rel, keys, fields, max_bytes)
        return
    if start == b"[":
        prefix = "item"
    elif start == b"{":
        prefix = _array_prefix(path) or ""
    else:
        yield LoadWarning(rel, "it is not a JSON array or object of records")
        return
    n = 0
    try:
        for record in ijson.items(stream, prefix, use_float=True):
            n += 1
            if not isinstance(record, dict):
                yield LoadWarning(rel, f"record {n} is a JSON {type(record).__name__}, not an object")
                continue
            yield record_doc(record, n, rel, keys, fields, max_bytes)
    except ijson.JSONError as e:
        yield LoadWarning(rel, f"it stops being valid JSON after record {n} ({_short(e)}); "
                               f"the records before are read")


def _delimiter(first_line: str, suffix: str) -> str:
    if suffix.startswith(".tsv"):
        return "\t"
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _csv(stream, rel: str, suffix: str, keys: Keys, fields: FieldMap, max_bytes: int) -> Iterator[Item]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="kreader-cp1252", newline="")
    header = text.readline()
    if not header.strip():
        yield LoadWarning(rel, "it has no header line naming its columns")
        return
    delim = _delimiter(header, suffix)
    names = next(csv.reader([header], delimiter=delim))
    csv.field_size_limit(max(csv.field_size_limit(), min(sys.maxsize, 2 * max_bytes + LINE_SLACK)))
    reader = csv.DictReader(text, fieldnames=names, delimiter=delim)
    n = 0
    try:
        for row in reader:
            n += 1
            row.pop(None, None)  # cells beyond the header's columns
            yield record_doc(row, n, rel, keys, fields, max_bytes)
    except csv.Error as e:
        yield LoadWarning(rel, f"row {n + 1} cannot be read as CSV ({e}); the rows before are read")


def read_records(path: Path, rel: str, file_id: str, max_bytes: int,
                 fields: FieldMap | None = None) -> Iterator[Item]:
    """Every record of one export file, as source documents or named skips."""
    from reader.core.ingest.formats.kinds import suffix_of
    suffix = suffix_of(path.name)
    fields = fields or FieldMap()
    keys = Keys(file_id)
    count = 0
    try:
        stream = open_binary(path)
        with stream:
            if suffix.startswith((".jsonl", ".ndjson")):
                items = _json_lines(stream, rel, keys, fields, max_bytes)
            elif suffix.startswith(".json"):
                items = _json(path, stream, rel, keys, fields, max_bytes)
            else:
                items = _csv(stream, rel, suffix, keys, fields, max_bytes)
            for item in items:
                count += isinstance(item, SourceDoc)
                yield item
    except PermissionError:
        yield LoadWarning(rel, "permission denied; check the file's permissions")
    except GZIP_ERRORS:
        yield LoadWarning(rel, f"it ends early (a damaged or truncated gzip file); "
                               f"{count} record{'s' if count != 1 else ''} before the break are read")
    except OSError as e:
        yield LoadWarning(rel, f"it cannot be read ({e.strerror or e})")
