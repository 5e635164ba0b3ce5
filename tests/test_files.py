

def test_a_name_is_read_as_its_format_says():
    # the scan's quick test of a name agrees with the format lookup on every suffix and odd names
    from reader.core.ingest.formats import kinds
    names = [f"{stem}{suffix}" for stem in ("a", "", ".", "x.y", "İx", "ß")
             for suffix in (*kinds.SUFFIXES, ".TXT", ".Html.GZ", ".gz", ".foo", ".foo.txt", "", ".", ".tar.gz")]
    for name in names:
        if name:
            assert kinds.reads_name(name) == (kinds.format_of(name) is not None), name
    assert all(s.count(".") == 1 or s.endswith(".gz") for s in kinds.SUFFIXES)  # what reads_name relies on
