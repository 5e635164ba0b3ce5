"""Word lists and context cues that type a candidate name.

The lists are general English news vocabulary (titles, roles, the head nouns
of organisation and place names); :func:`span_scores` weighs the evidence
around one span of text and is shared by recognition (per article) and
resolution (per corpus), so both judge a mention the same way;
the model's names are typed with it where the context is strong.

The pure functions of a name or a word are cached (``functools.lru_cache``):
names recur all through a corpus, and recognition runs over every passage.
"""

from __future__ import annotations

import functools
import re

from reader.core.entities.gazetteer import ACRONYMS, FUNCTION_WORDS, PARTY_NAMES, gazetteer
from reader.core.entities.keys import name_words, normalise_name, word_set
from reader.core.entities.teams import may_be_team, team_at

PERSON, PLACE, ORG = "person", "place", "organization"
KINDS = (PERSON, PLACE, ORG)
"""The three entity types, in the order their scores are listed."""

#: Titles standing before a name, capitalised or not (``President``, ``Mr.``).
TITLES = word_set("""
mr mrs ms miss dr president presidents prime minister ministers premier chancellor secretary
secretary-general general gen senator sen governor gov king queen prince princess pope sheikh
emir sultan ayatollah cardinal archbishop bishop rev reverend father imam rabbi lord lady sir dame
baroness baron earl duke duchess countess viscount
colonel col lieutenant lt sergeant sgt captain capt major maj admiral adm marshal commander
ambassador envoy spokesman spokeswoman spokesperson ombudsman chairman chairwoman chief judge
justice mayor deputy vice foreign defense defence interior finance state vice-president
president-elect director professor prof representative rep congressman congresswoman lawmaker
leader opposition coach officer official adviser advisor aide prosecutor attorney pm
""")

#: Role nouns that mark a person after a comma (``X, the foreign minister``).
ROLES = word_set("""
president minister premier chancellor secretary senator governor king queen prince spokesman
spokeswoman spokesperson ombudsman chairman chairwoman chief judge mayor ambassador envoy leader
director professor lawmaker adviser advisor aide commander official officer analyst expert
founder head correspondent reporter journalist author activist candidate lawyer prosecutor
economist negotiator deputy general colonel captain coach player singer actor writer ceo
""")

MODEL_ORG_HEADS = word_set("""
ministry council union court army agency group organization organisation party committee
commission corporation company inc corp ltd llc co association federation league alliance
bank fund foundation institute university college school academy authority bureau office
department service services forces force navy guard guards police front movement brigade brigades
battalion regiment assembly parliament congress senate cabinet government administration
tribunal board network news times post press radio television tv airlines airways church
club team coalition center centre program programme mission house watch cross crescent
exchange industries holdings motors systems junta executive theatre theater plc railways studios
secretariat conference summit
""")
"""Last words of an organisation's name that the shipped model was trained with
(:mod:`~reader.core.entities.features` marks them, so adding to this set means retraining)."""
#: Last word of an organisation's name: the model's heads and more (``... Brotherhood``).
ORG_HEADS = MODEL_ORG_HEADS | word_set("""
brotherhood society trust institution consortium syndicate confederation chamber chambers
directorate command corps
""")

#: Last word (or first, for Mount/Lake/Gulf) of a place's name.
PLACE_HEADS = word_set("""
river mountains mountain mount lake sea ocean gulf bay island islands peninsula strait valley
desert coast province region district county prefecture oblast governorate city square street
avenue plateau highlands basin canal border hills heights strip pass delta falls beach republic
state territory territories village town kingdom emirate airport park
""")

#: Lower-case nouns after a name that make it a place (``Taghavard village``).
PLACE_NOUNS = word_set("village town city region province district county capital area border "
                        "airport port suburb neighborhood neighbourhood countryside")

#: Words that may join the parts of one name in lower case.
NAME_PARTICLES = word_set("de da du del della der van von bin ibn al el la le dos das y")
#: Small words inside an organisation's or a place's name (``Bank of America``).
ORG_JOINERS = word_set("of for on and the")

#: Expansions of the well-known acronyms, folded, with their type.
EXPANSIONS = {normalise_name(name): typ for name, typ in ACRONYMS.values()}

