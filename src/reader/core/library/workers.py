"""Worker processes that analyse files and index them into Whoosh segments of their own.

The process that owns the index then only records the articles in the store
and, at the end of a batch, commits the workers' segments into the index in
one step (the way Whoosh's own multi-process writer adds its sub-writers'
segments; see :mod:`reader.core.search.whoosh_ext.segments`). Until that
commit the segments are files no table of contents names: a kill leaves the
index as it was, and Whoosh removes such files at its next commit.

Jobs go through one shared queue, so a slow file does not hold the others
back. At the end of a batch each worker is sent "finish" on a queue of its
own, hands back its segment and waits there for the next batch: no barrier,
so a worker that died can never leave the others (or the owner) waiting.
Workers end when the owner says so, when it dies (the kernel's parent-death
signal on Linux, and a check at every idle poll elsewhere), or on an error,
which they report.
"""

from __future__ import annotations

import os
import queue
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from multiprocessing import get_context

from reader.core.errors import IndexError_

CHUNK = 20
"""Files per job (each file's result is sent back as it is done)."""
FIRST_CHUNK = 1
"""Files of each worker's first job: the first results come after one file, not twenty."""
WORKER_LIMIT_MB = 128
"""Whoosh's in-memory posting pool of each worker."""
POLL_SECONDS = 1.0
"""How often an idle worker checks that its owner is alive, and the owner its workers."""
JOIN_SECONDS = 5.0
"""How long closing waits for a worker to stop before terminating it."""


def _die_with_parent() -> None:
    """Ask Linux to send SIGTERM to this process when its parent dies (prctl PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):  # no libc symbol: the idle poll still notices
        pass


def _get(q, parent: int):
    """The next message of ``q``; None when the owner is gone."""
    while True:
        try:
            return q.get(timeout=POLL_SECONDS)
        except queue.Empty:
            if os.getppid() != parent:
                return None


def _worker_main(whoosh_dir: str, jobs, control, results, limit_mb: int, parent: int) -> None:
    _die_with_parent()
    if os.getppid() != parent:  # the owner died before the signal was asked for
        return
    from reader.core.library.analysis import analyse_file
    from reader.core.search.index import add_passages
    from reader.core.search.whoosh_ext.codec import PackedCodec
    from reader.core.search.whoosh_ext.segments import abandon_segment, finish_segment, segment_writer

    writer = None
    clock = time.perf_counter
    seconds: Counter = Counter()  # where this worker's time went in the batch (two clock reads a file)
    try:
        while True:
            job = _get(jobs, parent)
            if job is None:
                return
            kind, payload = job
            if kind == "files":
                for args in payload:  # each file sent back as soon as it is done: progress moves with it
                    t0 = clock()
                    done = analyse_file(*args)
                    t1 = clock()
                    if done.docs:
                        if writer is None:
                            writer = segment_writer(whoosh_dir, limit_mb, PackedCodec())
                        add_passages(writer, done.docs)
                    results.put(("files", [done.lean()]))
                    seconds["analyse"] += t1 - t0
                    seconds["index"] += clock() - t1
            elif kind == "finish":
                t0 = clock()
                segment = finish_segment(writer) if writer is not None else None
                seconds["segment"] += clock() - t0
                writer = None
                results.put(("segment", (segment, dict(seconds))))
                seconds.clear()
                if _get(control, parent) != "go":  # wait here for the next batch, or the end
                    return
    except BaseException as e:  # reported to the owner, which stops the update
        if writer is not None:
            try:
                abandon_segment(writer)
            except Exception:  # noqa: BLE001 - the error being reported matters more
                pass
        try:
            results.put(("error", f"{type(e).__name__}: {e}"))
        except (OSError, ValueError):  # the owner is gone
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
    except (AttributeError, OSError, ValueError):  # no descriptor at all: multiprocessing copes
        bad = False
    try:
        if bad:
            sys.stderr = sys.__stderr__ if sys.__stderr__ is not None else open(os.devnull, "w")
        resource_tracker.ensure_running()
    finally:
        sys.stderr = err


def _chunks(args: list, workers: int) -> Iterator[list]:
    """Jobs of :data:`FIRST_CHUNK` files for each worker first (all start on
    work at once), then of :data:`CHUNK`."""
    head = FIRST_CHUNK * workers
    for i in range(0, min(head, len(args)), FIRST_CHUNK):
        yield args[i:i + FIRST_CHUNK]
    for i in range(head, len(args), CHUNK):
        yield args[i:i + CHUNK]


class IndexWorkers:
    """``n`` worker processes indexing into ``whoosh_dir`` (see the module doc)."""

    def __init__(self, n: int, whoosh_dir: str, limit_mb: int = WORKER_LIMIT_MB):
        _start_resource_tracker()
        ctx = get_context("spawn")  # not fork: the reader calls this from a thread
        self.jobs = ctx.Queue()
        self.results = ctx.Queue()
        self.controls = [ctx.Queue() for _ in range(n)]
        self.segments: list = []
        self.seconds: Counter = Counter()
        """Worker seconds so far, summed over the workers: ``analyse`` (read, clean,
        recognise, quotes, signals), ``index`` (adding the passages to a segment),
        ``segment`` (writing the segment out at the end of a batch)."""
        self._batches = 0
        self.procs = [ctx.Process(target=_worker_main, daemon=True,
                                  args=(whoosh_dir, self.jobs, control, self.results, limit_mb, os.getpid()))
                      for control in self.controls]
        for p in self.procs:
            p.start()

    def run(self, args: Sequence[tuple]) -> Iterator:
        """Analyse and index the files of ``args`` (analyse_file's arguments);
        yields each file's lean :class:`~reader.core.library.analysis.Analysed`
        as it is done. Afterwards :attr:`segments` holds the batch's new segments."""
        if self._batches:
            for control in self.controls:
                control.put("go")
        self._batches += 1
        self.segments = []
        for job in _chunks(list(args), len(self.procs)):
            self.jobs.put(("files", job))
        for _ in self.procs:
            self.jobs.put(("finish", None))
        waiting = len(self.procs)
        while waiting:
            kind, payload = self._next()
            if kind == "files":
                yield from payload
            elif kind == "segment":
                waiting -= 1
                segment, seconds = payload
                self.seconds.update(seconds)
                if segment is not None:
                    self.segments.append(segment)
            else:
                raise IndexError_(f"An indexing worker failed ({payload}); run kreader index --rebuild.")

    def _next(self):
        while True:
            try:
                return self.results.get(timeout=POLL_SECONDS)
            except queue.Empty:
                if not all(p.is_alive() for p in self.procs):
                    raise IndexError_("An indexing worker process died (out of memory?); "
                                      "run kreader index again.") from None

    def close(self) -> None:
        """Stop every worker: asked first, terminated when it does not stop in time. Never blocks for long."""
        try:  # jobs left by a failed batch: drop them, so the workers stop at once
            while True:
                self.jobs.get_nowait()
        except (queue.Empty, OSError, ValueError):
            pass
        for q in [self.jobs] * len(self.procs) + self.controls:  # a None for each worker, wherever it waits
            try:
                q.put(None)
            except (OSError, ValueError):
                pass
        for p in self.procs:
            p.join(timeout=JOIN_SECONDS)
            if p.is_alive():
                p.terminate()
                p.join(timeout=JOIN_SECONDS)
            if p.is_alive():
                p.kill()
                p.join(timeout=JOIN_SECONDS)
        for q in (self.jobs, self.results, *self.controls):
            q.cancel_join_thread()
            q.close()

