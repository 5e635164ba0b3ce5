"""The short cuts of cross-reference scoring give what the long way gives:
name mending skipped only where it would change nothing, names inside longer
ones found by set look-ups (core/xref/namesets.py), and the same results with
names.py's own functions for every pair."""

from __future__ import annotations

import random

from reader.core.library.facade import Library
from reader.core.xref import engine
from reader.core.xref.names import contained_names, names_as_words
from reader.core.xref.namesets import contained, inner_runs, long_names, name_sets, untouched

from made_up import DAM_A, DAM_B, DAM_C, WIRE, write_corpus

NAMES = {
    "eu": [("european", "union")],
    "eu_tuesday": [("european", "union", "tuesday")],
    "us": [("unit", "state"), ("us",)],
    "both": [("european", "union", "unit", "state")],
    "paris": [("pari",)],
    "psg": [("pari", "saint", "germain")],
    "sweden": [("sweden",)],
    "bank": [("central", "bank", "sweden")],
}
"""Made-up entities and the stems of their names."""
WORDS = ["european", "union", "tuesday", "unit", "state", "us", "pari", "saint", "germain", "sweden",
         "central", "bank", "rate", "flood"]


def stems_of(key: str):
    return NAMES.get(key, [(key,)])


def weights(rng: random.Random) -> dict[str, float]:
    """A made-up passage: some words, pairs of them and entities."""
    words = rng.sample(WORDS, rng.randint(0, 7))
    w = {f"t:{t}": rng.random() for t in words}
    w.update({f"p:{a} {b}": rng.random() for a, b in zip(words, words[1:]) if rng.random() < 0.7})
    w.update({f"e:{e}": rng.random() for e in rng.sample(sorted(NAMES), rng.randint(0, 3))})
    return w


def mended(wp: dict[str, float], wc: dict[str, float]) -> tuple[dict, dict]:
    """What the engine's long way does to copies of two passages' weights."""
    wp, wc = dict(wp), dict(wc)
    for a, b in ((wp, wc), (wc, wp)):
        names_as_words(a, b, stems_of)
    for a, b in ((wp, wc), (wc, wp)):
        contained_names(a, b, stems_of)
    return wp, wc


def skips(wp: dict[str, float], wc: dict[str, float]) -> bool:
    return untouched(name_sets(wp, stems_of), wp, name_sets(wc, stems_of), wc)


def test_a_pair_the_sets_call_untouched_is_left_as_it_is_by_mending():
    rng = random.Random(5)
    skipped = mending = 0
    for _ in range(20000):
        wp, wc = weights(rng), weights(rng)
        after = mended(wp, wc)
        changed = any(list(a.items()) != list(b.items()) for a, b in zip(after, (wp, wc)))
        if skips(wp, wc):
            skipped += 1
            assert not changed, (wp, wc)
        mending += changed
    assert skipped > 1000 and mending > 1000  # both kinds of pair were tried


def test_contained_makes_the_changes_contained_names_makes():
    rng = random.Random(8)
    changed = 0
    for _ in range(20000):
        wp, wc = weights(rng), weights(rng)
        slow_p, slow_c = dict(wp), dict(wc)
        contained_names(slow_p, slow_c, stems_of)
        quick_p, quick_c = dict(wp), dict(wc)
        contained(quick_p, quick_c, lambda k: inner_runs(tuple(stems_of(k))), lambda k: long_names(tuple(stems_of(k))))
        assert list(quick_p.items()) == list(slow_p.items()) and list(quick_c.items()) == list(slow_c.items())
        changed += slow_p != wp
    assert changed > 500


def test_names_standing_as_words_or_inside_a_longer_mention_are_not_skipped():
    eu_words = {"t:european": 1.0, "t:union": 1.0, "p:european union": 1.0}
    assert not skips({"e:eu": 2.0}, eu_words)
    assert not skips({"e:eu_tuesday": 2.0}, {"e:eu": 2.0})
    assert not skips({"e:us": 2.0}, {"t:us": 1.0})
    assert skips({"e:psg": 2.0}, {"e:paris": 2.0})  # a name of one word is not looked for inside another


def test_cross_references_are_the_same_the_long_way(tmp_path, monkeypatch):
    eu = DAM_B.replace("Monday", "Monday, the European Union said") + "\nThe European Union on Tuesday sent aid.\n"
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": eu, "c.txt": DAM_C, "w.txt": WIRE,
                                              "d.txt": DAM_A.replace("north", "European Union's north")})
    lib = Library(corpus, tmp_path / "ix").ensure()

    def everything():
        return [lib.related(i.id, n).to_json() for i in lib.infos() for n in range(i.passages)]

    short = everything()
    assert any(r["related"] for r in short)
    lib.close()
    monkeypatch.setattr(engine, "untouched", lambda *a: False)  # every pair mended, by names.py's own functions
    monkeypatch.setattr(engine, "words_untouched", lambda *a: False)
    monkeypatch.setattr(engine, "contained", lambda has, other, runs_of, _: contained_names(
        has, other, runs_of.__self__._name_stems))
    lib = Library(corpus, tmp_path / "ix").ensure()
    assert everything() == short
    lib.close()