#: Words that are never part of a personal name.
_NOT_PERSONAL = ORG_HEADS | PLACE_HEADS | FUNCTION_WORDS
_CAMEL = re.compile(r"^(?!Mc|Mac)[A-Z][a-z]+[A-Z]")
_WORD = re.compile(r"[\w’'.]+")
_PLACE_PREPOSITIONS = word_set("in near outside inside across into toward towards around from to")
_OF_PLACES = word_set("village town city capital region province district county suburb outskirts "
                      "neighborhood neighbourhood state island port")
_RIGHT_SAID = re.compile(r"^(?:['’]s?)?\s+(?:said|says|told|added|stated|declared|explained|insisted|argued|wrote|warned)\b")
_RIGHT_ROLE = re.compile(r"^,\s+(?:(?:a|an|the)\s+)?(?:[\w’'-]+\s+){0,4}?([\w-]+)\b")
_RIGHT_WHO = re.compile(r"^,\s+who\b")
_RIGHT_BASED = re.compile(r"^-based\b")
_RIGHT_MEDIA = re.compile(r"^\s+(?:news\s+agency|newspaper|news\s+service|magazine|weekly|website|broadcaster)\b")
_RIGHT_OFFICE = re.compile(r"^(?:['’]s)?\s+(?:spokesman|spokeswoman|spokesperson|spokespeople|adviser|advisers|"
                           r"advisor|aides?|officials|insiders|sources|(?:has\s+|have\s+)?(?:denied|insisted|"
                           r"confirmed|rejected|refused|proceeded))\b")
OFFICE_CUE = 5.0
"""Evidence that a street's or a small place's name before ``spokesman``, ``adviser`` or ``has
denied`` stands for the office there (a seat of government), an organisation: as strong as a title
before a person's name, more than a street's head word."""
OFFICE_PLACE_WEIGHT = 3
"""Gazetteer weight from which a place keeps its type before those words (``Beijing has denied``)."""
_RIGHT_WORD = re.compile(r"^(?:['’]s?)?\s+(?:has\s+|have\s+)?([a-z]+)")
"""The first lower-case word after a name (past a possessive, ``has``): each right-hand cue starts with one."""
_RIGHT_WORDS = frozenset("said says told added stated declared explained insisted argued wrote warned news "
                         "newspaper magazine weekly website broadcaster spokesman spokeswoman spokesperson "
                         "spokespeople adviser advisers advisor aide aides officials insiders sources denied "
                         "confirmed rejected refused proceeded".split()) | PLACE_NOUNS
MEDIA_CUE = 3.0
"""Evidence that a name before ``news agency`` or ``newspaper`` (``the Velta news agency``) is an organisation's."""


TEAM_EVIDENCE = 6.0
"""Evidence that a place's name standing for its team there (:func:`~reader.core.entities.teams.team_at`)
is an organisation: more than a country's gazetteer weight."""


def is_acronym(token: str) -> bool:
    """``NATO``, ``U.N.``: two to six capitals, dotted or not."""
    bare = token.replace(".", "")
    return 2 <= len(bare) <= 6 and bare.isalpha() and bare.isupper()


def span_scores(text: str, start: int, end: int) -> dict[str, float]:
    """Evidence for each type of the name at ``text[start:end]``, from the name and its context."""
    span = text[start:end]
    person, place, org = name_scores(span)
    c_person, c_place, c_org = context_scores(text, start, end)
    if may_be_team(span) and team_at(text, start, end):
        c_org += TEAM_EVIDENCE
    return {PERSON: person + c_person, PLACE: place + c_place, ORG: org + c_org}


def context_scores(text: str, start: int, end: int) -> tuple[float, float, float]:
    """The evidence (person, place, organisation) of the words around the name at
    ``text[start:end]`` (a title before it, ``, the minister`` or ``village`` after it), without its own."""
    if not name_words(text[start:end]):
        return 0.0, 0.0, 0.0
    return around_name(text, start, end)


def around_name(text: str, start: int, end: int) -> tuple[float, float, float]:
    """:func:`context_scores` of a span known to hold a word (its key is not empty)."""
    person = place = org = 0.0
    if start:
        person, place, org = _left_in_sentence(tuple(text[start - 40 if start > 40 else 0:start].rsplit(None, 3)[-3:]))
    right = text[end:end + 70]
    first = right[:1]
    if first == ",":  # only the patterns that can match are tried
        m = _RIGHT_ROLE.match(right)
        if m and m.group(1).lower() in ROLES:
            person += 3.0
        if _RIGHT_WHO.match(right):
            person += 1.5
    elif first == "-":
        if _RIGHT_BASED.match(right):
            place += 3.0
    elif first:
        m = _RIGHT_WORD.match(right)
        word = m.group(1) if m else None
        if word is None or word not in _RIGHT_WORDS:  # the patterns below start with one of these words
            pass
        elif _RIGHT_SAID.match(right):
            person += 0.5
        elif _RIGHT_MEDIA.match(right):
            person, org = 0.0, org + MEDIA_CUE  # "the official Velta news agency": no official's name
        elif _RIGHT_OFFICE.match(right) and _seat(text[start:end]):
            org += OFFICE_CUE
        elif right[:1].isspace() and word in PLACE_NOUNS:
            place += 3.0
    return person, place, org


