"""A corpus of every format, through the library and the command line:
incremental re-reads of containers, stable ids, skips and unread types named."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core.library import Library

DATA = Path(__file__).parent / "data" / "formats"
ARTICLES = 12
"""What tests/data/formats gives: every readable article of every file."""


@pytest.fixture
def corpus(tmp_path) -> Path:
    dest = tmp_path / "corpus"
    shutil.copytree(DATA, dest)
    return dest


def opened(corpus: Path, tmp_path: Path, **kw) -> Library:
    return Library(corpus, tmp_path / "ix", **kw).ensure()


def ids(lib: Library) -> list[str]:
    return [i.id for i in lib.infos()]


def test_every_format_is_indexed_searched_and_resolved(corpus, tmp_path):
    lib = opened(corpus, tmp_path)
    assert lib.summary.articles == ARTICLES and lib.summary.added == 9
    paths = {i.path for i in lib.infos()}
    assert paths == {"coast.rss", "crawl.warc", "digest.json", "exports.csv", "exports.tsv", "harbour-page.html",
                     "islands.atom", "wire.jsonl"}
    hits = lib.search("fjordline")
    assert {h.article for h in hits} >= {"harbour-page", "crawl#harbour-reopens-7be479", "digest#fjordline-losses-0f5fb7"}
    berg = [e for e in lib.entities("person") if e.name == "Anna Berg"]
    assert berg and berg[0].articles >= 4
    art = lib.article("wire#fg-101")
    assert (art.author, art.date, art.source) == ("Lars Holm, Kari Dahl", "2023-09-20",
                                                  "https://wire.example/2023/09/20/bergen-ferries-sail")
    related = lib.related("harbour-page", 0)
    assert related.related and all(r.article != "harbour-page" for r in related.related)
    lib.close()


def test_skips_are_named_per_file_with_their_records(corpus, tmp_path):
    lib = opened(corpus, tmp_path)
    why = {w.path: w.message for w in lib.warnings}
    assert sorted(why) == ["exports.csv", "notes.xml", "wire.jsonl"]
    assert why["wire.jsonl"].startswith("record 3 (line 3) is not valid JSON")
    assert "; record 4 has no text" in why["wire.jsonl"]
    assert "not an RSS or Atom feed" in why["notes.xml"]
    lib.close()


def test_ids_are_the_same_after_a_rebuild(corpus, tmp_path):
    lib = opened(corpus, tmp_path)
    first = ids(lib)
    for _ in lib.update(rebuild=True):
        pass
    assert ids(lib) == first and len(first) == ARTICLES
    lib.close()


def test_a_changed_container_is_read_again_and_a_removed_one_drops_its_articles(corpus, tmp_path):
    lib = opened(corpus, tmp_path)
    wire = corpus / "wire.jsonl"
    lines = wire.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["maintext"] = "A new first paragraph about the harbour.\n\n" + first["maintext"]
    late = {"title": "A late report on the ferries", "text": "The ferries ran late on Thursday.",
            "url": "https://wire.example/late"}
    wire.write_text("\n".join([json.dumps(late), json.dumps(first)] + lines[1:2]) + "\n", encoding="utf-8")
    for _ in lib.update():
        pass
    s = lib.summary
    assert (s.added, s.changed, s.removed) == (0, 1, 0)
    wire_ids = sorted(i for i in ids(lib) if i.startswith("wire#"))
    assert wire_ids == ["wire#fg-101", "wire#island-shops-9ff107", "wire#late-0e9c8d"]
    assert lib.article("wire#fg-101").passages[0].text == "A new first paragraph about the harbour."
    assert [h.article for h in lib.search("ran late")] == ["wire#late-0e9c8d"]
    assert "wire.jsonl" not in {w.path for w in lib.warnings}  # its bad records are gone too
    (corpus / "crawl.warc").unlink()
    for _ in lib.update():
        pass
    assert lib.summary.removed == 1 and not [i for i in ids(lib) if i.startswith("crawl#")]
    assert not lib.search("refunded")
    lib.close()


def test_a_container_left_unfinished_by_a_kill_is_read_again(corpus, tmp_path):
    lib = opened(corpus, tmp_path)
    lib.store.begin_file("wire.jsonl")  # as a kill half-way through re-reading it leaves the store
    lib.store.commit()
    lib.close()
    lib = opened(corpus, tmp_path)
    assert lib.summary.changed == 1 and lib.summary.articles == ARTICLES
    lib.close()


def test_max_size_is_per_record_in_a_container(corpus, tmp_path):
    big = corpus / "big.jsonl"
    big.write_text("\n".join(json.dumps({"title": f"Story {i}", "text": "The ferry left the harbour. " * 2000})
                             for i in range(40)) + "\n", encoding="utf-8")
    assert big.stat().st_size > 2 * 1024 * 1024
    lib = opened(corpus, tmp_path, max_bytes=1024 * 1024)
    assert len([i for i in ids(lib) if i.startswith("big#")]) == 40
    lib.close()


def test_a_field_mapping_changes_what_records_say(corpus, tmp_path):
    odd = corpus / "odd.jsonl"
    odd.write_text(json.dumps({"hed": "A mapped headline", "copy": "A mapped story about the ferry."}) + "\n")
    lib = opened(corpus, tmp_path)
    assert "odd.jsonl" in {w.path for w in lib.warnings}
    lib.close()
    lib = opened(corpus, tmp_path, fields={"title": "hed", "text": "copy"})
    assert lib.article("odd#1").title == "A mapped headline"
    lib.close()


def kreader(*args: str, env_dir: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "kreader"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "reader.cli"]
    env = dict(os.environ, KREADER_CACHE_DIR=str(env_dir / "c"), KREADER_DATA_DIR=str(env_dir / "d"),
               KREADER_CONFIG_DIR=str(env_dir / "f"))
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=300, env=env)


def test_kreader_index_names_unread_types_and_links_not_followed(corpus, tmp_path):
    (corpus / "scan.pdf").write_bytes(b"%PDF-1.4")
    (corpus / "photo.JPG").write_bytes(b"\xff\xd8")
    (corpus / "photo2.jpg").write_bytes(b"\xff\xd8")
    (corpus / "everything").symlink_to("/")
    proc = kreader("index", str(corpus), env_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines[-1] == "3 files not read, of types kreader does not read: 2 .jpg, 1 .pdf"
    assert "note: the link everything was not followed: it links to /, a folder that holds the corpus" in lines
    assert any(line.startswith(f"{ARTICLES} articles indexed") for line in lines)


def test_an_empty_result_says_which_types_are_read(tmp_path):
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(b"%PDF-1.4")
    proc = kreader("index", str(folder), env_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "No article found; kreader reads .txt, .md, .html" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == "1 file not read, of types kreader does not read: 1 .pdf"


def test_export_gives_container_articles_with_their_metadata(corpus, tmp_path):
    proc = kreader("export", str(corpus), "--index-dir", str(tmp_path / "ix"), env_dir=tmp_path)
    assert proc.returncode == 0, proc.stderr
    arts = {a["id"]: a for a in map(json.loads, proc.stdout.splitlines())}
    assert len(arts) == ARTICLES
    feed = arts["coast#coast-2023-0919-1"]
    assert (feed["author"], feed["date"], feed["site"]) == ("Eva Moen", "2023-09-19", "Coast News")
    assert [p["kind"] for p in feed["passages"]] == ["paragraph", "heading", "paragraph", "quote"]


def test_progress_counts_articles_not_files(corpus, tmp_path):
    lib = Library(corpus, tmp_path / "ix")
    steps = [s for s in lib.update() if s.phase == "analyse"]
    assert steps[0].message == "Analysing 9 files"
    last = steps[-1]
    assert last.done == last.total == ARTICLES
    assert all(s.done <= s.total for s in steps)
    assert sum(len(s.articles) for s in steps) == ARTICLES
    lib.close()
