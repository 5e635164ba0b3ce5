"""The trained recogniser: shipped in the wheel, and right on one made-up sentence per error
category that users saw (issue: parties, companies, products, acronym merges, generic heads,
names with of, credits, sentence-initial words)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from reader.core.entities import recognise_article, resolve_corpus
from reader.core.entities.model import MODEL_FILE, SECOND_FILE, model_path
from reader.core.model import Article, Passage

ROOT = Path(__file__).resolve().parent.parent


def art(*paragraphs: str, id: str = "a1", title: str = "") -> Article:
    return Article(id, f"{id}.txt", title, tuple(Passage(n, "paragraph", t) for n, t in enumerate(paragraphs)))


def mentions(*paragraphs: str, **kw) -> dict[str, str]:
    a = recognise_article(art(*paragraphs, **kw))
    return {m.text: m.type for p in a.passages for m in p.mentions}


def resolved(*articles: Article):
    arts = [recognise_article(a) for a in articles]
    res = resolve_corpus(arts)
    return res, [res.apply(a) for a in arts]


def test_the_model_is_package_data_beside_its_attribution():
    assert model_path().is_file() and model_path().stat().st_size < 20_000_000
    assert model_path(SECOND_FILE).is_file() and model_path(SECOND_FILE).stat().st_size < 20_000_000
    notice = (model_path().parent / "NOTICE.md").read_text(encoding="utf-8")
    assert "ODbL 1.0" in notice and "DbCL 1.0" in notice and "Groningen Meaning Bank" in notice


def test_the_model_loads_from_an_installed_wheel(tmp_path):
    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                            "-w", str(wheels), str(ROOT)], capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(wheels.glob("*.whl"))
    with zipfile.ZipFile(wheel) as z:
        assert f"reader/core/entities/{MODEL_FILE}" in z.namelist()
        assert f"reader/core/entities/{SECOND_FILE}" in z.namelist()
        z.extractall(tmp_path / "site")
    code = ("import reader.core.entities.model as m, reader.core.entities as e\n"
            "from reader.core.model import Article, Passage\n"
            "assert str(m.model_path()).startswith(%r), m.model_path()\n"
            "assert m.models()[1] is not None\n"
            "a = e.recognise_article(Article('a', 'a.txt', '', (Passage(0, 'paragraph', "
            "'President Orvel Tamsin flew to Lisbon.'),)))\n"
            "print(sorted((x.text, x.type) for x in a.passages[0].mentions))") % str(tmp_path / "site")
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, env=env,
                          cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "('Lisbon', 'place')" in proc.stdout and "('Orvel Tamsin', 'person')" in proc.stdout


def test_a_party_is_an_organisation_not_a_person():
    got = mentions("The Velmoran Democratic Party won the vote, its leader Orvel Tamsin said.")
    assert got.get("Velmoran Democratic Party") == "organization" and got.get("Orvel Tamsin") == "person"


def test_a_company_is_an_organisation():
    got = mentions("Shares in Norvalis Corp rose after the company said profits had doubled.")
    assert got.get("Norvalis Corp") == "organization"


def test_a_product_named_after_nothing_is_not_a_place():
    got = mentions("The company sold more Zephyrette XL cars this year, chief executive Dana Korvin said.")
    assert got.get("Zephyrette XL") != "place" and got.get("Dana Korvin") == "person"


def test_an_acronym_joins_a_name_only_with_evidence():
    res, _ = resolved(art("The Bank of Velmora raised rates.", id="a"),
                      art("Fares at BV rose again, the airline BV said.", id="b"),
                      art("The Norvalis Trade Council (NTC) met. The NTC said it would meet again.", id="c"))
    names = {a: e.id for e in res.entities for a in e.aliases}
    assert "BV" in names and names["BV"] != names.get("Bank of Velmora")
    assert "NTC" in names and names["NTC"] == names.get("Norvalis Trade Council")


def test_a_generic_head_never_stands_for_a_longer_name():
    res, _ = resolved(art("The Velmoran Home Office issued a statement.", id="a"),
                      art("A spokesman for the Office said nothing.", "The Office declined to comment.", id="b"))
    names = {a: e.id for e in res.entities for a in e.aliases}
    assert "Office" not in names or names["Office"] != names.get("Velmoran Home Office")


def test_a_name_with_of_inside_is_one_organisation():
    got = mentions("The Velmoran Chambers of Commerce warned about the tax.")
    assert got.get("Velmoran Chambers of Commerce") == "organization"
    assert "Commerce" not in got and "Velmoran Chambers" not in got


def test_a_photo_credit_is_no_entity():
    got = mentions("Refugees crossed the border on Monday. Karen Minasyan/AFP",
                   "Photo: Darel Quist")
    assert not any("Minasyan" in k or "AFP" in k or "Quist" in k for k in got), got


def test_a_sentence_initial_word_is_no_name():
    got = mentions("Attempts to reach a deal failed. Officials said attempts would go on in Lisbon.")
    assert "Attempts" not in got and got.get("Lisbon") == "place"
