"""Writing Whoosh segments in worker processes and committing them from the owner.

Whoosh's own multi-process writer (``whoosh.multiproc.MpWriter``) works the
same way: sub-writers finish segments of their own, and one writer commits
them into the table of contents in one step. These functions use the
private parts of ``SegmentWriter`` that this takes (``_lk``,
``_finalize_segment``, ``_close_segment``, ``_commit_toc``, ``_finish``,
``_added``); ``tests/test_whoosh_ext.py`` exercises each of them.
"""

from __future__ import annotations

MAX_SEGMENTS = 12
"""More segments than this and the smaller half are merged into one (each
query and each opening of the index visits every segment)."""


def segment_writer(whoosh_dir: str, limit_mb: int, codec):
    """A writer of one new segment of the index in ``whoosh_dir``, taking no
    lock: the owner holds the index's lock and commits the segment."""
    from whoosh import index as wix
    from whoosh.writing import SegmentWriter
    return SegmentWriter(wix.open_dir(whoosh_dir), _lk=False, limitmb=limit_mb, codec=codec)


def finish_segment(writer):
    """Write out ``writer``'s segment and return it, uncommitted. Its temporary
    files go with it; the folder they share with the owner's writer is the
    owner's to remove, at its commit."""
    return writer._finalize_segment()


def abandon_segment(writer) -> None:
    """Close ``writer`` without committing. Not ``cancel()``: that would also
    remove the owner's temporary files."""
    writer._close_segment()


def merge_policy(writer, segments: list, incoming: int = 0) -> list:
    """Whoosh's own policy (which merges only very small segments), then, when
    the index would hold more than :data:`MAX_SEGMENTS` with the ``incoming``
    ones, the smaller half merged: sizes grow geometrically, so a document is
    rewritten a few times over the life of the index, not at every batch."""
    from whoosh.reading import SegmentReader
    from whoosh.writing import MERGE_SMALL
    kept = sorted(MERGE_SMALL(writer, segments), key=lambda seg: seg.doc_count_all())
    if len(kept) + incoming <= MAX_SEGMENTS:
        return kept
    # The smaller half, or more when the incoming ones would still pass the limit.
    cut = min(len(kept), max(2, len(kept) // 2, len(kept) + incoming - MAX_SEGMENTS + 1))
    for seg in kept[:cut]:
        with SegmentReader(writer.storage, writer.schema, seg) as reader:
            writer.add_reader(reader)
    return kept[cut:]


def commit_with_segments(writer, segments: list) -> None:
    """Commit ``writer`` (its deletions, merges and any documents of its own)
    with the workers' finished ``segments`` added to the index."""
    final = merge_policy(writer, writer.segments, len(segments))
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(final + list(segments))
    writer._finish()
