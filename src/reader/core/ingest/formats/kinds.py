"""Which reader reads a file, by its name alone (no import beyond the standard library)."""

from __future__ import annotations

TEXT, HTML, RECORDS, FEED, WARC = "text", "html", "records", "feed", "warc"

SUFFIXES: dict[str, str] = {
    ".txt": TEXT, ".md": TEXT,
    ".html": HTML, ".htm": HTML, ".html.gz": HTML, ".htm.gz": HTML,
    ".jsonl": RECORDS, ".ndjson": RECORDS, ".json": RECORDS, ".csv": RECORDS, ".tsv": RECORDS,
    ".jsonl.gz": RECORDS, ".ndjson.gz": RECORDS, ".json.gz": RECORDS, ".csv.gz": RECORDS, ".tsv.gz": RECORDS,
    ".rss": FEED, ".atom": FEED, ".xml": FEED,
    ".warc": WARC, ".warc.gz": WARC,
}
"""Every suffix kreader reads (lower case), and the reader that reads it."""

CONTAINERS = frozenset((RECORDS, FEED, WARC))
"""Formats of which one file holds many articles."""

NOT_CORPUS_FILES = frozenset(("aliases.yaml",))
"""Files of a corpus folder that are kreader's own settings, not articles."""


def suffix_of(name: str) -> str:
    """The suffix that names the file's type: ``.jsonl.gz`` for ``x.jsonl.gz``,
    ``.gz`` alone when what is inside is not a type kreader reads ('' when none)."""
    low = name.lower()
    last = low.rfind(".")
    if last > 0:  # every suffix read is one or two dotted parts: look those up (a scan asks for every file)
        before = low.rfind(".", 0, last)
        if before > 0 and low[before:] in SUFFIXES:
            return low[before:]
        if low[last:] in SUFFIXES:
            return low[last:]
    dot = low.rfind(".", 1)
    return low[dot:] if dot > 0 else ""


def format_of(name: str) -> str | None:
    """The format kreader reads the file as, or None when it does not read it."""
    return SUFFIXES.get(suffix_of(name))


def reads_name(name: str) -> bool:
    """Whether kreader reads a file of this name (:func:`format_of` is not None), cheaply:
    a scan asks for every file. Every two-part suffix read ends in ``.gz``, so the last
    part alone decides for any other name."""
    last = name.rfind(".")
    if last <= 0:
        return False
    ext = name[last:].lower()
    if ext != ".gz":
        return ext in SUFFIXES
    return SUFFIXES.get(suffix_of(name)) is not None


def read_suffixes() -> str:
    """The suffixes kreader reads, for a message: ``.txt, .md, .html, …``."""
    return ", ".join(s for s in SUFFIXES if not s.endswith(".gz")) + " (and .gz of most)"
