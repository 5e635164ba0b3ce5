"""Finding, reading and decoding corpus files (core/ingest/files.py): one walker, one id scheme."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reader.core.ingest import files as corpus
from reader.core.ingest.clean import clean
from reader.core.ingest.files import decode, looks_binary, read_file, scan, scan_corpus, with_ids
from reader.core.ingest.formats.reading import read_corpus
from reader.core.errors import CorpusError
from reader.core.model import LoadWarning, SourceFile

STORY = "A made-up headline about the harbour\n\nThe ferry left the harbour at dawn.\n"


def loaded(folder: Path, **kw) -> tuple[dict[str, SourceFile], dict[str, LoadWarning]]:
    files, warnings = {}, {}
    for item in read_corpus(folder, **kw):
        if isinstance(item, SourceFile):
            files[item.path] = item
        else:
            warnings[item.path] = item
    return files, warnings


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# --- finding files and ids ---------------------------------------------------

def test_finds_txt_and_md_recursively_and_skips_hidden_and_other_suffixes(tmp_path):
    write(tmp_path / "a.txt", STORY)
    write(tmp_path / "sub" / "deeper" / "b.md", STORY)
    write(tmp_path / "sub" / "C.TXT", STORY)
    write(tmp_path / "notes.docx", STORY)
    write(tmp_path / "image.png", b"\x89PNG")
    write(tmp_path / "more.png", b"\x89PNG")
    write(tmp_path / "backup.tar.gz", b"\x1f\x8b")
    write(tmp_path / "aliases.yaml", "merge: []\n")
    write(tmp_path / ".hidden" / "d.txt", STORY)
    write(tmp_path / ".e.txt", STORY)
    found = scan_corpus(tmp_path)
    assert [e.rel for e in found.entries] == ["a.txt", "sub/C.TXT", "sub/deeper/b.md"]
    assert found.unread == {".png": 2, ".docx": 1, ".gz": 1}
    assert corpus.unread_line(found.unread) == ("4 files not read, of types kreader does not read: "
                                                "2 .png, 1 .docx, 1 .gz")


def test_missing_folder_and_file_instead_of_folder_raise_corpus_error(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        scan(tmp_path / "nope")
    f = write(tmp_path / "a.txt", STORY)
    with pytest.raises(CorpusError, match="not a folder"):
        scan(f)


def test_id_is_the_stem_and_relative_path_only_where_stems_clash(tmp_path):
    write(tmp_path / "one" / "report.txt", STORY)
    write(tmp_path / "two" / "report.md", STORY)
    write(tmp_path / "alone.txt", STORY)
    files, warnings = loaded(tmp_path)
    assert not warnings
    ids = {f.path: f.stem for f in files.values()}
    assert ids == {"alone.txt": "alone", "one/report.txt": "one/report", "two/report.md": "two/report"}


def test_ids_stay_unique_when_only_the_suffix_differs(tmp_path):
    write(tmp_path / "x.txt", STORY)
    write(tmp_path / "x.md", STORY)
    entries = scan(tmp_path)
    ids = {e.rel: e.id for e in with_ids(entries, entries)}
    assert ids == {"x.md": "x.md", "x.txt": "x.txt"}


def test_the_id_of_a_container_is_its_stem_without_the_compressed_suffix(tmp_path):
    write(tmp_path / "wire.jsonl.gz", b"")
    write(tmp_path / "feeds" / "wire.rss", b"")
    write(tmp_path / "page.html", b"")
    entries = scan(tmp_path)
    ids = {e.rel: e.id for e in with_ids(entries, entries[:1])}
    assert ids == {"feeds/wire.rss": "feeds/wire"}
    assert {e.rel: e.id for e in with_ids(entries, entries)} == {
        "feeds/wire.rss": "feeds/wire", "page.html": "page", "wire.jsonl.gz": "wire"}


# --- decoding ------------------------------------------------------------------

def test_decode_utf8_with_and_without_bom():
    text = "Le café “Zürich” — l’été"
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_decode_utf16_with_bom(codec):
    text = "Ζεύς and “Hera” in Zürich"
    data = text.encode(codec)
    if codec != "utf-16":
        data = ("\ufeff".encode(codec)) + data
    assert decode(data) == (text, "utf-16")


def test_decode_utf16_without_bom_is_recognised():
    text = "A plain story about the river, with “quotes”.\nSecond line.\n"
    for codec in ("utf-16-le", "utf-16-be"):
        decoded, enc = decode(text.encode(codec))
        assert decoded == text and enc == "utf-16"


def test_decode_cp1252_keeps_curly_quotes_and_dashes():
    text = "“Quoted” words – and l’été, 5 €"
    assert decode(text.encode("cp1252")) == (text, "cp1252")


def test_decode_latin1_with_bytes_cp1252_leaves_undefined():
    # 0x81 and 0x8d are undefined in Windows-1252: only Latin-1 reads them.
    data = "Señor García from Málaga ".encode("latin-1") * 20 + b"\x81"
    text, enc = decode(data)
    assert enc == "latin-1" and text.startswith("Señor García from Málaga")


def test_decode_utf8_with_a_stray_legacy_byte_keeps_the_utf8_characters():
    data = "Le café “noir” et l’été".encode("utf-8") + b" \x93mixed\x94 end"
    text, _ = decode(data)
    assert text == "Le café “noir” et l’été “mixed” end"


def test_decode_rejects_bytes_that_are_no_text():
    with pytest.raises(ValueError):
        decode(bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 40)


def test_looks_binary():
    assert looks_binary(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert looks_binary(bytes(range(0, 32)) * 10)
    assert not looks_binary(STORY.encode())
    assert not looks_binary("“Quoted” text".encode("utf-16"))


# --- reading files -------------------------------------------------------------

def test_read_file_records_size_hash_and_encoding(tmp_path):
    f = write(tmp_path / "a.txt", "Caf\xe9 story\n\nIt was a fine day.".encode("cp1252"))
    src = read_file(f, "a.txt", "a")
    assert isinstance(src, SourceFile)
    assert src.text.startswith("Café story") and src.encoding == "cp1252"
    assert src.size == f.stat().st_size and len(src.sha1) == 40 and src.stem == "a"


def test_read_file_warns_on_dangling_symlink(tmp_path):
    (tmp_path / "gone.txt").symlink_to(tmp_path / "no-such-target.txt")
    w = read_file(tmp_path / "gone.txt", "gone.txt", "gone")
    assert isinstance(w, LoadWarning) and "gone.txt" in str(w)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_read_file_warns_on_permission_denied(tmp_path):
    f = write(tmp_path / "locked.txt", STORY)
    f.chmod(0)
    try:
        w = read_file(f, "locked.txt", "locked")
        assert isinstance(w, LoadWarning) and "permission" in w.message
    finally:
        f.chmod(0o644)


def test_read_file_skips_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    w = read_file(fifo, "pipe.txt", "pipe")
    assert isinstance(w, LoadWarning) and "regular file" in w.message


def test_read_file_skips_text_that_is_only_a_byte_order_mark(tmp_path):
    f = write(tmp_path / "bom.txt", b"\xef\xbb\xbf\n  \n")
    w = read_file(f, "bom.txt", "bom")
    assert isinstance(w, LoadWarning) and "empty" in w.message


def test_corpus_with_bad_files_warns_once_per_file_and_loads_the_rest(tmp_path):
    write(tmp_path / "good.txt", STORY)
    write(tmp_path / "nested" / "old.txt", "Un titre\n\nLe garçon à l’école, déjà.\n".replace("’", "'").encode("latin-1"))
    write(tmp_path / "binary.txt", b"\x00\x01\x02\x03PK\x03\x04" + bytes(range(256)) * 4)
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "blank.md", b"\n   \n\t\n")
    write(tmp_path / "huge.txt", STORY * 200)
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "missing-target.txt")
    write(tmp_path / "undecodable.txt", bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 40)

    files, warnings = loaded(tmp_path, max_bytes=5_000)
    assert sorted(files) == ["good.txt", "nested/old.txt"]
    assert files["nested/old.txt"].text.startswith("Un titre\n\nLe garçon à l'école, déjà.")
    assert sorted(warnings) == ["binary.txt", "blank.md", "dangling.txt", "empty.txt", "huge.txt",
                                "undecodable.txt"]
    for path, w in warnings.items():
        line = str(w)
        assert "\n" not in line and path in line
    assert "binary" in warnings["binary.txt"].message
    assert "empty" in warnings["empty.txt"].message
    assert "limit" in warnings["huge.txt"].message
    assert "decoded" in warnings["undecodable.txt"].message


def test_size_limit_is_configurable(tmp_path):
    write(tmp_path / "a.txt", STORY * 10)
    size = (tmp_path / "a.txt").stat().st_size
    assert loaded(tmp_path, max_bytes=size)[0]
    assert loaded(tmp_path, max_bytes=size - 1)[1]
    assert corpus.DEFAULT_MAX_BYTES >= 1_000_000


def test_markdown_file_loads_and_cleans(tmp_path):
    write(tmp_path / "story.md", "# A markdown headline for a test\n\nSome **bold** text with a "
                                 "[link](https://example.org) in it.\n")
    (src,) = loaded(tmp_path)[0].values()
    (art,) = clean(src)
    assert art.id == "story" and art.title == "A markdown headline for a test"
    assert art.passages[0].text == "Some bold text with a link in it."


def test_scan_follows_a_linked_folder_once_and_a_link_to_a_parent_does_not_loop(tmp_path):
    write(tmp_path / "news" / "a.txt", "Title\n\nBody.\n")
    write(tmp_path / "elsewhere" / "b.txt", "Title\n\nBody.\n")
    (tmp_path / "news" / "more").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "news" / "more-again").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "news" / "up").symlink_to(tmp_path / "news")
    assert [e.rel for e in corpus.scan(tmp_path / "news")] == ["a.txt", "more/b.txt"]


def test_a_link_to_the_root_or_to_a_folder_holding_the_corpus_is_not_followed_and_is_named(tmp_path):
    write(tmp_path / "news" / "a.txt", "Title\n\nBody.\n")
    write(tmp_path / "outside.txt", "Title\n\nBody.\n")
    write(tmp_path / "elsewhere" / "b.txt", "Title\n\nBody.\n")
    (tmp_path / "elsewhere" / "onward").symlink_to(tmp_path / "far")
    write(tmp_path / "far" / "c.txt", "Title\n\nBody.\n")
    (tmp_path / "news" / "root").symlink_to("/")
    (tmp_path / "news" / "proc").symlink_to("/proc")
    (tmp_path / "news" / "home").symlink_to(tmp_path)
    (tmp_path / "news" / "linked").symlink_to(tmp_path / "elsewhere")
    found = corpus.scan_corpus(tmp_path / "news")
    assert [e.rel for e in found.entries] == ["a.txt", "linked/b.txt"]
    why = {w.path: w.message for w in found.not_followed}
    assert sorted(why) == ["home", "linked/onward", "proc", "root"]
    assert "holds the corpus" in why["root"] and "holds the corpus" in why["home"]
    assert "system folder" in why["proc"] and "itself linked" in why["linked/onward"]


def test_a_dangling_link_keeps_the_same_stamp_between_scans(tmp_path):
    write(tmp_path / "a.txt", "Title\n\nBody.\n")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "no-such-target.txt")
    first, second = corpus.scan(tmp_path), corpus.scan(tmp_path)
    assert [e.rel for e in first] == ["a.txt", "gone.txt"]
    assert first == second and first[1].size >= 0
