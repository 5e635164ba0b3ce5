"""Cross-references on made-up articles: one test per signal."""

from __future__ import annotations

import pytest

from reader.core.library.facade import Library
from reader.core.xref.figures import disagreement, figures

from made_up import DAM_A, DAM_B, DAM_C, WIRE, write_corpus


@pytest.fixture
def lib(tmp_path):
    corpus = write_corpus(tmp_path / "news", {
        "a.txt": DAM_A, "b.txt": DAM_B, "c.txt": DAM_C,
        "wire1.txt": WIRE, "wire2.txt": WIRE.replace("Markets steady", "Stocks calm"),
        "wire3.txt": WIRE.replace("Markets steady", "Bank holds"),
    })
    return Library(corpus, tmp_path / "ix").ensure()


def n_of(lib, article_id, quote):
    art = lib.article(article_id)
    return next(p.n for p in art.passages if quote in p.text)


def test_a_passage_never_cross_references_its_own_article(lib):
    for info in lib.infos():
        for n in range(info.passages):
            assert all(r.article != info.id for r in lib.related(info.id, n).related)


def test_a_shared_rare_entity_outranks_a_shared_common_one(lib):
    n = n_of(lib, "a", "Maria Lindqvist said")
    ranked = [(r.article, r.passage) for r in lib.related("a", n).related]
    lindqvist = ("b", n_of(lib, "b", "promised an inquiry"))
    snow = ("c", n_of(lib, "c", "Farmers in Norway"))
    assert lindqvist in ranked
    assert snow not in ranked or ranked.index(lindqvist) < ranked.index(snow)


def test_reasons_name_the_shared_entities_and_terms(lib):
    n = n_of(lib, "a", "Maria Lindqvist said")
    top = lib.related("a", n).related[0]
    assert top.article == "b"
    names = {lib.resolution.entity(e).name for e in top.shared_entities}
    assert "Maria Lindqvist" in names
    assert 0 < top.score <= 1


def test_reposts_of_one_wire_story_are_grouped(lib):
    result = lib.related("wire1", 0)
    same = [r for r in result.related if r.article in ("wire2", "wire3")]
    assert len(same) == 1
    assert len(same[0].reposts) == 1


def test_figures_that_disagree_are_marked(lib):
    n = n_of(lib, "a", "at least 25 people")
    toll = next(r for r in lib.related("a", n).related if "31 people" in r.text)
    assert "25" in toll.disagreement and "31" in toll.disagreement


def test_figures_and_disagreement_on_plain_sentences():
    assert figures("at least 200 people, including 10 civilians, were killed") == {
        ("people", "killed"): {200.0}, ("civilian", "killed"): {10.0}}
    assert disagreement("25 people had been killed", "at least 200 people were killed") == "25 vs 200 people killed"
    assert disagreement("two civilians were killed", "2 civilians died") == ""
    assert figures("in 2020 the war ended") == {}


def test_figures_differ_only_for_the_same_thing_counted_in_the_same_sense():
    assert disagreement("Two civilians were killed in the shelling.",
                        "Some 3,100 civilians were evacuated from the town.") == ""
    assert disagreement("2 killed and 40 injured", "5 killed") == "2 vs 5 people killed"
    assert disagreement("The company hired 300 workers.", "It employs 500 workers.") == ""  # no sense said


def test_phrase_pairs_keep_function_words_but_terms_do_not():
    from reader.core.xref.signals import content_stems, make_signals
    sig = make_signals(content_stems("The army was not involved until the end.", []), [])
    assert "involv" in sig.terms and "not" not in sig.terms and "until" not in sig.terms
    assert ("not", "involv") in sig.pairs and ("until", "end") in sig.pairs
    assert ("was", "not") not in sig.pairs  # two function words make no phrase


def test_entity_spans_count_as_entities_not_words():
    from reader.core.xref.signals import content_stems, make_signals
    text = "Prime Minister Maria Lindqvist visited Oslo."
    spans = [(15, 30, "maria lindqvist"), (39, 43, "oslo")]
    sig = make_signals(content_stems(text, spans), ["maria lindqvist", "oslo"])
    assert "lindqvist" not in sig.terms and "oslo" not in sig.terms
    assert sig.forms == {"maria lindqvist", "oslo"}


def test_generic_words_and_the_words_of_a_shared_name_are_not_reasons(lib):
    n = n_of(lib, "a", "Maria Lindqvist said")
    top = next(r for r in lib.related("a", n).related if r.article == "b")
    assert "Maria Lindqvist" in top.shared_names
    words = {w.lower() for w in top.shared_terms}
    assert not words & {"prime", "minister", "maria", "lindqvist", "three", "monday"}


