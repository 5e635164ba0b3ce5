"""The entity name look-up on a large made-up table (a script, not a test).

    python benchmarks/bench_lookup.py [--entities 44000] [--queries 300]

Makes ``--entities`` made-up people and places (about three look-up keys each:
44,000 give about as many keys as the 21,577 Reuters articles' 110,360), stores
their entity tables in a temporary SQLite file as an index does, and times, in
one process: the look-up of before (every key read at the first look-up, every
key scored) and the look-up of now (the keys of the lengths that can reach the
cutoff read when first needed, the keys a name begins read from an index):
the first call (it reads what later ones reuse) and the median and p95 of
the rest. Then checks that both find the same entities with the same scores
for every query (misspelled names, name beginnings and plain words),
and, for a plain search word (matches scoring 90 and more only), the same.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from reader.core.entities.keys import normalise_name, phonetic, skeleton
from reader.core.entities.resolve import LOOKUP_CUTOFF, SKELETON_MIN, SKELETON_SCORE, Resolution, lookup_table
from reader.core.entities.tables import EntityTables, FileDB
from reader.core.library.queries import STRICT_EXPANSION as STRICT
from reader.core.model import Entity

SYLLABLES = ("ka", "ri", "mo", "shi", "an", "ber", "tol", "vek", "du", "lin", "os", "ya", "pa", "nik",
             "gor", "el", "za", "tur", "ham", "sen", "qui", "bra", "lo", "fe", "ston", "wic", "ar", "ul")
"""Pieces of the made-up names."""
PLAIN = ("cocoa", "coffee", "oil", "market", "prices", "bank", "rates", "trade", "shares", "gold",
         "wheat", "talks", "strike", "election", "minister", "export")
"""Plain words a search is typed with (a plain-word search looks each up as a name)."""


def made_up_name(rng: random.Random) -> str:
    """A made-up word of two to four pieces, capitalised."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def made_up_entities(n: int, seed: int = 7) -> list[Entity]:
    """``n`` people (first name, surname; the surname alone an alias) and places."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        if i % 4:
            first, last = made_up_name(rng), made_up_name(rng)
            name, aliases, kind = f"{first} {last}", (f"{first} {last}", last), "PER"
        else:
            name = made_up_name(rng)
            aliases, kind = (name,), "LOC"
        out.append(Entity(f"e{i}", name, kind, aliases, rng.randint(1, 500), 1))
    return out


def misspelled(rng: random.Random, word: str) -> str:
    """The word with one letter dropped, doubled or swapped with the next."""
    i = rng.randrange(len(word) - 1)
    how = rng.randrange(3)
    if how == 0:
        return word[:i] + word[i + 1:]
    if how == 1:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def queries(entities: list[Entity], n: int, seed: int = 11) -> list[str]:
    """Misspelled names and surnames, name beginnings and plain words, mixed."""
    rng = random.Random(seed)
    out = []
    for k in range(n):
        e = rng.choice(entities)
        word = e.aliases[-1]
        out.append([misspelled(rng, e.name), misspelled(rng, word), word[:max(3, len(word) // 2)],
                    rng.choice(PLAIN)][k % 4])
    return out


class FullScan:
    """The look-up of before: every key read at the first call and scored at each."""

    def __init__(self, tables: EntityTables, resolution: Resolution):
        self.tables, self.resolution, self.choices = tables, resolution, None

    def lookup(self, name: str) -> dict[str, float]:
        q = phonetic(normalise_name(name))
        if not q:
            return {}
        if self.choices is None:
            self.choices, self.ids = self.tables.choices()
        best: dict[str, float] = {}
        for choice, score, i in process.extract(q, self.choices, scorer=fuzz.ratio, limit=None,
                                                score_cutoff=LOOKUP_CUTOFF - 15):
            if len(q) >= 3 and choice.startswith(q) and choice != q:
                score = max(score, LOOKUP_CUTOFF + 10 * len(q) / len(choice))
            if score >= LOOKUP_CUTOFF and score > best.get(self.ids[i], 0):
                best[self.ids[i]] = score
        bones = skeleton(q)
        if len(bones.replace(" ", "")) >= SKELETON_MIN:
            for eid in self.tables.skeleton_ids(bones):
                best[eid] = max(best.get(eid, 0.0), SKELETON_SCORE)
        return {e: round(s, 1) for e, s in best.items()}


def timed(fn, names: list[str]) -> tuple[float, list[float], list]:
    """The first call's milliseconds, the others', and every answer."""
    times, answers = [], []
    for name in names:
        t = time.perf_counter()
        answers.append(fn(name))
        times.append((time.perf_counter() - t) * 1000)
    return times[0], times[1:], answers


def report(label: str, first: float, rest: list[float]) -> None:
    p95 = sorted(rest)[int(0.95 * (len(rest) - 1))]
    print(f"{label}: first call {first:.1f} ms, then median {statistics.median(rest):.2f} ms, p95 {p95:.2f} ms")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entities", type=int, default=44000)
    ap.add_argument("--queries", type=int, default=300)
    args = ap.parse_args(argv)
    entities = made_up_entities(args.entities)
    with tempfile.TemporaryDirectory() as tmp:
        db = FileDB(Path(tmp) / "entities.sqlite")
        tables = EntityTables(db)
        tables.put_result(entities, {e.id: e.id for e in entities}, {}, {}, lookup_table(entities), {}, set())
        db.commit()
        keys = db.one("SELECT count(*) FROM res_choices")[0]
        print(f"{len(entities):,} entities, {keys:,} look-up keys")
        names = queries(entities, args.queries)
        t = time.perf_counter()
        tables.choices()
        print(f"whole table read (before, at the first look-up): {(time.perf_counter() - t) * 1000:.0f} ms")
        old = FullScan(EntityTables(db, read_only=True), Resolution(tables))
        first, rest, before = timed(old.lookup, names)
        report("before (every key scored)", first, rest)
        new = Resolution(EntityTables(db, read_only=True))
        first, rest, now = timed(lambda n: {e.id: s for e, s in new.lookup(n, limit=10 ** 9)}, names)
        report("now (keys of the lengths that can match)", first, rest)
        read = sum(len(k) for k, _ in new._by_length.values())
        print(f"keys read by now after {len(names)} look-ups: {read:,} of {keys:,}")
        differ = [n for n, a, b in zip(names, before, now) if a != b]
        strict = Resolution(EntityTables(db, read_only=True))  # a plain word of a search: matches of 90 only
        first, rest, plain = timed(lambda n: {e.id: s for e, s in strict.lookup(n, limit=10 ** 9, least=STRICT)}, names)
        report(f"now, a plain search word (matches of {STRICT} only)", first, rest)
        differ += [n for n, a, b in zip(names, before, plain) if {e: s for e, s in a.items() if s >= STRICT} != b]
        print(f"queries answered differently: {len(differ)} of {len(names)}" + (f" (e.g. {differ[:3]})" if differ else ""))
        db.close()
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
