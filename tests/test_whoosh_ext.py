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


def test_segments_read_in_place_find_what_whoosh_finds(tmp_path, monkeypatch):
    import io
    import pickle

    from whoosh.filedb import compound
    from whoosh.filedb.structfile import BufferFile

    from reader.core.search.whoosh_ext import buffers

    texts = [f"storm {n} over the harbour" if n % 3 else f"calm day {n}" for n in range(300)]
    ix = make(tmp_path, texts)
    with ix.writer() as w:  # a second segment, then one merged compound file
        w.add_document(id="x", text="storm at sea")
    ix.optimize()
    monkeypatch.setattr(compound, "BufferFile", BufferFile)  # Whoosh's own, copying

    def found():
        with index.open_dir(str(tmp_path)).searcher() as s:
            return [(h["id"], h["text"]) for h in s.search(wq.Term("text", "storm"), limit=None)]
    copied = found()
    buffers.share_segment_files()
    assert compound.BufferFile is buffers.SharedBufferFile
    assert found() == copied and len(copied) == 201

    data = pickle.dumps({"a": [1, 2, 3]}, protocol=5) + b"line one\nline two\nend"
    mine, theirs = buffers.ViewReader(memoryview(data)), io.BytesIO(data)
    assert pickle.load(mine) == pickle.load(theirs) and mine.tell() == theirs.tell()
    assert mine.readline() == theirs.readline() == b"line one\n"
    assert list(mine) == list(theirs) == [b"line two\n", b"end"]
    for f in (mine, theirs):
        f.seek(-3, 2)
    assert mine.read() == theirs.read() == b"end" and mine.read(5) == b""
    mine.seek(2)
    into = bytearray(4)
    assert mine.readinto(into) == 4 and bytes(into) == data[2:6]
    part = buffers.SharedBufferFile(memoryview(data)).subset(len(data) - 3, 3)
    assert part.read(10) == b"end" and part.get(0, 2) == b"en"


def test_stored_fields_read_per_segment_are_whooshs(tmp_path):
    ix = make(tmp_path)
    for texts in (["wet fields", "high water"], ["low tide"]):
        with ix.writer() as w:
            w.merge = False  # one more segment each
            for t in texts:
                w.add_document(id=t, text=t)
    with ix.writer() as w:
        w.merge = False
        w.delete_by_term("id", "1")
    with ix.reader() as r:
        assert len(list(r.leaf_readers())) == 3
        every = list(range(r.doc_count_all()))
        got = readers.stored_fields_of(r, every[::-1])
        assert got == [r.stored_fields(d) for d in every[::-1]]
        assert {f["text"] for f in got} >= {"dry land", "high water", "low tide"}
        leaf, offset = list(r.leaf_readers())[1]
        assert readers.stored_fields_of(leaf, [0]) == [r.stored_fields(offset)]
