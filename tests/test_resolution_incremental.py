"""The corpus's entities kept in the store's tables: an update that adds, changes or removes
a few files resolves only what they touch, and gives the entities a whole resolution gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.core.entities import parts, passes
from reader.core.entities.tables import EntityTables
from reader.core.library.facade import Library
from reader.core.library.store import ArticleStore

PEOPLE = ["Anna Novak", "Boris Novak", "Carla Lindgren", "Dmitri Petrov", "Elena Okafor"]
PLACES = ["Lisbon", "Voskavan", "Stepnograd", "Nagorna-Vostok"]


def _text(i: int) -> str:
    """A made-up report: people (two share a surname), places, an acronym with its expansion."""
    a, b = PEOPLE[i % 5], PEOPLE[(i + 2) % 5]
    place = PLACES[i % 4]
    lines = [f"{a} arrived in {place} on Monday, officials in {place} said.",
             f"{a.split()[1]} met {b} there. {b.split()[1]} said {place} was calm.",
             f"In {place}, {place} and {PLACES[(i + 1) % 4]} the talks went on; {place} waited."]
    if i % 3 == 0:
        lines.append("The Baltic Shipping Agency (BSA) said the BSA would help.")
    if i % 4 == 1:
        lines.append("Armenia's Security Council met. The Security Council of the UN did not.")
    return f"Report {i} from {place}\n\n" + "\n\n".join(lines) + "\n"


def _write(corpus: Path, i: int, text: str | None = None) -> None:
    (corpus / f"r{i:02d}.txt").write_text(text or _text(i), encoding="utf-8")


def _opened(tmp_path: Path, n: int, text=lambda i: None) -> tuple[Path, Library]:
    """A corpus of ``n`` files (``text(i)``, else the usual one) and its library, brought up to date."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(n):
        _write(corpus, i, text(i))
    lib = Library(corpus, tmp_path / "index")
    lib.ensure()
    return corpus, lib


def _everything(lib: Library):
    """All the resolution gives: entities, every article's mentions, some look-ups."""
    ents = [(e.id, e.name, e.type, e.aliases, e.mentions, e.articles) for e in lib.entities()]
    arts = [(a.id, [(m.start, m.type, m.entity) for m in a.title_mentions],
             [[(m.start, m.type, m.entity) for m in p.mentions] for p in a.passages]) for a in lib.articles()]
    looks = [[(e.id, s) for e, s in lib.resolve(q)] for q in ("novak", "lisbn", "bsa", "security council")]
    tables = {t: sorted(lib.store.db.rows(f"SELECT * FROM {t}"))
              for t in ("res_aliases", "res_surnames", "res_phonetic", "res_forms", "res_choices")}
    tables["ent_forms"] = sorted(lib.store.db.rows("SELECT key, data FROM ent_forms"))  # totals, as stored
    tables["ent_clusters"] = sorted(lib.store.db.rows("SELECT * FROM ent_clusters"))
    return ents, arts, looks, tables


def _whole(corpus: Path, tmp_path: Path, n: int):
    lib = Library(corpus, tmp_path / f"whole{n}")
    lib.ensure()
    try:
        return _everything(lib)
    finally:
        lib.close()


@pytest.fixture
def whole_calls(monkeypatch):
    calls = []
    real = passes.resolve_all

    def spy(*a, **kw):
        calls.append(1)
        return real(*a, **kw)

    monkeypatch.setattr(passes, "resolve_all", spy)
    return calls


def test_adding_changing_and_removing_files_gives_the_entities_of_a_whole_resolution(tmp_path, whole_calls):
    corpus, lib = _opened(tmp_path, 12)
    assert len(whole_calls) == 1
    steps = [
        lambda: [_write(corpus, i) for i in (12, 13, 14)],  # new files, after the others
        lambda: (corpus / "r06b.txt").write_text(_text(8), encoding="utf-8"),  # among them: after Lisbon's sample
        lambda: (corpus / "a00.txt").write_text(_text(4), encoding="utf-8"),  # before them all
        lambda: (corpus / "r00.txt").unlink(),  # the first: later mentions are scored instead
        lambda: _write(corpus, 5, "Elena Okafor went to Lisbon. Okafor said Lisbon was calm.\n"),  # changed
        lambda: [(corpus / f"r{i:02d}.txt").unlink() for i in (1, 2, 3)],
        lambda: _write(corpus, 20, "Zora Kessel arrived.\n\nKessel met Anna Novak. Novak and Kessel left.\n"),
    ]
    for n, change in enumerate(steps):
        change()
        os.utime(corpus, None)
        before = len(whole_calls)
        lib.ensure()
        assert len(whole_calls) == before, f"step {n} resolved the whole corpus again"
        got = _everything(lib)
        assert got == _whole(corpus, tmp_path, n), f"step {n} differs from a whole resolution"
    lib.close()
    again = Library(corpus, tmp_path / "index")  # what was stored loads the same
    again.ensure()
    assert _everything(again) == _whole(corpus, tmp_path, 99)
    again.close()


