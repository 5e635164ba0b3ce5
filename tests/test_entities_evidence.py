"""Recognition on made-up sentences, one per error category fixed by the article's own evidence
(issue 15): companies known by their context, parties, laws and awards, names joined by ``and``,
titles of the peerage, members after a party's name, an Irish ``O'``."""

from __future__ import annotations

from reader.core.entities import recognise_article
from reader.core.entities.companies import organised_at
from reader.core.model import Article, Mention, Passage
from reader.core.quotes.kinds import is_organisation


def mentions(*paragraphs: str) -> dict[str, str]:
    a = recognise_article(Article("a1", "a1.txt", "", tuple(Passage(n, "paragraph", t)
                                                           for n, t in enumerate(paragraphs))))
    return {m.text: m.type for p in a.passages for m in p.mentions}


def test_a_one_word_company_is_an_organisation_by_what_the_article_says_of_it():
    got = mentions("Brunvelt said it would appeal against the ruling on Tuesday.",
                   "Brunvelt's chief executive declined to comment.")
    assert got["Brunvelt"] == "organization"


def test_shares_in_a_name_make_it_a_company():
    assert mentions("Shares in Korvaxa rose 3% after the results.")["Korvaxa"] == "organization"


def test_company_evidence_does_not_turn_a_country_into_an_organisation():
    assert mentions("Kenya's exports rose, and Kenya's sales of tea doubled.")["Kenya"] == "place"


def test_the_evidence_is_shared_with_the_quote_finder():
    text = "The packaging giant Drevlo said profits fell."
    m = Mention(20, 25, "Drevlo", "person")
    assert organised_at(text, 20, 26) and is_organisation([(text, Mention(20, 26, "Drevlo", "person"))])
    assert not organised_at("Then Drevlo said he would resign.", 5, 11) and m.type == "person"


def test_parties_are_organisations_even_where_the_model_misses_them():
    got = mentions("Voters backed Labour in the north, while the Tories and the Lib Dems lost seats.")
    assert got.get("Labour") == "organization" and got.get("Tories") == "organization"
    assert got.get("Lib Dems") == "organization"


def test_a_sentence_initial_party_word_the_article_uses_as_a_common_word_is_no_name():
    got = mentions("Labour costs rose by a tenth.", "Farms need cheap labour in the summer.")
    assert "Labour" not in got


def test_two_parties_joined_by_and_are_two_names():
    got = mentions("Voters turned to the Conservatives and Liberal Democrats instead.")
    assert got.get("Conservatives") == "organization" and got.get("Liberal Democrats") == "organization"
    assert "Conservatives and Liberal Democrats" not in got


def test_laws_and_awards_are_not_organisations():
    got = mentions("Police used the Public Nuisance Act against them.",
                   "The film won at the Golden Quill Awards in Vantoria.")
    assert not any(k.endswith(("Act", "Awards")) for k in got)


def test_a_peer_is_named_without_the_title():
    got = mentions("Baroness Thelwyn and Sir Marek Dunstow spoke in the debate.")
    assert got.get("Thelwyn") == "person" and got.get("Marek Dunstow") == "person"


def test_members_after_a_party_leave_the_party_alone():
    got = mentions("Several Labour MPs voted against the plan.")
    assert got.get("Labour") == "organization" and "Labour MPs" not in got


def test_an_irish_o_keeps_the_surname():
    got = mentions("The campaign was led by Rory O' Neill of Dublin.")
    assert got.get("Rory O' Neill") == "person"


def test_a_name_cut_at_a_character_lost_to_the_encoding_is_one_person():
    got = mentions("The envoy, Pavel Dmitrievi? Korsak said talks would go on. Is it Vienna? Berlin said no.")
    assert got.get("Pavel Dmitrievi? Korsak") == "person"
    assert "Vienna? Berlin" not in got


def test_a_club_is_an_organisation_by_its_players_and_a_company_by_its_users():
    assert mentions("The goal came from Dunmore striker Tom Vell on Saturday.").get("Dunmore") == "organization"
    got = mentions("Quorvel's website was down and Quorvel's users complained.")
    assert got.get("Quorvel") == "organization"


def test_a_common_noun_s_possessive_inside_a_name_keeps_it_whole():
    got = mentions("Rebels of the Lord's Resistance Army attacked, and Zarnia's Foreign Ministry protested.")
    assert got.get("Lord's Resistance Army") == "organization"
    assert got.get("Zarnia") and "Zarnia's Foreign Ministry" not in got
