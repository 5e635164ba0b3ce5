"""What is committed of a first index can be searched while the rest is analysed."""

from __future__ import annotations

import pytest

from reader.core.errors import QueryError
from reader.core.library import update as update_mod
from reader.core.library.facade import Library

from made_up import DAM_A, DAM_B, DAM_C, write_corpus


def test_committed_batches_are_searched_before_the_first_index_ends(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B, "c.txt": DAM_C})
    monkeypatch.setattr(update_mod, "BATCH", 1)
    monkeypatch.setattr(update_mod, "PROGRESS_EVERY", 1)
    lib = Library(corpus, tmp_path / "ix")
    seen = []
    for step in lib.update():
        if step.phase == "analyse" and step.done == 2:
            # two files committed, no entities resolved yet: a word search works, a name filter says why it cannot work yet
            seen = {h.article for h in lib.search("dam OR flood OR snow", limit=50)}
            with pytest.raises(QueryError, match="once the first index is built"):
                lib.search("person:lindqvist")
    assert seen and seen < {"a", "b", "c"}
    assert {h.article for h in lib.search("dam OR flood OR snow", limit=50)} >= seen
