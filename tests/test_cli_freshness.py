"""How a command that reads the index keeps it fresh without re-reading the corpus.

`kreader index` compares every file; search, entities, xref and the other
read-only commands compare only the corpus's folders with what the last full
update saw (a file added, deleted or renamed changes its folder's time), and
`--recheck` makes them compare every file. Through the real `kreader` script.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from made_up import DAM_A, DAM_B, DAM_C, write_corpus
from test_cli import run

AVALANCHE = "Avalanche warning\n\nAn avalanche blocked the road to Tromsø.\n"
HEATWAVE = "Weather in Norway turns warmer\n\nA heatwave reached Oslo.\n"


def settled(*folders: Path) -> None:
    """Give folders the time they would have had a minute ago: a folder changed just
    before an update is not trusted (its clock may not have ticked yet)."""
    past = time.time_ns() - 60 * 10**9
    for folder in folders:
        os.utime(folder, ns=(past, past))


@pytest.fixture
def indexed(tmp_path):
    """A made-up corpus (one article in a subfolder), settled, and its index built by `kreader index`."""
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B})
    write_corpus(corpus / "more", {"c.txt": DAM_C})
    settled(corpus / "more", corpus)
    ix = tmp_path / "ix"
    proc = run("index", str(corpus), "--index-dir", str(ix))
    assert proc.returncode == 0, proc.stderr
    return corpus, ix


def found(corpus: Path, ix: Path, word: str, *extra: str) -> set[str]:
    """The articles `kreader search WORD` finds."""
    proc = run("search", word, "--corpus", str(corpus), "--index-dir", str(ix), "--json", *extra)
    assert proc.returncode == 0, proc.stderr
    return {h["article"] for h in json.loads(proc.stdout)}


def test_a_file_added_to_the_folder_is_found_by_the_next_search(indexed):
    corpus, ix = indexed
    assert found(corpus, ix, "avalanche") == set()
    (corpus / "d.txt").write_text(AVALANCHE, encoding="utf-8")
    assert found(corpus, ix, "avalanche") == {"d"}


def test_a_file_added_to_a_subfolder_is_found_by_the_next_search(indexed):
    corpus, ix = indexed
    (corpus / "more" / "d.txt").write_text(AVALANCHE, encoding="utf-8")
    assert found(corpus, ix, "avalanche") == {"d"}


def test_a_deleted_file_is_gone_from_the_next_search_and_entities(indexed):
    corpus, ix = indexed
    assert found(corpus, ix, "engineers") == {"a"}
    proc = run("entities", "--corpus", str(corpus), "--index-dir", str(ix), "--json")
    assert "European Commission" in {e["name"] for e in json.loads(proc.stdout)}
    (corpus / "a.txt").unlink()
    assert found(corpus, ix, "engineers") == set()
    proc = run("entities", "--corpus", str(corpus), "--index-dir", str(ix), "--json")
    assert proc.returncode == 0, proc.stderr
    assert "European Commission" not in {e["name"] for e in json.loads(proc.stdout)}


def test_a_file_saved_by_renaming_a_new_one_over_it_is_seen(indexed):
    """What an editor's atomic save does: write a temporary file, rename it over the old."""
    corpus, ix = indexed
    (corpus / ".c.txt.tmp").write_text(HEATWAVE, encoding="utf-8")
    os.replace(corpus / ".c.txt.tmp", corpus / "more" / "c.txt")
    assert found(corpus, ix, "heatwave") == {"c"}


def test_a_file_edited_in_place_waits_for_kreader_index_or_recheck(indexed):
    corpus, ix = indexed
    more = corpus / "more"
    before = more.stat().st_mtime_ns
    (more / "c.txt").write_text(HEATWAVE, encoding="utf-8")
    assert more.stat().st_mtime_ns == before  # what the quick check cannot see
    assert found(corpus, ix, "heatwave") == set()
    assert found(corpus, ix, "heatwave", "--recheck") == {"c"}
    (more / "c.txt").write_text(DAM_C, encoding="utf-8")
    proc = run("index", str(corpus), "--index-dir", str(ix))
    assert proc.returncode == 0 and "1 changed" in proc.stderr, proc.stderr
    assert found(corpus, ix, "heatwave") == set()


def test_an_alias_file_edited_in_place_is_seen(indexed):
    corpus, ix = indexed
    aliases = corpus / "aliases.yaml"
    aliases.write_text("rename:\n  Maria Lindqvist: Maria K. Lindqvist\n", encoding="utf-8")
    settled(corpus)
    proc = run("index", str(corpus), "--index-dir", str(ix))
    assert proc.returncode == 0, proc.stderr
    assert "Maria K. Lindqvist" in {e["name"] for e in json.loads(run(
        "entities", "--corpus", str(corpus), "--index-dir", str(ix), "--json").stdout)}
    aliases.write_text("rename:\n  Maria Lindqvist: Maria Lindqvist-Holm\n", encoding="utf-8")
    proc = run("entities", "--corpus", str(corpus), "--index-dir", str(ix), "--json")
    assert proc.returncode == 0, proc.stderr
    names = {e["name"] for e in json.loads(proc.stdout)}
    assert "Maria Lindqvist-Holm" in names and "Maria K. Lindqvist" not in names


