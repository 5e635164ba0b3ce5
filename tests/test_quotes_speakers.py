"""Speakers chosen by the article's own words: a company the recogniser typed otherwise, the
fullest name the article gives, on made-up paragraphs (mentions placed by hand)."""

from __future__ import annotations

import re

from reader.core.model import Article, Entity, Mention, Passage
from reader.core.quotes import find_quotes, speaker_entity
from reader.core.quotes.corpus import said_in


def _mentions(text: str, names: dict[str, str]) -> tuple[Mention, ...]:
    found: list[Mention] = []
    for name in sorted(names, key=len, reverse=True):
        for m in re.finditer(r"\b" + re.escape(name) + r"\b", text):
            if not any(f.start <= m.start() < f.end for f in found):
                found.append(Mention(m.start(), m.end(), name, names[name], name.lower().replace(" ", "-")))
    return tuple(sorted(found, key=lambda m: m.start))


def article(names: dict[str, str], *paragraphs: str) -> Article:
    return Article("a1", "a1.txt", "A made-up story",
                   tuple(Passage(n, "paragraph", t, _mentions(t, names)) for n, t in enumerate(paragraphs)))


def who(q, art) -> str | None:
    m = speaker_entity(q.speaker, art)
    return m.text if m else None


def test_the_company_is_a_company_the_recogniser_typed_a_person():
    names = {"Brunmark": "person", "Velta": "organization"}
    art = article(names, "The packaging giant Brunmark has agreed to buy its rival Velta.",
                  "The company said it would keep both factories open.")
    q = find_quotes(art)[0]
    assert q.speaker.text == "The company" and who(q, art) == "Brunmark"


def test_it_is_a_company_known_by_its_shares_or_its_chief_executive():
    for opening in ("Brunmark shares fell on Monday after Velta cut its orders.",
                    "Brunmark's chief executive was in Oslo when Velta cut its orders."):
        art = article({"Brunmark": "person", "Velta": "place"}, opening,
                      "Brunmark said it would not close the plant.",
                      "It said the orders would come back by the spring.")
        q = [q for q in find_quotes(art) if q.speaker.text == "It"][0]
        assert who(q, art) == "Brunmark", opening


def test_a_person_with_a_role_is_no_company():
    art = article({"Anna Brunmark": "person", "Brunmark": "person", "Velta": "organization"},
                  "Velta hired Anna Brunmark last year.",
                  "Brunmark became president of the board in May.",
                  "The company said profits would rise.")
    q = find_quotes(art)[0]
    assert who(q, art) == "Velta"


def test_an_acronym_in_brackets_speaks_under_the_full_name():
    names = {"Office for Harbour Statistics": "organization", "OHS": "organization"}
    art = article(names, "The Office for Harbour Statistics (OHS) counted the ships.",
                  "Traffic rose by a tenth in the year, the OHS said.")
    q = find_quotes(art)[0]
    assert who(q, art) == "Office for Harbour Statistics"


def test_a_short_name_after_the_full_one_is_the_full_one():
    names = {"Lindqvist Marine": "organization", "Lindqvist": "organization",
             "Pedro Alves Nunes Costa": "person", "Nunes": "person"}
    art = article(names, "Lindqvist Marine builds ferries. President Pedro Alves Nunes Costa opened the yard.",
                  "Orders doubled this year, Lindqvist said.",
                  "President Nunes said the yard would hire 200 welders.")
    qs = find_quotes(art)
    assert [who(q, art) for q in qs] == ["Lindqvist Marine", "Pedro Alves Nunes Costa"]


class _Resolution:
    """The corpus-wide resolution, as far as said_in uses it: one entity named by its acronym."""

    def entity(self, entity_id):
        return Entity("ohs", "OHS", "organization") if entity_id == "ohs" else None

    def lookup(self, name, limit=1):
        return []


def test_the_name_shown_is_the_fullest_the_article_gives_the_entity():
    text = "The Office for Harbour Statistics (OHS) said traffic rose by a tenth in the year."
    ms = (Mention(4, 33, "Office for Harbour Statistics", "organization", "ohs"),
          Mention(35, 38, "OHS", "organization", "ohs"))
    art = Article("a1", "a1.txt", "Ships", (Passage(0, "paragraph", text, ms),))
    art = art.with_(quotes=find_quotes(art))
    said = said_in(art, _Resolution())
    assert [s.speaker_name for s in said] == ["Office for Harbour Statistics"]
    assert said[0].entity.id == "ohs"


