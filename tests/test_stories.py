"""Stories on made-up reports: the reports of one event join, look-alike events stay apart."""

from __future__ import annotations

import pytest

from reader.core.library.facade import Library
from reader.core.stories import StoryBook

from made_up import write_corpus
from story_articles import ALL


@pytest.fixture
def lib(tmp_path):
    return Library(write_corpus(tmp_path / "news", ALL), tmp_path / "ix").ensure()


@pytest.fixture
def book(lib, tmp_path):
    b = StoryBook(tmp_path / "stories.sqlite")
    b.update(lib.articles())
    yield b
    b.close()


def story(book, article_id):
    return book.story_of(article_id)


def test_three_reports_of_one_event_join(book):
    s = story(book, "a1")
    assert set(s.articles) == {"a1", "a2", "a3"}
    assert s.first == "2031-03-04" and s.last == "2031-03-07"
    assert s.title in {"River Selva bursts its banks in Corvallo, thousands evacuated",
                       "Corvallo flood: bridge collapse kills two as Selva rises",
                       "Corvallo counts the cost as Selva flood waters recede"}


def test_two_floods_in_other_places_and_weeks_stay_apart(book):
    assert story(book, "b1").id == story(book, "b2").id
    assert story(book, "b1").id != story(book, "a1").id


def test_every_article_is_in_exactly_one_story(book, lib):
    placed = [a for s in book.stories() for a in s.articles]
    assert sorted(placed) == sorted(i.id for i in lib.infos())
    assert story(book, "chess").articles == ("chess",)


def test_a_new_report_joins_its_story_and_a_deleted_one_leaves_it(book, lib):
    before = {s.id: s.articles for s in book.stories()}
    a3 = lib.article("a3")
    book.update([], removed=["a3"])
    assert set(story(book, "a1").articles) == {"a1", "a2"}
    assert story(book, "a3") is None
    book.update([a3])
    assert story(book, "a3").id == story(book, "a1").id
    assert {s.id: s.articles for s in book.stories()} == before


def test_the_count_kept_with_the_book_follows_every_change(book, lib, tmp_path):
    n = len(lib.infos())
    assert book.count() == n
    a3 = lib.article("a3")
    book.update([], removed=["a3", "chess"])
    assert book.count() == n - 2 == len(book.articles())
    book.update([a3])
    assert book.count() == n - 1 == len(book.articles())
    book.close()
    again = StoryBook(tmp_path / "stories.sqlite", read_only=True)
    assert again.count() == n - 1 and again.holds(n - 1)
    again.close()


def test_the_last_member_leaving_ends_the_story(book):
    chess = story(book, "chess").id
    book.update([], removed=["chess"])
    assert chess not in {s.id for s in book.stories()}


def test_the_book_knows_when_it_is_current(book, lib):
    ids = {i.id for i in lib.infos()}
    assert book.is_current(ids)
    assert not book.is_current(ids | {"other"})
    book.clear()
    assert book.count() == 0 and book.stories() == []


def test_a_new_file_joins_its_story_without_a_recompute(tmp_path, monkeypatch):
    from story_articles import FLOOD_A3
    news = write_corpus(tmp_path / "news", {k: v for k, v in ALL.items() if k != "a3.txt"})
    lib = Library(news, tmp_path / "ix").ensure()
    before = {s.id: set(s.articles) for s in lib.stories()}
    placed = []
    real = StoryBook.update
    monkeypatch.setattr(StoryBook, "update", lambda self, added, removed=(), stamps=None: real(
        self, [placed.append(a.id) or a for a in added], removed, stamps))
    (news / "a3.txt").write_text(FLOOD_A3, encoding="utf-8")
    lib.ensure()
    assert placed == ["a3"]
    joined = lib.story_of("a3")
    assert set(joined.articles) == {"a1", "a2", "a3"} and joined.id == lib.story_of("a1").id
    assert {s.id: set(s.articles) - {"a3"} for s in lib.stories()} == before
    lib.ensure()  # an unchanged corpus: nothing placed again
    assert placed == ["a3"]


def test_a_deleted_file_leaves_its_story(tmp_path):
    news = write_corpus(tmp_path / "news", ALL)
    lib = Library(news, tmp_path / "ix").ensure()
    (news / "a2.txt").unlink()
    lib.ensure()
    assert set(lib.story_of("a1").articles) == {"a1", "a3"}
    assert lib.story_of("a2") is None
    assert sorted(a for s in lib.stories() for a in s.articles) == sorted(i.id for i in lib.infos())


def test_a_changed_file_is_placed_again(tmp_path):
    from story_articles import BUDGET, FLOOD_B2
    news = write_corpus(tmp_path / "news", ALL)
    lib = Library(news, tmp_path / "ix").ensure()
    (news / "chess.txt").write_text(FLOOD_B2.replace("Carl Benning", "Eva Lund"), encoding="utf-8")
    lib.ensure()
    assert lib.story_of("chess").id == lib.story_of("b1").id
    assert lib.story_of("budget").articles == ("budget",) and BUDGET


def _placing(monkeypatch) -> list:
    """What each update of the story book is given to place, recorded."""
    given = []
    real = StoryBook.update
    monkeypatch.setattr(StoryBook, "update", lambda self, added, removed=(), stamps=None: real(
        self, [given.append(a) or a for a in added], removed, stamps))
    return given


