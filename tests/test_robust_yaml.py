"""Hostile YAML: alias bombs in every file kreader reads are refused in one
sentence; adding a bookmark appends without re-reading or rewriting a large
file; a broken bookmarks file is reported on the line to fix."""

from __future__ import annotations

import pytest

from reader.core.bookmarks import yaml_format as fmt
from reader.core.bookmarks.store import BookmarkStore, make_bookmark
from reader.core.config import load_config
from reader.core.entities.aliases import load_aliases
from reader.core.errors import BookmarksReadOnly, ConfigError
from reader.core.model import Article, Passage

LEVELS = "abcdefghi"


def bomb() -> str:
    """Nine levels of nine aliases: 387 million strings from ~400 bytes."""
    lines = [f'{LEVELS[0]}: &{LEVELS[0]} ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, cur in zip(LEVELS, LEVELS[1:]):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def article() -> Article:
    texts = ("Azerbaijan launched what it called anti-terrorist measures on Tuesday.",
             "Residents of Stepanakert reported shelling through the night.")
    return Article(id="001_883b", path="corpus/001_883b.txt", title="Baku launches strikes",
                   passages=tuple(Passage(n, "paragraph", t) for n, t in enumerate(texts)))


def test_an_alias_bomb_in_the_bookmarks_file_is_refused_in_one_sentence(tmp_path):
    path = tmp_path / "bookmarks.yaml"
    path.write_text("version: 1\n" + bomb() + "bookmarks: []\n", encoding="utf-8")
    before = path.read_bytes()
    store = BookmarkStore(path)
    with pytest.raises(BookmarksReadOnly) as e:
        store.load()
    message = str(e.value)
    assert "aliases" in message and "\n" not in message and "line " in message
    with pytest.raises(BookmarksReadOnly):
        store.add(make_bookmark(article(), 0))
    assert path.read_bytes() == before


def test_an_alias_that_holds_itself_is_refused(tmp_path):
    path = tmp_path / "bookmarks.yaml"
    path.write_text("version: 1\nmine: &a [1, *a]\nbookmarks: []\n", encoding="utf-8")
    with pytest.raises(BookmarksReadOnly, match="line 2: an alias"):
        BookmarkStore(path).load()


def test_a_few_aliases_a_user_wrote_still_load(tmp_path):
    path = tmp_path / "bookmarks.yaml"
    path.write_text("version: 1\nshared: &s {owner: me}\nbookmarks:\n- id: a\n  article: x\n  passage: 1\n"
                    "  mine: *s\n", encoding="utf-8")
    (bm,) = BookmarkStore(path).load()
    assert bm.extra == {"mine": {"owner": "me"}}


def test_an_alias_bomb_in_config_yaml_is_refused(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text(bomb() + "bookmarks: *i\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="aliases") as e:
        load_config(path)
    assert "\n" not in str(e.value)


def test_an_alias_bomb_in_aliases_yaml_is_refused(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text(bomb().replace("a: &a", "suppress: &a", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match="stand for more than") as e:
        load_aliases(path)
    assert "\n" not in str(e.value)


def test_deep_nesting_in_aliases_yaml_is_one_sentence(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text("merge: " + "[" * 50_000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError):  # was a RecursionError traceback
        load_aliases(path)


def test_deep_nesting_in_config_yaml_is_one_sentence(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("keys: " + "[" * 50_000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError):
        load_config(path)


# --- adding to a large file ----------------------------------------------------------

def test_adds_append_to_the_file_and_parse_it_once(tmp_path, monkeypatch):
    path = tmp_path / "bookmarks.yaml"
    store = BookmarkStore(path)
    store.add(make_bookmark(article(), 0, note="first"))
    calls = []
    real = fmt.parse
    monkeypatch.setattr(fmt, "parse", lambda data, p: calls.append(1) or real(data, p))
    store.load()
    written = path.read_bytes()
    store.add(make_bookmark(article(), 1, note="second"))
    store.add(make_bookmark(article(), 0, note="third"))
    assert calls == []  # the file is the one this store wrote: not parsed again
    assert path.read_bytes().startswith(written)  # appended, not rewritten
    assert [b.note for b in BookmarkStore(path).load()] == ["first", "second", "third"]


def test_a_change_by_another_writer_is_read_before_adding(tmp_path):
    path = tmp_path / "bookmarks.yaml"
    mine, theirs = BookmarkStore(path), BookmarkStore(path)
    mine.add(make_bookmark(article(), 0, note="mine"))
    theirs.add(make_bookmark(article(), 1, note="theirs"))
    mine.add(make_bookmark(article(), 0, note="mine again"))
    assert [b.note for b in BookmarkStore(path).load()] == ["mine", "theirs", "mine again"]


def test_appending_keeps_a_hand_edited_layout(tmp_path):
    path = tmp_path / "bookmarks.yaml"
    text = ("# my notes\nversion: 1\nbookmarks:\n  - id: a\n    article: x\n    passage: 1\n"
            "    note: |+\n      kept\n\n# the end\n")
    path.write_text(text, encoding="utf-8")
    BookmarkStore(path).add(make_bookmark(article(), 1, note="new"))
    assert path.read_text(encoding="utf-8").startswith(text)
    assert [b.note for b in BookmarkStore(path).load()] == ["kept\n\n", "new"]


def test_a_file_not_ending_with_its_list_is_rewritten_whole(tmp_path):
    path = tmp_path / "bookmarks.yaml"
    path.write_text("bookmarks:\n- id: a\n  article: x\n  passage: 1\nversion: 1\nmine: 3\n", encoding="utf-8")
    store = BookmarkStore(path)
    store.add(make_bookmark(article(), 1, note="new"))
    store.add(make_bookmark(article(), 0, note="newer"))
    assert [b.note for b in BookmarkStore(path).load()] == ["", "new", "newer"]
    assert "mine: 3" in path.read_text(encoding="utf-8")


# --- the line to fix --------------------------------------------------------------

@pytest.mark.parametrize("text, line", [
    ("version: 1\nbookmarks:\n- id: a\n  article: 'x\n  passage: 1\n- id: b\n", 4),  # unclosed quote
    ('version: 1\nbookmarks:\n- id: a\n  article: "x\n  passage: 1\n', 4),
    ("version: 1\nbookmarks:\n- id: a\n  tags: [a, b\n  passage: 1\n  article: x\n", 4),  # unclosed list
    ("version: 1\nbookmarks:\n- id: a\n  article:x\n  passage: 1\n", 4),  # no space after the colon
    ("version: 1\nbookmarks:\n- id: a\n\tarticle: x\n", 4),
])
def test_a_broken_bookmarks_file_names_the_line_to_fix(tmp_path, text, line):
    path = tmp_path / "bookmarks.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BookmarksReadOnly, match=f", line {line}: "):
        BookmarkStore(path).load()


def test_a_broken_alias_file_at_a_first_index_costs_no_rebuild(tmp_path):
    from made_up import DAM_A, DAM_B, write_corpus
    from reader.core.library.facade import Library
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B})
    (corpus / "aliases.yaml").write_text("merge:\n  - [only one name]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="at least two names"):
        Library(corpus, tmp_path / "ix").ensure()
    (corpus / "aliases.yaml").write_text("suppress: [Nobody At All]\n", encoding="utf-8")
    lib = Library(corpus, tmp_path / "ix").ensure()
    try:
        assert lib.summary.rebuilt == "" and lib.summary.articles == 2  # not "left unfinished"
    finally:
        lib.close()
