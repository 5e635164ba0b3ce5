"""The story book's bookkeeping: articles placed once, bounded centroids, the
summary cache written back, an older book's format made again."""

from __future__ import annotations

import sqlite3

import pytest

from reader.core.library.facade import Library
from reader.core.stories import STORIES_VERSION, StoryBook, grouping
from reader.core.stories.profile import unpack_counts

from made_up import write_corpus
from story_articles import ALL


@pytest.fixture
def lib(tmp_path):
    return Library(write_corpus(tmp_path / "news", ALL), tmp_path / "ix").ensure()


def groups(book):
    return sorted(sorted(s.articles) for s in book.stories())


def test_an_article_given_twice_is_placed_and_counted_once(lib, tmp_path):
    book = StoryBook(tmp_path / "twice.sqlite")
    a1 = lib.article("a1")
    assert book.update([a1, a1, lib.article("a2")]) == 2
    assert book.count() == 2 == len(book.articles())
    n_docs = dict(book.db.execute("SELECT key, n FROM df"))
    assert max(n_docs.values()) == 2
    book.close()


def test_a_story_centroid_stays_bounded(lib, tmp_path, monkeypatch):
    monkeypatch.setattr(grouping, "CENTROID_KEYS", 8)
    book = StoryBook(tmp_path / "bounded.sqlite")
    book.update(lib.articles())
    flood = book.story_number("a1")
    assert set(book.story_of("a1").articles) == {"a1", "a2", "a3"}
    centroid = unpack_counts(book.db.execute("SELECT centroid FROM stories WHERE id=?", (flood,)).fetchone()[0])
    assert 0 < len(centroid) <= 8
    book.update([], removed=["a2"])  # taking a member out of a bounded centroid leaves no negative weight
    centroid = unpack_counts(book.db.execute("SELECT centroid FROM stories WHERE id=?", (flood,)).fetchone()[0])
    assert all(v > 0 for v in centroid.values())
    assert set(book.story_of("a1").articles) == {"a1", "a3"}
    book.close()


def test_summaries_evicted_from_the_cache_are_written_back(lib, tmp_path):
    roomy = StoryBook(tmp_path / "roomy.sqlite")
    roomy.update(lib.articles())
    tight = StoryBook(tmp_path / "tight.sqlite")
    tight._placer.summaries._size = 1  # every other story read again from the table
    tight.update(lib.articles())
    assert groups(tight) == groups(roomy)
    assert [s.to_json() for s in tight.stories()] == [s.to_json() for s in roomy.stories()]
    roomy.close()
    tight.close()


def test_one_new_article_at_a_time_finds_its_story(lib, tmp_path):
    book = StoryBook(tmp_path / "stream.sqlite")
    for article in sorted(lib.articles(), key=lambda a: (a.date or "", a.id)):
        book.update([article])
    assert {"a1", "a2", "a3"} <= set(book.story_of("a1").articles)
    assert book.story_of("b1").id == book.story_of("b2").id != book.story_of("a1").id
    book.close()


def test_a_book_of_an_older_format_is_made_again(tmp_path):
    news = write_corpus(tmp_path / "news", ALL)
    (tmp_path / "ix").mkdir()
    old = sqlite3.connect(tmp_path / "ix" / "stories.sqlite")
    old.executescript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
                      "INSERT INTO meta VALUES ('version', '3');"
                      "CREATE TABLE keys (key TEXT NOT NULL, story INTEGER NOT NULL);"
                      "INSERT INTO keys VALUES ('flood', 1), ('flood', 1);")
    old.commit()
    old.close()
    lib = Library(news, tmp_path / "ix").ensure()
    assert set(lib.story_of("a1").articles) == {"a1", "a2", "a3"}
    assert lib.folder.stories.version() == STORIES_VERSION


def test_an_update_that_fails_leaves_the_book_as_it_was(lib, tmp_path):
    book = StoryBook(tmp_path / "atomic.sqlite")
    book.update(lib.articles())
    before = [s.to_json() for s in book.stories()]

    def failing():
        yield lib.article("a1")
        raise RuntimeError("the store went away")

    with pytest.raises(RuntimeError):
        book.update(failing(), removed=["a3", "chess"])
    assert [s.to_json() for s in book.stories()] == before
    assert book.count() == len(lib.infos())
    book.close()


