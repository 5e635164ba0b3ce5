"""Every private Whoosh name kreader uses, exercised against Whoosh's public behaviour.

A whoosh-reloaded release that renames or changes one of them fails here
first (the packed codec has its own differential tests in test_postings.py).
"""

from __future__ import annotations

from whoosh import fields, index
from whoosh import query as wq

from reader.core.search.whoosh_ext import readers, segments


def make(tmp_path, texts=("flood", "flooding rivers", "dry land")):
    schema = fields.Schema(id=fields.ID(stored=True), text=fields.TEXT(stored=True))
    ix = index.create_in(str(tmp_path), schema)
    with ix.writer() as w:
        for i, t in enumerate(texts):
            w.add_document(id=str(i), text=t)
    return ix


def test_segments_written_apart_are_committed_in_one_step(tmp_path):
    ix = make(tmp_path)
    parts = []
    for words in (["storm one", "storm two"], ["storm three"]):
        w = segments.segment_writer(str(tmp_path), 32, None)
        for i, t in enumerate(words):
            w.add_document(id=f"{t}-{i}", text=t)
        parts.append(segments.finish_segment(w))
    empty = segments.segment_writer(str(tmp_path), 32, None)
    segments.abandon_segment(empty)  # closed without a trace
    owner = ix.writer()
    owner.delete_by_term("id", "2")
    segments.commit_with_segments(owner, parts)
    with index.open_dir(str(tmp_path)).searcher() as s:
        assert s.doc_count() == 5
        assert {h["id"] for h in s.search(wq.Term("text", "storm"), limit=None)} == {
            "storm one-0", "storm two-1", "storm three-0"}
        assert not s.search(wq.Term("text", "dry"))


def test_merge_policy_merges_the_smaller_half_past_the_limit(tmp_path, monkeypatch):
    ix = make(tmp_path)
    for n in range(4):
        with ix.writer() as w:
            w.add_document(id=f"x{n}", text=f"extra {n}")
    monkeypatch.setattr(segments, "MAX_SEGMENTS", 2)
    w = ix.writer()
    kept = segments.merge_policy(w, w.segments)
    assert len(kept) <= 2
    w.cancel()


def test_expanded_words_and_length_bytes_match_whoosh(tmp_path):
    ix = make(tmp_path)
    with ix.searcher() as s:
        r = s.reader()
        assert sorted(readers.expanded_words(wq.Prefix("text", "flood"), r)) == ["flood", "flooding"]
        (sub, _), = r.leaf_readers()
        raw = readers.length_bytes(sub, "text")
        assert [sub.doc_field_length(d, "text") for d in range(3)] == [1, 2, 2]
        assert len(raw) == 3 and raw[0] < raw[1] == raw[2]
        assert readers.length_bytes(sub, "nope") == bytes(3)
