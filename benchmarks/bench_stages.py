"""Where ingest time and memory go, for bench_index.py (a helper, not a test).

Three cheap measures, none of which slows the ingest it measures:

- :class:`StageClock` wraps the owner's stage functions (scan, store writes,
  segment commit and merge, resolution, stories) with a clock, and collects
  the seconds the indexing workers count themselves (analysis and index
  writing: two clock reads a file, see ``library/workers.py``).
- :func:`analysis_split` replays the analysis of a sample of files stage by
  stage in this process (read, clean, recognise, quotes, signals, pack, story
  profile), to
  split the workers' analysis seconds.
- :class:`MemorySampler` samples the resident memory of this process and of
  each of its children (the workers) from /proc twice a second.
"""

from __future__ import annotations

import functools
import os
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

SAMPLE_SECONDS = 0.5
"""How often the memory sampler reads /proc."""
RECLUSTER = "  of which: clustering the parts reached"
"""The part of a small update's resolution that clusters again what a change reaches."""
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


class StageClock:
    """Seconds spent in the owner's stage functions while installed."""

    def __init__(self):
        self.seconds: Counter = Counter()
        self.worker: Counter = Counter()
        self._undo: list = []

    def _wrap(self, owner, name: str, stage: str) -> None:
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            t = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - t
        setattr(owner, name, timed)
        self._undo.append((owner, name, original))

    def install(self) -> "StageClock":
        from reader.core import entities
        from reader.core.library import store, update, workers
        from reader.core.search.whoosh_ext import segments
        from reader.core.stories import book
        self._wrap(update.Update, "_changes", "scan (walk, stamps)")
        self._wrap(store.ArticleStore, "put_file", "store writes (owner)")
        self._wrap(store.ArticleStore, "commit", "store commits (owner)")
        self._wrap(segments, "merge_policy", "segment merge (owner)")
        self._wrap(segments, "commit_with_segments", "index commit incl. merge (owner)")
        if hasattr(update.Update, "_resolve"):  # the resolution step of an update, whatever it calls
            self._wrap(update.Update, "_resolve", "entity resolution (owner)")
        else:
            self._wrap(entities, "resolve_corpus", "entity resolution (owner)")
        from reader.core.library import resolving  # a whole resolution in a process beside the stories
        self._wrap(resolving.ResolvingProcess, "__init__", "entity resolution: starting its process (owner)")
        self._wrap(resolving.ResolvingProcess, "wait", "entity resolution: waiting for it after the stories (owner)")
        self._wrap(update.Update, "_put_beside", "entity resolution: its tables put in place (owner)")
        self._wrap(book.StoryBook, "sync", "stories (owner)")
        from reader.core.search import termstats
        self._wrap(termstats, "refresh", "term counts for cross-references (owner)")
        # A small update analyses in the owner and commits with Whoosh's own writer.
        from whoosh.writing import SegmentWriter
        from reader.core.entities import parts
        from reader.core.library import analysis
        self._wrap(analysis, "analyse_file", "analysis in the owner (small updates)")
        self._wrap(SegmentWriter, "commit", "index commit, Whoosh's writer (owner)")
        self._wrap(parts, "recluster", RECLUSTER)
        close = workers.IndexWorkers.close

        def closing(pool):
            self.worker.update(pool.seconds)
            return close(pool)
        workers.IndexWorkers.close = closing
        self._undo.append((workers.IndexWorkers, "close", close))
        return self

    def uninstall(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)
        self._undo = []

    def reset(self) -> None:
        self.seconds.clear()
        self.worker.clear()

    def report(self, wall: float, split: dict[str, float] | None = None) -> str:
        """One line a stage: owner stages by wall seconds, worker stages by CPU
        seconds summed over the workers (they run side by side)."""
        s = self.seconds
        lines = [f"  owner, wall seconds of {wall:.1f}:"]
        merge = s.get("segment merge (owner)", 0.0)
        for stage, sec in sorted(s.items(), key=lambda kv: -kv[1]):
            if stage == RECLUSTER:
                continue  # printed under the resolution it is part of
            if stage == "index commit incl. merge (owner)":
                lines.append(f"    {'index commit (owner, without merge)':42s} {sec - merge:8.1f} s")
            else:
                lines.append(f"    {stage:42s} {sec:8.1f} s")
            if stage == "entity resolution (owner)" and RECLUSTER in s:
                lines.append(f"    {RECLUSTER:42s} {s[RECLUSTER]:8.1f} s")
        accounted = sum(v for k, v in s.items() if k not in ("segment merge (owner)", RECLUSTER))
        lines.append(f"    {'rest (waiting for workers, own analysis)':42s} {wall - accounted:8.1f} s")
        if self.worker:
            total = sum(self.worker.values())
            lines.append(f"  workers, seconds summed over the workers ({total:.1f}):")
            analyse = self.worker.get("analyse", 0.0)
            for stage, sec in sorted(self.worker.items(), key=lambda kv: -kv[1]):
                lines.append(f"    {stage:42s} {sec:8.1f} s")
                if stage == "analyse" and split:
                    for sub, share in split.items():
                        lines.append(f"      {sub:40s} {analyse * share:8.1f} s ({share:.0%}, from the sample)")
        return "\n".join(lines)


