"""The bookmarks store: file format, re-anchoring, safety of writes, exports."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest
import yaml

from reader.core import atomic
from reader.core.bookmarks.store import (
    Anchor, BookmarkStore, all_tags, anchor, anchor_all, export_markdown,
    filter_by_tag, make_bookmark, to_json,
)
from reader.core.errors import BookmarkError, BookmarksReadOnly, NotFoundError
from reader.core.model import Article, Passage

DATA = Path(__file__).parent / "data"

STRIKE = ("Baku has indicated that it will continue the operation until the separatists "
          "surrender their weapons and dissolve their government.")
PASSAGES = (
    "Azerbaijan launched what it called anti-terrorist measures on Tuesday.",
    STRIKE,
    "Residents of Stepanakert reported shelling through the night.",
    "The talks are expected to resume in Yevlakh on Thursday.",
)


def article(texts=PASSAGES, id="001_883b", path="corpus/001_883b.txt",
            title="Baku launches deadly strikes in Karabakh", source="https://example.org/strikes"):
    return Article(id=id, path=path, title=title, source=source,
                   passages=tuple(Passage(n, "paragraph", t) for n, t in enumerate(texts)))


def corpus(*articles):
    return {a.id: a for a in articles}


@pytest.fixture
def store(tmp_path):
    return BookmarkStore(tmp_path / "data" / "bookmarks.yaml")


def one_sentence(message: str) -> bool:
    return "\n" not in message and message.endswith(".") and "Traceback" not in message


# --- the file -------------------------------------------------------------------------------


def test_missing_file_is_an_empty_store_and_is_not_created(store):
    assert store.load() == []
    assert not store.path.exists()
    assert store.read_only_reason is None


def test_round_trip_keeps_every_field_exactly(store):
    tricky = article(texts=(
        "yes",
        "  Leading spaces: a colon, a 'quote', a \"double\", # not a comment, émigré — 日本 ",
        "Two lines\nin one passage\n",
    ), id="001_2", title="No: 12")
    made = [
        make_bookmark(tricky, 0, note="on", tags=["yes", "1:20"]),
        make_bookmark(tricky, 1, quote="a 'quote', a \"double\", # not", note="multi\nline note"),
        make_bookmark(tricky, 2, tags=["multi line"]),
    ]
    for bm in made:
        store.add(bm)
    loaded = store.load()
    assert loaded == made
    assert [b.extra for b in loaded] == [{}, {}, {}]
    assert isinstance(loaded[0].article, str) and loaded[0].article == "001_2"
    plain = yaml.safe_load(store.path.read_text(encoding="utf-8"))  # any YAML reader can use it
    assert plain["version"] == 1 and plain["bookmarks"][1]["note"] == "multi\nline note"


def test_make_bookmark_saves_context_like_a_text_quote_selector():
    art = article()
    bm = make_bookmark(art, 1, quote="continue the operation", note="key claim", tags=["war", " war ", ""])
    assert bm.quote == "continue the operation"
    assert bm.prefix == STRIKE[:STRIKE.index("continue")][-32:]
    assert bm.suffix == STRIKE[STRIKE.index(" until"):][:32]
    assert len(bm.prefix) == len(bm.suffix) == 32
    assert (bm.article, bm.title, bm.passage, bm.path, bm.source) == (
        art.id, art.title, 1, art.path, art.source)
    assert bm.tags == ("war",)
    whole = make_bookmark(art, 0)  # a whole passage: the context comes from the passages around it
    assert (whole.quote, whole.prefix, whole.suffix) == (PASSAGES[0], "", ("\n\n" + STRIKE)[:32])
    middle = make_bookmark(art, 2)
    assert middle.prefix == (STRIKE + "\n\n")[-32:] and middle.suffix == ("\n\n" + PASSAGES[3])[:32]
    with pytest.raises(NotFoundError):
        make_bookmark(art, 9)
    with pytest.raises(BookmarkError):
        make_bookmark(art, 1, quote="not in this passage")


def test_hand_edited_file_loads_and_keeps_the_users_keys(tmp_path):
    path = tmp_path / "bookmarks.yaml"
    shutil.copy(DATA / "bookmarks_hand_edited.yaml", path)
    original = path.read_bytes()
    store = BookmarkStore(path)
    first, second = store.load()
    assert (first.id, first.passage, first.article) == ("mine-1", 1, "001_883b0ecb052fe686")
    assert first.created == "2023-09-20T10:00:00Z"
    assert first.tags == ("karabakh", "war")
    assert first.extra == {"colour": "yellow", "reviewed": {"by": "me", "on": "2023-09-21"}}
    assert (second.article, second.passage, second.note) == ("0012_345", 3, "written inline")

    store.add(make_bookmark(article(), 2))
    again = store.load()
    assert again[:2] == [first, second]
    assert again[0].extra == first.extra
    assert "exported_from: laptop" in path.read_text()
    assert atomic.backup_path(path).read_bytes() == original


def test_update_delete_and_tags(store):
    art = article()
    a, b = make_bookmark(art, 0, tags=["war"]), make_bookmark(art, 1, tags=["Sources"])
    store.add(a)
    store.add(b)
    updated = store.update(a.id, note="checked", tags=["war", "sources"])
    assert (updated.note, updated.tags) == ("checked", ("war", "sources"))
    assert store.load()[0] == updated
    assert store.update(b.id, note="only the note").tags == ("Sources",)
    assert [x.id for x in filter_by_tag(store.load(), "sources")] == [a.id, b.id]
    assert all_tags(store.load()) == ["Sources", "sources", "war"]
    store.delete(a.id)
    assert [x.id for x in store.load()] == [b.id]
    with pytest.raises(NotFoundError):
        store.delete(a.id)
    with pytest.raises(BookmarkError):
        store.add(b)


def test_a_symlinked_file_stays_a_symlink(tmp_path):
    real = tmp_path / "dotfiles" / "bookmarks.yaml"
    real.parent.mkdir()
    link = tmp_path / "bookmarks.yaml"
    link.symlink_to(real)
    BookmarkStore(link).add(make_bookmark(article(), 0))
    assert link.is_symlink() and len(BookmarkStore(real).load()) == 1


# --- re-anchoring ---------------------------------------------------------------------------


def test_anchored_where_it_was_saved():
    bm = make_bookmark(article(), 1, quote="continue the operation")
    assert anchor(bm, corpus(article())) == Anchor("anchored", "001_883b", 1, 100.0)


def test_reanchored_after_the_passage_moved():
    bm = make_bookmark(article(), 1, quote="continue the operation")
    moved = article(texts=("A new opening paragraph was added by the cleaner.", *PASSAGES))
    assert anchor(bm, corpus(moved)) == Anchor("moved", "001_883b", 2, 100.0)


def test_context_decides_between_two_places_with_the_same_quote():
    texts = ("The ministry said the strikes would stop.", "Later, the ministry said the strikes would go on.")
    bm = make_bookmark(article(texts=texts), 1, quote="the strikes would")
    shifted = article(texts=("Intro.", "Something else.", *texts))
    # passage 2 is nearer the saved number, but only passage 3 has the saved context
    assert anchor(bm, corpus(shifted)) == Anchor("moved", "001_883b", 3, 100.0)


def test_context_of_a_whole_passage_decides_between_two_copies_of_it():
    wire = "The agency said the convoy of 70 trucks had crossed the border at dawn."
    bm = make_bookmark(article(texts=("Refugees reached Goris by the thousand.", wire, "Aid groups asked for more.")), 1)
    # the saved article now carries the wire paragraph twice, neither at the saved
    # number; copy 2 is nearer that number, but the saved neighbours stand around copy 4
    changed = article(texts=("A short update.", "Other news.", wire, "Refugees reached Goris by the thousand.",
                             wire, "Aid groups asked for more."))
    assert anchor(bm, corpus(changed)) == Anchor("moved", "001_883b", 4, 100.0)


def test_reanchored_fuzzily_after_a_word_changed():
    bm = make_bookmark(article(), 1)
    edited = article(texts=(PASSAGES[0], STRIKE.replace("continue", "pursue"), *PASSAGES[2:]))
    found = anchor(bm, corpus(edited))
    assert (found.state, found.article, found.passage) == ("moved", "001_883b", 1)
    assert 80 <= found.score < 100


def test_a_short_passage_does_not_match_inside_a_long_quote():
    bm = make_bookmark(article(), 1)
    gutted = article(texts=(PASSAGES[0], "Baku has indicated.", *PASSAGES[2:]))
    assert anchor(bm, corpus(gutted)).state == "orphan"


def test_found_in_another_article_from_the_same_file_when_the_id_changed():
    bm = make_bookmark(article(), 1, quote="continue the operation")
    renamed = article(id="001_883b~2", title="Another title", texts=("Split.", STRIKE))
    other = article(id="002_other", path="corpus/002.txt", title="Else", source=None, texts=(STRIKE,))
    assert anchor(bm, corpus(renamed, other)) == Anchor("moved", "001_883b~2", 1, 100.0)
    by_title = article(id="zz", path="corpus/renamed.txt", source=None, texts=(STRIKE,))
    assert anchor(bm, corpus(other, by_title)) == Anchor("moved", "zz", 0, 100.0)


def test_orphan_is_kept_listed_and_still_in_the_file_after_a_later_add(store):
    gone = make_bookmark(article(), 1, note="my key finding")
    store.add(gone)
    other = article(id="002_other", path="corpus/002.txt", title="Unrelated", source=None,
                    texts=("Nothing to see here.",))
    anchors = anchor_all(store.load(), corpus(other))
    assert anchors[gone.id] == Anchor("orphan", None, None, anchors[gone.id].score)
    store.add(make_bookmark(other, 0))
    assert [b.id for b in store.load()][0] == gone.id
    assert "my key finding" in store.path.read_text()
    assert to_json(gone, anchors[gone.id])["state"] == "orphan"
    assert "not found in the current corpus" in export_markdown([gone], anchors)


def test_anchor_all_agrees_with_anchor():
    arts = corpus(article(), article(id="x", path="x.txt", title="X", texts=("Other text here.",)))
    bms = [make_bookmark(article(), n) for n in range(4)] + [make_bookmark(arts["x"], 0)]
    moved = corpus(article(texts=PASSAGES[::-1]))
    assert anchor_all(bms, moved) == {b.id: anchor(b, moved) for b in bms}


# --- malformed files ------------------------------------------------------------------------

MALFORMED = [
    ("bookmarks_bad_tab.yaml", 5, "tab"),
    ("bookmarks_bad_indent.yaml", 8, "indent"),
    ("bookmarks_bad_toplevel.yaml", 1, "mapping"),
    ("bookmarks_missing_keys.yaml", 7, "'article', 'passage'"),
]


def _assert_untouched_and_read_only(path: Path, line: int, words: str):
    before = path.read_bytes()
    store = BookmarkStore(path)
    with pytest.raises(BookmarksReadOnly) as caught:
        store.load()
    message = str(caught.value)
    assert str(path) in message and f"line {line}:" in message and words in message
    assert one_sentence(message)
    assert store.read_only_reason == message
    with pytest.raises(BookmarksReadOnly):
        store.add(make_bookmark(article(), 0))
    with pytest.raises(BookmarksReadOnly):
        store.update("a", note="x")
    with pytest.raises(BookmarksReadOnly):
        store.delete("a")
    assert path.read_bytes() == before
    assert not atomic.backup_path(path).exists()


@pytest.mark.parametrize(("fixture", "line", "words"), MALFORMED)
def test_malformed_file_is_left_byte_identical_and_names_the_line(tmp_path, fixture, line, words):
    path = tmp_path / "bookmarks.yaml"
    shutil.copy(DATA / fixture, path)
    _assert_untouched_and_read_only(path, line, words)


@pytest.mark.parametrize(("text", "line", "words"), [
    ("version: 1\nbookmarks:\n- {id: a, article: x, passage: 1}\n- {id: a, article: y, passage: 2}\n",
     4, "also used on line 3"),
    ("version: 1\nbookmarks:\n- id: a\n  article: x\n  passage: first\n", 5, "whole number"),
    ("version: 1\nbookmarks:\n- id: a\n  article: x\n  note: one\n  passage: 1\n  note: two\n",
     7, "appears twice"),
    ("version: 7\nbookmarks: []\n", 1, "newer kreader"),
    ("version: 1\nbookmarks:\n  id: a\n", 3, "list of bookmarks"),
    ("version: 1\nbookmark:\n- id: a\n  article: x\n  passage: 1\n", 2, "rename it to 'bookmarks'"),
    ("version: 1\nbookmarks:\n- id: a\n  article: x\n  passage: 1\n  quote: \"unclosed\n", 6, "quoted"),  # where it opens
])
def test_other_malformed_files(tmp_path, text, line, words):
    path = tmp_path / "bookmarks.yaml"
    path.write_text(text, encoding="utf-8")
    _assert_untouched_and_read_only(path, line, words)


def test_a_file_that_is_not_utf8_is_read_only(tmp_path):
    path = tmp_path / "bookmarks.yaml"
    path.write_bytes(b"version: 1\nbookmarks:\n- id: a\n  note: caf\xe9\n")
    _assert_untouched_and_read_only(path, 4, "UTF-8")


def test_a_fixed_file_becomes_writable_again(tmp_path):
    path = tmp_path / "bookmarks.yaml"
    shutil.copy(DATA / "bookmarks_bad_tab.yaml", path)
    store = BookmarkStore(path)
    with pytest.raises(BookmarksReadOnly):
        store.load()
    path.write_text(path.read_text().replace("\t", "    "))
    store.add(make_bookmark(article(), 0))
    assert store.read_only_reason is None and len(store.load()) == 2


# --- concurrency and crashes ----------------------------------------------------------------


def _add_many(path: str, n: int, tag: str) -> None:
    store, art = BookmarkStore(Path(path)), article()
    for i in range(n):
        store.add(make_bookmark(art, i % len(PASSAGES), tags=[tag], note=str(i)))


def test_two_processes_adding_at_once_lose_nothing(store):
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_add_many, args=(str(store.path), 100, tag)) for tag in ("p1", "p2")]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    loaded = store.load()
    assert len(loaded) == 200 and len({b.id for b in loaded}) == 200
    for tag in ("p1", "p2"):
        assert sorted(int(b.note) for b in filter_by_tag(loaded, tag)) == list(range(100))


class Crash(BaseException):
    """Stands for the process dying: nothing catches it."""


def _two_versions(store):
    store.add(make_bookmark(article(), 0))
    old = store.path.read_bytes()
    return old, make_bookmark(article(), 1)


def _no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_crash_before_the_rename_leaves_the_old_file_whole(store, monkeypatch):
    old, new = _two_versions(store)
    real_replace = os.replace

    def crash_on_main(src, dst):
        if Path(dst) == store.path:
            raise Crash
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash_on_main)
    with pytest.raises(Crash):
        store.add(new)
    assert store.path.read_bytes() == old
    assert atomic.backup_path(store.path).read_bytes() == old
    assert _no_temp_files(store.path.parent)


def test_crash_half_way_through_writing_leaves_the_old_file_whole(store, monkeypatch):
    old, new = _two_versions(store)
    real_fdopen = os.fdopen

    class HalfWriter:
        """Writes half of the new file, then the process 'dies'."""

        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, data):
            if len(data) > len(old):  # the new bookmarks file, not the backup
                self.f.write(data[: len(data) // 2])
                self.f.flush()
                raise Crash
            return self.f.write(data)

        def __getattr__(self, name):
            return getattr(self.f, name)

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: HalfWriter(real_fdopen(*a, **k)))
    with pytest.raises(Crash):
        store.add(new)
    monkeypatch.undo()
    assert store.path.read_bytes() == old
    assert [b.passage for b in store.load()] == [0]
    assert atomic.backup_path(store.path).read_bytes() == old


def test_crash_after_the_rename_leaves_the_new_file_whole(store, monkeypatch):
    old, new = _two_versions(store)

    def crash(folder):
        if Path(folder) == store.path.parent and store.path.read_bytes() != old:
            raise Crash

    monkeypatch.setattr(atomic, "fsync_dir", crash)
    with pytest.raises(Crash):
        store.add(new)
    assert [b.passage for b in store.load()] == [0, 1]
    assert atomic.backup_path(store.path).read_bytes() == old


KILLED_CHILD = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])
    from test_bookmarks import article, make_bookmark, BookmarkStore
    path = Path(sys.argv[1])
    real = os.replace
    def die_before_main(src, dst):
        if Path(dst) == path:
            os._exit(9)
        real(src, dst)
    os.replace = die_before_main
    BookmarkStore(path).add(make_bookmark(article(), 1))
""")