def test_a_new_acronym_keys_again_only_the_articles_naming_it(tmp_path, whole_calls, monkeypatch):
    corpus, lib = _opened(tmp_path, 6, lambda i: (f"The KLM said Kessel flew.\n\nKessel and the KLM met in Lisbon {i}.\n"
                                                  if i < 3 else f"Anna Novak met Boris Novak in Lisbon {i}.\n"))
    loaded = []
    real = ArticleStore.article
    monkeypatch.setattr(ArticleStore, "article", lambda store, aid: loaded.append(aid) or real(store, aid))
    steps = [
        lambda: _write(corpus, 9, "Karlsruhe Light Metals (KLM) opened in Lisbon.\n"),  # KLM now means it
        lambda: _write(corpus, 10, "Kessel Logistics Maritime (KLM) and Kessel Logistics Maritime (KLM) sailed. "
                                   "Kessel Logistics Maritime (KLM) again.\n"),  # more evidence: another meaning
        lambda: [(corpus / f"r{i:02d}.txt").unlink() for i in (9, 10)],  # no evidence left: no meaning
    ]
    for n, change in enumerate(steps):
        loaded.clear()
        change()
        before = len(whole_calls)
        lib.ensure()
        assert len(whole_calls) == before, f"step {n} resolved the whole corpus again"
        # The articles naming KLM were read again to be keyed anew, never the Novak ones
        # (the new ones are read too: by the story book).
        assert {"r00", "r01", "r02"} <= {aid[:3] for aid in loaded}, loaded
        assert not any(aid.startswith(("r03", "r04", "r05")) for aid in loaded), loaded
        assert _everything(lib) == _whole(corpus, tmp_path, n), f"step {n} differs from a whole resolution"
    lib.close()


def test_an_index_of_the_old_format_resolves_once(tmp_path, whole_calls):
    corpus, lib = _opened(tmp_path, 3)
    lib.store.put("resolution_format", 1)  # as an index of before the tables left it
    lib.store.commit()
    lib.close()
    lib = Library(corpus, tmp_path / "index")
    lib.ensure()
    lib.ensure()
    assert len(whole_calls) == 2
    assert _everything(lib) == _whole(corpus, tmp_path, 0)
    lib.close()


def test_a_new_file_clusters_again_only_the_forms_its_names_reach(tmp_path, whole_calls, monkeypatch):
    corpus, lib = _opened(tmp_path, 12)
    clustered, full_reads = [], []
    real_recluster, real_forms = parts.recluster, EntityTables.forms
    monkeypatch.setattr(parts, "recluster", lambda *a, **kw: clustered.append(real_recluster(*a, **kw)) or clustered[-1])
    monkeypatch.setattr(EntityTables, "forms", lambda self: full_reads.append(1) or real_forms(self))
    all_forms = lib.store.db.one("SELECT COUNT(*) FROM ent_forms")[0]
    _write(corpus, 30, "Zora Kessel arrived in Tallinn.\n\nKessel met Anna Novak there.\n")
    lib.ensure()
    assert len(whole_calls) == 1 and not full_reads  # no whole pass, no read of every form
    assert clustered and 0 < clustered[0] < all_forms
    assert _everything(lib) == _whole(corpus, tmp_path, 0)
    lib.close()


def test_a_whole_resolution_is_built_aside_and_put_in_place_at_once(tmp_path, monkeypatch):
    corpus, lib = _opened(tmp_path, 6)
    old = [e.id for e in lib.entities()]
    during = []
    real = passes.resolve_all

    def spy(tables, articles, aliases):
        real(tables, articles, aliases)
        # What a reader of the store sees while the new resolution is being built: the old one, whole.
        during.append([e.id for e in lib.store.get_resolution().entities])

    monkeypatch.setattr(passes, "resolve_all", spy)
    (corpus / "aliases.yaml").write_text("merge:\n  - [Anna Novak, Boris Novak]\n", encoding="utf-8")
    lib.ensure()
    assert during == [old]
    assert _everything(lib) == _whole(corpus, tmp_path, 0)
    assert "anna-novak" in {e.id for e in lib.entities()} and "boris-novak" not in {e.id for e in lib.entities()}
    assert not list((tmp_path / "index").glob("entities-new*"))
    lib.close()


def test_a_first_index_resolves_in_a_process_beside_the_stories(tmp_path, monkeypatch):
    """A whole resolution of a corpus of many files runs in a process of its own while the
    owner groups the stories; it gives what resolving in the owner gives."""
    from reader.core.library import update as update_mod
    from reader.core.library import resolving as resolving_mod
    started = []
    real_init = resolving_mod.ResolvingProcess.__init__

    def init(self, *a, **kw):
        started.append(1)
        real_init(self, *a, **kw)

    monkeypatch.setattr(resolving_mod.ResolvingProcess, "__init__", init)
    monkeypatch.setattr(update_mod, "PARALLEL_FROM", 4)
    corpus, lib = _opened(tmp_path, 9)
    assert started == [1]
    assert not list(lib.folder.path.glob("entities-new*"))
    got = _everything(lib)
    lib.close()
    monkeypatch.setattr(update_mod, "PARALLEL_FROM", 10_000)  # resolved in the owner
    assert got == _whole(corpus, tmp_path, 0)
    assert started == [1]


def test_a_resolution_process_that_fails_is_one_sentence(tmp_path, monkeypatch):
    from reader.core.errors import IndexError_
    from reader.core.library import update as update_mod
    from reader.core.library import resolving as resolving_mod
    monkeypatch.setattr(update_mod, "PARALLEL_FROM", 4)
    monkeypatch.setattr(resolving_mod, "_resolver_main", _fails)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(6):
        _write(corpus, i)
    lib = Library(corpus, tmp_path / "index")
    with pytest.raises(IndexError_, match="entity resolution failed"):
        lib.ensure()
    lib.close()
    monkeypatch.setattr(update_mod, "PARALLEL_FROM", 10_000)
    again = Library(corpus, tmp_path / "index")  # the next opening resolves it
    again.ensure()
    assert _everything(again) == _whole(corpus, tmp_path, 0)
    again.close()


def _fails(store_path, aside, aliases, results, parent):
    results.put(("error", "OSError: made up"))
