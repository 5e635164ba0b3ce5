"""A term's postings read straight from its posting blocks (whoosh_ext/codec.py
``term_arrays``) are what Whoosh's own matchers give, deleted passages left out."""

from __future__ import annotations

import numpy as np
from whoosh import index as wix

from reader.core.library.facade import Library
from reader.core.search.whoosh_ext import codec

from made_up import DAM_A, DAM_B, DAM_C, WIRE, write_corpus


def whooshs(reader, fieldname: str, btext: bytes):
    """The postings as Whoosh's public matchers give them (one at a time)."""
    ids, weights = [], []
    for sub, offset in reader.leaf_readers():
        if (fieldname, btext) not in sub:
            continue
        m = sub.postings(fieldname, btext)
        while m.is_active():
            ids.append(m.id() + offset)
            weights.append(m.weight())
            m.next()
    return np.array(ids, dtype=np.int64), np.array(weights, dtype=np.float64)


def test_every_terms_postings_are_whooshs_with_deletions_and_several_segments(tmp_path):
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B, "c.txt": DAM_C, "w.txt": WIRE})
    Library(corpus, tmp_path / "ix").ensure().close()
    (corpus / "b.txt").write_text(DAM_B + "\nRescuers searched the valley again on Friday.\n", encoding="utf-8")
    (corpus / "w2.txt").write_text(WIRE.replace("Markets", "Stocks"), encoding="utf-8")
    lib = Library(corpus, tmp_path / "ix").ensure()
    ix = wix.open_dir(str(lib.index_dir / "whoosh"))
    with ix.reader() as reader:
        assert len(reader.leaf_readers()) > 1 and reader.has_deletions()
        looked = 0
        for fieldname in ("text", "ent", "path"):
            for btext in reader.lexicon(fieldname):
                ids, weights = codec.term_arrays(reader, fieldname, btext)
                want_ids, want_weights = whooshs(reader, fieldname, btext)
                assert ids.tolist() == want_ids.tolist(), (fieldname, btext)
                assert weights.tolist() == want_weights.tolist(), (fieldname, btext)
                looked += 1
        assert looked > 100
        assert codec.term_arrays(reader, "text", b"zzyzzx")[0].tolist() == []
    lib.close()