def test_a_process_killed_between_write_and_rename_loses_nothing(store):
    old, _ = _two_versions(store)
    child = subprocess.run([sys.executable, "-c", KILLED_CHILD, str(store.path), str(Path(__file__).parent)],
                           capture_output=True, timeout=60)
    assert child.returncode == 9, child.stderr
    assert store.path.read_bytes() == old
    assert atomic.backup_path(store.path).read_bytes() == old
    assert not _no_temp_files(store.path.parent)  # the killed writer's leftover
    store.add(make_bookmark(article(), 2))
    assert [b.passage for b in store.load()] == [0, 2]
    assert _no_temp_files(store.path.parent)


# --- unwritable locations -------------------------------------------------------------------


def test_a_path_under_a_regular_file_gives_one_plain_sentence(tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    store = BookmarkStore(tmp_path / "afile" / "bookmarks.yaml")
    assert store.load() == []
    with pytest.raises(BookmarkError) as caught:
        store.add(make_bookmark(article(), 0))
    message = str(caught.value)
    assert one_sentence(message) and "not a folder" in message and str(store.path) in message
    assert (tmp_path / "afile").read_text() == "not a folder"


def test_permission_denied_gives_one_plain_sentence_and_keeps_the_file(store, monkeypatch):
    old, new = _two_versions(store)

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    with pytest.raises(BookmarkError) as caught:
        store.add(new)
    assert one_sentence(str(caught.value)) and "permission is denied" in str(caught.value)
    assert store.path.read_bytes() == old


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root ignores folder permissions; covered by the two tests above")
def test_a_read_only_folder_gives_one_plain_sentence(store):
    old, new = _two_versions(store)
    store.path.parent.chmod(0o500)
    try:
        with pytest.raises(BookmarkError) as caught:
            store.add(new)
    finally:
        store.path.parent.chmod(0o700)
    assert one_sentence(str(caught.value))
    assert store.path.read_bytes() == old


# --- exports --------------------------------------------------------------------------------


def test_json_shape(tmp_path):
    path = tmp_path / "bookmarks.yaml"
    shutil.copy(DATA / "bookmarks_hand_edited.yaml", path)
    hand, _ = BookmarkStore(path).load()
    bm = make_bookmark(article(), 1, quote="continue the operation", note="n", tags=["war"])
    d = to_json(bm, Anchor("moved", "001_883b", 2, 97.25))
    assert list(d) == ["id", "created", "article", "title", "passage", "quote", "prefix", "suffix",
                       "path", "source", "note", "tags", "state", "anchor"]
    assert d["tags"] == ["war"] and d["quote"] == "continue the operation"
    assert d["state"] == "moved" and d["anchor"] == {"article": "001_883b", "passage": 2, "score": 97.2}
    plain = to_json(hand, None)
    assert plain["colour"] == "yellow" and plain["state"] is None and plain["anchor"] is None
    assert json.loads(json.dumps([d, plain])) == [d, plain]


def test_markdown_export(tmp_path):
    art = article()
    a = make_bookmark(art, 1, quote="continue the operation", note="Key claim.", tags=["war", "claims"])
    b = make_bookmark(art, 3, note="")
    other = article(id="002", path="corpus/002.txt", title="Talks resume", source=None, texts=("Talks.",))
    c = make_bookmark(other, 0, tags=["talks"])
    md = export_markdown([a, c, b], {a.id: Anchor("moved", art.id, 4, 100.0)})
    assert md.startswith("# Bookmarks\n")
    assert md.count("## Baku launches deadly strikes in Karabakh") == 1
    assert md.index("## Baku launches") < md.index("> continue the operation") < md.index(
        "> " + PASSAGES[3]) < md.index("## Talks resume") < md.index("> Talks.")
    assert "<https://example.org/strikes>" in md
    assert "Note: Key claim." in md and "Tags: `war`, `claims`" in md
    assert "now passage 4" in md
    assert export_markdown([]) .startswith("# Bookmarks")
