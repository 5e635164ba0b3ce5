"""Format readers: from one corpus file to its articles' source documents.

One reader per format, each a generator of
:class:`~reader.core.ingest.formats.base.SourceDoc` (one per article, with its
metadata, a stable id and its position in the file) or
:class:`~reader.core.model.LoadWarning` (a named skip):

- ``.txt`` and ``.md``: :func:`reader.core.ingest.files.read_file` (one article a file, or several stitched);
- :mod:`.html`: saved web pages, through trafilatura;
- :mod:`.records`: JSON Lines, JSON, CSV and TSV exports, one record an article;
- :mod:`.feeds`: RSS and Atom, through feedparser;
- :mod:`.warc`: web archives, through warcio.

:mod:`.kinds` tells which reader reads a file by its name alone; :mod:`.reading`
runs the right one (:func:`~.reading.read_source`) and cleans what it read
(:func:`~.reading.to_articles`); :mod:`.fields` finds a record's fields.
"""

from reader.core.ingest.formats.kinds import CONTAINERS, format_of, read_suffixes, suffix_of

__all__ = ["CONTAINERS", "format_of", "read_suffixes", "suffix_of"]
