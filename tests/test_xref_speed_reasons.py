"""The short cuts of showing a cross-reference's reasons give what the long way
gives: surface words found without Whoosh's tokens, a name's stems without its
stop words, a source passage's mentions analysed once, the entries of many
articles read in one query; and a list does not depend on what the engine has
kept from the calls before."""

from __future__ import annotations

import pytest

from reader.core.errors import NotFoundError
from reader.core.library.facade import Library
from reader.core.search.analyzer import analyzer, content_forms, surfaces, word_forms
from reader.core.xref.reasons import TITLE_WORDS_BEFORE, mention_words, name_words, words_of_names
from whoosh.analysis import STOP_WORDS

from made_up import DAM_A, DAM_B, DAM_C, WIRE, write_corpus

TEXTS = [
    "The Prime Minister, Nikol Pashinyan, said on Tuesday that 3,100 civilians were evacuated.",
    "Organisations organised the organising; the organiser's plans were realised in Besançon.",
    "A a I x 12 1.5 it's it’s ÉCOLE école İstanbul the THE of",
    "",
]


def reference_surfaces(text, stems):
    """What showing the reasons did before: the analyzer's tokens, with their offsets."""
    found = {}
    for tok in analyzer()(text, chars=True, removestops=False):
        if tok.text in stems and tok.text not in found:
            found[tok.text] = text[tok.startchar:tok.endchar]
    return found


def reference_name_words(text, spans, forms):
    """name_words as it was written before a passage's mentions were analysed once."""
    analyse = analyzer()
    out = set()
    for start, end, form in spans:
        if form not in forms:
            continue
        out.update(t.text for t in analyse(text[start:end]))
        for word in reversed(text[max(0, start - 60):start].split()[-TITLE_WORDS_BEFORE:]):
            if not word[0].isupper() or not word[-1].isalnum():
                break
            out.update(t.text for t in analyse(word))
    return out


@pytest.mark.parametrize("text", TEXTS)
def test_surfaces_are_the_words_the_analyzer_found(text):
    forms = {t.text for t in analyzer()(text, removestops=False)} | {"absent"}
    for wanted in (forms, {f for i, f in enumerate(sorted(forms)) if i % 2}, set()):
        assert surfaces(text, wanted) == reference_surfaces(text, wanted)
    assert "absent" not in surfaces(text, forms)


@pytest.mark.parametrize("text", TEXTS)
def test_content_forms_are_word_forms_without_the_stopped_ones(text):
    expected = tuple(form for _, low, form in word_forms(text) if not (len(low) < 2 or low in STOP_WORDS))
    assert content_forms(text) == expected
    if text:
        assert content_forms(text)  # every text above has a content word


def test_a_passage_s_mentions_analysed_once_give_the_same_name_words():
    text = "Armenia's Prime Minister Nikol Pashinyan said on Tuesday, after Pashinyan met the EU, that aid came."

    def span(words, form):
        start = text.index(words)
        return (start, start + len(words), form)
    spans = [span("Nikol Pashinyan", "nikol pashinyan"), span("Tuesday", "tuesday"),
             span("Prime Minister", "prime minister"), span("EU", "eu")]
    mentions = mention_words(text, spans)
    for forms in ({"nikol pashinyan"}, {"tuesday", "prime minister"}, {"eu", "nikol pashinyan"}, set(), {"nobody"}):
        assert words_of_names(mentions, forms) == reference_name_words(text, spans, forms)
        assert name_words(text, spans, forms) == reference_name_words(text, spans, forms)
    assert {"prime", "minist"} <= name_words(text, spans, {"nikol pashinyan"})  # the title before the name


