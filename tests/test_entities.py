"""Entity recognition and resolution on made-up sentences."""

from __future__ import annotations

import pickle

import pytest

from reader.core.entities import (demonym_place, find_alias_file, load_aliases, normalise_name,
                                  recognise_article, resolve_corpus)
from reader.core.errors import ConfigError
from reader.core.model import Article, Passage


def art(*paragraphs: str, title: str = "", id: str = "a1", kinds=None) -> Article:
    kinds = kinds or ["paragraph"] * len(paragraphs)
    return Article(id=id, path=f"{id}.txt", title=title,
                   passages=tuple(Passage(n, k, t) for n, (t, k) in enumerate(zip(paragraphs, kinds))))


def found(*paragraphs: str, **kw) -> dict[str, str]:
    a = recognise_article(art(*paragraphs, **kw))
    return {m.text: m.type for p in a.passages for m in p.mentions} | {m.text: m.type for m in a.title_mentions}


def resolved(*articles: Article, aliases=None):
    res = resolve_corpus([recognise_article(a) for a in articles], aliases)
    return res, [res.apply(recognise_article(a)) for a in articles]


def entity_of(articles: list[Article], text: str) -> set[str]:
    return {m.entity for a in articles for p in a.passages for m in p.mentions if m.text == text}


# --- recognition cues -------------------------------------------------------

def test_title_makes_a_person_and_is_not_part_of_the_name():
    assert found("The talks were led by President Orvel Tamsin on Monday.")["Orvel Tamsin"] == "person"


def test_role_before_and_after_makes_a_person():
    got = found("The ombudsman Berik Olvani spoke first. Zarko Quimby, the deputy interior minister, agreed.")
    assert got["Berik Olvani"] == "person" and got["Zarko Quimby"] == "person"


def test_place_cue_makes_a_place():
    assert found("Residents of Qorvask village fled overnight.")["Qorvask"] == "place"


def test_organisation_head_makes_an_organisation():
    got = found("Officials of the Velmora Defense Council met the Ministry of Foreign Affairs.")
    assert got["Velmora Defense Council"] == "organization"
    assert got["Ministry of Foreign Affairs"] == "organization"


def test_gazetteer_knows_countries_and_cities():
    got = found("Delegates flew from Kenya to Lisbon.")
    assert got == {"Kenya": "place", "Lisbon": "place"}


def test_possessive_is_cut_off():
    a = recognise_article(art("It was Prime Minister Dravik Holmar's decision."))
    m = a.passages[0].mentions[0]
    assert (m.text, m.type) == ("Dravik Holmar", "person")
    assert a.passages[0].text[m.start:m.end] == m.text


def test_acronyms_dotted_and_plain():
    got = found("The U.N. and NATO sent envoys.")
    assert got["U.N."] == "organization" and got["NATO"] == "organization"


def test_hyphenated_name_is_one_mention():
    got = found("Fighting spread across Velo-Marundia on Friday.")
    assert "Velo-Marundia" in got and "Velo" not in got


def test_all_caps_headline_marks_only_known_names():
    got = found("Talks in Lisbon collapsed as Pavel Orrin walked out.",
                title="TALKS COLLAPSE IN LISBON AS LEADERS WALK OUT")
    assert "LISBON" in got
    assert not {"TALKS", "COLLAPSE", "LEADERS", "WALK"} & set(got)


def test_sentence_initial_common_word_is_not_a_name():
    got = found("Meanwhile, crowds gathered. Several shops closed. Protesters left Lisbon.")
    assert got == {"Lisbon": "place"}


def test_weekdays_and_months_are_not_names():
    got = found("The vote in Kenya moved from Tuesday to March and then to Sunday.")
    assert got == {"Kenya": "place"}


def test_demonym_is_not_highlighted_but_maps_to_its_country():
    got = found("Azeri and Armenian troops met French officials.")
    assert got == {}
    assert demonym_place("Azeri") == "Azerbaijan"
    assert demonym_place("Armenians") == "Armenia"
    assert demonym_place("table") is None


def test_demonym_split_from_a_title_and_name():
    got = found("The talks were hosted by Kenyan President Dorin Mwale.")
    assert got == {"Dorin Mwale": "person"}