def test_reports_of_the_same_story_come_first_and_are_marked(tmp_path):
    from story_articles import ALL
    lib = Library(write_corpus(tmp_path / "floods", ALL), tmp_path / "ix2").ensure()
    for n in range(lib.info("a1").passages):
        ranked = lib.related("a1", n, limit=5).related
        marks = [r.same_story for r in ranked]
        assert marks == sorted(marks, reverse=True)  # same story first
        assert all(r.same_story == (r.article in ("a2", "a3")) for r in ranked)
    assert any(r.same_story for r in lib.related("a1", 1).related)


def test_xref_results_do_not_outlive_an_update(tmp_path):
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "c.txt": DAM_C})
    lib = Library(corpus, tmp_path / "ix").ensure()
    n = n_of(lib, "a", "Maria Lindqvist said")
    assert "b" not in {r.article for r in lib.related("a", n).related}
    (corpus / "b.txt").write_text(DAM_B, encoding="utf-8")
    lib.ensure()
    assert "b" in {r.article for r in lib.related("a", n).related}


def test_every_passage_at_once_is_the_same_as_one_by_one(lib):
    together = lib.related_all("a", limit=4)
    assert [r.passage for r in together] == list(range(lib.info("a").passages))
    for r in together:
        assert r.related == lib.related("a", r.passage, limit=4).related


def test_a_mention_that_took_in_a_word_too_many_still_shares_the_name_it_holds():
    from reader.core.xref.names import contained_names
    names = {"northern-league": [("northern", "leagu")],
             "northern-league-on-friday": [("northern", "leagu", "fridai")],
             "york": [("york",)], "new-york-times": [("new", "york", "time")]}
    source = {"e:northern-league-on-friday": 3.0, "t:vote": 1.0}
    other = {"e:northern-league": 2.5, "t:vote": 1.0}
    contained_names(source, other, names.get)
    assert source == {"e:northern-league": 2.5, "t:vote": 1.0}
    # a one-word name is not looked for inside a longer one ("York" in "New York Times")
    source, other = {"e:new-york-times": 3.0}, {"e:york": 2.0}
    contained_names(source, other, names.get)
    assert source == {"e:new-york-times": 3.0}


def _every_form(lib) -> dict[str, str]:
    """Indexed form -> entity, from every entity's forms (the best-ranked entity first)."""
    from reader.core.entities import normalise_name
    from reader.core.search.index import form_token
    table: dict[str, str] = {}
    for e in lib.resolution.entities:
        for f in lib.resolution.forms(e.id):
            table.setdefault(form_token(normalise_name(f)), e.id)
    return table


def test_forms_are_looked_up_in_the_alias_table_as_every_entity_s_forms_say(lib):
    from reader.core.xref.engine import Xref
    table = _every_form(lib)
    assert table
    engine = Xref(lib)
    assert {f: engine.entity_of_form(f) for f in table} == table
    assert engine.entity_of_form("no_such_name_at_all") == "no_such_name_at_all"
    assert not engine._all_forms  # answered by the stored table, not by reading every entity


def test_an_index_without_the_alias_table_still_finds_the_entities(lib):
    from reader.core.xref.engine import Xref
    table = _every_form(lib)
    lib.store.db.execute("DELETE FROM res_aliases")
    engine = Xref(lib)
    assert {f: engine.entity_of_form(f) for f in table} == table
    assert engine._all_forms


class _PlacedApart:
    """The library's story book, except that one report is in a story of its own
    (as when the book placed it before the story's other reports came)."""

    def __init__(self, book, apart: str):
        self.book, self.apart = book, apart

    def __getattr__(self, name):
        return getattr(self.book, name)

    def story_number(self, article_id):
        return -1 if article_id == self.apart else self.book.story_number(article_id)

    def story_numbers(self, article_ids):
        return {a: -1 if a == self.apart else n for a, n in self.book.story_numbers(article_ids).items()}

    def placements(self, article_ids):
        stories, vectors = self.book.placements(article_ids)
        return {a: -1 if a == self.apart else n for a, n in stories.items()}, vectors

    def story(self, number):
        from dataclasses import replace
        s = self.book.story(number)
        return replace(s, articles=tuple(a for a in s.articles if a != self.apart)) if s else s

    def member_days(self, number):
        return {a: d for a, d in self.book.member_days(number).items() if a != self.apart}


