"""Scratch: profile find_quotes over the recognised articles of a folder."""
import cProfile, pstats, sys
from pathlib import Path
from reader.core.library.analysis import analyse_file
from reader.core.ingest import rules
from reader.core.quotes import find_quotes
rs = rules.load_rules(None)
arts = [a for f in sorted(Path(sys.argv[1]).rglob("*.txt"))[:200]
        for a in analyse_file(f, f.name, f.stem, 5 << 20, rs).articles]
cProfile.run("for _ in range(2):\n  [find_quotes(a) for a in arts]", "/tmp/q.prof")
pstats.Stats("/tmp/q.prof").sort_stats("tottime").print_stats(22)
