"""Scratch: time of find_quotes against recognition, per article, on a folder (best of 5)."""
import sys, time
from pathlib import Path
from reader.core.ingest.files import read_corpus
from reader.core.ingest.clean import clean
from reader.core import entities
from reader.core.quotes import find_quotes
arts = [a for src in read_corpus(Path(sys.argv[1])) for a in clean(src)]
t1 = t2 = 1e9
for _ in range(5):
    t = time.process_time(); rec = [entities.recognise_article(a) for a in arts]; t1 = min(t1, time.process_time() - t)
    t = time.process_time(); qs = [find_quotes(a) for a in rec]; t2 = min(t2, time.process_time() - t)
print(f"{len(arts)} articles: recognise {t1:.3f}s, quotes {t2:.3f}s ({100*t2/t1:.1f}% of recognition), {sum(map(len,qs))} quotes")