def test_a_report_placed_in_another_story_is_still_ranked_with_the_story_s(tmp_path):
    from story_articles import ALL
    from reader.core.stories.grouping import JOIN_AT
    from reader.core.xref.engine import Xref
    lib = Library(write_corpus(tmp_path / "floods", ALL), tmp_path / "ix").ensure()
    xref = Xref(lib, _PlacedApart(lib.folder.stories, "a3"))
    ctx = xref._context("a1")
    xref._note_articles(ctx, {"a3", "b1", "b2"})
    assert xref._articles_similarity(ctx, "a3") >= JOIN_AT  # as alike as a report of the story
    assert xref._likeness(ctx, "a3") == 1.0
    assert all(xref._likeness(ctx, b) < 1.0 for b in ("b1", "b2"))  # the flood of another week is not
    seen_a3 = False
    for n in range(lib.info("a1").passages):
        ranked = xref.related("a1", n, limit=10).related
        order = [r.article for r in ranked]
        assert all(not r.same_story for r in ranked if r.article == "a3")  # the mark says the book's story
        if "a3" in order:
            seen_a3 = True
            last_a3 = max(i for i, a in enumerate(order) if a == "a3")
            assert all(i > last_a3 for i, a in enumerate(order) if a in ("b1", "b2", "chess", "budget"))
    assert seen_a3


_BRIDGE = """Selva bridge collapse: what we know about the Corvallo disaster

By Paolo Quint
Northern Ledger
2031-03-05

The bridge over the River Selva in Corvallo collapsed on Tuesday night and two people were killed, Mayor Tomas Ferrante said.

Mayor Tomas Ferrante told reporters that the two people killed when the Selva bridge collapsed were driving home.

Engineers had inspected the bridge over the Selva last year, and Mayor Tomas Ferrante said the collapse would be investigated.

Witnesses said the Selva bridge collapsed within seconds; Mayor Tomas Ferrante said the two people killed had no time to turn back.

Residents laid flowers where the bridge over the Selva collapsed, and Mayor Tomas Ferrante thanked the divers who found the two people killed.

The fire brigade of Corvallo said boats were still needed in the old town.
"""


def test_after_the_closest_four_a_list_goes_to_a_report_not_listed_yet(tmp_path):
    """One report tells the bridge collapse in five passages, another only names the
    mayor: the closest four places stay the first report's, the fifth is the other's
    (it was the first report's fifth passage, which links to the passage as its
    listed ones do)."""
    from story_articles import BUDGET, CHESS, FLOOD_A1, FLOOD_A3
    short = FLOOD_A3.replace("the collapse of the bridge, in which two people were killed, would be investigated",
                             "the old town would be cleaned within a week")
    lib = Library(write_corpus(tmp_path / "floods", {"a1.txt": FLOOD_A1, "bridge.txt": _BRIDGE, "a3.txt": short,
                                                     "chess.txt": CHESS, "budget.txt": BUDGET}), tmp_path / "ix").ensure()
    n = n_of(lib, "a1", "when a bridge over the Selva collapsed")
    ranked = lib.related("a1", n, limit=5).related
    assert all(r.same_story for r in ranked)
    assert [r.article for r in ranked[:4]] == ["bridge"] * 4
    assert ranked[4].article == "a3" and "Ferrante" in ranked[4].text
    longer = lib.related("a1", n, limit=8).related
    assert [r.article for r in longer[:5]] == [r.article for r in ranked]
    assert len({(r.article, r.passage) for r in longer}) == len(longer)


def _rel(article, passage, score, links):
    from reader.core.xref.results import Related
    return Related(article, passage, score, f"{article} {passage}", article, "paragraph", [], [], links=links)


def test_a_later_place_goes_to_an_unlisted_report_unless_the_passage_links_differently():
    from reader.core.xref.engine import _spread
    like = {"a": 1.0, "b": 1.0, "out": 0.2, "far": 0.05}
    same = [_rel("a", i, 0.9 - i / 100, ("e:mayor", "t:bridg")) for i in range(6)]
    b = _rel("b", 0, 0.6, ("e:mayor",))
    order = [(r.article, r.passage) for r in _spread(same + [b], like, 0.15, 10)]
    assert order[:5] == [("a", 0), ("a", 1), ("a", 2), ("a", 3), ("b", 0)]  # the old order had b last
    assert order[5:] == [("a", 4), ("a", 5)]
    own = _rel("a", 4, 0.85, ("t:figur",))  # a fact of its own: it keeps its place before b
    order = [(r.article, r.passage) for r in _spread(same[:4] + [own, b], like, 0.15, 10)]
    assert order[4] == ("a", 4) and order[5] == ("b", 0)
    out, far = _rel("out", 0, 0.4, ("e:mayor",)), _rel("far", 0, 0.45, ("e:mayor",))
    order = [r.article for r in _spread(same[:4] + [own, out, far], like, 0.15, 10)]
    assert order[4] == "out"  # an article outside the story, alike enough, before a further passage
    assert order[5:] == ["a", "far"]  # one too unlike waits for the story's passages


class _Lengths:
    """A reader's field lengths only (what :func:`_story_candidates` asks)."""

    def __init__(self, lengths):
        self.lengths = lengths

    def doc_field_length(self, docnum, fieldname, default=None):
        return self.lengths.get(docnum, {}).get(fieldname, default)