ABBREVIATIONS = word_set("mr mrs ms dr st jr sr gen col lt sgt capt maj adm cmdr prof rev gov sen rep mt ft "
                         "no vs gens lieut supt insp")
"""Words written with a dot that end no sentence (``Gen. Ada Vell``)."""
_ENDS_SENTENCE = re.compile(r"[.!?;:][\"'”’)]*$")


@functools.lru_cache(maxsize=1 << 16)
def _left_in_sentence(left: tuple[str, ...]) -> tuple[float, float, float]:
    """:func:`_left_scores` of the words before a name that are in its sentence (cached)."""
    return _left_scores(_same_sentence(left))


def _same_sentence(left: tuple[str, ...]) -> tuple[str, ...]:
    """The words before a name from the start of its sentence: ``attorney general. Velta``
    has no title before ``Velta`` (a dot after an abbreviation or an initial ends nothing)."""
    for i in range(len(left) - 1, -1, -1):
        w = left[i]
        if _ENDS_SENTENCE.search(w) and not (w.endswith(".") and (
                normalise_name(w) in ABBREVIATIONS or len(w.rstrip(".")) == 1 or "." in w.rstrip("."))):
            return left[i + 1:]
    return left


@functools.lru_cache(maxsize=1 << 14)
def _seat(name: str) -> bool:
    """A name that may stand for an office there: a street's or a square's, or a place smaller
    than a country or a great city."""
    toks = name_words(name)
    if not toks:
        return False
    weight = gazetteer().places.get(" ".join(toks), 0)
    return (len(toks) > 1 and toks[-1] in PLACE_HEADS) or 0 < weight < OFFICE_PLACE_WEIGHT


@functools.lru_cache(maxsize=1 << 16)
def _left_scores(left: tuple[str, ...]) -> tuple[float, float, float]:
    """The evidence (person, place, organisation) of the last words before a name."""
    lw = [normalise_name(w) for w in left]
    last = lw[-1] if lw else ""
    person = place = org = 0.0
    if last in TITLES or (last in ("mr", "mrs", "ms", "dr", "mme") and left[-1][:1].isupper()):
        person += 5.0
    before_the = lw[-2] if last == "the" and len(lw) > 1 else last
    if (left and left[-1].lower() == "capital,") or (before_the == "of" and len(lw) > 1 and (
            lw[-3 if last == "the" else -2] if len(lw) > (2 if last == "the" else 1) else "") in _OF_PLACES):
        place += 4.0
    elif before_the in _PLACE_PREPOSITIONS:
        place += 1.0
    if last == "the":
        org += 1.0  # "the Kremlin", "the Pentagon": people are not "the"
    return person, place, org


KNOWN_ACRONYM = 4.0
"""Evidence of a well-known acronym or its expansion for the type the table gives (and of a
party's name for an organisation)."""
UNKNOWN_ACRONYM_ORG = 2.0
"""Evidence that an acronym the table does not know, and no place, is an organisation."""
ORG_HEAD = 4.0
"""Evidence of an organisation head last (``... Ministry``) or first before of (``Bank of ...``)."""
HEADED_PLACE_WEIGHT = 3
"""Gazetteer weight from which a place's name ending in an organisation's head (``West Bank``)
gets no organisation evidence from it."""
PLACE_HEAD = 3.5
"""Evidence of a place head (``... River``, ``Mount ...``, ``Republic of ...``)."""
PLACE_PAIR = 3.0
"""Evidence of a hyphened pair of known places (``Armenia-Azerbaijan``)."""
PAIR_PLACE_WEIGHT = 2
"""Least gazetteer weight of each part of such a pair."""
LEADING_THE_ORG = 2.0
"""Evidence that a name written with ``The`` (``The Insider``) is an organisation."""
ARTICLE_PREFIX_ORG = 1.5
"""Evidence that ``al-X`` / ``El X`` of two words is an organisation (``al-Qaida``, ``Al Jazeera``)."""
CAMEL_ORG = 1.5
"""Evidence that one CamelCase word (``TikTok``) is an organisation."""
GIVEN_NAME_FIRST = 3.0
"""Evidence of a person from a known given name first in a name of two words or more."""
GIVEN_NAME_ALSO_PLACE = 1.5
"""The same when the given name is also a place (``Jordan``, ``Georgia``)."""
GIVEN_NAME_ALONE = 0.5
"""Evidence of a person from a given name standing alone."""
PERSON_SHAPE = 1.0
"""Evidence of a person from the shape alone: two to four capitalised words, nothing else known."""
PLACE_WORD_WEIGHT = 2
"""Least gazetteer weight of a word that keeps a name from the person shape."""
_PLACE_FIRST_WORDS = frozenset(("mount", "lake", "gulf", "port", "cape"))
_ARTICLE_PREFIXES = frozenset(("al", "el"))


