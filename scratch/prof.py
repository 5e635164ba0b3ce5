import sys, cProfile, pstats
from pathlib import Path
from reader.core.ingest.files import read_corpus
from reader.core.ingest.clean import clean
from reader.core import entities
from reader.core.quotes import find_quotes
arts = [entities.recognise_article(a) for src in read_corpus(Path(sys.argv[1])) for a in clean(src)]
cProfile.run("for _ in range(3):\n  [find_quotes(a) for a in arts]", "/tmp/q.prof")
pstats.Stats("/tmp/q.prof").sort_stats("tottime").print_stats(14)
