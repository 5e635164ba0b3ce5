"""Format readers: from one corpus file to its articles' source documents.

One reader per format, each a generator of
:class:`~reader.core.ingest.formats.base.SourceDoc` (one per article, with its
metadata, a stable id and its position in the file) or
:class:`~reader.core.model.LoadWarning` (a named skip):

- :mod:`.text`: ``.txt`` and ``.md`` (one article a file, or several stitched);
- :mod:`.html`: saved web pages, through trafilatura;
- :mod:`.records`: JSON Lines, JSON, CSV and TSV exports, one record an article;
- :mod:`.feeds`: RSS and Atom, through feedparser;
- :mod:`.warc`: web archives, through warcio.

:mod:`.kinds` tells which reader reads a file by its name alone.
"""

from reader.core.ingest.formats.kinds import CONTAINERS, format_of, read_suffixes, suffix_of

__all__ = ["CONTAINERS", "format_of", "read_suffixes", "suffix_of"]