def analysis_split(files: list[Path], corpus: Path, rules, max_bytes: int) -> dict[str, float]:
    """Shares of one file's analysis by stage, replayed on ``files`` in this process."""
    from reader.core import entities
    from reader.core.ingest.formats.reading import read_source, to_articles
    from reader.core.library.analysis import passage_forms, speaker_forms, title_forms, with_quotes
    from reader.core.library.store import ArticleInfo, pack
    from reader.core.search.index import PassageDoc
    from reader.core.stories.profile import packed_profile
    from reader.core.xref.signals import content_stems
    sec: Counter = Counter()
    clock = time.perf_counter

    for i, path in enumerate(files):
        t = clock()
        items = list(read_source(path, str(path.relative_to(corpus)), f"s{i}", max_bytes))
        t1 = clock()
        sec["read"] += t1 - t
        arts = []
        for item in items:
            out = to_articles(item, rules)
            arts.extend(out if isinstance(out, list) else [])
        t2 = clock()
        sec["clean"] += t2 - t1
        arts = [entities.recognise_article(a) for a in arts]
        t3 = clock()
        sec["recognise"] += t3 - t2
        arts = [with_quotes(a) for a in arts]
        t4 = clock()
        sec["quotes"] += t4 - t3
        for a in arts:
            scope, said = title_forms(a), speaker_forms(a)
            [PassageDoc(a, p.n, forms, " ".join(content_stems(p.text, forms)), scope, said.get(p.n, ()))
             for p, forms in zip(a.passages, passage_forms(a))]
        t5 = clock()
        sec["signals (forms, stems)"] += t5 - t4
        [(pack(a), ArticleInfo(a.id, a.path, a.title, a.date, a.site, len(a.passages))) for a in arts]
        t6 = clock()
        sec["pack for the store"] += t6 - t5
        [packed_profile(a) for a in arts]
        sec["story profile"] += clock() - t6
    total = sum(sec.values()) or 1.0
    return {k: v / total for k, v in sec.items()}


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE_KB
    except (OSError, ValueError, IndexError):
        return 0


def _children(pid: int) -> list[int]:
    out = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as f:
                out.extend(int(c) for c in f.read().split())
    except OSError:
        pass
    return out


class MemorySampler:
    """Peak resident memory (MB) of this process, of its largest child, and of
    all of them together, per phase (sampled, so a short peak may be missed)."""

    def __init__(self):
        self.peaks: dict[str, tuple[float, float, float]] = {}
        self.phase = "start"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.available = Path("/proc/self/statm").exists()

    def start(self) -> "MemorySampler":
        if self.available:
            self._thread.start()
        return self

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(SAMPLE_SECONDS):
            main = _rss_kb(me) / 1024
            kids = [_rss_kb(c) / 1024 for c in _children(me)]
            big = max(kids, default=0.0)
            old = self.peaks.get(self.phase, (0.0, 0.0, 0.0))
            self.peaks[self.phase] = (max(old[0], main), max(old[1], big), max(old[2], main + sum(kids)))

    @contextmanager
    def during(self, phase: str):
        self.phase = phase
        try:
            yield
        finally:
            self.phase = "between"

    def stop(self) -> None:
        self._stop.set()

    def report(self) -> str:
        if not self.available:
            return "  (no /proc: memory by phase not sampled)"
        return "\n".join(f"  {phase:12s} main {m:6.0f} MB, largest worker {w:6.0f} MB, all processes {a:6.0f} MB"
                         for phase, (m, w, a) in self.peaks.items() if phase not in ("start", "between"))
