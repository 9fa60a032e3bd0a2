"""Name normalisation: the matching keys used by entity resolution.

A *key* is a lower-case, accent-free, punctuation-free token string with titles removed and
transliteration variants folded, so "Zelensky", "Zelenskyy" and "Zelenskiy" share the key
``zelensky`` and "US President Donald Trump" has the key ``donald trump``. Keys are for
matching only; entities keep the names as printed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from claimgraph.nlp.titles import (
    CLERGY,
    HONORIFICS,
    JUDICIAL,
    OFFICE_MODIFIERS,
    OFFICES,
    PORTFOLIOS,
    RANKS,
    ROLES,
    ROYALTY,
)

#: Coarse entity classes; resolution never merges across classes.
PERSON, ORG, PLACE, THING = "person", "org", "place", "thing"

_CLASS_OF_LABEL = {
    "PERSON": PERSON,
    "PER": PERSON,
    "ORG": ORG,
    "NORP": ORG,
    "GPE": PLACE,
    "LOC": PLACE,
    "FAC": PLACE,
}

# Shared titles that were never in this list; adding them would change keys and resolution.
_NOT_KEY_TITLES = frozenset(
    {"professor", "congressman", "congresswoman", "premier", "rabbi", "imam"}
)
#: Tokens that are titles, roles or descriptors, never part of a person's name. Keys are folded
#: (no full stops), so abbreviations appear undotted; beyond the shared title groups the list
#: holds descriptors that lead a name in news text ("former", "Kremlin", "White House",
#: "Republican", "the").
TITLES = (
    (
        HONORIFICS
        | RANKS
        | OFFICES
        | OFFICE_MODIFIERS
        | PORTFOLIOS
        | ROLES
        | JUDICIAL
        | ROYALTY
        | CLERGY
    )
    - _NOT_KEY_TITLES
) | frozenset(
    """ceo rev reverend father saint st former ex the a an us u.s uk russian ukrainian
    american kremlin white house republican democratic democrat gop""".split()
)
#: Lower-case particles that belong to names ("Charles de Gaulle", "Ursula von der Leyen").
PARTICLES = frozenset("de da di du del der den van von bin al la le".split())
#: Generational suffixes; part of the key ("donald trump jr" is not "donald trump").
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
PRONOUNS = frozenset(
    """i me my we us our you your he him his she her hers they them their it its
    who whom whose which what this that these those one someone""".split()
)
_LEADING_ARTICLES = ("the ",)
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*", re.UNICODE)
_POSSESSIVE = re.compile(r"'s$")
_TRANSLITERATED_END = re.compile(r"(?:yy|iy|ii|yi|ij)$")


def entity_class(label: str | None) -> str:
    """Map an extractor label (PERSON, ORG, GPE, ...) to a coarse class; unknown -> "thing"."""
    return _CLASS_OF_LABEL.get((label or "").upper(), THING)


def fold(text: str) -> str:
    """Lower case, strip accents, drop punctuation, collapse spaces."""
    if text.isascii():
        plain = text.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c))
        plain = plain.lower().replace("\u2019", "'")
    return " ".join(_TOKEN.findall(plain))


def _fold_token(token: str) -> str:
    token = _POSSESSIVE.sub("", token).replace("'", "")
    # transliteration variants at the end of a name: -yy, -iy, -ii, -yi, -ij -> -y
    return _TRANSLITERATED_END.sub("y", token) if len(token) > 4 else token


def strip_titles(name: str) -> str:
    """Drop leading titles and descriptors: "US President Donald Trump" -> "Donald Trump".

    Only a prefix is dropped, and never the last word, so a name that is all titles
    ("the President") is returned unchanged.
    """
    words = name.split()
    cut = 0
    for i, word in enumerate(words[:-1]):
        token = fold(word).replace(" ", "")
        if token in TITLES or (word[:1].islower() and token not in PARTICLES):
            cut = i + 1
    return " ".join(words[cut:])


@dataclass(frozen=True)
class NameKey:
    """The parsed key of a name: ``tokens`` without suffix, plus an optional ``suffix``."""

    tokens: tuple[str, ...]
    suffix: str = ""

    @property
    def key(self) -> str:
        return " ".join((*self.tokens, self.suffix)).strip()

    @property
    def last(self) -> str:
        return self.tokens[-1] if self.tokens else ""

    @property
    def is_bare(self) -> bool:
        """A single name token (a surname or a one-word name)."""
        return len(self.tokens) == 1


def name_key(name: str, cls: str = THING) -> NameKey:
    """Parse ``name`` into its matching key for an entity of class ``cls``.

    >>> name_key("US President Donald Trump", PERSON).key
    'donald trump'
    >>> name_key("Zelenskyy", PERSON).key == name_key("Zelenskiy", PERSON).key == "zelensky"
    True
    >>> name_key("Donald Trump Jr.", PERSON).suffix
    'jr'
    >>> name_key("the Kremlin", ORG).key
    'kremlin'
    """
    text = name.strip()
    if cls == PERSON:
        text = strip_titles(text)
    folded = fold(text)
    for article in _LEADING_ARTICLES:
        if folded.startswith(article) and len(folded) > len(article):
            folded = folded[len(article) :]
    tokens = [_fold_token(t) for t in folded.split()]
    tokens = [t for t in tokens if t]
    suffix = ""
    if cls == PERSON:
        if len(tokens) > 1 and tokens[-1] in SUFFIXES:
            suffix = tokens.pop()
        # middle initials do not distinguish people: "Donald J. Trump" = "Donald Trump"
        if len(tokens) > 2:
            tokens = [tokens[0], *(t for t in tokens[1:-1] if len(t) > 1), tokens[-1]]
    return NameKey(tuple(tokens), suffix)


def is_pronoun(text: str) -> bool:
    """True for pronouns and other mentions that name nobody ("he", "they", "who")."""
    return fold(text) in PRONOUNS