def test_a_folder_changed_just_before_the_index_is_checked_again(tmp_path):
    """Its time is not trusted: the next search compares every file (and finds an edit in place)."""
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B, "c.txt": DAM_C})
    ix = tmp_path / "ix"
    assert run("index", str(corpus), "--index-dir", str(ix)).returncode == 0
    (corpus / "c.txt").write_text(HEATWAVE, encoding="utf-8")
    assert found(corpus, ix, "heatwave") == {"c"}


def test_an_update_waits_for_another_holding_the_lock_then_goes_on(tmp_path):
    """The folder's update lock excludes another process (a flock, as filelock takes it)."""
    import subprocess
    import sys

    from reader.core.library import lockfile
    path = str(tmp_path / "ix.lock")
    holder = subprocess.Popen([sys.executable, "-c", "import filelock, sys, time\n"
                               f"lock = filelock.FileLock({path!r}); lock.acquire()\n"
                               "print('held', flush=True); time.sleep(1.5)\nlock.release()"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(lockfile.LockTimeout):
            lockfile.acquire(path, 0.1)
        release = lockfile.acquire(path, 30)  # taken once the other lets go
        release()
    finally:
        holder.wait(timeout=60)


def test_a_damaged_search_index_found_by_a_quick_search_is_one_sentence_then_rebuilt(indexed):
    """The folder check leaves Whoosh unopened until a search needs it: a damaged
    segment is then found by the search, said in one sentence, and rebuilt next time."""
    corpus, ix = indexed
    for seg in ix.rglob("*.seg"):
        seg.write_bytes(b"\0" * 64)
    proc = run("search", "dam", "--corpus", str(corpus), "--index-dir", str(ix), "--json")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "damaged" in proc.stderr
    assert found(corpus, ix, "engineers") == {"a"}


def _book_of_another_version(ix: Path) -> None:
    """Make the story book look as an older kreader left it: another version, rows of another shape."""
    import sqlite3
    (book,) = ix.rglob("stories.sqlite")
    db = sqlite3.connect(book)
    db.execute("UPDATE meta SET value = '1' WHERE key = 'version'")
    db.execute("UPDATE members SET counts = '{\"dam\": 2}', vector = '{\"dam\": 0.5}'")
    db.commit()
    db.close()


def stories_of(corpus: Path, ix: Path) -> list[list[str]]:
    proc = run("stories", "--corpus", str(corpus), "--index-dir", str(ix), "--json")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    return sorted(sorted(s["articles"]) for s in json.loads(proc.stdout))


def test_a_story_book_of_another_version_after_an_upgrade_is_made_again(indexed):
    """An upgrade (the code stamp changed) makes the first command check in full, and
    that update rebuilds a story book of another version before anything reads it."""
    corpus, ix = indexed
    before = stories_of(corpus, ix)
    _book_of_another_version(ix)
    import sqlite3
    (store,) = ix.rglob("articles.sqlite")
    db = sqlite3.connect(store)
    db.execute("UPDATE meta SET value = '\"older code\"' WHERE key = 'version_stamp'")
    db.commit()
    db.close()
    proc = run("xref", "a", "0", "--corpus", str(corpus), "--index-dir", str(ix), "--json")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert stories_of(corpus, ix) == before
    assert sum(len(s) for s in before) == 3


def test_a_story_book_of_another_version_never_stops_a_quick_command(indexed):
    """Even when nothing tells the quick check, another version's book is emptied, not read."""
    corpus, ix = indexed
    _book_of_another_version(ix)
    proc = run("xref", "a", "0", "--corpus", str(corpus), "--index-dir", str(ix), "--json")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert isinstance(json.loads(proc.stdout)["related"], list)


@pytest.mark.parametrize("harm", ["deleted", "older", "damaged"])
def test_a_story_book_deleted_damaged_or_of_another_version_is_made_again_by_the_next_command(indexed, harm):
    import sqlite3
    from reader.core.stories import STORIES_FILE, STORIES_VERSION
    corpus, ix = indexed

    def stories() -> list[dict]:
        proc = run("stories", "--corpus", str(corpus), "--index-dir", str(ix), "--json")
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)
    before = stories()
    assert sorted(a for s in before for a in s["articles"]) == ["a", "b", "c"]
    book = next(ix.rglob(STORIES_FILE))
    if harm == "deleted":
        book.unlink()
    elif harm == "older":  # as a kreader of another version left it
        with sqlite3.connect(book) as db:
            db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (str(STORIES_VERSION - 1),))
    else:
        book.write_bytes(b"not a database" * 100)
    assert stories() == before  # the folders are unchanged: only the book is made again
