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
