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
