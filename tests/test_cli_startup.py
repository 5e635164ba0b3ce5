"""Command-line start-up: what a read-only command imports, and how the index is kept fresh.

Through the real `kreader` script (and `python -c` for what a process
imported). No timing: benchmarks/bench_cli.py measures the time.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from made_up import DAM_A, DAM_B, DAM_C, write_corpus
from test_cli import run
from test_cli_freshness import settled

HEAVY = ("numpy", "trafilatura", "pycrfsuite", "feedparser", "warcio", "ftfy", "lxml", "rich", "textual",
         "reader.core.ingest.clean", "reader.core.entities.mentions", "reader.core.entities.clusters",
         "reader.core.quotes", "reader.core.library.analysis")
"""What a search or a look-up on an index that is up to date has no use for."""


@pytest.fixture
def indexed(tmp_path):
    """A made-up corpus, settled, and its index, built by `kreader index`."""
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B, "c.txt": DAM_C})
    settled(corpus)
    ix = tmp_path / "ix"
    proc = run("index", str(corpus), "--index-dir", str(ix))
    assert proc.returncode == 0, proc.stderr
    return corpus, ix


def imported_by(code: str) -> set[str]:
    """The modules a fresh Python has loaded after running ``code``."""
    script = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)), file=sys.stderr)"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          env=os.environ.copy())
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def heavy_in(modules: set[str]) -> list[str]:
    return sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY))


def index_files(ix: Path) -> dict[str, tuple[int, int]]:
    """Every file of the index folder, with its size and modification time."""
    return {str(p.relative_to(ix)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in ix.rglob("*") if p.is_file()}


def test_import_reader_cli_loads_no_pipeline():
    assert heavy_in(imported_by("import reader.cli")) == []


@pytest.mark.parametrize("command", [["search", "dam"], ["search", "lindqvist OR vostra"], ["entities"],
                                     ["resolve", "lindqvst"], ["search", "person:lindqvist"]])
def test_a_read_only_command_on_a_current_index_loads_no_pipeline(indexed, command):
    corpus, ix = indexed
    args = [*command, "--corpus", str(corpus), "--index-dir", str(ix), "--json"]
    modules = imported_by(f"from reader.cli import main\nassert main({args!r}) == 0")
    assert heavy_in(modules) == []
    assert ("whoosh" in modules) == (command[0] == "search")  # entities and names: the store alone


def test_a_search_on_an_unchanged_corpus_writes_nothing(indexed):
    corpus, ix = indexed
    before = index_files(ix)
    for command in (["search", "dam"], ["entities"], ["xref", "a", "0"], ["stories"]):
        proc = run(*command, "--corpus", str(corpus), "--index-dir", str(ix))
        assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert index_files(ix) == before


def test_a_search_picks_up_a_changed_a_new_and_a_deleted_file(indexed):
    corpus, ix = indexed
    (corpus / "c.txt").write_text("Weather in Norway turns warmer\n\nA heatwave reached Oslo.\n", encoding="utf-8")
    (corpus / "d.txt").write_text("Avalanche warning\n\nAn avalanche blocked the road to Tromsø.\n",
                                  encoding="utf-8")
    (corpus / "a.txt").unlink()

    def found(word: str) -> set[str]:
        proc = run("search", word, "--corpus", str(corpus), "--index-dir", str(ix), "--json")
        assert proc.returncode == 0, proc.stderr
        return {h["article"] for h in json.loads(proc.stdout)}

    assert found("heatwave") == {"c"} and found("avalanche") == {"d"}
    assert found("skiers") == set() and found("engineers") == set()
    entities = run("entities", "--corpus", str(corpus), "--index-dir", str(ix), "--json")
    assert "Tromsø" in {e["name"] for e in json.loads(entities.stdout)}


def store_meta(ix: Path, key: str, value) -> None:
    (db,) = ix.rglob("articles.sqlite")
    with sqlite3.connect(db) as con:
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, json.dumps(value)))


def test_an_index_of_another_kreader_is_checked_and_rebuilt(indexed):
    """The version key is trusted without working it out only while the code
    stamp it was kept with matches: another stamp (another kreader) checks it."""
    corpus, ix = indexed
    store_meta(ix, "version", "index0-of-an-older-kreader")
    store_meta(ix, "version_stamp", "an older kreader")
    proc = run("search", "dam", "--corpus", str(corpus), "--index-dir", str(ix), "--json")
    assert proc.returncode == 0 and "Rebuilding the index: kreader's rules changed" in proc.stderr
    assert json.loads(proc.stdout)


def test_a_stamp_of_another_kreader_with_the_same_key_keeps_the_index(indexed):
    corpus, ix = indexed
    store_meta(ix, "version_stamp", "a kreader whose changes left the key as it was")
    before = index_files(ix)
    proc = run("search", "dam", "--corpus", str(corpus), "--index-dir", str(ix), "--json")
    assert proc.returncode == 0 and proc.stderr == ""
    after = index_files(ix)
    assert {Path(k).name for k in after if after[k] != before.get(k)} == {"articles.sqlite"}  # the new stamp
    proc = run("search", "dam", "--corpus", str(corpus), "--index-dir", str(ix), "--json")
    assert index_files(ix) == after


def test_extra_cleaning_rules_in_the_config_rebuild_the_index(indexed, isolated_dirs):
    corpus, ix = indexed
    config = isolated_dirs / "config" / "config.yaml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("cleaning:\n  rules:\n    - {name: toll, kind: line, pattern: 'people were killed'}\n",
                      encoding="utf-8")
    proc = run("search", "killed", "--corpus", str(corpus), "--index-dir", str(ix), "--json")
    assert proc.returncode == 0 and "Rebuilding the index" in proc.stderr
    assert not [h for h in json.loads(proc.stdout) if "people were killed" in h["text"]]


def test_listing_entities_loads_no_look_up(indexed):
    """The entity table alone lists them: no fuzzy look-up, nor what it imports."""
    corpus, ix = indexed
    args = ["entities", "--corpus", str(corpus), "--index-dir", str(ix), "--json"]
    modules = imported_by(f"from reader.cli import main\nassert main({args!r}) == 0")
    assert not {"rapidfuzz", "reader.core.entities.resolve", "reader.core.entities.gazetteer"} & modules


def test_a_cross_reference_reads_the_entries_of_the_articles_it_shows(indexed, monkeypatch, capsys):
    """One passage's cross-references read the list entries of the few articles
    they name, not of every article of the corpus."""
    from reader.cli import main
    from reader.core.library.store import ArticleStore
    corpus, ix = indexed

    def every(self):
        raise AssertionError("every article's entry was read")
    monkeypatch.setattr(ArticleStore, "infos", every)
    assert main(["xref", "a", "0", "--corpus", str(corpus), "--index-dir", str(ix), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["article"] == "a"
