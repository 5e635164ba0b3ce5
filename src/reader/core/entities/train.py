"""Train the entity recogniser: ``python -m reader.core.entities.train PATH``.

PATH is a CoNLL file of tokens, one a line (``TOKEN<TAB>TAG[<TAB>GMBTAG]``, a
blank line between sentences; TAG is BIO over PER, LOC, ORG), such as the
Groningen Meaning Bank extract kreader's model is trained on (see the README).
The model is written where the package loads it (``--out`` to write elsewhere);
training is deterministic (L-BFGS, a fixed seed for the held-out part).

Labels are adjusted to what kreader highlights: titles leading a person's span
(``President``, ``Mr.``) are not part of the name, and GMB's ``gpe`` mentions
that are not places (demonyms: ``Iraqi``) are no entity.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from reader.core.entities.cues import TITLES
from reader.core.entities.features import (Tokens, document_votes, label_counts, sequence_features,
                                           stacked_features, windows)
from reader.core.entities.gazetteer import gazetteer
from reader.core.entities.keys import normalise_name

SEED = 2026
"""Seed of the held-out split, so a run can be repeated exactly."""
DOCUMENT_SENTENCES = 20
"""Consecutive sentences taken as one document for the article-level votes (the data has no documents)."""
PARAMS = {"c1": 0.5, "c2": 0.1, "max_iterations": 100, "feature.possible_transitions": True,
          "feature.minfreq": 2}
"""crfsuite's L-BFGS training parameters."""
LABELS = {"PER": "person", "LOC": "place", "ORG": "organization"}
FOLDS = 2
"""Folds of the training documents whose first-pass labels the second pass learns from."""


def read_conll(path: Path) -> Iterator[list[tuple[str, str, str]]]:
    """Sentences of (token, tag, original tag) from a CoNLL file."""
    sent: list[tuple[str, str, str]] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if sent:
                    yield sent
                sent = []
                continue
            parts = line.split("\t")
            tag = parts[1] if len(parts) > 1 else "O"
            gmb = parts[2] if len(parts) > 2 else tag
            sent.append((parts[0], tag, gmb))
    if sent:
        yield sent


def relabel(sent: list[tuple[str, str, str]]) -> list[str]:
    """The sentence's labels as kreader highlights names (see the module's docstring)."""
    places = gazetteer().places
    labels = [tag for _, tag, _ in sent]
    i = 0
    while i < len(sent):
        if not labels[i].startswith("B-"):
            i += 1
            continue
        j = i + 1
        while j < len(sent) and labels[j] == "I-" + labels[i][2:]:
            j += 1
        typ, gmb = labels[i][2:], sent[i][2]
        words = [w for w, _, _ in sent[i:j]]
        if gmb.endswith("gpe") and places.get(normalise_name(" ".join(words)), 0) == 0:
            labels[i:j] = ["O"] * (j - i)
        elif typ == "PER":
            k = i
            while k < j and normalise_name(words[k - i]) in TITLES:
                labels[k] = "O"
                k += 1
            if i < k < j:
                labels[k] = "B-PER"
        i = j
    return labels


def _tokens(sent: list[tuple[str, str, str]]) -> Tokens:
    return Tokens([w for w, _, _ in sent])


Window = tuple[list[list[str]], list[str], list[str]]
"""One tagged window: its tokens' features, their labels, their words."""


def documents(path: Path) -> list[list[Window]]:
    """The windows of each document (:data:`DOCUMENT_SENTENCES` consecutive sentences)."""
    sents = list(read_conll(path))
    docs = []
    for d in range(0, len(sents), DOCUMENT_SENTENCES):
        doc = sents[d:d + DOCUMENT_SENTENCES]
        toks = [_tokens(s) for s in doc]
        votes = document_votes(toks)
        windows_ = []
        for s, t in zip(doc, toks):
            labels = relabel(s)
            for a, b in windows(t, votes):
                windows_.append((sequence_features(t, votes, a, b), labels[a:b], t.words[a:b]))
        docs.append(windows_)
    return docs


def stacked(doc: list[Window], first: list[list[str]]) -> list[list[list[str]]]:
    """The second pass's features of a document's windows, given the first pass's labels."""
    counts = label_counts([w for _, _, w in doc], first)
    return [stacked_features(x, w, lab, counts) for (x, _, w), lab in zip(doc, first)]


def spans(labels: list[str]) -> set[tuple[int, int, str]]:
    """The (start, end, type) spans of a BIO label sequence."""
    out, start, typ = set(), None, None
    for i, lab in enumerate(labels + ["O"]):
        if lab.startswith("I-") and typ == lab[2:]:
            continue
        if start is not None:
            out.add((start, i, typ))
            start = typ = None
        if lab != "O":
            start, typ = i, lab[2:]
    return out


