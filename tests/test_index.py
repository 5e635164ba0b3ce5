"""The persistent, incremental index: real Whoosh indexes in tmp_path."""

from __future__ import annotations

import os
import re

import pytest

from reader.core.search import analyzer as analyzer_mod
from reader.core.search import index as index_mod
from reader.core.library import update as update_mod
from reader.core.library.store import ArticleStore
from reader.core.errors import IndexError_
from reader.core.errors import QueryError
from reader.core.library.facade import Library

from made_up import DAM_A, DAM_B, DAM_C, write_corpus


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B, "c.txt": DAM_C})


def opened(corpus, tmp_path, **kw) -> Library:
    return Library(corpus, tmp_path / "ix", **kw).ensure()


def with_workers(monkeypatch, batch: int | None = None) -> None:
    """Make every update use two worker processes (``batch``: files per commit)."""
    monkeypatch.setattr(update_mod, "PARALLEL_FROM", 1)
    monkeypatch.setattr(update_mod.os, "cpu_count", lambda: 2)
    if batch:
        monkeypatch.setattr(update_mod, "BATCH", batch)


def storm_reports(corpus, n: int) -> None:
    for i in range(n):
        (corpus / f"extra{i}.txt").write_text(f"Storm report {i}\n\nThe storm cut power in town {i}.\n",
                                              encoding="utf-8")


def test_build_then_search_words_phrases_and_prefixes(corpus, tmp_path):
    lib = opened(corpus, tmp_path)
    assert lib.summary.articles == 3 and lib.summary.added == 3
    assert {h.article for h in lib.search("collapsed")} == {"a"}
    assert {h.article for h in lib.search('"rescue teams"')} == {"b"}
    assert {h.article for h in lib.search("flood*")} == {"a", "b"}
    hit = lib.search("villages", limit=1)[0]
    start, end = hit.highlights[0]
    assert hit.text[start:end].lower().startswith("village")


def test_a_place_filter_also_finds_passages_set_there_by_the_headline(corpus, tmp_path):
    """B's headline names Norway; its convoy passage says only "the area"."""
    lib = opened(corpus, tmp_path)
    convoy = [(h.article, h.passage) for h in lib.search("place:norway convoys")]
    assert convoy and convoy[0][0] == "b"
    hits = lib.search("place:norway", limit=None)
    names = [bool(re.search("Norw", h.text)) for h in hits]
    assert not all(names) and names == sorted(names, reverse=True)  # naming passages first, then the rest
    assert {h.article for h in hits if not re.search("Norw", h.text)} <= {"b", "c"}  # headlines naming Norway
    # People are not set by a headline, and an entity's own list is of its mentions only.
    assert lib.search("person:lindqvist convoys") == []
    norway = next(e for e in lib.entities("place") if e.name == "Norway")
    assert all(re.search("Norw", h.text) for h in lib.entity_hits(norway.id))


def test_reopening_an_unchanged_corpus_reanalyses_nothing(corpus, tmp_path, monkeypatch):
    opened(corpus, tmp_path)
    calls = []
    from reader.core.library import analysis as analysis_mod  # what update imports when a file changed
    monkeypatch.setattr(analysis_mod, "analyse_file", lambda *a: calls.append(a))
    lib = opened(corpus, tmp_path)
    assert calls == [] and lib.summary.articles == 3 and lib.summary.added == 0


def test_added_changed_and_deleted_files_are_picked_up(corpus, tmp_path):
    opened(corpus, tmp_path)
    (corpus / "d.txt").write_text("Avalanche warning\n\nAn avalanche blocked the road to Tromsø.\n", encoding="utf-8")
    lib = opened(corpus, tmp_path)
    assert (lib.summary.added, lib.summary.changed, lib.summary.removed) == (1, 0, 0)
    assert {h.article for h in lib.search("avalanche")} == {"d"}

    (corpus / "c.txt").write_text("Weather in Norway turns warmer\n\nA heatwave reached Oslo.\n", encoding="utf-8")
    lib = opened(corpus, tmp_path)
    assert lib.summary.changed == 1
    assert lib.search("heatwave") and not lib.search("skiers")

    (corpus / "a.txt").unlink()
    lib = opened(corpus, tmp_path)
    assert lib.summary.removed == 1 and lib.summary.articles == 3
    assert not lib.search("engineers")


