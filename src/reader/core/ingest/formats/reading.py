"""One corpus file -> its source documents, by the reader of its format."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from reader.core.ingest.files import DEFAULT_MAX_BYTES, read_file, scan, with_ids
from reader.core.ingest.formats import kinds
from reader.core.ingest.formats.base import SourceDoc
from reader.core.ingest.formats.fields import FieldMap
from reader.core.model import Article, LoadWarning, SourceFile

Item = SourceFile | SourceDoc | LoadWarning


def read_source(path: Path, rel: str, file_id: str, max_bytes: int,
                fields: FieldMap | None = None) -> Iterator[Item]:
    """Every article of one file, read (a generator): a :class:`SourceFile`
    for a text file, a :class:`SourceDoc` per article of the other formats,
    and a :class:`LoadWarning` for each thing that could not be read."""
    fmt = kinds.format_of(rel.rsplit("/", 1)[-1])
    if fmt == kinds.TEXT:
        yield read_file(path, rel, file_id, max_bytes)
    elif fmt == kinds.HTML:
        from reader.core.ingest.formats.html import read_html
        yield from read_html(path, rel, file_id, max_bytes)
    elif fmt == kinds.RECORDS:
        from reader.core.ingest.formats.records import read_records
        yield from read_records(path, rel, file_id, max_bytes, fields)
    elif fmt == kinds.FEED:
        from reader.core.ingest.formats.feeds import read_feed
        yield from read_feed(path, rel, file_id, max_bytes)
    elif fmt == kinds.WARC:
        from reader.core.ingest.formats.warc import read_warc
        yield from read_warc(path, rel, file_id, max_bytes)
    else:
        yield LoadWarning(rel, f"kreader does not read this type of file (it reads {kinds.read_suffixes()})")


def to_articles(item: SourceFile | SourceDoc, rules=None) -> list[Article] | LoadWarning:
    """A read item -> its cleaned articles (a text file may stitch several
    stories); for an article of another format with no text left once
    cleaned (a page of nothing but menus), the named skip saying so."""
    from reader.core.ingest.clean import clean, clean_doc
    if isinstance(item, SourceFile):
        return clean(item, rules)
    art = clean_doc(item, rules)
    if not art.passages:
        where = f"record {item.position}" if item.position else "the page"
        return LoadWarning(item.path, f"{where} has no article text left once cleaned")
    return [art]


def read_corpus(folder: Path, max_bytes: int = DEFAULT_MAX_BYTES, fields: FieldMap | None = None) -> Iterator[Item]:
    """Every article of the corpus folder, read, in path order (a generator)."""
    entries = scan(Path(folder))
    for e in with_ids(entries, entries):
        yield from read_source(Path(e.path), e.rel, e.id, max_bytes, fields)
