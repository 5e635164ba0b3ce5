"""Scratch: gold quotes the prediction missed, with their sentence (for finding general rules)."""
import json, sys, re, collections
sys.path.insert(0, "/work/shared/tools")
import score_quotes as S
pred = collections.defaultdict(list)
for q in json.load(open(sys.argv[1])):
    pred[q["article"]].append(q)
kind = sys.argv[2] if len(sys.argv) > 2 else None
mode = sys.argv[3] if len(sys.argv) > 3 else "miss"
for line in open("/work/shared/dev/bbc/quotes.jsonl"):
    g = json.loads(line); doc = g["file"][:-4]
    text = open(f"/work/shared/dev/bbc/docs/{g['file']}").read()
    gq = g["quotes"]; pq = pred.get(doc, [])
    m = S.match(pq, gq)
    hit = {j for _, j in m}; hp = {i for i, _ in m}
    if mode == "miss":
        for j, q in enumerate(gq):
            if j in hit or (kind and q["kind"] != kind): continue
            a = text.rfind("\n", 0, q["start"]); b = text.find("\n", q["end"])
            ctx = text[max(a, q["start"]-200):min(b if b>0 else len(text), q["end"]+120)]
            print(f"--- {doc} [{q['kind']}] cue={q['cue']} sp={q['speaker']} | {q['text'][:80]!r}\n    {ctx!r}")
    elif mode == "fp":
        for i, q in enumerate(pq):
            if i in hp or (kind and q["kind"] != kind): continue
            print(f"--- {doc} [{q['kind']}] cue={q['cue']} sp={q['speaker_text']} | {q['text'][:150]!r}")
    elif mode == "wrong":
        for i, j in m:
            ps = (pq[i].get("speaker") or {}).get("name"); gs = gq[j]["speaker"]
            if gs and not (ps and S.same_speaker(ps, gs)):
                print(f"--- {doc} [{gq[j]['kind']}] gold={gs} span={gq[j]['speaker_span']['text'] if gq[j]['speaker_span'] else None} got={ps} ({pq[i]['speaker_text']}) | {gq[j]['text'][:70]!r}")
