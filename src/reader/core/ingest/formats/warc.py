"""Web archives (``.warc``, ``.warc.gz``) through warcio, streamed a record at a time.

Each response record holding an HTML page is an article, read through the
HTML path, with the record's target URI as its address (and its key in the
article id). Other records (requests, metadata, images, scripts) are not
articles and are passed over; a response whose page has no article text is a
named skip.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from reader.core.ingest.formats.base import GZIP_ERRORS, Keys, SourceDoc, open_binary
from reader.core.model import LoadWarning

MB = 1024 * 1024
HTML_TYPES = ("text/html", "application/xhtml+xml")
"""Content types of the responses read as pages."""


def _is_html(record) -> bool:
    headers = record.http_headers
    ctype = (headers.get_header("Content-Type") if headers else None) or ""
    return ctype.split(";")[0].strip().lower() in HTML_TYPES


def _first_line(e: Exception) -> str:
    return next((line.strip() for line in str(e).splitlines() if line.strip()), type(e).__name__)[:80]


def read_warc(path: Path, rel: str, file_id: str, max_bytes: int) -> Iterator[SourceDoc | LoadWarning]:
    """Every HTML response of one web archive, as source documents or named skips."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    from reader.core.ingest.formats.html import extract, page_doc
    keys = Keys(file_id)
    n = pages = 0
    try:
        with open_binary(path) as raw:  # gunzipped here: warcio refuses a file gzipped whole
            for record in ArchiveIterator(raw):
                n += 1
                if record.rec_type != "response" or not _is_html(record):
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI")
                data = record.content_stream().read(max_bytes + 1)
                if len(data) > max_bytes:
                    yield LoadWarning(rel, f"record {n} ({uri}) is over the {max_bytes / MB:.1f} MB limit "
                                           f"(raise it with --max-size)")
                    continue
                page = extract(data, uri)
                if page is None:
                    yield LoadWarning(rel, f"record {n} ({uri}): no article text was found in the page")
                    continue
                pages += 1
                yield page_doc(page, keys.make(n, None, uri), rel, n, source=uri)
    except PermissionError:
        yield LoadWarning(rel, "permission denied; check the file's permissions")
    except ArchiveLoadFailed as e:
        yield LoadWarning(rel, f"it is not a readable web archive after record {n} "
                               f"({_first_line(e)}); {pages} page{'s' if pages != 1 else ''} before are read")
    except GZIP_ERRORS:
        yield LoadWarning(rel, f"it ends early (a damaged or truncated gzip file); "
                               f"{pages} page{'s' if pages != 1 else ''} before the break are read")
    except OSError as e:
        yield LoadWarning(rel, f"it cannot be read ({e.strerror or e})")
