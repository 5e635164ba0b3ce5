"""The query parser on bad and hostile input: every date filter that is not a
date is one sentence (they matched nothing), a long query is quoted short, a
parenthesis left open is blamed, and random queries never give a traceback."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.errors import QueryError
from reader.core.library.facade import Library
from reader.core.search import index as si
from reader.core.search.queryfilters import MAX_QUERY_CHARS, SHOWN_QUERY_CHARS

from made_up import DAM_A, DAM_B, DAM_C, write_corpus


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    base = tmp_path_factory.mktemp("q")
    corpus = write_corpus(base / "news", {"a.txt": DAM_A, "b.txt": DAM_B, "c.txt": DAM_C})
    library = Library(corpus, base / "ix").ensure()
    yield library
    library.close()


def one_sentence(lib, query: str) -> str:
    with pytest.raises(QueryError) as e:
        lib.search(query)
    message = str(e.value)
    assert message.endswith(".") and "\n" not in message, message
    return message


@pytest.mark.parametrize("query, says", [
    ("date:[x TO y] dam", "“x”, which is not a date"),
    ("date:>foo dam", "“foo”, which is not a date"),
    ("date:2023-13-45 dam", "not a day of the calendar"),
    ("date:2023-02-30", "not a day of the calendar"),
    ("date:[2024-03-31 TO 2024-03-01]", "ends before it starts"),
    ("date:[2024-03-01 TO 2024-03-31 dam", "not closed"),
    ("date:[2024-03-01 2024-03-31]", "TO between"),
    ("date:> dam", "needs a date after >"),
])
def test_a_date_filter_that_is_not_a_date_is_one_sentence(lib, query, says):
    assert says in one_sentence(lib, query)


def test_date_filters_of_every_form_still_find(lib):
    for query in ("date:[2024-03-01 TO 2024-03-31] dam", "date:[2024-03 TO 2024-03] dam", "date:2024 dam",
                  "date:>2024-02 dam", "date:>=2024-03-03 dam", "date:<2024-03-04 dam", "date:<=2024-03 dam",
                  "date:[2024-03-03 TO] dam", "date:[TO 2024-03-03] dam", "dam DATE:2024-03-03"):
        assert "a" in {h.article for h in lib.search(query)}, query
    for query in ("date:>2024-03-03 dam", "date:<2024-03-03 dam", "date:{2024-03-03 TO 2024-12-31] dam",
                  "date:>=2024-04 dam", "date:<2024 dam"):
        assert "a" not in {h.article for h in lib.search(query)}, query


def test_an_open_parenthesis_is_blamed_not_common_words(lib):
    assert "“(” that is not closed" in one_sentence(lib, "(a OR")
    assert "“)” with no “(”" in one_sentence(lib, "dam)")
    assert {h.article for h in lib.search('(dam OR snow) "(not a group"')} == set()


def test_errors_quote_a_long_query_short_on_one_line(lib):
    for query in ("the of and\n" * 90, "(" + "dam\n" * 240, "date:" + "x" * 990, "nosuch" * 150 + ":y",
                  "person:" + "q" * 990, "dam " * 10_000):
        message = one_sentence(lib, query)
        assert len(message) < SHOWN_QUERY_CHARS + 200, message[:300]


def test_a_query_of_one_huge_word_is_refused_not_parsed_for_seconds(lib):
    # Whoosh's parser takes the square of a word's length: 39,200 characters took 10 s.
    assert "characters long" in one_sentence(lib, "x" * 39_200)
    assert lib.search("dam " + "x" * (MAX_QUERY_CHARS - 10)) == []


_QUERY_PARTS = st.sampled_from(["dam", "snow", "the", "(", ")", '"', "OR", "AND", "NOT", "date:", "2024", "-03",
                                "[", "]", "{", "}", " TO ", ">", "<", "=", "person:", "place:", "title:", "*", "~",
                                "~2", "^", ":", " ", "\n", "x" * 50, "é", "\x1b", "\\", "site:", "'", "-", "+"])
_QUERIES = st.one_of(st.text(max_size=80), st.lists(_QUERY_PARTS, max_size=30).map("".join))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query=_QUERIES)
def test_any_query_parses_or_is_one_sentence(query):
    qp = si.parser(si.make_schema())
    try:
        si.parse(qp, query, lambda *a, **k: [])
    except QueryError as e:
        assert "\n" not in str(e) and len(str(e)) < 400
