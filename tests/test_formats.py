"""The format readers (core/ingest/formats): pages, records, feeds, web archives.

Every file is small and made up (tests/data/formats); gzipped and truncated
copies are made here from them.
"""

from __future__ import annotations

import gzip
import json
import random
import shutil
from pathlib import Path

import pytest

from reader.core.ingest.formats.reading import read_corpus
from reader.core.ingest.formats.base import SourceDoc
from reader.core.ingest.formats.fields import FieldMap
from reader.core.ingest.formats.reading import read_source, to_articles
from reader.core.model import LoadWarning

DATA = Path(__file__).parent / "data" / "formats"
MB = 1024 * 1024


def read(path: Path, file_id: str | None = None, max_bytes: int = 5 * MB, fields=None):
    items = list(read_source(path, path.name, file_id or path.name.split(".")[0], max_bytes, fields))
    docs = [i for i in items if isinstance(i, SourceDoc)]
    skips = [i for i in items if isinstance(i, LoadWarning)]
    return docs, skips


def article(doc):
    (art,) = to_articles(doc)
    return art


def copy(tmp_path: Path, name: str, as_name: str | None = None) -> Path:
    dest = tmp_path / (as_name or name)
    shutil.copy(DATA / name, dest)
    return dest


def gz(tmp_path: Path, name: str, cut: float = 1.0) -> Path:
    data = gzip.compress((DATA / name).read_bytes())
    dest = tmp_path / (name + ".gz")
    dest.write_bytes(data[:int(len(data) * cut)])
    return dest


# --- saved web pages ------------------------------------------------------------

def test_a_page_gives_its_metadata_and_typed_passages_without_menus_comments_or_footer():
    (doc,), skips = read(DATA / "harbour-page.html")
    assert not skips
    art = article(doc)
    assert (art.id, art.path, art.title) == ("harbour-page", "harbour-page.html", "Ferry strike ends in Bergen")
    assert (art.author, art.date, art.site, art.source) == (
        "Ingrid Solberg", "2023-09-19", "The Fjord Gazette", "https://fjord-gazette.example/news/ferry-strike-ends")
    kinds = [p.kind for p in art.passages]
    assert kinds == ["paragraph", "paragraph", "heading", "paragraph", "quote",
                     "list-item", "list-item", "list-item", "paragraph"]
    text = " ".join(p.text for p in art.passages)
    assert "Home" not in text and "Finally!" not in text and "Copyright" not in text
    assert art.passages[5].text == "Wages rise by four percent from October."


def test_kreaders_cleaner_runs_on_the_page_and_keeps_what_it_removed():
    (doc,), _ = read(DATA / "harbour-page.html")
    removed = {r.rule: r.text for r in article(doc).removed}
    assert removed["teaser-inline"] == "Read also: Storm closes the coastal road"
    assert removed["newsletter"].startswith("Subscribe to our newsletter")
    assert removed["repeated-title"] == "Ferry strike ends in Bergen"


def test_a_gzipped_page_reads_as_the_page_and_a_truncated_one_is_a_named_skip(tmp_path):
    (plain,), _ = read(DATA / "harbour-page.html")
    (zipped,), _ = read(gz(tmp_path, "harbour-page.html"), "harbour-page")
    assert article(zipped).passages == article(plain).passages
    docs, (skip,) = read(gz(tmp_path / ".." / tmp_path.name, "harbour-page.html", cut=0.5), "harbour-page")
    assert not docs and skip.path == "harbour-page.html.gz" and "truncated gzip" in skip.message


def test_a_page_without_an_article_is_a_named_skip(tmp_path):
    f = tmp_path / "empty-page.html"
    f.write_text("<html><body><script>var x = 1;</script></body></html>")
    docs, (skip,) = read(f)
    assert not docs and "no article text" in skip.message
    f.write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (doc,), _ = read(f)
    skip = to_articles(doc)
    assert isinstance(skip, LoadWarning) and skip.message == "the page has no article text left once cleaned"


# --- records ---------------------------------------------------------------------