def test_a_big_story_s_reports_each_give_their_best_passages_a_small_one_s_all():
    import numpy as np

    from reader.core.xref.engine import PER_MATE, STORY_PASSAGES, _story_candidates
    shares = np.zeros(1000)
    mates = [[10 * m + i for i in range(6)] for m in range(STORY_PASSAGES)]
    for docs in mates:
        shares[docs[:5]] = [1.0, 3.0, 2.0, 0.5, 0.2]  # the sixth shares nothing
    lengths = {d: {"text": 8} for d in range(1000)}
    for docs in mates:
        lengths[docs[1]] = {"text": 400, "ent": 20}  # shares the most, but in a long passage
    reader = _Lengths(lengths)
    two = _story_candidates(mates[:2], shares, reader)
    assert two == mates[0][:5] + mates[1][:5]  # few reports: every passage sharing something
    many = _story_candidates(mates, shares, reader)
    assert len(many) == PER_MATE * len(mates)
    for docs in mates:
        assert [d for d in many if d in docs] == [docs[2], docs[0], docs[3], docs[1], docs[4]][:PER_MATE]  # most for their size


class _Book:
    def __init__(self, days):
        self.days = days


class _Lib:
    generation = 0

    def preload_infos(self, article_ids):
        list(article_ids)


def test_a_big_story_s_closest_reports_are_the_ones_a_full_sort_gives_the_far_ones_unread():
    import random

    from reader.core.xref import engine
    rng = random.Random(3)
    days = {f"m{i}": rng.randrange(0, 200) for i in range(300)}
    days["m5"] = None  # undated: never damped, so always weighed
    # the nearest in time are the least alike: the closest reports lie some days off
    alike = {a: rng.random() * (0.1 if d is not None and abs(100 - d) < 12 else 1) for a, d in days.items()}

    def similarity(a):  # at most 1 before the days apart damp it, as the engine's is
        return alike[a] if days[a] is None else alike[a] / (1 + abs(100 - days[a]) / engine.DAYS_HALF)

    xref = engine.Xref(_Lib(), _Book(days))
    weighed = []
    xref._vectors_of = lambda ids: {a: {"w": 1.0} for a in ids}
    xref._articles_similarity = lambda ctx, a: weighed.append(a) or similarity(a)
    ctx = engine._Context("me", 100, 1)
    mates = list(days)
    got = xref._closest_mates(ctx, list(mates), days)
    assert got == sorted(mates, key=lambda a: -similarity(a))[:engine.STORY_MATES]
    assert "m5" in weighed and len(weighed) < len(mates)  # the farthest left unread
    assert ctx.unweighed == set(mates) - set(weighed)
    small = mates[:engine.STORY_MATES]  # a small story: every report weighed
    weighed.clear()
    ctx = engine._Context("me", 100, 1)
    assert xref._closest_mates(ctx, list(small), days) == sorted(small, key=lambda a: -similarity(a))
    assert sorted(weighed) == sorted(small) and not ctx.unweighed


def test_a_story_too_big_to_weigh_whole_gives_its_closest_among_the_nearest_in_time():
    import random

    from reader.core.xref import engine
    rng = random.Random(5)
    mates = [f"m{i}" for i in range(engine.MATES_WEIGHED + 150)]
    days = {a: 100 for a in mates}  # one day: the days apart bound nothing
    alike = {a: rng.random() for a in mates}
    xref = engine.Xref(_Lib(), _Book(days))
    weighed = []
    xref._vectors_of = lambda ids: {a: {"w": 1.0} for a in ids}
    xref._articles_similarity = lambda ctx, a: weighed.append(a) or alike[a]
    ctx = engine._Context("me", 100, 1)
    got = xref._closest_mates(ctx, list(mates), days)
    first = mates[:engine.MATES_WEIGHED]  # the nearest in time (all as near: in story order)
    assert weighed == first
    assert got == sorted(first, key=lambda a: -alike[a])[:engine.STORY_MATES]
    assert ctx.unweighed == set(mates[engine.MATES_WEIGHED:])


def test_a_result_links_first_the_shared_signal_adding_most_then_the_rest():
    from reader.core.xref.engine import _links, _products
    wp = {"t:bridg": 2.0, "e:mayor": 3.0, "p:river bank": 1.5, "t:flood": 1.0}
    wc = {"t:bridg": 3.0, "e:mayor": 2.0, "p:river bank": 1.0, "t:flood": 5.0}
    shared = set(wp) & set(wc)
    links = _links(_products(shared, wp, wc))
    assert links[0] == "e:mayor"  # 6.0 ties t:bridg's 6.0: the first in key order
    assert sorted(links) == sorted(shared) and len(links) == len(shared)
    assert _links(_products(set(), wp, wc)) == ()