def test_a_new_version_of_the_rules_rebuilds(corpus, tmp_path, monkeypatch):
    from reader.core.library import version as version_mod
    opened(corpus, tmp_path)
    # A new kreader: its source differs (so the stored key is checked) and so does a version.
    monkeypatch.setattr(version_mod, "_source_hash", lambda: "the source of a newer kreader")
    monkeypatch.setattr(index_mod, "INDEX_VERSION", index_mod.INDEX_VERSION + 100)
    lib = Library(corpus, tmp_path / "ix")
    messages = [p.message for p in lib.update()]
    assert any("Rebuilding" in m for m in messages)
    assert lib.summary.rebuilt and lib.summary.articles == 3 and lib.search("collapsed")


def test_a_truncated_segment_is_detected_and_rebuilt(corpus, tmp_path):
    opened(corpus, tmp_path)
    segs = [p for p in (tmp_path / "ix" / "whoosh").iterdir() if p.suffix == ".seg"]
    assert segs
    for seg in segs:
        with open(seg, "r+b") as f:
            f.truncate(os.path.getsize(seg) // 3)
    lib = opened(corpus, tmp_path)
    assert lib.summary.rebuilt == "the index was damaged"
    assert {h.article for h in lib.search("collapsed")} == {"a"}


@pytest.mark.parametrize("damage", ["delete", "garble"])
def test_a_missing_or_garbled_segment_is_rebuilt(corpus, tmp_path, damage):
    opened(corpus, tmp_path)
    for seg in (tmp_path / "ix" / "whoosh").glob("*.seg"):
        if damage == "delete":
            seg.unlink()
        else:
            seg.write_bytes(b"\x00garbage" * 50)
    lib = opened(corpus, tmp_path)
    assert lib.summary.rebuilt == "the index was damaged"
    assert {h.article for h in lib.search("collapsed")} == {"a"}


def test_a_garbled_posting_block_found_by_a_search_is_one_sentence_then_a_rebuild(corpus, tmp_path):
    """Damage the opening cannot see (inside one term's postings) surfaces at
    search time: one sentence, and the next opening rebuilds."""
    from reader.core.errors import IndexError_
    from reader.core.search.whoosh_ext.codec import PackedLeafMatcher
    lib = opened(corpus, tmp_path)
    found = None
    for sub, _ in lib.folder.ix.reader().leaf_readers():
        m = sub.postings("text", b"flood")
        leaf = getattr(m, "child", m)
        if isinstance(leaf, PackedLeafMatcher):
            found = bytes(leaf._postfile.get(leaf._dataoffset, leaf._nextoffset - leaf._dataoffset))
    assert found, "flood's postings are a packed block"
    lib.close()
    hits = 0
    for seg in (tmp_path / "ix" / "whoosh").glob("*.seg"):
        data = bytearray(seg.read_bytes())
        at = data.find(found)
        if at >= 0:
            for i in range(at + 20, at + len(found)):  # past the block header: the compressed arrays
                data[i] ^= 0x5A
            seg.write_bytes(bytes(data))
            hits += 1
    assert hits
    lib = opened(corpus, tmp_path)
    assert lib.summary.rebuilt == ""  # nothing to see when opening
    with pytest.raises(IndexError_, match="damaged; it will be rebuilt"):
        lib.search("flood")
    lib.close()
    lib = opened(corpus, tmp_path)
    assert lib.summary.rebuilt == "the index was found damaged while searching"
    assert {h.article for h in lib.search("flood")} == {"a", "b"}


def test_a_read_only_index_gives_one_clear_sentence(corpus, tmp_path, monkeypatch):
    opened(corpus, tmp_path)
    (corpus / "d.txt").write_text("Avalanche warning\n\nAn avalanche blocked the road.\n", encoding="utf-8")

    def refuse(*a, **kw):  # what a folder the user cannot write does (tests may run as root)
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(ArticleStore, "put_file", refuse)
    with pytest.raises(IndexError_, match="Cannot write the index in .*--index-dir"):
        opened(corpus, tmp_path)


def test_a_file_skipped_for_size_is_indexed_once_the_limit_is_raised(corpus, tmp_path):
    with open(corpus / "a.txt", "a", encoding="utf-8") as f:
        f.write("\nThe council met again on Friday to discuss the repairs.\n" * 40)
    size = (corpus / "a.txt").stat().st_size
    lib = opened(corpus, tmp_path, max_bytes=size - 1)
    assert [w.path for w in lib.warnings] == ["a.txt"] and not lib.search("collapsed")
    lib = opened(corpus, tmp_path, max_bytes=size)
    assert lib.warnings == [] and {h.article for h in lib.search("collapsed")} == {"a"}
    assert lib.summary.articles == 3


def test_an_update_killed_half_way_leaves_an_index_that_recovers(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(update_mod, "BATCH", 1)
    lib = Library(corpus, tmp_path / "ix")
    steps = lib.update()
    for step in steps:
        if step.phase == "analyse" and step.done >= 1:
            break
    steps.close()  # the process "dies" here: one batch committed, the rest never written
    lib.close()
    lib = opened(corpus, tmp_path)
    assert lib.summary.articles == 3
    assert {h.article for h in lib.search("snow")} == {"c"}
    assert {h.article for h in lib.search("collapsed")} == {"a"}


@pytest.mark.parametrize("query", ['"unclosed phrase', "person:qqqzzzxx", "   ", "person:", "dam site:",
                                   "date:yesterday", "the of and", "foo:bar", "flood colour:red", "🙂 !!"])
def test_bad_queries_give_one_clear_sentence(corpus, tmp_path, query):
    lib = opened(corpus, tmp_path)
    with pytest.raises(QueryError) as e:
        lib.search(query)
    message = str(e.value)
    assert message.endswith(".") and "\n" not in message and "Traceback" not in message
    if ":" in query and query.split(":")[0].split()[-1] in ("foo", "colour"):
        assert "no “" in message and "filter" in message


def test_colons_that_are_not_filters_still_search(corpus, tmp_path):
    lib = opened(corpus, tmp_path)
    for query in ("flood 10:30", "flood http://example.org", 'flood "note: this"', "title:norway", "site:x flood"):
        lib.search(query)  # no QueryError


def test_entity_filters_resolve_names_fuzzily(corpus, tmp_path):
    lib = opened(corpus, tmp_path)
    hits = lib.search("person:lindkvist")
    assert {h.article for h in hits} == {"a", "b"}
    # both forms of her name are found: "Prime Minister Maria Lindqvist" and "Maria Lindqvist"
    assert all(h.highlights for h in hits)
    assert {h.article for h in lib.search("place:norway snow")} == {"c"}


def test_a_date_range_filter(corpus, tmp_path):
    lib = opened(corpus, tmp_path)
    assert {h.article for h in lib.search("date:[2024-03-01 TO 2024-03-31] dam")} == {"a"}
    assert lib.search("date:[2025-01-01 TO 2025-12-31] dam") == []
    assert {h.article for h in lib.search("date:2024-03 dam")} == {"a"}
    assert {h.article for h in lib.search("date:2024 dam")} == {"a"}
    assert lib.search("date:2024-04 dam") == []


def test_corpus_files_are_never_written(corpus, tmp_path):
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in corpus.iterdir()}
    opened(corpus, tmp_path, )
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in corpus.iterdir()} == before


