"""Worker processes: closing never hangs, and no worker outlives its owner."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from reader.core.library.workers import IndexWorkers
from reader.core.search import index


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie has exited: it only waits for its parent to read its status
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def wait_until_gone(pids, seconds: float = 30.0) -> list[int]:
    """The pids still running after ``seconds`` (a bound on a wait, not a speed check)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and any(alive(p) for p in pids):
        time.sleep(0.1)
    return [p for p in pids if alive(p)]


def test_closing_returns_when_a_worker_was_killed_between_batches(tmp_path):
    index.open_or_create(tmp_path / "whoosh")
    workers = IndexWorkers(2, str(tmp_path / "whoosh"))
    assert list(workers.run([])) == []  # both finished the (empty) batch and wait for the next
    workers.procs[0].kill()
    workers.procs[0].join()
    workers.close()  # the barrier of old hung here for ever
    assert not any(p.is_alive() for p in workers.procs)


def test_workers_exit_when_their_owner_is_killed(tmp_path):
    index.open_or_create(tmp_path / "whoosh")
    owner = textwrap.dedent(f"""
        import sys, time
        from reader.core.library.workers import IndexWorkers
        w = IndexWorkers(2, {str(tmp_path / "whoosh")!r})
        list(w.run([]))
        print(" ".join(str(p.pid) for p in w.procs), flush=True)
        time.sleep(600)
    """)
    proc = subprocess.Popen([sys.executable, "-c", owner], stdout=subprocess.PIPE, text=True)
    try:
        pids = [int(p) for p in proc.stdout.readline().split()]
        assert len(pids) == 2 and all(alive(p) for p in pids)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        assert wait_until_gone(pids) == []
    finally:
        if proc.poll() is None:
            proc.kill()


def test_progress_moves_with_the_first_file_not_the_first_batch(tmp_path, monkeypatch):
    """With worker processes the first step counts one file, and comes before
    the batch is committed (it used to come only once a whole job of twenty
    files was back, so a first index of 200 files showed 0/200 for seconds)."""
    from made_up import DAM_A, DAM_B, DAM_C, write_corpus
    from reader.core.library import update as update_mod
    from reader.core.library.facade import Library
    texts = [DAM_A, DAM_B, DAM_C] * 2
    corpus = write_corpus(tmp_path / "news", {f"n{i}.txt": t for i, t in enumerate(texts)})
    monkeypatch.setattr(update_mod, "PARALLEL_FROM", 1)
    monkeypatch.setattr(update_mod.os, "cpu_count", lambda: 2)
    lib = Library(corpus, tmp_path / "ix")
    events: list = []
    committed = lib._batch_committed
    lib._batch_committed = lambda: (events.append("commit"), committed())
    for step in lib.update():
        if step.phase == "analyse" and step.done:
            events.append(step.done)
    assert events[0] == 1, events  # the first file's step, not the batch's
    assert events.index("commit") > 0 and events[-1] == "commit"
    assert [e for e in events if e != "commit"][-1] == len(texts)
    lib.close()