PEOPLE = {"Anna Brunmark": "person", "Brunmark": "person", "Velta": "organization", "Oskar Lind": "person",
          "Lind": "person", "Harbour Institute": "organization", "Tern Studios": "person"}


def test_a_role_before_the_name_after_the_verb():
    art = article(PEOPLE, '"We are proud of the crew," said chief executive officer Anna Brunmark.')
    assert who(find_quotes(art)[0], art) == "Anna Brunmark"


def test_a_role_and_its_organisation_before_a_trailing_speaker():
    art = article(PEOPLE, "Velta cut 300 jobs.",
                  '"We had no other way," Velta\'s chief executive Anna Brunmark said in a statement.')
    assert who(find_quotes(art)[0], art) == "Anna Brunmark"


def test_a_given_name_the_recogniser_left_out_and_a_role_at_an_organisation():
    names = {"Brunmark": "person", "Harbour Institute": "organization"}
    art = article(names, '"The tide tables are wrong," Will Brunmark, a senior fellow at the Harbour Institute '
                         'told reporters.')
    q = find_quotes(art)[0]
    assert q.speaker.text == "Will Brunmark" and who(q, art) == "Brunmark"


def test_according_to_covers_the_report_inside_it():
    art = article(PEOPLE, "According to Mr Lind, Anna Brunmark had warned the board that the hull was cracked.")
    q = find_quotes(art)[0]
    assert q.kind == "indirect" and q.text.startswith("Anna Brunmark had warned") and who(q, art) == "Lind"


def test_a_described_speaker_is_not_the_one_spoken_about():
    art = article(PEOPLE, "Oskar Lind led the crew for ten years before Anna Brunmark joined.",
                  "The 40-year-old skipper says that Brunmark will be badly missed.")
    assert who(find_quotes(art)[0], art) == "Oskar Lind"


def test_a_described_maker_who_says_he_is_a_person():
    art = article(PEOPLE, "Oskar Lind founded Tern Studios in 1990.",
                  "The veteran boat maker says he has one problem still to solve.")
    assert who(find_quotes(art)[0], art) == "Oskar Lind"


def test_a_speaker_with_no_reported_clause_speaks_the_quotes_after():
    art = article(PEOPLE, 'Harbour spokesman Oskar Lind repeated his calls for a new sea wall. '
                          '"The old one will not stand another winter."',
                  'Anna Brunmark has accused both councils of a "race to the bottom on safety".',
                  '"Nobody wants to pay for concrete until the water is in the streets."')
    qs = find_quotes(art)
    assert [(q.kind, who(q, art)) for q in qs] == [("direct", "Oskar Lind"), ("direct", "Anna Brunmark"),
                                                   ("direct", "Anna Brunmark")]
    assert qs[1].text == "race to the bottom on safety"


def test_a_passive_naming_verb_gives_the_words_to_its_agent():
    art = article(PEOPLE, 'Lind was described as a "born sailor" by his friend and fellow skipper Anna Brunmark.')
    q = find_quotes(art)[0]
    assert q.text == "born sailor" and who(q, art) == "Anna Brunmark"


def test_an_organisation_at_a_place_named_with_no_holder_before_it_still_speaks():
    # ``the Chamber of Mines of Veltria said``: the name after ``of`` is no person, and what
    # stands before it names nobody (it crashed the quote finder, and so the whole ingest).
    names = {"Veltria": "place", "Chamber of Mines": "organization", "Dorvan": "place"}
    art = article(names, "In its annual report, the Chamber of Mines of Veltria said Dorvan sold "
                         "far more tin than agreed. \"Dorvan has lost sight of the accord,\" it said.")
    quotes = find_quotes(art)
    assert [q.kind for q in quotes] == ["indirect", "direct"]
    assert [who(q, art) for q in quotes] == ["Chamber of Mines", "Chamber of Mines"]
