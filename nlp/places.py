"""Place names as data: which names are natural locations (LOC), facilities (FAC) or polities
and cities (GPE), decided by their words.

The same rule defines the bundled NER's training labels (GUM's and CoreNLP's single "place"
type is split by :func:`place_label`, see :mod:`claimgraph.training.corpora`) and corrects its
predictions (:func:`claimgraph.nlp.components.place_types`), so the two cannot drift apart.
This module imports nothing from spaCy.
"""

from __future__ import annotations

# Place names whose last word is one of these are natural locations (LOC), not polities (GPE).
LANDFORM_WORDS = frozenset(
    [
        "ocean",
        "sea",
        "seas",
        "river",
        "rivers",
        "lake",
        "lakes",
        "mountain",
        "mountains",
        "mount",
        "mt",
        "range",
        "valley",
        "island",
        "islands",
        "isles",
        "isle",
        "bay",
        "gulf",
        "coast",
        "peninsula",
        "desert",
        "canyon",
        "forest",
        "park",
        "strait",
        "channel",
        "falls",
        "glacier",
        "plateau",
        "plain",
        "plains",
        "basin",
        "delta",
        "creek",
        "beach",
        "cape",
        "hill",
        "hills",
        "ridge",
        "volcano",
        "reef",
        "sound",
        "lagoon",
        "continent",
        "hemisphere",
        "pole",
    ]
)
# Whole names of continents and regions (LOC); "South Africa" stays a GPE.
LANDFORM_NAMES = frozenset(
    {
        "africa", "asia", "europe", "antarctica", "arctic", "antarctic", "oceania", "americas",
        "amazon", "sahara", "himalayas", "alps", "andes", "balkans", "caribbean",
        "mediterranean", "midwest",
    }
) | frozenset(
    {
        "middle east", "north america", "south america", "latin america", "central america",
        "east asia", "southeast asia", "south asia", "central asia", "western europe",
        "eastern europe", "northern europe", "southern europe", "west africa", "east africa",
        "north africa", "sub-saharan africa", "the west", "west bank", "gaza strip",
    }
)  # fmt: skip
# Place names ending in one of these are facilities (FAC).
FACILITY_WORDS = frozenset(
    [
        "bridge",
        "tunnel",
        "tube",
        "airport",
        "station",
        "street",
        "st.",
        "road",
        "avenue",
        "ave",
        "boulevard",
        "square",
        "highway",
        "tower",
        "building",
        "palace",
        "cathedral",
        "church",
        "stadium",
        "castle",
        "gate",
        "temple",
        "mosque",
        "hall",
    ]
)


#: Prepositions of place: a name governed by one is a place, never a person ("near
#: Bhubaneshwar", "throughout Attica"). In GUM train, none of the 327 names under them is a
#: person; "at" is left out (as often an organisation: "at Google").
LOCATIVE_PREPOSITIONS = frozenset(
    {"in", "near", "throughout", "across", "around", "into", "within", "along", "through"}
)

#: Last words that end names of other kinds as often as place names, so they do not make a
#: name a place on their own. In GUM train, names ending in "Church" are mostly denominations
#: (6 of 7 are organisations: "Catholic Church") and "Sea Org" is an organisation.
NOT_PLACE_LAST_WORDS = frozenset({"church"})
NOT_PLACE_FIRST_WORDS = frozenset({"sea"})


def place_label(text: str) -> str:
    """GPE for polities and cities, LOC for landforms and regions, FAC for facilities.

    >>> place_label("Manila Bay"), place_label("Oakland Bay Bridge"), place_label("Attica")
    ('LOC', 'FAC', 'GPE')
    """
    words = text.lower().split()
    if not words:
        return "GPE"
    if words[-1] in FACILITY_WORDS:
        return "FAC"
    if words[-1] in LANDFORM_WORDS or words[0] in LANDFORM_WORDS or text.lower() in LANDFORM_NAMES:
        return "LOC"
    return "GPE"


def names_a_place(words: list[str]) -> bool:
    """True when a name of two or more (lower-cased) words is a place by its words alone: it
    ends in a landform or facility word ("Algoa Bay", "Transbay Tube") or starts with a
    landform word ("Cape of Good Hope"), save the words of :data:`NOT_PLACE_LAST_WORDS` and
    :data:`NOT_PLACE_FIRST_WORDS`.

    >>> names_a_place(["algoa", "bay"]), names_a_place(["catholic", "church"])
    (True, False)
    """
    if len(words) < 2:
        return False
    last, first = words[-1], words[0]
    return (last in LANDFORM_WORDS | FACILITY_WORDS and last not in NOT_PLACE_LAST_WORDS) or (
        first in LANDFORM_WORDS and first not in NOT_PLACE_FIRST_WORDS
    )
