"""The command-line contract of ../CLI.md, through the real `kreader` script."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from made_up import DAM_A, DAM_B, write_corpus


def kreader_cmd() -> list[str]:
    script = Path(sys.executable).parent / "kreader"
    return [str(script)] if script.exists() else [sys.executable, "-m", "reader.cli"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(kreader_cmd() + list(args), capture_output=True, text=True, timeout=300,
                          cwd=cwd, env=os.environ.copy())


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """`kreader export` of the bundled corpus, run from an unrelated folder."""
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    proc = run("export", "--index-dir", str(tmp_path_factory.mktemp("ix")), cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_help_lists_every_command():
    proc = run("--help")
    assert proc.returncode == 0
    for cmd in ("index", "export", "search", "entities", "resolve", "xref", "bookmarks"):
        assert cmd in proc.stdout
    search_help = run("search", "--help").stdout
    assert "person:NAME" in search_help and "date:" in search_help


def test_export_prints_the_bundled_articles_cleaned(exported):
    ids = [a["id"] for a in exported]
    stems = {i.split("~")[0] for i in ids}
    assert len(stems) == 5 and len(ids) >= 5
    for a in exported:
        assert set(a) >= {"id", "path", "title", "title_mentions", "author", "date", "site", "source", "passages"}
        for p in a["passages"]:
            assert p["kind"] in ("paragraph", "heading", "list-item", "quote", "caption")
            for m in p["mentions"]:
                assert p["text"][m["start"]:m["end"]] == m["text"]
                assert m["type"] in ("person", "place", "organization") and m["entity"]


def test_search_json_and_plain(tmp_path):
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B})
    proc = run("search", "dam", "--corpus", str(corpus), "--json", "--index-dir", str(tmp_path / "ix"))
    assert proc.returncode == 0, proc.stderr
    hits = json.loads(proc.stdout)
    assert hits and {"article", "passage", "score", "text", "highlights"} <= set(hits[0])
    plain = run("search", "dam", "--corpus", str(corpus), "--index-dir", str(tmp_path / "ix"))
    assert "[dam]" in plain.stdout.lower()


def test_resolve_reports_nothing_for_a_weak_match(tmp_path):
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A})
    ok = json.loads(run("resolve", "lindkvist", "--corpus", str(corpus), "--json").stdout)
    assert ok and ok[0]["name"] == "Maria Lindqvist" and 0 < ok[0]["score"] <= 100
    assert json.loads(run("resolve", "zzzz", "--corpus", str(corpus), "--json").stdout) == []


def test_xref_json_shape(tmp_path):
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A, "b.txt": DAM_B})
    proc = run("xref", "a", "1", "--corpus", str(corpus), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["article"] == "a" and out["passage"] == 1
    assert all(r["article"] != "a" for r in out["related"])
    assert all({"score", "text", "shared_entities", "shared_terms"} <= set(r) for r in out["related"])


@pytest.mark.parametrize("args, code", [
    (("export", "/no/such/folder"), 1),
    (("search", '"unclosed'), 1),
    (("xref", "no-such-article", "0"), 1),
    (("frobnicate", "--bogus"), 2),
    (("export", "--max-size", "nan"), 2),
    (("export", "--max-size", "-1"), 2),
    (("search", "blockade", "--limit", "0"), 2),
    (("resolve", "erevan", "--limit", "x"), 2),
])
def test_errors_are_one_line_without_traceback(args, code):
    proc = run(*args)
    assert proc.returncode == code
    assert "Traceback" not in proc.stderr
    if code == 1:
        assert proc.stderr.startswith("kreader: ") and proc.stderr.count("\n") == 1


def test_bad_files_are_named_in_warnings_and_the_rest_loads(tmp_path):
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A})
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blob.txt").write_bytes(bytes(range(256)) * 10)
    proc = run("export", str(corpus))
    assert proc.returncode == 0
    assert "empty.txt" in proc.stderr and "blob.txt" in proc.stderr
    assert [json.loads(line)["id"] for line in proc.stdout.splitlines()] == ["a"]


def test_bookmarks_path_and_empty_list(tmp_path):
    target = tmp_path / "marks.yaml"
    assert run("bookmarks", "--path", "--bookmarks", str(target)).stdout.strip() == str(target)
    proc = run("bookmarks", "--json", "--bookmarks", str(target))
    assert proc.returncode == 0 and json.loads(proc.stdout) == []
    assert not target.exists()


def test_bookmarks_path_as_json(tmp_path):
    target = tmp_path / "marks.yaml"
    proc = run("bookmarks", "--path", "--json", "--bookmarks", str(target))
    assert json.loads(proc.stdout) == {"path": str(target)}


@pytest.mark.parametrize("text, says", [
    ("max_size: 5\n", "unknown key 'max_size'"),
    ("max_size_mb: lots\n", "max_size_mb 'lots'; it must be a positive number"),
    ("max_size_mb: .nan\n", "it must be a positive number"),
    ("keys: [bookmark]\n", "it must be a mapping of binding ids"),
    ("bookmarks: 12\n", "bookmarks 12; it must be a path"),
])
def test_a_wrong_config_file_is_named_with_the_key_at_fault(tmp_path, text, says):
    from reader.core.config import load_config
    from reader.core.errors import ConfigError
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        load_config(path)
    assert says in str(e.value) and str(path) in str(e.value)
    assert path.read_text(encoding="utf-8") == text


def test_index_names_skipped_files_again_on_a_later_run(tmp_path):
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A})
    (corpus / "blob.txt").write_bytes(bytes(range(256)) * 8)
    (corpus / "empty.txt").write_bytes(b"")
    first = run("index", "--corpus", str(corpus), "--index-dir", str(tmp_path / "ix"))
    second = run("index", "--corpus", str(corpus), "--index-dir", str(tmp_path / "ix"))
    for proc in (first, second):
        assert proc.returncode == 0, proc.stderr
        warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning:")]
        assert len(warnings) == 2
        assert any("blob.txt" in w and "binary" in w for w in warnings)
        assert any("empty.txt" in w and "empty" in w for w in warnings)
    assert "unchanged since" in second.stderr and "unchanged since" not in first.stderr
    # A search names nothing it did not try this time.
    search = run("search", "dam", "--corpus", str(corpus), "--index-dir", str(tmp_path / "ix"))
    assert "warning" not in search.stderr
