"""Scratch harness: quotes of an exported corpus (kreader export) in score_quotes.py's shape.

    python scratch/score_dev.py EXPORT.jsonl ENTITIES.json OUT.json
"""
import json, sys
from reader.core.model import Article
from reader.core.quotes import find_quotes, speaker_entity

exp, ents, out = sys.argv[1:4]
names = {e["id"]: e for e in json.load(open(ents))}
rows = []
for line in open(exp):
    a = Article.from_json(json.loads(line))
    for q in find_quotes(a):
        if q.passage < 0 and "--titles" not in sys.argv:
            continue
        m = speaker_entity(q.speaker, a)
        sp = None
        if m is not None:
            e = names.get(m.entity)
            sp = {"name": e["name"] if e else m.text, "entity": m.entity, "type": e["type"] if e else m.type}
        elif q.speaker and q.speaker.kind == "name":
            sp = {"name": q.speaker.text, "entity": None, "type": None}
        rows.append({"article": a.id, "passage": q.passage, "text": q.text, "kind": q.kind, "cue": q.cue,
                     "speaker": sp, "speaker_text": q.speaker.text if q.speaker else None})
json.dump(rows, open(out, "w"), indent=1)
print(len(rows), "quotes")
