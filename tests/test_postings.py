"""kreader's packed posting blocks read back exactly what Whoosh's own codec does."""

import random

import numpy as np
import pytest
from whoosh import fields, index
from whoosh.codec.whoosh3 import W3Codec
from whoosh.query import And, Or, Term

from reader.core.search.whoosh_ext.codec import PackedCodec, PackedLeafMatcher, term_arrays

WORDS = "flood dam river snow rescue village night bridge storm road".split()


def build(path, codec, docs, deletions=()):
    schema = fields.Schema(id=fields.ID(stored=True), text=fields.TEXT(phrase=False),
                           tags=fields.KEYWORD(), title=fields.TEXT(field_boost=1.5),
                           kind=fields.ID())
    path.mkdir()
    ix = index.create_in(str(path), schema)
    half = len(docs) // 2
    for part in (docs[:half], docs[half:]):  # two segments
        w = ix.writer(codec=codec)
        for i, (text, tags) in part:
            w.add_document(id=str(i), text=text, tags=tags, title=text[:20], kind="body" if i % 7 else "quote")
        w.commit(merge=False)
    if deletions:
        w = ix.writer(codec=codec)
        for i in deletions:
            w.delete_by_term("id", str(i))
        w.commit(merge=False)
    return ix


@pytest.fixture
def docs():
    rng = random.Random(3)
    return [(i, (" ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 30))),
                 " ".join(rng.sample(WORDS, rng.randint(0, 3)))))
            for i in range(900)]


def postings(ix):
    """Every posting of every term, as Whoosh's matchers give them."""
    out = {}
    with ix.reader() as r:
        for fieldname, btext in r.all_terms():
            m = r.postings(fieldname, btext)
            got = []
            while m.is_active():
                got.append((m.id(), m.weight(), m.value()))
                m.next()
            out[fieldname, btext] = got
    return out


def test_packed_blocks_read_back_as_whooshs_own(docs, tmp_path):
    ours = build(tmp_path / "packed", PackedCodec(blocklimit=16), docs, deletions=(3, 40, 41, 700))
    theirs = build(tmp_path / "w3", W3Codec(), docs, deletions=(3, 40, 41, 700))
    assert postings(ours) == postings(theirs)
    with ours.reader() as r:
        for sub, _ in r.leaf_readers():  # the codec was used
            m = sub.postings("text", b"flood")
            assert isinstance(getattr(m, "child", m), PackedLeafMatcher)
    with ours.searcher() as s, theirs.searcher() as t:
        for q in (Term("text", "flood"), And([Term("text", "dam"), Term("text", "snow")]),
                  Or([Term("tags", "river"), Term("title", "storm")]), Term("kind", "quote")):
            assert [(h.docnum, h.score) for h in s.search(q, limit=None)] == \
                   [(h.docnum, h.score) for h in t.search(q, limit=None)]
        m, n = s.reader().postings("text", b"river"), t.reader().postings("text", b"river")
        for target in (5, 17, 18, 300, 301, 655):  # skipping across block boundaries
            m.skip_to(target)
            n.skip_to(target)
            assert (m.id(), m.weight()) == (n.id(), n.weight())


def test_term_arrays_are_the_live_postings_of_a_term(docs, tmp_path):
    ix = build(tmp_path / "packed", PackedCodec(blocklimit=16), docs, deletions=(3, 40, 41, 700))
    want = postings(ix)
    with ix.reader() as r:
        assert r.has_deletions() and len(r.leaf_readers()) == 2
        for key in [("text", w.encode()) for w in ("flood", "dam", "night")] + [("tags", b"river"),
                                                                                ("kind", b"quote")]:
            ids, weights = term_arrays(r, *key)
            assert ids.dtype == np.int64 and weights.dtype == np.float64
            assert list(zip(ids.tolist(), weights.tolist())) == [(d, w) for d, w, _ in want[key]]
        ids, _ = term_arrays(r, "text", b"absent")
        assert len(ids) == 0
