import json, sys
from reader.core.model import Article
from reader.core.quotes.marks import quoted_spans
from reader.core.quotes.sentences import sentences, tokens
from reader.core.quotes.attribute import attributions
from reader.core.quotes import find_quotes
doc, sub = sys.argv[1], sys.argv[2]
for line in open(sys.argv[3] if len(sys.argv) > 3 else ".t/bbc.jsonl"):
    a = Article.from_json(json.loads(line))
    if a.id != doc: continue
    qs = find_quotes(a)
    for p in a.passages:
        if sub not in p.text: continue
        spans = quoted_spans(p.text)
        print("MENTIONS", [(m.text, m.type, m.start) for m in p.mentions])
        print("SPANS", [(s.start, s.end, s.closed, p.text[s.start:s.end][:40]) for s in spans])
        for x, y in sentences(p.text, spans):
            toks = tokens(p.text, x, y, spans)
            print("SENT", repr(p.text[x:y][:200]))
            for at in attributions(toks, p.mentions):
                print("   ATT", at.style, at.cue, at.speaker and " ".join(t.text for t in toks[at.speaker.lo:at.speaker.hi]), at.speaker and at.speaker.kind, at.content)
        for q in qs:
            if q.passage == p.n: print("  Q", q.kind, q.cue, q.speaker and (q.speaker.text, q.speaker.ref_text), repr(q.text[:60]))