def test_a_phrase_needs_its_words_together(tmp_path):
    corpus = write_corpus(tmp_path / "news", {
        "apart.txt": "Teams apart\n\nThe rescue came late, and the teams went home.\n",
        "together.txt": "Teams together\n\nRescue teams reached the valley at dawn.\n",
    })
    lib = opened(corpus, tmp_path)
    assert {h.article for h in lib.search('"rescue teams"')} == {"together"}
    assert {h.article for h in lib.search('"rescue teams" valley')} == {"together"}
    assert {h.article for h in lib.search("rescue teams")} == {"apart", "together"}


def test_progress_brings_every_article_as_it_is_analysed(corpus, tmp_path):
    lib = Library(corpus, tmp_path / "ix")
    steps = list(lib.update())
    listed = [a.id for s in steps for a in s.articles]
    assert sorted(listed) == sorted(i.id for i in lib.infos())
    assert steps[-1].phase == "done"
    # an unchanged corpus brings nothing new
    assert not [a for s in Library(corpus, tmp_path / "ix").update() for a in s.articles]


def test_block_reading_of_postings_matches_whoosh_with_deletions_and_segments(corpus, tmp_path):
    """posting_ids reads Whoosh's blocks directly: it must give what the public
    matcher gives, across segments and with deleted documents left out."""
    lib = opened(corpus, tmp_path)
    (corpus / "b.txt").write_text((corpus / "b.txt").read_text(encoding="utf-8") + "\nMore floods came.\n",
                                  encoding="utf-8")
    (corpus / "d.txt").write_text("Flood relief\n\nThe flood reached the villages by night.\n", encoding="utf-8")
    lib.close()
    lib = opened(corpus, tmp_path)
    reader = lib.folder.ix.reader()
    assert len(list(reader.leaf_readers())) > 1 or reader.has_deletions()
    checked = 0
    for fieldname in ("text", "ent"):
        for term in list(reader.lexicon(fieldname)):
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            expected = list(reader.postings(fieldname, text).all_ids())
            assert list(index_mod.posting_ids(reader, fieldname, text)) == expected
            checked += bool(expected)
    assert checked > 50