@functools.lru_cache(maxsize=1 << 16)
def name_scores(span: str) -> tuple[float, float, float]:
    """The evidence (person, place, organisation) of the name itself, without its context."""
    g = gazetteer()
    toks = name_words(span)
    if not toks:
        return 0.0, 0.0, 0.0
    key = " ".join(toks)
    s = {PERSON: 0.0, PLACE: 0.0, ORG: 0.0}
    raw = span.split()
    place_w = g.places.get(key, 0.0)
    s[PLACE] += place_w
    acronym = is_acronym(span)
    acr = ACRONYMS.get(span.replace(".", "").upper()) if acronym else None
    if acr:
        s[acr[1]] += KNOWN_ACRONYM
    elif key in EXPANSIONS:
        s[EXPANSIONS[key]] += KNOWN_ACRONYM
    elif key in PARTY_NAMES or key.replace(" ", "-") in PARTY_NAMES:
        s[ORG] += KNOWN_ACRONYM  # "Labour", "the Lib Dems": a party wherever written
    elif acronym and not place_w:
        s[ORG] += UNKNOWN_ACRONYM_ORG
    if (toks[-1] in ORG_HEADS or (len(toks) > 2 and toks[0] in ORG_HEADS and toks[1] == "of")) \
            and place_w < HEADED_PLACE_WEIGHT:  # "West Bank" is the territory
        s[ORG] += ORG_HEAD
    if len(toks) > 1 and (toks[-1] in PLACE_HEADS or toks[0] in _PLACE_FIRST_WORDS
                          or (len(toks) > 2 and toks[0] in PLACE_HEADS and toks[1] == "of")):
        s[PLACE] += PLACE_HEAD
    if len(raw) == 1 and "-" in span and all(g.places.get(normalise_name(w), 0) >= PAIR_PLACE_WEIGHT
                                             for w in span.split("-")):
        s[PLACE] += PLACE_PAIR
    if toks[0] == "the":
        s[ORG] += LEADING_THE_ORG
    if toks[0] in _ARTICLE_PREFIXES and len(toks) == 2:
        s[ORG] += ARTICLE_PREFIX_ORG
    if len(raw) == 1 and _CAMEL.match(span):
        s[ORG] += CAMEL_ORG
    first_given = toks[0] in g.given_names and raw[0][:1].isupper() and toks[0] not in _ARTICLE_PREFIXES
    if len(toks) >= 2 and first_given and toks[-1] not in ORG_HEADS and toks[-1] not in PLACE_HEADS:
        s[PERSON] += GIVEN_NAME_ALSO_PLACE if g.places.get(toks[0]) else GIVEN_NAME_FIRST
    elif len(toks) == 1 and toks[0] in g.given_names:
        s[PERSON] += GIVEN_NAME_ALONE
    if 2 <= len(raw) <= 4 and not place_w and all(t[:1].isupper() for t in raw) and toks[0] not in _ARTICLE_PREFIXES \
            and _NOT_PERSONAL.isdisjoint(toks) and g.demonyms.keys().isdisjoint(toks) \
            and not any(g.places.get(t, 0) >= PLACE_WORD_WEIGHT for t in toks):
        s[PERSON] += PERSON_SHAPE
    return s[PERSON], s[PLACE], s[ORG]


__all__ = ["PERSON", "PLACE", "ORG", "TITLES", "ROLES", "ORG_HEADS", "PLACE_HEADS", "NAME_PARTICLES",
           "ORG_JOINERS", "span_scores", "context_scores", "around_name", "name_scores", "is_acronym"]
