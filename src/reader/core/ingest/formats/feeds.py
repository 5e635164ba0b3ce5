"""RSS and Atom feeds (``.rss``, ``.atom``, an ``.xml`` that is a feed) through feedparser.

Each entry is an article: its full content, else its summary, read through
the HTML path when it is HTML. A file that is not a feed is a named skip.
feedparser reads a whole file at once, so a feed is held under the size limit.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from reader.core.ingest.formats.base import Keys, SourceDoc, iso_date, read_whole, Skip
from reader.core.model import LoadWarning

MB = 1024 * 1024


def _entry_body(entry) -> tuple[str | None, bool]:
    """The entry's fullest body and whether it is HTML."""
    for part in entry.get("content") or ():
        if (part.get("value") or "").strip():
            return part["value"], "html" in (part.get("type") or "html")
    summary = entry.get("summary_detail") or {}
    value = summary.get("value") or entry.get("summary") or ""
    if value.strip():
        return value, "html" in (summary.get("type") or "text/html")
    return None, False


def _date(entry) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        t = entry.get(key)
        if t:
            return f"{t.tm_year:04d}-{t.tm_mon:02d}-{t.tm_mday:02d}"
    return iso_date(entry.get("published") or entry.get("updated"))


def _entry_doc(entry, n: int, rel: str, keys: Keys, site: str | None, max_bytes: int):
    body, is_html = _entry_body(entry)
    if body is None:
        return LoadWarning(rel, f"entry {n} has neither content nor a summary")
    if len(body.encode("utf-8", "surrogatepass")) > max_bytes:
        return LoadWarning(rel, f"entry {n} is over the {max_bytes / MB:.1f} MB limit (raise it with --max-size)")
    url = entry.get("link")
    meta = {"title": entry.get("title") or None, "author": entry.get("author") or None,
            "date": _date(entry), "site": site, "source": url}
    doc_id = keys.make(n, entry.get("id"), url)
    if is_html:
        from reader.core.ingest.formats.html import blocks_of_fragment
        blocks = blocks_of_fragment(body)
        if not blocks:
            return LoadWarning(rel, f"entry {n} has no text in its HTML")
        return SourceDoc(id=doc_id, path=rel, position=n, blocks=blocks, **meta)
    return SourceDoc(id=doc_id, path=rel, position=n, text=body, **meta)


def read_feed(path: Path, rel: str, file_id: str, max_bytes: int) -> Iterator[SourceDoc | LoadWarning]:
    """Every entry of one feed, as source documents or named skips."""
    import feedparser
    try:
        data = read_whole(path, rel, max_bytes)
    except Skip as e:
        yield LoadWarning(rel, str(e))
        return
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") or (parsed.get("bozo") and not parsed.entries):
        yield LoadWarning(rel, "it is not an RSS or Atom feed" + (
            " (it is not well-formed XML)" if parsed.get("bozo") else ""))
        return
    feed = parsed.get("feed") or {}
    site = feed.get("title") or None
    keys = Keys(file_id)
    if not parsed.entries:
        yield LoadWarning(rel, "the feed has no entries")
    for n, entry in enumerate(parsed.entries, start=1):
        yield _entry_doc(entry, n, rel, keys, site, max_bytes)