def test_worker_processes_build_the_same_index_as_one_process(corpus, tmp_path, monkeypatch):
    """Large updates are analysed in worker processes: same articles, same hits."""
    for i in range(6):
        (corpus / f"extra{i}.txt").write_text(
            f"Flood update {i}\n\nThe flood reached village {i} near Tromsø, officials said.\n", encoding="utf-8")
    one = Library(corpus, tmp_path / "one").ensure()
    with_workers(monkeypatch)
    many = Library(corpus, tmp_path / "many").ensure()
    assert many.summary.articles == one.summary.articles == 9
    assert [i.id for i in many.infos()] == [i.id for i in one.infos()]
    for q in ("flood", "village", '"rescue teams"', "place:tromsø"):
        assert [(h.article, h.passage) for h in many.search(q)] == [(h.article, h.passage) for h in one.search(q)]
    assert many.article("a") == one.article("a")


def test_a_failure_while_workers_index_leaves_an_index_that_recovers(corpus, tmp_path, monkeypatch):
    """The owner fails half-way through a batch indexed by worker processes: the
    workers stop, their segments are never committed, and the next open brings
    the index up to date."""
    storm_reports(corpus, 8)
    with_workers(monkeypatch, batch=4)
    from reader.core.library.store import ArticleStore
    real_put, calls = ArticleStore.put_file, []

    def failing_put(self, *a, **kw):
        calls.append(1)
        if len(calls) == 6:  # in the second batch
            raise RuntimeError("disk gone")
        return real_put(self, *a, **kw)

    monkeypatch.setattr(ArticleStore, "put_file", failing_put)
    with pytest.raises(RuntimeError):
        Library(corpus, tmp_path / "ix").ensure()
    monkeypatch.setattr(ArticleStore, "put_file", real_put)
    lib = opened(corpus, tmp_path)
    assert lib.summary.articles == 11
    assert {h.article for h in lib.search("storm")} == {f"extra{i}" for i in range(8)}
    assert {h.article for h in lib.search("collapsed")} == {"a"}
    assert len(lib.search("storm", limit=100)) == 8  # no passage indexed twice


