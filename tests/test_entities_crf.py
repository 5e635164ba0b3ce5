"""The recogniser's own CRF decoding (weights read from the crfsuite file, Viterbi in numpy)
gives crfsuite's labels, on made-up news and on a model trained here."""

from __future__ import annotations

import pycrfsuite
import pytest

from reader.core.entities import model, train
from reader.core.entities.crf import read_model, viterbi
from reader.core.entities.features import document_votes, label_counts, sequence_features, stacked_features, \
    tokenise, windows

TEXTS = [
    "President Orvel Tamsin flew to Lisbon on Monday, where the Velmoran Trade Council met.",
    "Shares in Norvalis Corp rose. Norvalis said profits doubled; Tamsin said nothing.",
    "\"We will not go,\" said Dana Korvin, the foreign minister of Qorvask. Meanwhile, the U.N. Security "
    "Council and the EU called for calm in New York and Saudi Arabia.",
    "THE STORM HIT KENYA AND TANZANIA ON TUESDAY, AND ORVEL TAMSIN SAID SO.",
    "no capital here at all, only words.",
    "Velta Velta Velta. Velta shares fell as Velta's chief executive Ana Berg left for Velta.",
]


def crfsuite_spans(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """What the recogniser found when it tagged with crfsuite itself (both passes)."""
    first, second = pycrfsuite.Tagger(), pycrfsuite.Tagger()
    first.open(str(model.model_path()))
    second.open(str(model.model_path(model.SECOND_FILE)))
    toks = [tokenise(t) for t in texts]
    votes = document_votes(toks)
    tagged = [(i, a, b, x, first.tag(x)) for i, t in enumerate(toks) for a, b in windows(t, votes)
              for x in [sequence_features(t, votes, a, b)]]
    counts = label_counts([toks[i].words[a:b] for i, a, b, _, _ in tagged], [y for *_, y in tagged])
    disputed = {w for w, c in counts.items() if len(c) > 1}
    found: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    for i, a, b, x, y in tagged:
        words = toks[i].words[a:b]
        if not disputed.isdisjoint(words):
            y = second.tag(stacked_features(x, words, y, counts))
        found[i].extend(model._spans(toks[i], a, y))
    return found


def test_the_numpy_tagger_finds_what_crfsuite_finds():
    assert [spans for _, spans in model.tag_texts(TEXTS)] == crfsuite_spans(TEXTS)
    one = TEXTS[:1]
    assert [spans for _, spans in model.tag_texts(one)] == crfsuite_spans(one)


def test_a_model_trained_here_decodes_as_crfsuite_decodes_it(tmp_path):
    data = tmp_path / "train.conll"
    sents = [[("Orvel", "B-PER"), ("Tamsin", "I-PER"), ("flew", "O"), ("to", "O"), ("Lisbon", "B-LOC")],
             [("Velta", "B-ORG"), ("shares", "O"), ("rose", "O"), ("in", "O"), ("Kenya", "B-LOC")]]
    data.write_text("\n".join("\n".join(f"{w}\t{t}" for w, t in s) + "\n" for s in sents * 20), encoding="utf-8")
    out = tmp_path / "ner.crfsuite"
    assert train.main([str(data), "--out", str(out), "--iterations", "10", "--one-pass"]) == 0
    weights = read_model(out)
    tagger = pycrfsuite.Tagger()
    tagger.open(str(out))
    toks = tokenise("Tamsin flew to Kenya. Velta shares rose in Lisbon, Orvel Tamsin said.")
    votes = document_votes([toks])
    seqs = [sequence_features(toks, votes, a, b) for a, b in windows(toks, votes)]
    rows = [weights.score(f) for x in seqs for f in x]
    import numpy as np

    em = np.array(rows)
    spans, at = [], 0
    for x in seqs:
        spans.append((at, at + len(x)))
        at += len(x)
    got = [[weights.labels[j] for j in y] for y in viterbi(em, spans, weights.transitions)]
    assert got == [tagger.tag(x) for x in seqs]


def test_a_damaged_model_file_is_said_in_one_sentence(tmp_path):
    bad = tmp_path / "ner.crfsuite"
    bad.write_bytes(b"lCRF" + b"\0" * 20)
    with pytest.raises(ValueError):
        read_model(bad)
    bad.write_bytes(b"not a model")
    with pytest.raises(ValueError):
        read_model(bad)


def test_tokens_are_where_their_words_are():
    from reader.core.entities.features import TOKEN
    text = ("  Mr. O' Neill\tled the U.S.-led talks;\u00a0AT&T's  Shi'ite al-Qaida\u3000chief "
            "said 1,000.5 1990s  \n\n Çelik Öz’s men... (AFP)  ")
    toks = tokenise(text)
    assert toks.words == [m.group() for m in TOKEN.finditer(text)]
    assert [(toks.start(i), toks.end(i)) for i in range(len(toks))] == [m.span() for m in TOKEN.finditer(text)]
    assert tokenise("").words == [] and tokenise(" \t ").words == []


def test_the_word_table_weighs_each_word_as_its_features_say():
    import numpy as np
    from reader.core.entities.features import BOUNDARY, CONTEXT, near_features, own_features
    weights = model.models()
    table = model._WordTable([w for w in weights if w is not None])
    words = [BOUNDARY, "the", "The", "U.S.", "NATO", "al-Qaida", "Velmoran", "Lisbon", "said", ",", "1990s", "Ana"]
    rows = table.ids(words)
    for part, w in zip(table.parts, table.weights):
        for word, row in zip(words, rows):
            assert np.array_equal(part[row, 0], w.score(own_features(word) if word != BOUNDARY else []))
            for g, k in enumerate(CONTEXT, 1):
                assert np.array_equal(part[row, g], w.score(near_features(word, k))), (word, k)