def test_entries_read_together_are_answered_from_memory(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B, "c.txt": DAM_C})
    lib = Library(corpus, tmp_path / "ix").ensure()
    ids = [i.id for i in lib.infos()]
    expected = {a: lib.store.info(a) for a in ids}
    lib.preload_infos(ids + ["no-such-article"])
    monkeypatch.setattr(lib.store, "info", lambda a: pytest.fail(f"{a} was read alone"))
    assert {a: lib.info(a) for a in ids} == expected
    with pytest.raises(NotFoundError):
        lib.info("no-such-article")
    assert lib.store.infos_of(ids[:1] + ["no-such-article"]) == {ids[0]: expected[ids[0]]}
    lib.close()


def test_a_list_does_not_depend_on_the_calls_before(tmp_path):
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B, "c.txt": DAM_C, "w.txt": WIRE,
                                              "d.txt": DAM_A.replace("north", "river's north")})
    passages = []
    lib = Library(corpus, tmp_path / "ix").ensure()
    passages = [(i.id, n) for i in lib.infos() for n in range(i.passages)]
    forward = {p: lib.related(*p).to_json() for p in passages}
    assert any(r["related"] for r in forward.values())
    lib.close()
    lib = Library(corpus, tmp_path / "ix").ensure()
    backward = {p: lib.related(*p).to_json() for p in reversed(passages)}
    assert backward == forward
    lib.close()


def test_caches_trimmed_to_a_few_entries_change_no_list(tmp_path, monkeypatch):
    from reader.core.xref import engine
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B, "c.txt": DAM_C, "w.txt": WIRE,
                                              "d.txt": DAM_A.replace("north", "river's north")})
    lib = Library(corpus, tmp_path / "ix").ensure()
    passages = [(i.id, n) for i in lib.infos() for n in range(i.passages)]
    roomy = {p: lib.related(*p).to_json() for p in passages}
    lib.close()
    monkeypatch.setattr(engine, "DOC_CACHE", 3)
    monkeypatch.setattr(engine, "ARTICLE_CACHE", 2)
    monkeypatch.setattr(engine, "CACHE_SIZE", 2)
    lib = Library(corpus, tmp_path / "ix").ensure()
    for p in reversed(passages):  # one engine, its accumulator emptied and its caches trimmed at each call
        assert lib.related(*p).to_json() == roomy[p]
        xref = lib._xref
        assert len(xref._docs) <= 3 and len(xref._doc_names) <= 3
        assert len(xref._vectors) <= 2 and len(xref._story_of) <= 2 and len(xref._days) <= 2
        assert len(xref._cache) <= 2
        assert len(xref._accs) == 1 and not xref._accs[0].any()
    lib.close()


def test_trimming_drops_the_oldest_entries_only():
    from reader.core.xref.engine import _trim
    cache = {k: k * 2 for k in "abcdef"}
    _trim(cache, 4)
    assert cache == {"c": "cc", "d": "dd", "e": "ee", "f": "ff"}
    _trim(cache, 10)
    assert list(cache) == ["c", "d", "e", "f"]


def test_an_open_library_makes_full_collector_passes_rarer_and_closing_it_restores_them(tmp_path):
    import gc

    from reader.core.library.facade import FULL_PASS_EVERY
    before = gc.get_threshold()
    gc.set_threshold(before[0], before[1], 10)
    try:
        lib = Library(write_corpus(tmp_path / "news", {"a.txt": DAM_A}), tmp_path / "ix").ensure()
        assert gc.get_threshold()[2] == FULL_PASS_EVERY > 10
        assert gc.get_threshold()[:2] == before[:2]
        lib.close()
        assert gc.get_threshold() == (before[0], before[1], 10)
    finally:
        gc.set_threshold(*before)


@pytest.mark.parametrize("runs", [[], [[4]], [[1, 5, 9], [2, 5, 10], [9]], [[3, 4], [], [1, 2, 3, 4, 8]]])
def test_the_documents_of_several_posting_lists_are_each_named_once_in_order(runs):
    import numpy as np

    from reader.core.xref.engine import _distinct
    got = _distinct([np.array(r, dtype=np.int64) for r in runs])
    assert got.tolist() == sorted({d for r in runs for d in r})
