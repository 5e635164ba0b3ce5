"""kreader quotes, the said: filter and export's quotes, through the real `kreader` script."""

from __future__ import annotations

import json

import pytest

from test_cli import run

STORY_A = """Harbour stays open, mayor says

Calder, 3 March 2024

Vera Holm, the mayor of Calder, said the harbour would stay open through the winter.

"We will not close the port while I am mayor," Holm told reporters on Monday.

Critics called the plan a "fantasy".
"""

STORY_B = """Calder port to reopen

Calder, 4 March 2024

The port of Calder will reopen on Friday, officials said.

Mayor Vera Holm told a radio station: "The pumps are fixed and the boats can come back."
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("quotes-corpus")
    (root / "a.txt").write_text(STORY_A, encoding="utf-8")
    (root / "b.txt").write_text(STORY_B, encoding="utf-8")
    return root, tmp_path_factory.mktemp("ix")


def _quotes(corpus, *extra):
    root, ix = corpus
    proc = run("quotes", "--corpus", str(root), "--index-dir", str(ix), "--json", *extra)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_quotes_json_has_the_documented_shape(corpus):
    quotes = _quotes(corpus)
    assert quotes, "no quote found"
    for q in quotes:
        assert {"article", "passage", "text", "kind", "cue", "speaker"} <= set(q)
        assert q["kind"] in ("direct", "indirect")
        if q["speaker"] is not None:
            assert {"name", "entity", "type"} <= set(q["speaker"])
    unnamed = [q for q in quotes if q["speaker_text"] == "officials"]
    assert unnamed and unnamed[0]["speaker"] is None and unnamed[0]["speaker_desc"] == "officials"


def test_speaker_lists_one_persons_quotes_across_outlets(corpus):
    quotes = _quotes(corpus, "--speaker", "vera holn")  # a typo still finds her
    assert {q["article"] for q in quotes} == {"a", "b"}
    assert {q["speaker"]["name"] for q in quotes} == {"Vera Holm"}
    texts = [q["text"] for q in quotes]
    assert "We will not close the port while I am mayor," in texts
    assert "The pumps are fixed and the boats can come back." in texts


def test_an_unknown_speaker_is_one_sentence(corpus):
    root, ix = corpus
    proc = run("quotes", "--corpus", str(root), "--index-dir", str(ix), "--speaker", "zzqx")
    assert proc.returncode == 1 and "zzqx" in proc.stderr and "Traceback" not in proc.stderr


def test_said_filter_finds_the_passages_quoting_a_speaker(corpus):
    root, ix = corpus
    proc = run("search", "said:holm", "--corpus", str(root), "--index-dir", str(ix), "--json")
    assert proc.returncode == 0, proc.stderr
    hits = {(h["article"], h["passage"]) for h in json.loads(proc.stdout)}
    assert hits and all(a in ("a", "b") for a, _ in hits)
    assert not any("officials" in h["text"] for h in json.loads(proc.stdout))


def test_export_carries_each_passages_quotes(corpus):
    root, ix = corpus
    proc = run("export", str(root), "--index-dir", str(ix))
    assert proc.returncode == 0, proc.stderr
    arts = [json.loads(line) for line in proc.stdout.splitlines()]
    quoted = [q for a in arts for p in a["passages"] for q in p["quotes"]]
    assert any(q["speaker"] and q["speaker"]["entity"] for q in quoted)


def test_bundled_corpus_aliyevs_demand_and_pashinyan_across_outlets(tmp_path):
    proc = run("quotes", "--index-dir", str(tmp_path), "--json")
    assert proc.returncode == 0, proc.stderr
    quotes = json.loads(proc.stdout)
    flag = [q for q in quotes if "must raise the white flag" in q["text"]]
    assert flag and "Aliyev" in flag[0]["speaker"]["name"]
    proc = run("quotes", "--index-dir", str(tmp_path), "--speaker", "pashinyan", "--json")
    pashinyan = json.loads(proc.stdout)
    assert {q["speaker"]["name"] for q in pashinyan} == {"Nikol Pashinyan"}
    assert len({q["article"].split("~")[0] for q in pashinyan}) >= 2
