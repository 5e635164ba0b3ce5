"""Keys of names: the one way kreader folds a name, and the keys built on it.

:func:`normalise_name` is the only function that folds a name (gazetteers,
word lists, recognition, resolution, the alias file, the index's entity
field all go through it), so a name is found the same way everywhere.
The others here are pure functions of a folded key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Words left out of a name's initials (``Bank of America`` -> ``ba``).
INITIALS_STOP = frozenset("of the and for on in de la".split())
_POSSESSIVE = re.compile(r"'s\b")
_DROPPED = re.compile(r"['.]")
_SEPARATORS = re.compile(r"[^\w]+|_")
_REPEATS = re.compile(r"(.)\1+")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_VOWELS = re.compile(r"[aeiou]")
_TRANSLITERATION = (("ph", "f"), ("ck", "k"), ("kh", "k"), ("gh", "g"), ("zh", "j"), ("sch", "sh"),
                    ("c", "k"), ("q", "k"), ("x", "ks"), ("w", "v"), ("y", "i"), ("j", "i"))


@lru_cache(maxsize=1 << 17)
def normalise_name(s: str) -> str:
    """The key names are matched by: lower case, no accents, no punctuation,
    no possessive ``'s``, words separated by one space (``U.N.`` -> ``un``,
    ``Nagorno-Karabakh's`` -> ``nagorno karabakh``). Cached: a corpus names
    the same people and places over and over."""
    if s.isascii():  # nothing to decompose, no accent, no ’
        if s.isalnum():  # one plain word: nothing to drop or separate
            return s.lower()
        s = s.lower()
    else:
        s = unicodedata.normalize("NFKD", s)
        s = "".join(c for c in s if not unicodedata.combining(c)).lower().replace("’", "'")
    s = _DROPPED.sub("", _POSSESSIVE.sub("", s))
    return " ".join(_SEPARATORS.sub(" ", s).split())


@lru_cache(maxsize=1 << 16)
def name_words(span: str) -> tuple[str, ...]:
    """The words of :func:`normalise_name` of the span."""
    return tuple(normalise_name(span).split())


def word_set(text: str) -> frozenset[str]:
    """A word list written as text, each word folded as names are."""
    return frozenset(w for w in (normalise_name(t) for t in text.split()) if w)


def phonetic(key: str) -> str:
    """A transliteration-blind key: y/i/j, k/c/q/ck, kh/gh, ph/f, w/v, double letters."""
    s = key
    for a, b in _TRANSLITERATION:
        s = s.replace(a, b)
    return _REPEATS.sub(r"\1", s)


def skeleton(key: str) -> str:
    """The consonants of a :func:`phonetic` key, each word's first letter kept
    (``blair`` and ``blare`` -> ``blr``): names are most often mistyped in their vowels."""
    return " ".join(w[0] + _REPEATS.sub(r"\1", _VOWELS.sub("", w[1:])) for w in key.split())


def initials(key: str) -> str:
    """The initials of a key of two words or more, small words left out; else ""."""
    toks = [t for t in key.split() if t not in INITIALS_STOP]
    return "".join(t[0] for t in toks) if len(toks) >= 2 else ""


def slug(name: str) -> str:
    """An entity id made of the name: ``nikol-pashinyan``."""
    return _NOT_SLUG.sub("-", normalise_name(name)).strip("-") or "entity"


__all__ = ["normalise_name", "name_words", "word_set", "phonetic", "skeleton", "initials", "slug", "INITIALS_STOP"]