def test_article_consistency_carries_a_confident_type():
    got = found("Spokesman Tarvo Lindqvist spoke. Later Lindqvist left for Lisbon.")
    assert got["Lindqvist"] == "person"


def test_recognition_is_deterministic_and_picklable():
    a = art("President Orvel Tamsin visited Lisbon and the Velmora Council.")
    assert recognise_article(a) == recognise_article(a)
    assert pickle.loads(pickle.dumps(recognise_article(a))) == recognise_article(a)


# --- resolution --------------------------------------------------------------

def test_surname_resolves_to_the_full_name():
    res, arts = resolved(art("Prime Minister Halvard Brenmoor spoke.", "Brenmoor left early."))
    (eid,) = entity_of(arts, "Brenmoor")
    assert entity_of(arts, "Halvard Brenmoor") == {eid}
    assert res.entity(eid).name == "Halvard Brenmoor"
    assert eid == "halvard-brenmoor"


def test_hyphen_and_space_variants_and_the_short_form_are_one_place():
    _, arts = resolved(art("Fighting in the village of Upper Qastar went on.",
                           "Refugees left Upper-Qastar and Qastar on Monday."))
    ids = entity_of(arts, "Upper Qastar") | entity_of(arts, "Upper-Qastar") | entity_of(arts, "Qastar")
    assert len(ids) == 1


def test_acronym_and_expansion():
    _, arts = resolved(art("The European Union and the U.N. Security Council met.",
                           "The EU and the UN Security Council and the United Nations Security Council agreed."))
    assert entity_of(arts, "EU") == entity_of(arts, "European Union")
    assert (entity_of(arts, "U.N. Security Council") == entity_of(arts, "UN Security Council")
            == entity_of(arts, "United Nations Security Council"))


def test_corpus_acronym_from_initials():
    _, arts = resolved(art("The Northern Grain Trading Union met.", "Later the NGTU denied it."))
    assert entity_of(arts, "NGTU") == entity_of(arts, "Northern Grain Trading Union")


def test_transliteration_variants_join():
    _, arts = resolved(art("President Ilkar Aliyevski spoke."), art("It was Aliyevsky who replied, and Aliievski agreed.", id="a2"))
    assert len(entity_of(arts, "Aliyevsky") | entity_of(arts, "Aliievski")) == 1


def test_possessive_security_council_stays_apart_from_the_uns():
    _, arts = resolved(art("The U.N. Security Council met.", "Kenya's Security Council warned of unrest."))
    un, kenyan = entity_of(arts, "U.N. Security Council"), entity_of(arts, "Security Council")
    assert un and kenyan and not un & kenyan


def test_a_city_is_not_its_country():
    _, arts = resolved(art("Officials in Lisbon and Portugal disagreed."))
    assert entity_of(arts, "Lisbon") != entity_of(arts, "Portugal")


def test_corpus_consistency_retypes_a_name():
    a1 = art("President Oskar Velloni arrived.")
    a2 = art("Velloni", "Crowds waited for Velloni in the square.", id="a2")
    _, arts = resolved(a1, a2)
    types = {m.type for a in arts for p in a.passages for m in p.mentions if m.text == "Velloni"}
    assert types == {"person"}


def test_entities_are_ranked_and_counted():
    res, _ = resolved(art("Lisbon is big.", "Officials in Lisbon met Kenya's envoy.", "Lisbon again."),
                      art("Lisbon won.", id="a2"))
    top = res.entities[0]
    assert (top.name, top.mentions, top.articles) == ("Lisbon", 4, 2)
    assert res.forms(top.id) == ["Lisbon"]


def test_resolution_pickles():
    res, _ = resolved(art("President Halvard Brenmoor spoke in Lisbon."))
    again = pickle.loads(pickle.dumps(res))
    assert [e.id for e in again.entities] == [e.id for e in res.entities]
    assert again.lookup("brenmor")[0][0].id == "halvard-brenmoor"


# --- look-up -------------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus_res():
    res, _ = resolved(art("President Halvard Brenmoor met Ilkar Aliyevski in Stepnograd.",
                          "The village of Nagorna-Vostok was shelled. Brenmoor condemned it."))
    return res


@pytest.mark.parametrize("query, name", [("brenmor", "Halvard Brenmoor"), ("alievski", "Ilkar Aliyevski"),
                                         ("stepnogrd", "Stepnograd"), ("nagorna vostok", "Nagorna-Vostok"),
                                         ("stepno", "Stepnograd")])
