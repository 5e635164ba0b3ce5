"""The gazetteer cache and the entity look-ups a search relies on."""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from reader.core.entities import gazetteer as gz


def _fresh(monkeypatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("KREADER_CACHE_DIR", str(tmp_path))
    gz.gazetteer.cache_clear()
    return gz.cache_path()


@pytest.fixture(autouse=True)
def _forget_the_gazetteer():
    yield
    gz.gazetteer.cache_clear()


@pytest.mark.parametrize("content", [b"\x80\x04\x95garbage \xff\xfe not a pickle", b"", b"\x00" * 100,
                                     pickle.dumps({"not": "a gazetteer"}),
                                     pickle.dumps(gz.Gazetteer())])
def test_a_cache_that_cannot_be_read_is_rebuilt(monkeypatch, tmp_path, content):
    path = _fresh(monkeypatch, tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    g = gz.gazetteer()
    assert g.places.get("armenia") and "maria" in g.given_names
    assert gz._load(path) is not None  # written again, whole
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_a_truncated_cache_is_rebuilt(monkeypatch, tmp_path):
    path = _fresh(monkeypatch, tmp_path)
    gz.gazetteer()
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    gz.gazetteer.cache_clear()
    assert gz.gazetteer().places.get("armenia")


def _write_many(path: str, n: int) -> None:
    g = gz.Gazetteer(places={f"place{os.getpid()}": 1.0, "x": 2.0})
    for _ in range(n):
        gz._save(Path(path), g)


def test_caches_written_at_once_by_several_processes_stay_whole(tmp_path):
    path = tmp_path / "gazetteer-test.pickle"
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_many, args=(str(path), 40)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    g = gz._load(path)
    assert g is not None and g.places["x"] == 2.0
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_first_runs_building_the_cache_at_once_all_succeed(tmp_path):
    env = {**os.environ, "KREADER_CACHE_DIR": str(tmp_path)}
    code = "from reader.core.entities.gazetteer import gazetteer; print(len(gazetteer().places) > 1000)"
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True)
             for _ in range(3)]
    assert [p.communicate(timeout=300)[0].strip() for p in procs] == ["True"] * 3
    assert gz._load(next(tmp_path.glob("gazetteer-*.pickle"))) is not None


# --- look-ups with typos, through the real command line ---------------------

def _kreader(*args: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).parent / "kreader"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "reader.cli"]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=300, env=os.environ.copy())


@pytest.fixture(scope="module")
def typo_corpus(tmp_path_factory) -> tuple[Path, Path]:
    corpus = tmp_path_factory.mktemp("typos")
    (corpus / "a.txt").write_text("Budget row\n\nChancellor Gordon Brown said on Monday that taxes would not rise.\n\n"
                                  "Mr Brown told reporters that Prime Minister Tony Blair agreed.\n")
    (corpus / "b.txt").write_text("Schools speech\n\nTony Blair spoke in Manchester about schools on Tuesday.\n\n"
                                  "The prime minister said Gordon Brown would attend.\n")
    return corpus, tmp_path_factory.mktemp("typos-ix")


@pytest.mark.parametrize("query, article", [("gordon brwn", "a"), ("gordn brown", "a"), ("blare", "b"),
                                            ("tony blare", "b")])
def test_a_name_typed_with_a_typo_finds_the_passages_naming_it(typo_corpus, query, article):
    corpus, ix = typo_corpus
    proc = _kreader("search", query, "--corpus", str(corpus), "--index-dir", str(ix), "--json")
    assert proc.returncode == 0, proc.stderr
    hits = json.loads(proc.stdout)
    name = "Brown" if "br" in query else "Blair"
    assert any(h["article"] == article and name in h["text"] for h in hits), hits
    resolved = json.loads(_kreader("resolve", query, "--corpus", str(corpus), "--index-dir", str(ix),
                                   "--json").stdout)
    assert resolved and resolved[0]["name"] == ("Gordon Brown" if name == "Brown" else "Tony Blair")
