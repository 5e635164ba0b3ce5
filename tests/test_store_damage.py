"""A damaged or full article store: one sentence, and the next opening rebuilds."""

from __future__ import annotations

import sqlite3

import pytest

from reader.core.errors import IndexError_
from reader.core.library import store as store_mod
from reader.core.library.facade import Library

from made_up import DAM_A, DAM_B, write_corpus


@pytest.fixture
def corpus(tmp_path):
    return write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B})


def garble(path):
    data = bytearray(path.read_bytes())
    for i in range(0, len(data), 397):
        data[i] = 0x5A
    path.write_bytes(bytes(data))


def test_garbage_in_the_store_is_rebuilt_with_the_usual_message(corpus, tmp_path):
    Library(corpus, tmp_path / "ix").ensure().close()
    garble(tmp_path / "ix" / "articles.sqlite")
    lib = Library(corpus, tmp_path / "ix")
    messages = [step.message for step in lib.update()]
    assert "Rebuilding the index: the index was damaged." in messages
    assert {h.article for h in lib.search("dam")} == {"a", "b"}


def test_a_store_damaged_while_in_use_is_one_sentence_and_rebuilt_next_time(corpus, tmp_path):
    lib = Library(corpus, tmp_path / "ix").ensure()
    (tmp_path / "ix" / "articles.sqlite").write_bytes(b"not a database at all " * 400)
    with pytest.raises(IndexError_, match="is damaged; it will be rebuilt"):
        list(lib.store.infos())
    lib.close()
    again = Library(corpus, tmp_path / "ix")
    assert any("damaged" in m for m in [step.message for step in again.update()])
    assert again.summary.articles == 2


def test_a_full_disk_is_one_sentence(corpus, tmp_path, monkeypatch):
    def full(self):
        self._call(lambda: (_ for _ in ()).throw(sqlite3.OperationalError("database or disk is full")))
    monkeypatch.setattr(store_mod._Guarded, "commit", full)
    with pytest.raises(IndexError_, match="is full; free some space"):
        Library(corpus, tmp_path / "ix").ensure()


def refuse_lock(monkeypatch):
    """What a read-only cache folder does to the update lock (tests may run as root, who may write anyway)."""
    from reader.core.library import lockfile

    def refuse(*a, **kw):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(lockfile, "acquire", refuse)


def test_an_up_to_date_index_in_a_read_only_folder_is_still_searched(corpus, tmp_path, monkeypatch):
    Library(corpus, tmp_path / "ix").ensure().close()
    refuse_lock(monkeypatch)
    lib = Library(corpus, tmp_path / "ix").ensure()
    assert lib.folder.read_only and {h.article for h in lib.search("dam")} == {"a", "b"}
    assert lib.summary.articles == 2


def test_an_out_of_date_index_in_a_read_only_folder_is_one_sentence(corpus, tmp_path, monkeypatch):
    Library(corpus, tmp_path / "ix").ensure().close()
    (corpus / "c.txt").write_text("Snow\n\nSnow fell on the dam.\n", encoding="utf-8")
    refuse_lock(monkeypatch)
    with pytest.raises(IndexError_, match="out of date and that folder cannot be written; give a writable"):
        Library(corpus, tmp_path / "ix").ensure()


def test_a_corpus_folder_with_a_very_long_name_is_indexed(tmp_path):
    from reader.core import locations
    corpus = write_corpus(tmp_path / ("long-" * 48), {"a.txt": DAM_A})
    lib = Library(corpus, locations.index_dir_for(corpus, tmp_path / "indexes")).ensure()
    assert lib.summary.articles == 1 and len(lib.index_dir.name) < 100
