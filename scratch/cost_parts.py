"""Scratch: CPU of each quote-related step of analysis, per article, on a folder."""
import sys, time, pickle
from pathlib import Path
from reader.core.library.analysis import analyse_file, speaker_forms
from reader.core.library.store import pack
from reader.core.ingest import rules
from reader.core.quotes import find_quotes
rs = rules.load_rules(None)
files = sorted(Path(sys.argv[1]).rglob("*.txt"))[:300]
t = time.process_time(); res = [analyse_file(f, f.name, f.stem, 5 << 20, rs) for f in files]; total = time.process_time() - t
arts = [a for r in res for a in r.articles]
bare = [a.with_(quotes=()) for a in arts]
def clock(fn, xs):
    t = time.process_time()
    for x in xs: fn(x)
    return time.process_time() - t
print(f"{len(arts)} articles: analyse_file {total:.2f}s; find_quotes {clock(find_quotes, bare):.2f}s; "
      f"pack with quotes {clock(pack, arts):.2f}s vs without {clock(pack, bare):.2f}s; "
      f"speaker_forms {clock(speaker_forms, arts):.2f}s; pickle {clock(lambda a: pickle.dumps(a), arts):.2f}s vs {clock(lambda a: pickle.dumps(a), bare):.2f}s")
