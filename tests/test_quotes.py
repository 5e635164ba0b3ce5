"""Quotes and their speakers, on made-up paragraphs (mentions placed by hand, so the
recogniser's changes do not move these tests)."""

from __future__ import annotations

import re

from reader.core.model import Article, Mention, Passage
from reader.core.quotes import find_quotes, speaker_entity
from reader.core.quotes.marks import quoted_spans

PEOPLE = {"Vera Holm": "person", "Holm": "person", "Tomas Rieck": "person", "Rieck": "person",
          "Ilse Marn": "person", "Marn": "person", "Norland Water": "organization",
          "Ministry of Harbours": "organization", "Calder": "place"}


def _mentions(text: str) -> tuple[Mention, ...]:
    found: list[Mention] = []
    for name in sorted(PEOPLE, key=len, reverse=True):
        for m in re.finditer(re.escape(name), text):
            if not any(f.start <= m.start() < f.end for f in found):
                eid = name.lower().replace(" ", "-")
                found.append(Mention(m.start(), m.end(), name, PEOPLE[name], eid))
    return tuple(sorted(found, key=lambda m: m.start))


def article(*paragraphs: str, title: str = "A made-up story") -> Article:
    return Article("a1", "a1.txt", title,
                   tuple(Passage(n, "paragraph", t, _mentions(t)) for n, t in enumerate(paragraphs)),
                   title_mentions=_mentions(title))


def who(q, art) -> str | None:
    m = speaker_entity(q.speaker, art)
    return m.text if m else None


def test_straight_curly_and_guillemet_marks_are_read():
    for text in ('He said: "We stay."', "He said: “We stay.”", "He said: «We stay.»", "He said: ‘We stay.’"):
        spans = quoted_spans(text)
        assert [text[s.start:s.end] for s in spans] == ["We stay."], text


def test_apostrophes_are_not_quote_marks():
    text = "The players’ union said it won’t strike in the ’90s style, Holm's aide said."
    assert quoted_spans(text) == []


def test_a_split_quote_gives_two_stretches_with_one_speaker():
    art = article('"We will not give up the harbour," Vera Holm said, "not this year and not next."')
    qs = [q for q in find_quotes(art) if q.kind == "direct"]
    assert [q.text for q in qs] == ["We will not give up the harbour,", "not this year and not next."]
    assert {who(q, art) for q in qs} == {"Vera Holm"}
    assert {q.cue for q in qs} == {"said"}


def test_a_quote_over_several_paragraphs_keeps_its_speaker():
    art = article('Tomas Rieck told reporters: "The pumps failed twice this winter.',
                  '"Nobody at the station was warned before the second failure.',
                  '"We are asking for an inquiry."',
                  'The weather in Calder stayed cold.')
    qs = [q for q in find_quotes(art) if q.kind == "direct"]
    assert [q.passage for q in qs] == [0, 1, 2]
    assert all(who(q, art) == "Tomas Rieck" for q in qs)
    assert qs[0].cue == "told" and qs[1].cue is None


def test_a_pronoun_speaker_is_the_person_named_before():
    art = article("Ilse Marn visited the flooded streets of Calder on Monday.",
                  '"The water came up in an hour," she said.')
    q = [q for q in find_quotes(art) if q.kind == "direct"][0]
    assert q.speaker.kind == "pronoun" and q.speaker.text == "she"
    assert who(q, art) == "Ilse Marn"


def test_an_unnamed_source_keeps_its_description():
    art = article("Vera Holm opened the new dam in Calder.",
                  '"The dam is safe," a ministry spokesman said.')
    q = [q for q in find_quotes(art) if q.kind == "direct"][0]
    assert q.speaker.text == "a ministry spokesman"
    assert q.speaker.kind == "description" and not q.speaker.named
    assert who(q, art) is None


def test_the_ministry_is_the_organisation_named_before():
    art = article("The Ministry of Harbours closed the port of Calder.",
                  "The ministry said the port would reopen on Friday.")
    q = find_quotes(art)[0]
    assert q.kind == "indirect" and q.text == "the port would reopen on Friday"
    assert who(q, art) == "Ministry of Harbours"


def test_scare_quotes_are_not_quotes():
    art = article('The so-called "blue plan" was dropped after the "harbour tax" row in Calder.',
                  'Critics of the "Clean Coast" label were not named.')
    assert [q for q in find_quotes(art) if q.kind == "direct"] == []


def test_a_quoted_word_attributed_to_someone_is_a_quote():
    art = article('Tomas Rieck called the inquiry a "charade".')
    q = find_quotes(art)[0]
    assert q.text == "charade" and q.kind == "direct" and who(q, art) == "Tomas Rieck"


def test_an_indirect_quote_is_the_content_clause():
    art = article("Vera Holm said that the harbour would stay open through the winter.",
                  "The storms had passed, Holm added.",
                  "Tomas Rieck told a meeting in Calder the pumps were too old.")
    qs = find_quotes(art)
    assert [(q.kind, q.text, who(q, art)) for q in qs] == [
        ("indirect", "the harbour would stay open through the winter", "Vera Holm"),
        ("indirect", "The storms had passed", "Vera Holm"),  # the fullest name the article gave
        ("indirect", "the pumps were too old", "Tomas Rieck")]


def test_a_verb_of_saying_with_a_plain_object_is_no_quote():
    art = article("Vera Holm denied the claims.", "Tomas Rieck urged them to act.")
    assert find_quotes(art) == ()


def test_a_mixed_quote_is_split_at_the_marks():
    art = article('Ilse Marn said it was "plain" the dam had been built too low.')
    qs = find_quotes(art)
    assert [(q.kind, q.text) for q in qs] == [("direct", "plain"), ("indirect", "the dam had been built too low")]
    assert all(q.partial and who(q, art) == "Ilse Marn" for q in qs)


def test_a_quote_inside_a_headline():
    art = article("The dam opened on Monday.", title='Holm: "The dam will hold"')
    q = [q for q in find_quotes(art) if q.passage == -1][0]
    assert q.text == "The dam will hold" and who(q, art) == "Holm"


def test_an_office_speaks_for_its_principal():
    art = article('Calder "must open the gates," Vera Holm’s office said on Tuesday.')
    q = find_quotes(art)[0]
    assert q.speaker.via == "office" and who(q, art) == "Vera Holm"


def test_according_to_gives_an_indirect_quote():
    art = article("According to Norland Water, the reservoir is half empty.")
    q = find_quotes(art)[0]
    assert (q.kind, q.cue, q.text, who(q, art)) == ("indirect", "according to", "the reservoir is half empty",
                                                   "Norland Water")


def test_a_speaker_is_listed_under_their_entity_across_articles():
    from reader.core.entities import resolve_corpus
    from reader.core.quotes import QuoteIndex, said_in
    one = article("Vera Holm said the harbour would stay open.")
    two = Article("a2", "a2.txt", "Another outlet",
                  (Passage(0, "paragraph", '"We stay open," Holm told a radio station.',
                           _mentions('"We stay open," Holm told a radio station.')),))
    arts = [a.with_(quotes=find_quotes(a)) for a in (one, two)]
    res = resolve_corpus(arts)
    arts = [res.apply(a) for a in arts]
    index = QuoteIndex(s for a in arts for s in said_in(a, res))
    holm = res.lookup("Vera Holm", limit=1)[0][0]
    said = index.of([holm.id])
    assert [(s.article, s.quote.kind) for s in said] == [("a1", "indirect"), ("a2", "direct")]
    assert said[1].to_json()["speaker"]["name"] == "Vera Holm"
    assert index.passages_of([holm.id]) == {("a1", 0), ("a2", 0)}
