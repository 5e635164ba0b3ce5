"""Hostile text for the cleaner and the metadata patterns: lines that made a
pattern backtrack (exponentially or with the square of the line) finish, and
a file of one huge line does not become a huge title. No timing assertion:
the per-test timeout (pytest-timeout, ``.ci/run``) catches a hang."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.core.ingest import meta
from reader.core.ingest.clean import SHORT_TITLE_CHARS, TITLE_MAX_CHARS, clean_doc, clean_text
from reader.core.ingest.formats.base import SourceDoc

PARA = "Dock workers in the port town stopped work on Monday after talks over night shifts failed."


def test_a_date_line_of_repeated_words_finishes():
    # 38 repeats did not finish in 120 s: the time doubled with each word.
    line = "By Jane Doe 2023-09-19 " + "on " * 38 + "x"
    assert meta.byline_with_date(line) is None and meta.date_line(line) is None
    ok = "By Jane Doe | published on 2023-09-19 " + "on " * 30
    assert meta.byline_with_date(ok) == ("Jane Doe", "2023-09-19")
    (art,) = clean_text(f"A title for the story\n\n{line}\n\n{PARA}\n", "t", "t.txt")
    assert art.passages[-1].text == PARA


def test_date_lines_with_labels_times_and_zones_still_count():
    assert meta.date_line("Published: Tuesday, 19 September 2023 10:30 a.m. GMT+1") == "2023-09-19"
    assert meta.date_line("Updated on Sep 19, 2023 at 10:30:00 EST") == "2023-09-19"
    assert meta.date_line("2023-09-19 and then some words") is None


def test_a_long_markdown_line_of_emphasis_openers_finishes():
    # 96 KB of "_a " took 55-60 s (each opener was scanned to the end of the line).
    line = "_a " * 32_000
    (art,) = clean_text(f"# Title of the story\n\n{line}\n", "t", "t.md", markdown=True)
    assert art.passages[0].text == line.strip()


def test_long_markdown_lines_of_link_openers_finish():
    for line in ("[a " * 30_000, "[a](b" * 20_000, "*a " * 30_000, "[a](b(" * 15_000):
        (art,) = clean_text(f"# Title of the story\n\n{line}\n", "t", "t.md", markdown=True)
        kept = [p.text for p in art.passages] + [r.text for r in art.removed]
        assert art.title == "Title of the story" and sum(map(len, kept)) > len(line) / 2, line[:10]


def test_markdown_links_and_emphasis_are_unwrapped():
    text = ("# Title of the story\n\nSee [the report](https://example.org/a_(b)) and "
            "![a chart](c.png) for **bold**, *this*, _that_ and snake_case_words.\n")
    (art,) = clean_text(text, "t", "t.md", markdown=True)
    assert art.passages[0].text == "See the report and  for bold, this, that and snake_case_words."


def test_a_title_line_with_a_long_run_of_spaces_finishes():
    line = "Title words here x" + " " * 200_000 + "y | Site"
    assert meta.split_title(line)[1] == "Site"
    assert not meta.has_site_suffix(line + " | seven words is more than a section has | z")


def test_a_huge_single_line_file_gets_a_short_title_and_keeps_its_text():
    # A 2 MB single-line file became a 2,100,008-character title.
    line = " ".join(["word"] * 420_000)
    (art,) = clean_text(line, "t", "t.txt")
    assert len(art.title) <= SHORT_TITLE_CHARS and art.title.endswith("…")
    assert art.title.startswith("word word")
    assert [p.text for p in art.passages] == [line]


def test_a_long_first_line_without_spaces_is_cut_too():
    (art,) = clean_text("x" * (TITLE_MAX_CHARS + 1) + "\n\n" + PARA, "t", "t.txt")
    assert art.title == "x" * (SHORT_TITLE_CHARS - 1) + "…" and art.passages[-1].text == PARA


def test_a_long_headline_under_the_cap_stays_the_title():
    title = " ".join(["Headline"] * 30)
    (art,) = clean_text(f"{title}\n\n{PARA}\n", "t", "t.txt")
    assert art.title == title and [p.text for p in art.passages] == [PARA]


_LINE_PARTS = st.sampled_from(["By ", "Jane Doe ", "2023-09-19 ", "on ", "at ", "| ", "_a ", "*", "_",
                               "**", "[a", "](", ")", "(", "x", " ", "\n", "\n\n", "# ", "> ", "Sep 19, 2023",
                               "10:30 ", "GMT+1 ", "Source: https://e.org/a ", "[ad_1]", "—", "é", "\u200b"])
_TEXTS = st.one_of(st.text(max_size=400), st.lists(_LINE_PARTS, max_size=120).map("".join))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXTS, markdown=st.booleans())
def test_any_text_cleans_into_articles(text, markdown):
    arts = clean_text(text, "t", "t.md" if markdown else "t.txt", markdown=markdown)
    assert arts and all(len(a.title) <= TITLE_MAX_CHARS for a in arts)
    for line in text.splitlines():
        meta.date_line(line), meta.byline_with_date(line), meta.byline(line), meta.split_title(line)


def test_a_huge_title_given_by_a_format_is_cut_not_kept_as_text():
    doc = SourceDoc(id="r#1", path="r.jsonl", title="headline " * 100_000, text=PARA)
    art = clean_doc(doc)
    assert len(art.title) <= SHORT_TITLE_CHARS and art.title.startswith("headline headline")
    assert [p.text for p in art.passages] == [PARA]


def test_a_long_hard_wrapped_paragraph_is_joined_in_one_pass():
    # Each joined line copied and searched the whole passage so far: the square of its length.
    lines = ["the harbour workers walked out over the night-", "shifts and the cargo ships waited outside"] * 10_000
    (art,) = clean_text("A title for the story\n\n" + "\n".join(lines) + "\n", "t", "t.txt")
    (passage,) = art.passages
    assert passage.text.startswith("the harbour workers walked out over the night-shifts and the cargo")
    assert len(passage.text) == sum(map(len, lines)) + len(lines) // 2 - 1
