"""Rows of new articles added onto the forms' stored totals: the same tables as summing every
row again (or resolving the whole corpus), without reading a common form's rows."""

from __future__ import annotations

import pytest

from reader.core.entities import passes
from reader.core.entities.aliases import AliasConfig
from reader.core.entities.cues import ORG, PERSON, PLACE
from reader.core.entities.tables import EntityTables, memory_db
from reader.core.model import Article, Mention, Passage

COMMON = "voskavan"


def _article(aid: str, names: list[tuple[str, str]]) -> Article:
    """An article of one passage naming these (text, type), each recognised as given."""
    text, mentions = "", []
    for name, typ in names:
        start = len(text)
        mentions.append(Mention(start, start + len(name), name, typ))
        text += name + " met. "
    return Article(aid, f"{aid}.txt", f"Report {aid}", (Passage(0, "body", text, tuple(mentions)),))


def _base() -> dict[str, Article]:
    """Twenty reports naming Voskavan twice each (its scored sample ends in the sixth), a
    person in some; other ways of writing it, and another type, first seen late."""
    arts = {}
    for i in range(10, 30):
        names = [("Voskavan", PLACE), ("Anna Novak", PERSON), ("Voskavan", PLACE)]
        if i >= 22:
            names.append(("VOSKAVAN", PLACE))
        if i >= 25:
            names.append(("Voskávan", ORG))
        if i % 3 == 0:
            names.append(("Novak", PERSON))
        arts[f"b{i}"] = _article(f"b{i}", names)
    return arts


def _snapshot(tables: EntityTables, where: int | None = None):
    """What the tables hold, article numbers replaced by ids (an update numbers its new ones
    last); ``where``: how much of each form's ``where`` to keep (all: None)."""
    db = tables.db
    out = {t: sorted(db.rows(f"SELECT * FROM {t}")) for t in
           ("res_entities", "res_forms", "res_aliases", "res_surnames", "res_choices", "ent_clusters", "ent_shorts")}
    out["ent_forms"] = sorted((k, d[:5] + [d[5][:where]]) for _, k, d in tables.forms())
    out["overrides"] = sorted(db.rows("SELECT a.article, o.key, o.target FROM res_overrides o "
                                      "JOIN ent_articles a ON a.n = o.n"))
    return out


def _resolved(arts: dict[str, Article], aliases: AliasConfig = AliasConfig()) -> EntityTables:
    tables = EntityTables(memory_db())
    passes.resolve_all(tables, [(arts[k], "") for k in sorted(arts, key=lambda k: (arts[k].path, k))], aliases)
    return tables


@pytest.fixture
def reads(monkeypatch):
    """The form ids whose rows an update read: summed again, or counted for a cluster's articles."""
    read: list[int] = []
    rows_of, count = EntityTables.rows_of, EntityTables.article_count
    monkeypatch.setattr(EntityTables, "rows_of", lambda self, fid: read.append(fid) or rows_of(self, fid))
    monkeypatch.setattr(EntityTables, "article_count", lambda self, fids: read.extend(fids) or count(self, fids))
    return read


STEPS = [
    ("z00", [("Voskavan", PLACE), ("Zora Kessel", PERSON)], False),  # after every row
    ("b20a", [("VOSKAVAN", PLACE), ("Voskavan", PLACE), ("VoskaVan", PLACE), ("Voskávan", ORG)], False),
    # ^ after the sample, before the rows first writing VOSKAVAN and the organisation: they come first now
    ("b29a", [("VoskaVan", PLACE), ("Voskavan", PERSON), ("Anna Novak", PERSON)], False),  # a new type last
    ("b12a", [("Voskavan", PLACE), ("Voskavan", PLACE)], True),  # within the scored sample
    ("a00", [("VOSKAVAN", PLACE), ("Anna Novak", PERSON)], True),  # before every row
]


MERGED = AliasConfig(merge=(("zora kessel", "anna novak"),), merge_names=("Zora Kessel",))
"""An alias file's rule: every form is clustered again (not only the part a change reaches)."""


@pytest.mark.parametrize("aliases", [AliasConfig(), MERGED], ids=["plain", "alias file"])
def test_added_articles_give_the_tables_of_a_whole_resolution(reads, aliases):
    arts = _base()
    tables = _resolved(arts, aliases)
    for aid, names, in_sample in STEPS:
        reads.clear()
        arts[aid] = _article(aid, names)
        assert passes.resolve_changes(tables, [], [(arts[aid], "")], aliases, arts.get)
        assert _snapshot(tables) == _snapshot(_resolved(arts, aliases)), f"adding {aid}"
        common = tables.form_ids([COMMON])[COMMON]
        assert (common in reads) == in_sample, f"adding {aid}: the rows of {COMMON} read: {common in reads}"


def test_tables_of_before_are_summed_again_once(reads):
    """Totals stored without where their texts were first seen (as before) are summed whole."""
    arts = _base()
    tables = _resolved(arts)
    for fid, key, data in list(tables.forms()):
        data[5] = data[5][:3]
        tables.put_forms([(fid, key, data)])
    common = tables.form_ids([COMMON])[COMMON]
    for aid, names, _ in STEPS[:2]:
        reads.clear()
        arts[aid] = _article(aid, names)
        passes.resolve_changes(tables, [], [(arts[aid], "")], AliasConfig(), arts.get)
        assert _snapshot(tables, 3) == _snapshot(_resolved(arts), 3)
        assert (common in reads) == (aid == "z00")
    assert _snapshot(tables)["ent_forms"][-1] == _snapshot(_resolved(arts))["ent_forms"][-1]  # Zora's: new


def test_removing_and_adding_at_once_sums_again_what_lost_rows(reads):
    arts = _base()
    tables = _resolved(arts)
    del arts["b11"]
    arts["z01"] = _article("z01", [("Voskavan", PLACE), ("Novak", PERSON)])
    passes.resolve_changes(tables, ["b11"], [(arts["z01"], "")], AliasConfig(), arts.get)
    assert _snapshot(tables) == _snapshot(_resolved(arts))
    assert tables.form_ids([COMMON])[COMMON] in reads
