"""Scratch: profile analysing the files of a folder in one process (what a worker does)."""
import cProfile, pstats, sys
from pathlib import Path
from reader.core.library.analysis import analyse_file
from reader.core.ingest import rules
files = sorted(Path(sys.argv[1]).rglob("*.txt"))[:150]
rs = rules.load_rules(None)
for f in files[:5]:
    analyse_file(f, f.name, f.stem, 5 << 20, rs)
cProfile.run("for f in files: analyse_file(f, f.name, f.stem, 5 << 20, rs)", "/tmp/ing.prof")
st = pstats.Stats("/tmp/ing.prof")
st.sort_stats("cumtime").print_stats(r"quotes|pack|to_json|_quotes_json|analysis|model", 25)