def test_profile_words_are_the_search_analyzers():
    from reader.core.search.analyzer import analyzer
    from reader.core.stories.profile import words
    text = ("The River Selva's floods recognised: 3,100 people evacuated, don't panic, "
            "organisations organised rescues; Ferrante's boats reached 2031's rooftops.")
    expected = [t.text for t in analyzer()(text) if len(t.text) > 2 and not t.text[0].isdigit()]
    assert words(text) == expected


def test_stored_weights_read_back_as_kept():
    from reader.core.stories.profile import as_stored, pack_counts, unpack_counts
    weights = {"flood": 2.5, "e:tomas ferrante": 1.0 / 3, "selva": 7.25}
    assert unpack_counts(pack_counts(weights)) == as_stored(weights)
    assert unpack_counts(pack_counts({})) == {}


def test_stored_weights_read_back_together_as_hashed_vectors_alike_the_kept_ones():
    import numpy as np

    from reader.core.stories.vectors import (Scorer, Vocab, hashed_cosines, hashed_vectors, key_hash,
                                             pack_hashed, vector_of)
    first = {"flood": 2.5, "e:tomas ferrante": 1.0 / 3, "selva": 7.25, "e:selva": 0.5}
    second = {"selva": 1.5, "bridge": 4.0, "e:tomas ferrante": 2.0}
    vocab = Vocab()
    kept = {a: vector_of(vocab, w) for a, w in (("one", first), ("two", second), ("none", {}))}
    read = hashed_vectors([(a, pack_hashed(vocab, v.ids, v.values)) for a, v in kept.items()])
    for article, weights in (("one", first), ("two", second)):
        got = read[article]
        assert got.ids.tolist() == [key_hash(k) for k in weights]  # the same in every process
        assert got.values.tolist() == kept[article].values.tolist()
        assert got.norms == pytest.approx(kept[article].norms)
    assert [h & 1 for h in read["one"].ids.tolist()] == [0, 1, 0, 1]  # the names' lowest bit set
    assert read["one"].norms[1] == pytest.approx(np.hypot(1.0 / 3, 0.5), rel=1e-6)
    assert len(read["none"].ids) == 0 and read["none"].norms == (0.0, 0.0)
    assert hashed_vectors([]) == {}
    # compared through their hashes, as the numbered vectors are through the vocabulary
    others = [read["two"], read["none"], read["one"]]
    words, names = hashed_cosines(read["one"], others)
    expected = Scorer(vocab).cosines(kept["one"], [kept["two"], kept["none"], kept["one"]])
    assert words.tolist() == expected[0].tolist() and names.tolist() == expected[1].tolist()
    assert words[0] == pytest.approx(7.25 * 1.5 / (np.hypot(2.5, 7.25) * np.hypot(1.5, 4.0)))
    assert names[2] == pytest.approx(1.0) and words[1] == names[1] == 0.0


def test_a_story_s_days_come_in_the_order_of_its_articles(lib, tmp_path):
    book = StoryBook(tmp_path / "days.sqlite")
    book.update(lib.articles())
    for story in book.stories():
        n = book.story_number(story.articles[0])
        days = book.member_days(n)
        assert list(days) == list(story.articles)
        assert all(days[a] == (book.db.execute("SELECT day FROM members WHERE article=?", (a,)).fetchone()[0])
                   for a in story.articles)
    assert any(len(s.articles) > 2 for s in book.stories())
    book.close()


def test_placements_are_the_story_numbers_and_vectors_read_apart(lib, tmp_path):
    book = StoryBook(tmp_path / "placed.sqlite")
    book.update(lib.articles())
    ids = [i.id for i in lib.infos()] + ["no-such-article"]
    stories, vectors = book.placements(ids)
    assert stories == book.story_numbers(ids) and "no-such-article" not in stories
    apart = book.vectors(ids)
    assert vectors.keys() == apart.keys() == set(stories)
    assert all(vectors[a].ids.tolist() == apart[a].ids.tolist() and vectors[a].norms == apart[a].norms
               and vectors[a].values.tolist() == apart[a].values.tolist() for a in apart)
    assert book.placements([]) == ({}, {})
    book.close()