def test_segments_from_workers_are_merged_once_there_are_too_many(corpus, tmp_path, monkeypatch):
    """Each batch adds a segment per worker; past the limit the smaller half is
    merged, deletions and all, and every passage is still found once."""
    from reader.core.search.whoosh_ext import segments as segments_mod
    storm_reports(corpus, 12)
    with_workers(monkeypatch, batch=2)
    monkeypatch.setattr(segments_mod, "MAX_SEGMENTS", 3)
    lib = opened(corpus, tmp_path)
    segments = lambda: len(lib.folder.ix.reader().leaf_readers())  # noqa: E731
    assert segments() <= 3
    (corpus / "extra0.txt").write_text("Storm report 0\n\nThe gale cut power in town 0.\n", encoding="utf-8")
    (corpus / "extra1.txt").unlink()
    lib = opened(corpus, tmp_path)
    assert segments() <= 3 and lib.summary.articles == 14
    assert {h.article for h in lib.search("storm", limit=100)} == {f"extra{i}" for i in range(2, 12)} | {"extra0"}
    assert len(lib.search("power", limit=100)) == 11  # no passage twice, none lost
    assert {h.article for h in lib.search("collapsed")} == {"a"}


@pytest.mark.parametrize("options", [
    {}, {"positions": True}, {"chars": True}, {"positions": True, "chars": True, "removestops": False},
    {"removestops": False, "keeporiginal": True}, {"positions": True, "chars": True, "start_pos": 5, "start_char": 7},
    {"tokenize": False}, {"mode": "query", "positions": True},
])
def test_the_one_loop_analyzer_gives_whooshs_chained_tokens(options):
    texts = [DAM_A, DAM_B, DAM_C, "The recognised organisations' 1,200.5 of it is a-b I O'Neil’s analysis THE END",
             "", "a", "is", "   x y  ", "Ünïcödé naïve café — 3.5% of 10,000"]
    fields = ("text", "pos", "startchar", "endchar", "stopped", "boost", "original")

    def tokens(analyzer, text):
        return [tuple(getattr(t, f, None) for f in fields) for t in analyzer(text, **options)]
    for text in texts:
        assert tokens(analyzer_mod.TextAnalyzer(), text) == tokens(analyzer_mod.reference_text_analyzer(), text)