def _fit(docs: list[list[Window]], out: Path, params: dict, features=None) -> int:
    """Train one CRF on the documents' windows (``features``: other features for them), write ``out``."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    trainer.set_params(params)
    n = 0
    for i, doc in enumerate(docs):
        for j, (x, y, _) in enumerate(doc):
            trainer.append(features[i][j] if features else x, y)
            n += len(y)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    trainer.train(str(tmp))
    tmp.replace(out)
    return n


def _tag(model: Path, docs: list[list[Window]]) -> list[list[list[str]]]:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model))
    return [[tagger.tag(x) for x, _, _ in doc] for doc in docs]


def second_path(first: Path) -> Path:
    """Where the second (document-level) pass's model is kept beside the first's."""
    return first.with_name(first.stem + "-doc" + first.suffix)


def train(path: Path, out: Path, holdout: float = 0.0, params: dict | None = None, second: bool = True) -> dict:
    """Train on ``path`` (keeping a ``holdout`` share of documents apart to score), write ``out``;
    with ``second``, also the document-level pass (:func:`second_path`): trained on the first
    pass's labels of each document by a model that never saw it (:data:`FOLDS`-fold), so it
    learns how far to trust them, as it will on new text."""
    params = {**PARAMS, **(params or {})}
    rng = random.Random(SEED)
    t0 = time.perf_counter()
    docs, held = [], []
    for doc in documents(path):
        (held if rng.random() < holdout else docs).append(doc)
    t1 = time.perf_counter()
    n = _fit(docs, out, params)
    report = {"tokens": n, "features_s": round(t1 - t0, 1)}
    if second:
        folds = [i % FOLDS for i in range(len(docs))]
        random.Random(SEED + 1).shuffle(folds)
        first: list = [None] * len(docs)
        part = out.with_name(out.name + ".fold")
        for k in range(FOLDS):
            _fit([d for d, f in zip(docs, folds) if f != k], part, params)
            inside = [i for i, f in enumerate(folds) if f == k]
            for i, labels in zip(inside, _tag(part, [docs[i] for i in inside])):
                first[i] = labels
        part.unlink()
        _fit(docs, second_path(out), params, [stacked(d, f) for d, f in zip(docs, first)])
    report.update({"train_s": round(time.perf_counter() - t1, 1), "model_mb": round(out.stat().st_size / 1e6, 2)})
    if held:
        report.update(score(out, held, second))
    return report


def score(model: Path, held: list[list[Window]], second: bool = False) -> dict:
    """Span F1 per type on held-out documents (with the second pass if ``second``)."""
    labels = _tag(model, held)
    if second:
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(second_path(model)))
        labels = [[tagger.tag(x) for x in stacked(d, f)] for d, f in zip(held, labels)]
    counts = {t: [0, 0, 0] for t in LABELS}
    for doc, doc_labels in zip(held, labels):
        for (_, y, _), pred_labels in zip(doc, doc_labels):
            gold, pred = spans(y), spans(list(pred_labels))
            for t in LABELS:
                g = {s for s in gold if s[2] == t}
                p = {s for s in pred if s[2] == t}
                counts[t][0] += len(g & p)
                counts[t][1] += len(p - g)
                counts[t][2] += len(g - p)
    out = {}
    for t, (tp, fp, fn) in counts.items():
        prec, rec = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
        out[f"f1_{t}"] = round(2 * prec * rec / max(prec + rec, 1e-9), 3)
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    prec, rec = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    out["f1_all"] = round(2 * prec * rec / max(prec + rec, 1e-9), 3)
    return out


def main(argv: list[str] | None = None) -> int:
    from reader.core.entities.model import MODEL_FILE, model_path

    ap = argparse.ArgumentParser(prog="python -m reader.core.entities.train", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", type=Path, help="CoNLL training file")
    ap.add_argument("--out", type=Path, default=None, help=f"model file (default: the package's {MODEL_FILE})")
    ap.add_argument("--holdout", type=float, default=0.0, help="share of documents kept apart and scored")
    ap.add_argument("--iterations", type=int, default=PARAMS["max_iterations"])
    ap.add_argument("--c1", type=float, default=PARAMS["c1"])
    ap.add_argument("--c2", type=float, default=PARAMS["c2"])
    ap.add_argument("--one-pass", action="store_true", help="train the first pass only, no document-level pass")
    a = ap.parse_args(argv)
    if not a.path.is_file():
        print(f"No training file at {a.path}.", file=sys.stderr)
        return 1
    out = a.out or model_path()
    report = train(a.path, out, a.holdout, {"max_iterations": a.iterations, "c1": a.c1, "c2": a.c2},
                   second=not a.one_pass)
    print(f"model written to {out}: " + ", ".join(f"{k} {v}" for k, v in report.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
