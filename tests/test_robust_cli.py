"""Escape injection through the command line: a file named with an OSC 2
sequence (or a C1 or bidi control), and a bookmarks file holding them, never
reach stdout or stderr raw, from any command; ``resolve`` that finds nothing
says so on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from made_up import DAM_A, DAM_B, write_corpus

OSC2 = "\x1b]2;pwned\x07"
"""Sets the terminal's title when printed raw."""
RAW = ("\x1b", "\x07", "\x9b", "\u202e")
"""What must never be printed raw."""
STEM = f"{OSC2}dam\u202e\x9b"


def run(*args: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "kreader"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "reader.cli"]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=300, env=os.environ.copy())


def assert_clean(proc: subprocess.CompletedProcess) -> None:
    for ch in RAW:
        assert ch not in proc.stdout and ch not in proc.stderr, (ch, proc.args[1:3], proc.stdout[:200],
                                                                proc.stderr[:200])


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A corpus whose files are named with controls (one of them unreadable), and a
    bookmarks file whose fields and keys hold them."""
    base = tmp_path_factory.mktemp("hostile")
    corpus = write_corpus(base / "news", {f"{STEM}.txt": DAM_A, "b.txt": DAM_B})
    (corpus / f"{OSC2}blob.txt").write_bytes(bytes(range(256)) * 10)
    (corpus / f"{OSC2}empty.txt").write_bytes(b"")
    marks = base / "marks.yaml"
    marks.write_text(
        "version: 1\nbookmarks:\n"
        f"- id: \"bm-\\e]2;x\\a1\"\n  article: \"{STEM.encode('unicode_escape').decode()}\"\n  passage: 0\n"
        "  title: \"Title \\e]52;c;cHduZWQ=\\a here\"\n  quote: \"quote \\e[31m red \\x9b 1m\"\n"
        "  note: \"note \\u202e reversed \\e]2;t\\a\"\n  tags: [\"tag\\e]2;t\\a\"]\n"
        "  path: \"corpus/\\e]2;p\\a.txt\"\n  source: \"https://e.org/\\e]2;s\\a\"\n"
        "  \"mine\\e]2;k\\a\": \"value \\e]2;v\\a\"\n", encoding="utf-8")
    common = ["--corpus", str(corpus), "--index-dir", str(base / "ix")]
    return corpus, marks, common


def test_no_command_prints_a_control_character_from_a_file_name(hostile):
    corpus, marks, common = hostile
    index = run("index", str(corpus), "--index-dir", common[-1])
    assert index.returncode == 0, index.stderr
    assert "\\x1b]2;pwned\\x07" in index.stderr  # the warning names the file, visibly
    assert_clean(index)
    export = run("export", *common)
    assert_clean(export)
    ids = [json.loads(line)["id"] for line in export.stdout.splitlines()]
    assert STEM in ids  # JSON keeps the id exactly (escaped as JSON, decoded back)
    for proc in (run("search", "dam", *common), run("search", "dam", "--json", *common),
                 run("entities", *common), run("entities", "--json", *common),
                 run("resolve", "Norwegian", *common), run("resolve", "Norwegian", "--json", *common),
                 run("xref", STEM, "0", *common), run("xref", STEM, "0", "--json", *common),
                 run("xref", f"{OSC2}nosuch", "0", *common), run("search", f"{OSC2}(", *common),
                 run("quotes", *common), run("quotes", "--json", *common),
                 run("index", *common, "--rebuild")):
        assert proc.returncode in (0, 1), proc.stderr
        assert "Traceback" not in proc.stderr
        assert_clean(proc)
    search = run("search", "dam", *common)
    assert "\\x1b]2;pwned\\x07dam" in search.stdout


def test_bookmarks_and_their_markdown_export_print_no_control_character(hostile):
    corpus, marks, common = hostile
    listing = run("bookmarks", "--bookmarks", str(marks), *common)
    assert listing.returncode == 0, listing.stderr
    assert "\\x1b]52;c;cHduZWQ=\\x07" in listing.stdout
    as_json = run("bookmarks", "--json", "--bookmarks", str(marks), *common)
    (record,) = json.loads(as_json.stdout)
    assert record["title"] == "Title \x1b]52;c;cHduZWQ=\x07 here" and record["mine\x1b]2;k\x07"]
    exported = run("bookmarks", "export", "--bookmarks", str(marks), *common)
    assert exported.returncode == 0, exported.stderr
    assert "\\x1b[31m" in exported.stdout and "> quote" in exported.stdout
    for proc in (listing, as_json, exported, run("bookmarks", "--path", "--bookmarks", str(marks) + OSC2)):
        assert_clean(proc)


def test_an_error_naming_a_hostile_path_is_printed_visibly(tmp_path):
    broken = tmp_path / f"{OSC2}marks.yaml"
    broken.write_text("version: 1\nbookmarks:\n- id: a\n\tarticle: x\n", encoding="utf-8")
    proc = run("bookmarks", "--bookmarks", str(broken))
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1
    assert "\\x1b]2;pwned\\x07marks.yaml, line 4" in proc.stderr
    assert_clean(proc)
    missing = run("index", str(tmp_path / f"{OSC2}nowhere"))
    assert missing.returncode == 1
    assert_clean(missing)


def test_resolve_that_finds_nothing_says_so_on_stderr(tmp_path):
    corpus = write_corpus(tmp_path / "news", {"a.txt": DAM_A})
    for extra in ((), ("--json",)):
        proc = run("resolve", "xyzzy", "--corpus", str(corpus), "--index-dir", str(tmp_path / "ix"), *extra)
        assert proc.returncode == 0  # nothing found is an answer, not an error (CLI.md)
        assert "No entity matches “xyzzy”" in proc.stderr
        if extra:
            assert json.loads(proc.stdout) == []