def test_json_lines_records_map_their_fields_and_bad_records_are_named_skips():
    docs, skips = read(DATA / "wire.jsonl")
    assert [d.id for d in docs] == ["wire#fg-101", "wire#island-shops-9ff107", "wire#5"]
    first = docs[0]
    assert (first.title, first.author, first.date, first.site, first.source, first.position) == (
        "Bergen ferries sail again", "Lars Holm, Kari Dahl", "2023-09-20", "wire.example",
        "https://wire.example/2023/09/20/bergen-ferries-sail", 1)
    assert docs[1].date == "2023-09-21" and docs[1].title.startswith("Island shops")
    assert [(s.path, s.message[:35]) for s in skips] == [
        ("wire.jsonl", "record 3 (line 3) is not valid JSON"), ("wire.jsonl", "record 4 has no text (no field name")]
    art = article(docs[0])
    assert [p.kind for p in art.passages] == ["paragraph", "paragraph"]
    assert art.passages[1].text.startswith("The mayor Anna Berg")


def test_record_ids_are_stable_across_runs_and_do_not_move_when_records_are_added(tmp_path):
    f = copy(tmp_path, "wire.jsonl")
    first = [d.id for d in read(f)[0]]
    assert [d.id for d in read(f)[0]] == first
    lines = f.read_text().splitlines()
    new = json.dumps({"title": "A late story", "text": "Added at the top.", "url": "https://wire.example/late"})
    f.write_text("\n".join([new] + lines) + "\n")
    again = [d.id for d in read(f)[0]]
    assert again[1:3] == first[:2]  # keyed by their own id and address
    assert again[3] == "wire#6"  # no id, no address: the record number, which moved


def test_a_record_seen_twice_gets_a_second_id(tmp_path):
    f = tmp_path / "dup.jsonl"
    rec = json.dumps({"title": "Same", "text": "Same story.", "url": "https://x.example/same"})
    f.write_text(rec + "\n" + rec + "\n")
    a, b = (d.id for d in read(f)[0])
    assert b == a + "~2"


def test_csv_tsv_and_json_exports_are_read_record_by_record():
    docs, (skip,) = read(DATA / "exports.csv", "exports.csv")
    assert [(d.title, d.author, d.date) for d in docs] == [("Union thanks the crews", "Per Lund", "2023-09-19")]
    assert "record 2 has no text" in skip.message
    assert len(article(docs[0]).passages) == 2
    (tsv,), _ = read(DATA / "exports.tsv", "exports.tsv")
    assert (tsv.title, tsv.site, tsv.id) == ("Oslo promises help for the islands", "Norway Daily", "exports.tsv#1")
    docs, skips = read(DATA / "digest.json")
    assert not skips
    assert [(d.site, d.date) for d in docs] == [("Business North", "2023-09-22"), ("Business North", "2023-09-21")]
    assert docs[1].text.startswith("Pupils")  # a description only: read as the text


def test_a_json_array_and_a_json_file_holding_lines(tmp_path):
    arr = tmp_path / "arr.json"
    arr.write_text(json.dumps([{"title": "One", "text": "First."}, 7, {"title": "Two", "body": "Second."}]))
    docs, (skip,) = read(arr)
    assert [d.id for d in docs] == ["arr#1", "arr#3"] and "record 2 is a JSON int" in skip.message
    lines = tmp_path / "lines.json"
    lines.write_text('{"title": "One", "text": "First."}\n{"title": "Two", "text": "Second."}\n')
    assert [d.title for d in read(lines)[0]] == ["One", "Two"]


