"""Worker processes that analyse files and index them into Whoosh segments of their own.

The process that owns the index then only records the articles in the store
and, at the end of a batch, commits the workers' segments into the index in
one step (the way Whoosh's own multi-process writer adds its sub-writers'
segments). Until that commit the segments are files no table of contents
names: a kill leaves the index as it was, and Whoosh removes such files at
its next commit.

Jobs go through one queue, so a slow file does not hold the others back. At
the end of a batch each worker takes one "finish" job, hands back its segment
and waits at a barrier until every worker has done the same, so no worker can
take two.
"""

from __future__ import annotations

import os
import queue
import sys
from collections.abc import Iterator, Sequence
from multiprocessing import get_context

from reader.core.errors import IndexError_

CHUNK = 20
"""Files per job: the unit of progress."""
WORKER_LIMIT_MB = 128
"""Whoosh's in-memory posting pool of each worker."""
_POLL = 2.0


def _worker_main(whoosh_dir: str, jobs, results, barrier, limit_mb: int) -> None:
    from whoosh import index as wix
    from whoosh.writing import SegmentWriter

    from reader.core.library.analysis import analyse_file
    from reader.core.search.index import add_passages
    from reader.core.search.whoosh_ext.codec import PackedCodec

    parent = os.getppid()
    writer = None
    try:
        while True:
            try:
                job = jobs.get(timeout=_POLL)
            except queue.Empty:
                if os.getppid() != parent:  # the owner died: nothing will come
                    return
                continue
            if job is None:
                return
            kind, payload = job
            if kind == "files":
                out = []
                for args in payload:
                    done = analyse_file(*args)
                    if done.docs:
                        if writer is None:
                            # No lock: the owner holds the index's lock and commits our segment.
                            writer = SegmentWriter(wix.open_dir(whoosh_dir), _lk=False, limitmb=limit_mb,
                                                   codec=PackedCodec())
                        add_passages(writer, done.docs)
                    out.append(done.lean())
                results.put(("files", out))
            elif kind == "finish":
                segment = None
                if writer is not None:
                    # Its temporary files go with it; the folder they share with the
                    # owner's writer is the owner's to remove, at its commit.
                    segment = writer._finalize_segment()
                    writer = None
                results.put(("segment", segment))
                barrier.wait()
    except BaseException as e:  # reported to the owner, which stops the update
        if writer is not None:
            try:  # not cancel(): that would also remove the owner's temporary files
                writer._close_segment()
            except Exception:
                pass
        try:
            results.put(("error", f"{type(e).__name__}: {e}"))
        except Exception:
            pass


def _start_resource_tracker() -> None:
    """Start multiprocessing's helper process with a real standard error.

    The helper is handed ``sys.stderr.fileno()``; inside the reader Textual has
    replaced ``sys.stderr`` with a capture whose ``fileno()`` is -1, and
    starting the helper fails ("bad value(s) in fds_to_keep")."""
    from multiprocessing import resource_tracker
    err = sys.stderr
    try:
        bad = err.fileno() < 0
    except Exception:  # no descriptor at all: multiprocessing copes
        bad = False
    try:
        if bad:
            sys.stderr = sys.__stderr__ if sys.__stderr__ is not None else open(os.devnull, "w")
        resource_tracker.ensure_running()
    finally:
        sys.stderr = err


class IndexWorkers:
    """``n`` worker processes indexing into ``whoosh_dir`` (see the module doc)."""

    def __init__(self, n: int, whoosh_dir: str, limit_mb: int = WORKER_LIMIT_MB):
        _start_resource_tracker()
        ctx = get_context("spawn")  # not fork: the reader calls this from a thread
        self.jobs = ctx.Queue()
        self.results = ctx.Queue()
        self.barrier = ctx.Barrier(n)
        self.procs = [ctx.Process(target=_worker_main, args=(whoosh_dir, self.jobs, self.results, self.barrier,
                                                             limit_mb), daemon=True)
                      for _ in range(n)]
        for p in self.procs:
            p.start()

    def run(self, args: Sequence[tuple]) -> Iterator:
        """Analyse and index the files of ``args`` (analyse_file's arguments);
        yields each file's lean :class:`~reader.core.analysis.Analysed` as it
        is done. Afterwards :attr:`segments` holds the batch's new segments."""
        self.segments = []
        for i in range(0, len(args), CHUNK):
            self.jobs.put(("files", list(args[i:i + CHUNK])))
        for _ in self.procs:
            self.jobs.put(("finish", None))
        waiting = len(self.procs)
        while waiting:
            kind, payload = self._next()
            if kind == "files":
                yield from payload
            elif kind == "segment":
                waiting -= 1
                if payload is not None:
                    self.segments.append(payload)
            else:
                raise IndexError_(f"An indexing worker failed ({payload}); run kreader index --rebuild.")

    def _next(self):
        while True:
            try:
                return self.results.get(timeout=_POLL)
            except queue.Empty:
                if not all(p.is_alive() for p in self.procs):
                    raise IndexError_("An indexing worker process died (out of memory?); "
                                      "run kreader index again.") from None

    def close(self) -> None:
        try:  # jobs left by a failed batch: drop them, so the workers stop at once
            while True:
                self.jobs.get_nowait()
        except Exception:
            pass
        for _ in self.procs:
            try:
                self.jobs.put(None)
            except Exception:
                pass
        for p in self.procs:
            p.join(timeout=5)
            if p.is_alive():
                p.terminate()
                p.join(timeout=5)
        self.barrier.abort()
        for q in (self.jobs, self.results):
            q.cancel_join_thread()
            q.close()


MAX_SEGMENTS = 12
"""More segments than this and the smaller half are merged into one (each
query and each opening of the index visits every segment)."""


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
    cut = max(2, len(kept) // 2)
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