def test_profiles_made_by_the_analysis_workers_group_as_the_articles_themselves(tmp_path, monkeypatch):
    from reader.core.library import update as update_mod
    from reader.core.library.store import ArticleStore
    from reader.core.model import Article
    monkeypatch.setattr(update_mod, "PARALLEL_FROM", 1)  # two worker processes analyse the corpus
    monkeypatch.setattr(update_mod.os, "cpu_count", lambda: 2)
    given = _placing(monkeypatch)
    read_back = []
    real_article = ArticleStore.article
    monkeypatch.setattr(ArticleStore, "article", lambda self, a: read_back.append(a) or real_article(self, a))
    lib = Library(write_corpus(tmp_path / "news", ALL), tmp_path / "ix").ensure()
    assert sorted(a.id for a in given) == sorted(i.id for i in lib.infos())
    assert not any(isinstance(a, Article) for a in given) and read_back == []  # no article read back and profiled
    by_articles = StoryBook(tmp_path / "by_articles.sqlite")
    by_articles.update(lib.articles())
    assert [s.to_json() for s in lib.stories()] == [s.to_json() for s in by_articles.stories()]
    by_articles.close()


def test_profiles_of_another_version_are_made_again_from_the_articles(tmp_path, monkeypatch):
    import sqlite3
    from reader.core.model import Article
    news = write_corpus(tmp_path / "news", ALL)
    lib = Library(news, tmp_path / "ix").ensure()
    before = [s.to_json() for s in lib.stories()]
    lib.close()
    with sqlite3.connect(tmp_path / "ix" / "articles.sqlite") as db:  # as an older kreader left them
        db.execute("UPDATE profiles SET version = version - 1 WHERE id IN ('a1', 'chess')")
    (tmp_path / "ix" / "stories.sqlite").unlink()
    given = _placing(monkeypatch)
    lib = Library(news, tmp_path / "ix").ensure()
    assert sorted(a.id for a in given if isinstance(a, Article)) == ["a1", "chess"]
    assert [s.to_json() for s in lib.stories()] == before


def test_a_book_of_an_older_version_is_made_again_from_the_kept_profiles(tmp_path, monkeypatch):
    import sqlite3
    from reader.core.model import Article
    from reader.core.stories import STORIES_VERSION
    news = write_corpus(tmp_path / "news", ALL)
    lib = Library(news, tmp_path / "ix").ensure()
    before = [s.to_json() for s in lib.stories()]
    related = [(r.article, r.passage, r.score) for r in lib.related("a1", 0).related]
    lib.close()
    with sqlite3.connect(tmp_path / "ix" / "stories.sqlite") as db:  # as the kreader before left it
        db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (str(STORIES_VERSION - 1),))
        db.execute("UPDATE members SET vector = ?", (b"keys of another format",))
    given = _placing(monkeypatch)
    lib = Library(news, tmp_path / "ix").ensure()
    assert given and not any(isinstance(a, Article) for a in given)  # placed again, no article profiled again
    assert lib.folder.stories.version() == STORIES_VERSION
    assert [s.to_json() for s in lib.stories()] == before
    assert [(r.article, r.passage, r.score) for r in lib.related("a1", 0).related] == related


def test_a_changed_file_brings_its_new_profile_and_a_deleted_one_leaves_none(tmp_path):
    from story_articles import FLOOD_B2
    from reader.core.stories.profile import packed_profile
    news = write_corpus(tmp_path / "news", ALL)
    lib = Library(news, tmp_path / "ix").ensure()
    (news / "chess.txt").write_text(FLOOD_B2.replace("Carl Benning", "Eva Lund"), encoding="utf-8")
    (news / "a2.txt").unlink()
    lib.ensure()
    rows = {r[0]: r for r in lib.folder.store.profiles(["chess", "a2", "a1"])}
    assert set(rows) == {"chess", "a1"}
    assert rows["chess"][-1] == packed_profile(lib.article("chess"))
    kept = {r[0] for r in lib.folder.store.db.rows("SELECT id FROM profiles")}
    assert kept == {i.id for i in lib.infos()}  # none left of the deleted file


def test_a_damaged_story_book_is_rebuilt(tmp_path):
    news = write_corpus(tmp_path / "news", ALL)
    lib = Library(news, tmp_path / "ix").ensure()
    lib.close()
    (tmp_path / "ix" / "stories.sqlite").write_bytes(b"not a database at all" * 100)
    lib = Library(news, tmp_path / "ix").ensure()
    assert set(lib.story_of("a1").articles) == {"a1", "a2", "a3"}


def test_the_cli_lists_stories_and_every_passage_cross_references(tmp_path, capsys):
    import json
    from reader.cli import main
    news = write_corpus(tmp_path / "news", ALL)
    common = ["--corpus", str(news), "--index-dir", str(tmp_path / "ix")]
    assert main(["stories", *common, "--json"]) == 0
    stories = json.loads(capsys.readouterr().out)
    assert sorted(a for s in stories for a in s["articles"]) == sorted(f[:-4] for f in ALL)
    assert {"id", "title", "articles", "sites", "first", "last"} <= set(stories[0])
    assert main(["xref", "a1.txt", *common, "--json", "--limit", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["article"] == "a1" and [p["passage"] for p in out["passages"]] == list(range(len(out["passages"])))
    assert main(["xref", "a1", "1", *common]) == 0
    text = capsys.readouterr().out
    assert "same story" in text and "Tomas Ferrante" in text
