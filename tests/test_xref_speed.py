"""The term table cross-references weigh rarity with (core/search/termstats.py):
Whoosh's own document frequencies, kept through adds and deletes, and never a
reason for kreader not to start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh import index as wix

from reader.core.library.facade import Library
from reader.core.search import termstats

from made_up import DAM_A, DAM_B, DAM_C, WIRE, write_corpus

FIRST = {"a.txt": DAM_A, "b.txt": DAM_B, "c.txt": DAM_C, "wire1.txt": WIRE}


def whoosh_dir(lib):
    return lib.index_dir / "whoosh"


def assert_same_as_whoosh(lib):
    """Every term of the counted fields has Whoosh's document frequency in the table,
    and a term the index does not hold has none."""
    ix = wix.open_dir(str(whoosh_dir(lib)))
    with ix.reader() as reader:
        table = termstats.for_reader(reader, whoosh_dir(lib))
        assert table is not None
        for fieldname in termstats.FIELDS:
            terms = [t.decode("utf-8") for t in reader.lexicon(fieldname)]
            assert terms
            assert table.doc_frequencies(fieldname, terms) == [reader.doc_frequency(fieldname, t) for t in terms]
        assert table.doc_frequency("text", "zzyzzx") == 0
        some_form = next(iter(reader.lexicon("ent"))).decode("utf-8")
        assert table.doc_frequency("text", some_form) == reader.doc_frequency("text", some_form)
    return ix


def fresh_lib(corpus, ix_dir):
    termstats._segments.clear()  # as a new process finds it
    termstats._placed.clear()
    return Library(corpus, ix_dir).ensure()


def related_json(lib):
    return [lib.related(i.id, n).to_json() for i in lib.infos() for n in range(i.passages)]


def saved_table_holds(lib) -> bool:
    """Whether the saved index table is the one for the index's segments (a new process only reads it)."""
    with wix.open_dir(str(whoosh_dir(lib))).reader() as reader:
        ids = termstats.segment_ids(reader)
    return termstats._read(whoosh_dir(lib) / termstats.FOLDER / termstats.INDEX_TABLE, ids) is not None


def test_the_table_gives_whooshs_document_frequencies_and_is_saved_with_the_index(tmp_path):
    corpus = write_corpus(tmp_path / "news", FIRST)
    lib = Library(corpus, tmp_path / "ix").ensure()
    assert saved_table_holds(lib)
    assert_same_as_whoosh(lib)
    lib.close()
    (corpus / "wire2.txt").write_text(WIRE.replace("Markets steady", "Stocks calm"), encoding="utf-8")
    lib = fresh_lib(corpus, tmp_path / "ix")
    assert saved_table_holds(lib)  # summed again over the segments after the update, and saved
    lib.close()


def test_the_table_follows_files_added_changed_and_deleted(tmp_path):
    corpus = write_corpus(tmp_path / "news", FIRST)
    lib = Library(corpus, tmp_path / "ix").ensure()
    lib.close()
    (corpus / "wire2.txt").write_text(WIRE.replace("Markets steady", "Stocks calm"), encoding="utf-8")
    (corpus / "d.txt").write_text(DAM_A.replace("Monday", "Sunday"), encoding="utf-8")
    lib = fresh_lib(corpus, tmp_path / "ix")
    assert_same_as_whoosh(lib)
    lib.close()
    (corpus / "b.txt").unlink()
    (corpus / "c.txt").write_text(DAM_C + "\nHerders in Lapland counted their reindeer.\n", encoding="utf-8")
    lib = fresh_lib(corpus, tmp_path / "ix")
    assert_same_as_whoosh(lib)
    # the saved table sums exactly the index's segments now, and no other segment's table is left
    with wix.open_dir(str(whoosh_dir(lib))).reader() as reader:
        ids = termstats.segment_ids(reader)
        assert len(ids) > 1 and reader.has_deletions()  # Whoosh still counts the deleted passages: so does the table
    kept = {p.name for p in (whoosh_dir(lib) / termstats.FOLDER).iterdir()}
    assert kept == ({f"{i}.npz" for i in ids} | {termstats.INDEX_TABLE}
                    | {termstats._places_name(i, f) for i in ids for f in termstats.PLACED_FIELDS})
    lib.close()


def test_the_segments_said_to_hold_a_file_hold_it_and_cross_references_are_the_same(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "news", FIRST)
    Library(corpus, tmp_path / "ix").ensure().close()
    (corpus / "b.txt").write_text(DAM_B + "\nThe dam's engineers met again on Friday.\n", encoding="utf-8")
    (corpus / "d.txt").write_text(DAM_A.replace("Monday", "Sunday"), encoding="utf-8")
    lib = fresh_lib(corpus, tmp_path / "ix")
    with wix.open_dir(str(whoosh_dir(lib))).reader() as reader:
        leaves = [sub for sub, _ in reader.leaf_readers()]
        assert len(leaves) > 1  # the changed file's old passages wait in the first segment
        paths = sorted({t.decode("utf-8") for t in reader.lexicon("path")}) + ["no/such/file.txt"]
        held = termstats.leaves_holding(reader, whoosh_dir(lib), "path", paths)
        for path, found in zip(paths, held):
            # (64-bit keys: a key shared by two paths, which would only cost a look-up, is not met here)
            assert found == {li for li, sub in enumerate(leaves) if ("path", path.encode()) in sub}
        assert held[-1] == frozenset()
        assert any(len(found) == 1 for found in held)
    saved = list((whoosh_dir(lib) / termstats.FOLDER).glob("*.npy"))
    assert len(saved) == len(leaves)  # written with the tables after the update
    with_sets = related_json(lib)
    assert any(r["related"] for r in with_sets)
    lib.close()
    monkeypatch.setattr(termstats, "leaves_holding", lambda *a, **k: None)  # every segment asked
    lib = fresh_lib(corpus, tmp_path / "ix")
    assert related_json(lib) == with_sets
    lib.close()