def test_a_truncated_gzip_keeps_the_records_before_the_break(tmp_path):
    f = tmp_path / "many.jsonl"
    rng = random.Random(7)
    words = ["harbour", "ferry", "strike", "island", "crew", "mayor", "storm", "boat", "union", "coast"]
    f.write_text("".join(json.dumps({"title": f"Story {i}", "text": " ".join(rng.choices(words, k=300))}) + "\n"
                         for i in range(2000)))
    data = gzip.compress(f.read_bytes())
    cut = tmp_path / "many.jsonl.gz"
    cut.write_bytes(data[:len(data) // 2])
    docs, skips = read(cut, "many")
    assert 0 < len(docs) < 2000
    assert "truncated gzip" in skips[-1].message and f"{len(docs)} records before the break" in skips[-1].message


def test_max_size_applies_to_one_record_not_to_the_file(tmp_path):
    f = tmp_path / "big.jsonl"
    small = json.dumps({"title": "Small", "text": "x " * 100})
    huge = json.dumps({"title": "Huge", "text": "y " * 600_000})
    f.write_text("\n".join([small, huge, small]) + "\n")
    assert f.stat().st_size > MB
    docs, (skip,) = read(f, max_bytes=MB // 8)  # the line is longer than the limit and any slack: not parsed
    assert [d.position for d in docs] == [1, 3]
    assert skip.message.startswith("record 2 is over the 0.1 MB limit")
    docs, (skip,) = read(f, max_bytes=MB // 2)
    assert len(docs) == 2 and skip.message.startswith("record 2 has 1.1 MB of text, over the 0.5 MB limit")


def test_a_config_mapping_names_the_fields_a_guess_would_miss(tmp_path):
    f = tmp_path / "odd.jsonl"
    f.write_text(json.dumps({"hed": "Odd names", "copy": "The story.", "meta": {"when": "2023-01-02"},
                             "ref": "k-7"}) + "\n")
    docs, (skip,) = read(f)
    assert not docs and "record 1 has no text" in skip.message
    (doc,), _ = read(f, fields=FieldMap({"title": "hed", "text": "copy", "date": "meta.when", "id": "Ref"}))
    assert (doc.title, doc.text, doc.date, doc.id) == ("Odd names", "The story.", "2023-01-02", "odd#k-7")


def test_a_records_html_field_goes_through_the_page_reader(tmp_path):
    f = tmp_path / "scraped.jsonl"
    f.write_text(json.dumps({"url": "https://fjord-gazette.example/x", "title": "From the record",
                             "html": (DATA / "harbour-page.html").read_text()}) + "\n")
    (doc,), _ = read(f)
    art = article(doc)
    assert art.title == "From the record" and art.author == "Ingrid Solberg"
    assert "quote" in {p.kind for p in art.passages}


# --- feeds -------------------------------------------------------------------------

def test_rss_entries_are_articles_with_their_content_as_typed_passages():
    docs, skips = read(DATA / "coast.rss")
    assert not skips
    first, second = docs
    assert (first.id, first.author, first.date, first.site, first.source) == (
        "coast#coast-2023-0919-1", "Eva Moen", "2023-09-19", "Coast News", "https://coast.example/strike-over")
    assert [p.kind for p in article(first).passages] == ["paragraph", "heading", "paragraph", "quote"]
    assert article(second).passages[0].text.startswith("A storm will reach")  # a summary only


def test_atom_entries_and_a_file_that_is_not_a_feed():
    (doc,), _ = read(DATA / "islands.atom")
    art = article(doc)
    assert (art.author, art.date, art.site) == ("Siri Vik", "2023-09-21", "Island Voice")
    assert [p.kind for p in art.passages] == ["paragraph", "list-item", "list-item"]
    docs, (skip,) = read(DATA / "notes.xml")
    assert not docs and "not an RSS or Atom feed" in skip.message


# --- web archives ----------------------------------------------------------------

def test_a_web_archive_gives_its_html_responses_with_the_target_uri(tmp_path):
    (doc,), skips = read(DATA / "crawl.warc")
    assert not skips
    art = article(doc)
    assert art.source == "https://bergen-post.example/harbour-reopens"
    assert doc.id == "crawl#harbour-reopens-7be479" and doc.position == 2
    assert (art.title, art.author, art.site, art.date) == ("Harbour reopens after the strike", "Nils Aas",
                                                           "Bergen Post", "2023-09-20")
    zipped = tmp_path / "crawl.warc.gz"
    zipped.write_bytes(gzip.compress((DATA / "crawl.warc").read_bytes()))
    assert [d.id for d in read(zipped, "crawl")[0]] == [doc.id]


# --- the whole folder -------------------------------------------------------------

def test_a_folder_mixing_every_format_reads_each_and_names_each_skip():
    items = list(read_corpus(DATA))
    docs = [i for i in items if not isinstance(i, LoadWarning)]
    skips = sorted(str(i) for i in items if isinstance(i, LoadWarning))
    assert len(docs) == 12
    assert [s.split(":")[0] for s in skips] == ["skipped exports.csv", "skipped notes.xml",
                                                "skipped wire.jsonl", "skipped wire.jsonl"]


def test_a_copyright_notice_is_not_taken_for_the_site_name(tmp_path):
    page = (DATA / "harbour-page.html").read_text().replace(
        'content="The Fjord Gazette"', 'content="Copyright 2014 Fjord Media"')
    f = tmp_path / "page.html"
    f.write_text(page)
    (doc,), _ = read(f)
    assert doc.site == "fjord-gazette.example"
