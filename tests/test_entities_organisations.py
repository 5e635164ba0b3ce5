"""Organisations on made-up sentences, one test per error category fixed (issue 15, session 4):
a title across a sentence end, one-word companies known by verbs of business, national teams
named by their country, seats of government, names cut at a joiner, lists joined by ``and``,
news agencies, a body's name before a title."""

from __future__ import annotations

from reader.core.entities import recognise_article, resolve_corpus
from reader.core.entities.companies import organised_at
from reader.core.entities.cues import context_scores
from reader.core.entities.spans import extend_span, split_span
from reader.core.entities.teams import team_at
from reader.core.model import Article, Passage


def art(*paragraphs: str, id: str = "a1") -> Article:
    return Article(id, f"{id}.txt", "", tuple(Passage(n, "paragraph", t) for n, t in enumerate(paragraphs)))


def mentions(*paragraphs: str) -> list[tuple[str, str]]:
    a = recognise_article(art(*paragraphs))
    return [(m.text, m.type) for p in a.passages for m in p.mentions]


def resolved(*articles: Article) -> list[list[tuple[str, str]]]:
    arts = [recognise_article(a) for a in articles]
    res = resolve_corpus(arts)
    return [[(m.text, m.type) for p in res.apply(a).passages for m in p.mentions] for a in arts]


def at(text: str, name: str) -> tuple[int, int]:
    i = text.index(name)
    return i, i + len(name)


def test_a_title_ending_the_sentence_before_is_no_title_of_the_name():
    text = "said Ada Vell, an assistant attorney general. Korvaxa has agreed to pay."
    assert context_scores(text, *at(text, "Korvaxa"))[0] == 0.0
    text = "critics fear a \"super state\". Labour MPs disagree."
    assert context_scores(text, *at(text, "Labour"))[0] == 0.0
    text = "talks with Gen. Tavo Brenn ended."
    assert context_scores(text, *at(text, "Tavo Brenn"))[0] > 0


def test_a_party_stays_an_organisation_over_the_corpus():
    got = resolved(art("Critics fear a \"super state\". Labour MP Tarvo Linn asked the question.", id="a1"),
                   art("Both Labour and the Tories have signalled a change.", id="a2"))
    assert ("Labour", "organization") in got[0] + got[1]
    assert ("Labour", "person") not in got[0] + got[1]


def test_one_word_companies_are_known_by_verbs_of_business():
    for text, name in [("Ireland's state-owned airline, Velmora, is to cut jobs.", "Velmora"),
                       ("Three senior executives of Velmora are set to leave.", "Velmora"),
                       ("A former manager at Brunvik directed the payments.", "Brunvik"),
                       ("Major companies including Korvaxa, Titanor and Brunvik cut jobs.", "Korvaxa"),
                       ("Korvaxa said profits rose by a tenth.", "Korvaxa"),
                       ("Korvaxa reported a 5% rise in sales.", "Korvaxa"),
                       ("Korvaxa, the maker of the Zento phone, said it would appeal.", "Korvaxa")]:
        assert organised_at(text, *at(text, name), True), text
    text = "Korvaxa, the head of the company, said he would resign."
    assert not organised_at(text, *at(text, "Korvaxa"), True)


def test_a_country_named_for_its_team_is_an_organisation_there_only():
    text = "the pack leader in this year's wins over England, Italy and France."
    assert all(team_at(text, *at(text, n)) for n in ("England", "Italy", "France"))
    text = "Wales number eight Tarvo Linn says the squad is ready."
    assert team_at(text, *at(text, "Wales"))
    text = "Like us they did well in France and were unlucky in the match."
    assert not team_at(text, *at(text, "France"))
    text = "The talks on sanctions against Iran went on."
    assert not team_at(text, *at(text, "Iran"))
    text = "Haas beat Luxembourg's Gilles Muller in straight sets."
    assert not team_at(text, *at(text, "Luxembourg"))


def test_business_news_with_a_word_sport_also_uses_is_no_sport():
    # "against X" makes a team only in a text of sport; a final dividend, market players
    # are no sport (business news writes two such words often, three hardly ever).
    text = "Brunvik will compete against Japan, market players said before its final dividend."
    assert not team_at(text, *at(text, "Japan"))
    text = "Alcan will show its car bodies at Geneva's international motor show."
    assert not team_at(text, *at(text, "Geneva"))  # a word after it that sport uses too
    text = "Norvik face Japan next. The match, the last of the season, needs goals."
    assert team_at(text, *at(text, "Japan"))  # three words sport uses most
    text = "Norvik face Japan in the rugby next week."
    assert team_at(text, *at(text, "Japan"))  # one word only sport uses


def test_the_team_is_kept_apart_from_the_country_in_the_corpus():
    got = resolved(art("Tarvo Linn praised the victory over France in the rugby match.", id="a1"),
                   art("Prices in France rose again in March.", "France is a big exporter.", id="a2"))
    assert ("France", "organization") in got[0]
    assert ("France", "place") in got[1] and ("France", "organization") not in got[1]


def test_a_seat_of_government_speaking_is_an_organisation():
    text = "A Dorrow Street spokesman said the plan stood."
    assert context_scores(text, *at(text, "Dorrow Street"))[2] > 0
    text = "Beijing has denied the claims."
    assert context_scores(text, *at(text, "Beijing"))[2] == 0.0


def test_a_name_cut_at_a_joiner_goes_on_or_ends_before_it():
    text = "days before the leaders of the Group of Eight industrialised nations meet"
    s, e = at(text, "Group of")
    assert text[s:extend_span(text, s, e, "organization")] == "Group of Eight"
    text = "Critics accuse the Kremlin of trying to tighten control."
    s, e = at(text, "Kremlin of")
    assert text[s:extend_span(text, s, e, "organization")] == "Kremlin"


def test_two_names_closing_a_list_are_two_names():
    text = "Major firms including Korvaxa, Titanor and Brunvik have cut jobs."
    s, e = at(text, "Titanor and Brunvik")
    assert [text[a:b] for a, b, _ in split_span(text, s, e, "organization")] == ["Titanor", "Brunvik"]
    text = "He joined the Department of Trade and Industry."
    s, e = at(text, "Department of Trade and Industry")
    assert len(split_span(text, s, e, "organization")) == 1


def test_a_news_agency_is_an_organisation_not_an_official():
    text = "the official Velnova news agency said on Sunday"
    person, _, org = context_scores(text, *at(text, "Velnova"))
    assert org > 0 and person == 0.0


def test_a_body_before_a_title_and_a_person_is_kept():
    text = "NATO Secretary General Jaap de Vlier said"
    s, e = at(text, "NATO Secretary General Jaap de Vlier")
    got = [(text[a:b], t) for a, b, t in split_span(text, s, e, "organization")]
    assert got == [("NATO", "organization"), ("Jaap de Vlier", "person")]


def test_a_company_suffix_keeps_a_list_of_partners_one_name():
    text = "The shares were placed by Goldman, Sachs and Co for the group."
    s, e = at(text, "Sachs and Co")
    assert len(split_span(text, s, e, "organization")) == 1
    text = "He met the Ministry of Agriculture, Animal Husbandry and Fisheries."
    s, e = at(text, "Animal Husbandry and Fisheries")
    assert len(split_span(text, s, e, "organization")) == 1


def test_a_name_ending_in_research_or_international_is_an_organisation():
    from reader.core.entities.companies import named_organised
    assert named_organised("Korvex Research") and named_organised("Transvelt International")
    assert not named_organised("Ada Vell")
