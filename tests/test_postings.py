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
            assert all(block.gap for block, _ in getattr(m, "child", m).blocks())  # written narrow
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


def _old_block(ids, weights, raw):
    """A block as kreader wrote it before the narrow layout: ids as uint32 deltas and
    weights as float32, each compressed (or both raw with a CRC-32, for a small block)."""
    import struct
    import zlib
    from array import array
    deltas = array("I", [ids[0]] + [b - a for a, b in zip(ids, ids[1:])]).tobytes()
    w = array("f", weights).tobytes()
    if not raw:
        deltas, w = zlib.compress(deltas, 1), zlib.compress(w, 1)
    head = struct.pack("<BBfIII", 2 | (0x80 if raw else 0), 0, 0.0, len(deltas), len(w), 0)
    return head + deltas + w + (struct.pack("<I", zlib.crc32(deltas + w)) if raw else b"")


CASES = {  # ids and weights that take each width: small gaps, gaps over 255, over 65,535
    "bytes": ([3, 4, 9, 200, 300], [1.0, 2.0, 1.0, 7.0, 255.0]),
    "shorts": ([0, 256, 70_000, 70_001], [1.5, 1.0, 2.0, 1.0]),
    "words": ([10, 80_000, 2_000_000], [300.0, 1.0, 1.0]),
    "ones": ([5, 6, 7], [1.0, 1.0, 1.0]),
    "same": ([1, 1000], [3.0, 3.0]),
    "alone": ([123_456], [2.0]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_narrow_blocks_read_back_their_ids_and_weights(case):
    from array import array

    from reader.core.search.whoosh_ext.blocks import Block, blocks_arrays, pack
    ids, weights = CASES[case]
    block = Block(pack(array("I", ids), array("f", weights), [], 0, 1), len(ids))
    assert block.id_list().tolist() == ids
    assert block.weight_list().tolist() == weights
    got_ids, got_w = blocks_arrays([block], np)
    assert got_ids.tolist() == ids and got_w.tolist() == weights


def test_a_term_of_blocks_of_both_layouts_and_every_width_reads_as_one_list():
    from array import array

    from reader.core.search.whoosh_ext.blocks import Block, blocks_arrays, pack
    blocks, want_ids, want_w = [], [], []
    for i, case in enumerate(sorted(CASES)):
        ids, weights = CASES[case]
        shifted = [d + 3_000_000 * i for d in ids]  # each block after the one before
        if i % 3 == 0:
            data = pack(array("I", shifted), array("f", weights), [], 0, 1)
        else:
            data = _old_block(shifted, weights, raw=i % 3 == 1)
        blocks.append(Block(data, len(ids)))
        want_ids += shifted
        want_w += weights
    got_ids, got_w = blocks_arrays(blocks, np)
    assert got_ids.tolist() == want_ids and got_w.tolist() == want_w
    assert [d for b in blocks for d in b.id_list()] == want_ids


def test_a_garbled_narrow_block_is_damage_not_postings():
    import zlib
    from array import array

    from reader.core.search.whoosh_ext.blocks import HEAD, Block, pack
    data = bytearray(pack(array("I", [3, 4, 9, 200]), array("f", [1.0, 2.0, 1.0, 7.0]), [], 0, 1))
    data[-6] ^= 0x01  # a weight's byte
    with pytest.raises(zlib.error):
        Block(bytes(data), 4)
    # a kreader of before reads a narrow block's ids as a zlib stream: it finds damage, not ids
    n_ids = HEAD.unpack_from(data)[3]
    with pytest.raises(zlib.error):
        zlib.decompress(bytes(data[HEAD.size:HEAD.size + n_ids]))
