"""Training the recogniser (``python -m reader.core.entities.train``) on a small made-up CoNLL file:
both passes written, deterministic, and the document-level features read the first pass."""

from __future__ import annotations

from collections import Counter

from reader.core.entities import train
from reader.core.entities.features import document_features, label_counts

SENTENCES = [
    [("Orvel", "B-PER"), ("Tamsin", "I-PER"), ("flew", "O"), ("to", "O"), ("Lisbon", "B-LOC"), (".", "O")],
    [("Velta", "B-ORG"), ("shares", "O"), ("rose", "O"), ("in", "O"), ("Kenya", "B-LOC"), (".", "O")],
    [("The", "O"), ("Qorvask", "B-ORG"), ("Council", "I-ORG"), ("met", "O"), ("Tamsin", "B-PER"), (".", "O")],
]


def write_conll(path, copies: int = 30) -> None:
    lines = []
    for _ in range(copies):
        for sent in SENTENCES:
            lines += [f"{w}\t{t}" for w, t in sent] + [""]
    path.write_text("\n".join(lines), encoding="utf-8")


def test_training_writes_both_passes_the_same_way_twice(tmp_path):
    data = tmp_path / "train.conll"
    write_conll(data)
    out = tmp_path / "m" / "ner.crfsuite"
    assert train.main([str(data), "--out", str(out), "--iterations", "20"]) == 0
    second = train.second_path(out)
    assert out.is_file() and second.is_file()
    first_bytes, second_bytes = out.read_bytes(), second.read_bytes()
    assert train.main([str(data), "--out", str(out), "--iterations", "20"]) == 0
    assert out.read_bytes() == first_bytes and second.read_bytes() == second_bytes


def test_one_pass_training_writes_no_second_model(tmp_path):
    data = tmp_path / "train.conll"
    write_conll(data, copies=5)
    out = tmp_path / "ner.crfsuite"
    assert train.main([str(data), "--out", str(out), "--iterations", "5", "--one-pass"]) == 0
    assert out.is_file() and not train.second_path(out).exists()


def test_document_features_say_what_the_first_pass_made_of_the_word_elsewhere():
    counts = label_counts([["Velta", "said"], ["Velta", "shares"]], [["B-PER", "O"], ["B-ORG", "O"]])
    assert counts["Velta"] == Counter({"PER": 1, "ORG": 1})
    f = document_features(["Velta", "said"], ["B-PER", "O"], counts)[0]
    assert "p1=B-PER" in f and "nl=ORG" in f and "nlmaj=ORG" in f  # the other occurrence was ORG
    lone = document_features(["Velta"], ["O"], label_counts([["Velta"], ["Velta"]], [["O"], ["O"]]))[0]
    assert "nl=O" in lone