def test_block_scoring_ranks_as_whoosh_does(corpus, tmp_path):
    """TopN scores terms, AND, OR and NOT with Whoosh's BM25F and statistics:
    the same passages with the same scores, across segments and deletions.
    Prefixes and phrases find the same passages (their scores differ on purpose)."""
    from pytest import approx

    from reader.core.search.scoring import TopN
    from whoosh import scoring
    opened(corpus, tmp_path)
    (corpus / "b.txt").write_text((corpus / "b.txt").read_text(encoding="utf-8") + "\nMore floods came.\n",
                                  encoding="utf-8")
    (corpus / "d.txt").write_text("Flood relief\n\nThe flood reached the villages by night.\n", encoding="utf-8")
    lib = opened(corpus, tmp_path)
    searcher = lib.folder.ix.searcher(weighting=scoring.BM25F())
    assert len(searcher.reader().leaf_readers()) > 1 or searcher.reader().has_deletions()
    qp = index_mod.parser(searcher.schema)
    topn = TopN(searcher)
    compared = 0
    for text in ("flood", "norway villages", "flood OR snow", "norway NOT snow", "dam AND (flood OR rescue)",
                 "title:norway", "reached OR came OR villages", "NOT snow norway", "flood ANDMAYBE norway",
                 "NOT flood", "NOT flood NOT snow", "flood reached villages",
                 "(flood OR dam) AND reached NOT snow"):
        q = qp.parse(text)
        ours = topn.top(q, None)
        theirs = [(h.docnum, h.score) for h in searcher.search(q, limit=None)]
        assert ours is not None and theirs
        assert dict(ours) == approx(dict(theirs), rel=1e-9)
        assert [d for d, _ in ours][:3] == [d for d, _ in sorted(theirs, key=lambda h: (-h[1], h[0]))][:3]
        compared += len(theirs)
    for text in ("flood*", 'villag*'):
        q = qp.parse(text)
        assert {d for d, _ in topn.top(q, None)} == {h.docnum for h in searcher.search(q, limit=None)}
    # The index keeps no positions: phrases are checked on the stored text.
    reader = searcher.reader()
    for phrase in ("rescue teams", "the flood reached"):
        found = {d for d, _ in topn.top(qp.parse(f'"{phrase}"'), None)}
        said = {d for d in reader.all_doc_ids()
                if re.search(rf"\b{phrase}\b", reader.stored_fields(d).get("text", ""), re.I)}
        assert found == said and found
    assert compared > 20


def test_worker_processes_start_when_stderr_has_no_descriptor(corpus, tmp_path, monkeypatch):
    """Inside the reader Textual replaces sys.stderr with a capture whose
    fileno() is -1; multiprocessing's helper process must still start."""
    import sys
    from multiprocessing import resource_tracker

    class Captured:  # what Textual's print capture answers
        def write(self, text):
            return len(text)

        def flush(self):
            pass

        def fileno(self):
            return -1
    tracker = resource_tracker._resource_tracker
    if tracker._fd is not None:  # started by an earlier test: stop it, so this one starts it again
        monkeypatch.setattr(tracker, "_fd", None)
        monkeypatch.setattr(tracker, "_pid", None)
    monkeypatch.setattr(sys, "stderr", Captured())
    with_workers(monkeypatch)
    lib = opened(corpus, tmp_path)
    assert lib.summary.articles == 3 and {h.article for h in lib.search("collapsed")} == {"a"}


def test_searches_from_new_threads_reuse_an_idle_searcher(corpus, tmp_path, monkeypatch):
    """The reader searches in a new thread each time: one searcher serves them
    all in turn, and an update of the index retires it."""
    import threading

    from whoosh.index import FileIndex
    lib = opened(corpus, tmp_path)
    opened_searchers = []
    real = FileIndex.searcher

    def counting(self, **kw):
        opened_searchers.append(real(self, **kw))
        return opened_searchers[-1]
    monkeypatch.setattr(FileIndex, "searcher", counting)
    found = []
    for q in ("collapsed", "snow", "villages", "collapsed"):
        t = threading.Thread(target=lambda q=q: found.append({h.article for h in lib.search(q)}))
        t.start()
        t.join()
    assert found == [{"a"}, {"c"}, {"a", "b"}, {"a"}] and len(opened_searchers) == 1
    (corpus / "d.txt").write_text("Avalanche warning\n\nAn avalanche blocked the road.\n", encoding="utf-8")
    lib.ensure()
    assert {h.article for h in lib.search("avalanche")} == {"d"}
    assert len(opened_searchers) == 2 and opened_searchers[0].is_closed


def test_a_dangling_link_is_not_analysed_again_at_each_open(tmp_path):
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A})
    (corpus / "gone.txt").symlink_to(tmp_path / "no-such-target.txt")
    first = opened(corpus, tmp_path).summary
    again = opened(corpus, tmp_path).summary
    assert (first.added, first.skipped) == (2, 1)
    assert (again.added, again.changed, again.skipped) == (0, 0, 1)