def test_lookup_finds_variants(corpus_res, query, name):
    hits = corpus_res.lookup(query)
    assert hits and hits[0][0].name == name and 0 < hits[0][1] <= 100


def test_lookup_reports_nothing_for_a_weak_match(corpus_res):
    assert corpus_res.lookup("zzzz") == []
    assert corpus_res.lookup("paris") == []


def test_lookup_type_filter(corpus_res):
    assert corpus_res.lookup("brenmoor", type="place") == []


def test_normalise_name():
    assert normalise_name("U.N.") == normalise_name("UN") == "un"
    assert normalise_name("Nagorna-Vostok's") == "nagorna vostok"
    assert normalise_name("Çelik Öz") == "celik oz"


# --- alias file --------------------------------------------------------------

def two_articles():
    return (art("President Halvard Brenmoor spoke in Stepnograd.", "The Velmora Council met in Qarsk."),
            art("Brenmoor visited Qarsk. The Pelvo Agency agreed.", id="a2"))


def write(tmp_path, text: str):
    path = tmp_path / "aliases.yaml"
    path.write_text(text, encoding="utf-8")
    return load_aliases(path)


def test_alias_merge_and_rename(tmp_path):
    aliases = write(tmp_path, "merge:\n  - [Qarsk, Stepnograd]\nrename:\n  Velmora Council: Council of Velmora\n")
    res, arts = resolved(*two_articles(), aliases=aliases)
    assert entity_of(arts, "Qarsk") == entity_of(arts, "Stepnograd") == {"qarsk"}
    assert res.entity("council-of-velmora").name == "Council of Velmora"


def test_alias_split(tmp_path):
    aliases = write(tmp_path, "split: [Brenmoor]\n")
    _, arts = resolved(*two_articles(), aliases=aliases)
    assert entity_of(arts, "Brenmoor") != entity_of(arts, "Halvard Brenmoor")


def test_alias_retype_and_suppress(tmp_path):
    aliases = write(tmp_path, "retype:\n  Qarsk: organization\nsuppress:\n  - Pelvo Agency\n")
    res, arts = resolved(*two_articles(), aliases=aliases)
    assert res.entity("qarsk").type == "organization"
    assert all(m.type == "organization" for a in arts for p in a.passages for m in p.mentions if m.text == "Qarsk")
    assert not entity_of(arts, "Pelvo Agency")
    assert res.lookup("pelvo agency") == []


@pytest.mark.parametrize("text, line", [("merge:\n  - [Qarsk]\n", 2), ("retype:\n  Qarsk: city\n", 2),
                                        ("colours: [red]\n", 1), ("merge: [\n", 2), ("rename:\n  - Qarsk\n", 2)])
def test_malformed_alias_file_names_file_and_line(tmp_path, text, line):
    with pytest.raises(ConfigError) as e:
        write(tmp_path, text)
    assert "aliases.yaml" in str(e.value) and f"line {line}" in str(e.value)


def test_find_alias_file(tmp_path, monkeypatch):
    corpus, config = tmp_path / "corpus", tmp_path / "config"
    corpus.mkdir()
    config.mkdir()
    monkeypatch.setenv("KREADER_CONFIG_DIR", str(config))
    assert find_alias_file(corpus) is None
    (config / "aliases.yaml").write_text("split: [X]\n")
    assert find_alias_file(corpus) == config / "aliases.yaml"
    (corpus / "aliases.yaml").write_text("split: [X]\n")
    assert find_alias_file(corpus) == corpus / "aliases.yaml"




def test_a_headline_piece_is_typed_by_its_own_words():
    from reader.core.entities.headlines import headline_mentions
    from reader.core.entities.keys import name_words
    seen = []

    def typer(piece, words):
        seen.append((piece, words))
        return "person" if words == ("orvel", "tamsin") else "place" if words == ("kenya",) else None

    text = "U.S. AND ORVEL TAMSIN'S TALKS (KENYA) BY VELTA-CORVEX, A.B.C. SAY..."
    assert headline_mentions(text, typer) == [(9, 21, "ORVEL TAMSIN", "person"), (31, 36, "KENYA", "place")]
    assert seen and all(words == name_words(piece) for piece, words in seen)
