"""The entity name look-up on a real index: fuzzy and misspelled names, and what it must not find."""

import pytest

from reader.core.entities.resolve import LOOKUP_CUTOFF, PREFIX_CUTOFF, prefix_longest, ratio_band
from reader.core.library.facade import Library
from rapidfuzz import fuzz

from made_up import DAM_A, DAM_B, write_corpus

TALKS = """Talks in Vardenburg end without a deal

Prime Minister Teodor Quasimrakov met Ilse Brandtveld in Vardenburg on Friday.

Quasimrakov said the talks would go on next month.
"""


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lookup")
    corpus = write_corpus(tmp / "news", {"a.txt": DAM_A, "b.txt": DAM_B, "t.txt": TALKS})
    return Library(corpus, tmp / "ix").ensure()


@pytest.mark.parametrize("typed, name", [
    ("quasimrakov", "Teodor Quasimrakov"),      # the surname alone
    ("kwasimrakov", "Teodor Quasimrakov"),      # spelt as heard
    ("quasimarkov", "Teodor Quasimrakov"),      # two letters swapped
    ("lindkvist", "Maria Lindqvist"),           # misspelled
    ("brandtvelt", "Ilse Brandtveld"),
    ("quasim", "Teodor Quasimrakov"),           # the beginning of a name, as typed
])
def test_lookup_finds_fuzzy_and_misspelled_names(lib, typed, name):
    hits = lib.resolve(typed)
    assert hits and hits[0][0].name == name


def test_lookup_finds_nothing_for_a_plain_word(lib):
    assert lib.resolve("cocoa") == []
    assert lib.resolve("zz") == []


def test_a_misspelled_name_filter_searches_its_passages(lib):
    hits = lib.search("person:kwasimrakov", limit=None)
    assert {h.article for h in hits} == {"t"}


def test_a_plain_word_finds_only_close_names(lib):
    assert [e.name for e, _ in lib.resolution.lookup("lindqvist", least=90)] == ["Maria Lindqvist"]
    assert all(s >= 90 for _, s in lib.resolution.lookup("quasimrak", least=90))


@pytest.mark.parametrize("cutoff", [LOOKUP_CUTOFF, 90, 79.95])
def test_the_length_band_holds_every_key_that_can_reach_the_cutoff(cutoff):
    """Keys outside the band score below the cutoff even when made of the name's letters."""
    for n in range(1, 25):
        lo, hi = ratio_band(n, cutoff)
        q = "a" * n
        for m in range(1, 60):
            best = fuzz.ratio(q, "a" * m)  # the most a key this long can score
            assert (best >= cutoff) == (lo <= m <= hi), (n, m)
            if m > n:
                assert (best >= PREFIX_CUTOFF) == (m <= prefix_longest(n)), (n, m)