def test_a_phrase_beside_other_words_is_looked_for_where_those_words_are(tmp_path):
    """A phrase's words in many short passages the wrong way round must not
    crowd out the one passage that holds the phrase and the other word."""
    from reader.core.search.phrases import phrase_candidates
    from reader.core.search.scoring import TopN
    from whoosh import scoring
    files = {f"brief{i}.txt": f"Brief {i}\n\nOperation military {i}.\n"
             for i in range(phrase_candidates(10) + 20)}
    files["truce.txt"] = ("Truce holds\n\nThe ceasefire held through the night, officials said, after a "
                          "long military operation in the hills north of the river ended at dawn.\n")
    files["talks.txt"] = "Talks\n\nA ceasefire was discussed.\n"
    lib = opened(write_corpus(tmp_path / "news", files), tmp_path)
    searcher = lib.folder.ix.searcher(weighting=scoring.BM25F())
    qp = index_mod.parser(searcher.schema)
    topn = TopN(searcher)
    reader = searcher.reader()
    for text in ('ceasefire "military operation"', '"military operation" ceasefire',
                 '"military operation" "ceasefire held"'):
        found = topn.top(qp.parse(text), 10)
        assert [reader.stored_fields(d)["article"] for d, _ in found] == ["truce"], text
    # the phrase alone still finds it, and the briefs never
    alone = topn.top(qp.parse('"military operation"'), None)
    assert {reader.stored_fields(d)["article"] for d, _ in alone} <= {"truce"}
    assert {h.article for h in lib.search('ceasefire "military operation"')} == {"truce"}


def test_an_unchanged_corpus_is_checked_by_the_digest_of_its_stamps(corpus, tmp_path, monkeypatch):
    """A full check of an unchanged corpus compares one digest of every file's stamp,
    not each stored stamp; a skipped file's warning is still told, and a file rewritten
    in place (same size, new time) is still found."""
    with open(corpus / "c.txt", "a", encoding="utf-8") as f:
        f.write("\nThe valley road stayed closed for the rest of the week.\n" * 40)
    limit = (corpus / "c.txt").stat().st_size - 1
    opened(corpus, tmp_path, max_bytes=limit).close()  # the first update keeps the digest
    reads = []
    real = ArticleStore.file_stamps
    monkeypatch.setattr(ArticleStore, "file_stamps", lambda self: reads.append(1) or real(self))
    lib = opened(corpus, tmp_path, max_bytes=limit)
    assert reads == [] and [w.path for w in lib.warnings] == ["c.txt"]
    assert (lib.summary.added, lib.summary.changed, lib.summary.removed) == (0, 0, 0)
    lib.close()
    text = (corpus / "a.txt").read_text(encoding="utf-8")
    (corpus / "a.txt").write_text(text.replace("collapsed", "collapses"), encoding="utf-8")
    st = (corpus / "a.txt").stat()
    os.utime(corpus / "a.txt", ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    lib = opened(corpus, tmp_path, max_bytes=limit)
    assert reads and lib.summary.changed == 1 and {h.article for h in lib.search("collapses")} == {"a"}


def test_any_change_to_a_files_row_forgets_the_digest(corpus, tmp_path):
    """Were the digest kept, the scan would match it and b.txt, gone from the store, stay gone."""
    from reader.core.library.store import STAMPS_DIGEST
    lib = opened(corpus, tmp_path)
    assert lib.store.get(STAMPS_DIGEST) and {h.article for h in lib.search("villages")} == {"a", "b"}
    lib.store.drop_file("b.txt")
    assert lib.store.get(STAMPS_DIGEST) is None
    lib.store.commit()
    lib.close()
    lib = opened(corpus, tmp_path)
    assert lib.summary.added == 1 and lib.store.get(STAMPS_DIGEST)
    assert {h.article for h in lib.search("villages")} == {"a", "b"}