def test_cross_references_are_the_same_with_the_table_and_with_whoosh(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "news", {**FIRST, "wire2.txt": WIRE.replace("Markets", "Stocks")})
    lib = fresh_lib(corpus, tmp_path / "ix")
    with_table = related_json(lib)
    assert any(r["related"] for r in with_table)
    lib.close()
    monkeypatch.setattr(termstats, "for_reader", lambda *a, **k: None)  # Whoosh asked for every term
    lib = fresh_lib(corpus, tmp_path / "ix")
    assert related_json(lib) == with_table
    lib.close()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "missing", "a file", "other segments", "version"])
def test_a_damaged_or_stale_table_is_counted_again(tmp_path, damage):
    corpus = write_corpus(tmp_path / "news", FIRST)
    lib = fresh_lib(corpus, tmp_path / "ix")
    expected = related_json(lib)
    folder = whoosh_dir(lib) / termstats.FOLDER
    table = folder / termstats.INDEX_TABLE
    lib.close()
    if damage == "garbage":
        for p in folder.iterdir():
            p.write_bytes(b"not a table")
    elif damage == "truncated":
        for p in folder.iterdir():
            p.write_bytes(p.read_bytes()[:100])
    elif damage == "missing":
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()
    elif damage == "a file":
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()
        folder.write_text("in the way")
    else:
        with termstats.np.load(table) as z:
            arrays = {k: z[k] for k in z.files}
        meta = json.loads(bytes(arrays["meta"]).decode())
        if damage == "version":
            meta["version"] = -1
        else:
            meta["segments"] = ["MAIN_elsewhere"]
        arrays["counts"] = arrays["counts"] * 0 + 99  # figures that would change the results if used
        arrays["meta"] = termstats.np.frombuffer(json.dumps(meta).encode(), dtype=termstats.np.uint8)
        termstats.np.savez(table, **arrays)
    lib = fresh_lib(corpus, tmp_path / "ix")
    assert related_json(lib) == expected
    if damage != "a file":
        assert_same_as_whoosh(lib)
    lib.close()


def test_kreader_xref_runs_with_its_table_garbled(tmp_path):
    corpus = write_corpus(tmp_path / "news", FIRST)
    ix_dir = tmp_path / "ix"
    script = Path(sys.executable).parent / "kreader"
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "reader.cli"]
    cmd += ["xref", "a", "1", "--corpus", str(corpus), "--index-dir", str(ix_dir), "--json"]
    # one hash seed for both runs: ties among equal scores are ordered by set iteration
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    first = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert first.returncode == 0, first.stderr
    tables = list(ix_dir.glob(f"*/whoosh/{termstats.FOLDER}/*.npz"))
    assert tables
    for p in tables:
        p.write_bytes(b"\x00" * 64)
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == json.loads(first.stdout)
    assert "Traceback" not in again.stderr


def test_a_segment_s_deleted_documents_are_masked_once_and_never_related(tmp_path, monkeypatch):
    from reader.core.search.whoosh_ext.codec import deleted_mask
    from reader.core.xref.engine import Xref
    corpus = write_corpus(tmp_path / "news", FIRST)
    Library(corpus, tmp_path / "ix").ensure().close()
    (corpus / "b.txt").write_text(DAM_B + "\nThe dam's engineers met again on Friday.\n", encoding="utf-8")
    lib = fresh_lib(corpus, tmp_path / "ix")
    with wix.open_dir(str(whoosh_dir(lib))).reader() as reader:
        assert any(sub.has_deletions() for sub, _ in reader.leaf_readers())  # b.txt's old passages
    made = []
    monkeypatch.setattr("reader.core.xref.engine.deleted_mask", lambda sub: made.append(sub) or deleted_mask(sub))
    kept = related_json(lib)
    masks = lib._engine()._masks
    assert masks and len(made) == len(masks)  # one mask a segment with deletions, for every passage
    texts = {(i.id, n): t for i in lib.infos() for n, t in enumerate(lib.article(i.id).passages)}
    assert all((r["article"], r["passage"]) in texts and r["text"] == texts[r["article"], r["passage"]].text
               for x in kept for r in x["related"])  # no deleted passage's old text
    lib.close()
    monkeypatch.setattr(Xref, "_dead", lambda self, position, sub: deleted_mask(sub))  # masked at each term
    lib = fresh_lib(corpus, tmp_path / "ix")
    assert related_json(lib) == kept
    lib.close()
