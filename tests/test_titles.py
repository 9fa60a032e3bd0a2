"""The shared person-title groups and the three lists composed from them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from claimgraph.extract import mentions
from claimgraph.graph import names
from claimgraph.nlp import components, titles

GROUPS = {
    name: getattr(titles, name)
    for name in (
        "HONORIFICS",
        "FEMALE_HONORIFICS",
        "MALE_HONORIFICS",
        "RANKS",
        "OFFICES",
        "OFFICE_MODIFIERS",
        "PORTFOLIOS",
        "ROLES",
        "JUDICIAL",
        "ROYALTY",
        "CLERGY",
        "ABBREVIATIONS",
    )
}
COMPOSED = {
    "components.PERSON_TITLE_WORDS": components.PERSON_TITLE_WORDS,
    "mentions.PERSON_TITLES": mentions.PERSON_TITLES,
    "names.TITLES": names.TITLES,
}
#: Titles every list must recognise, in some spelling.
SHARED_CORE = frozenset(
    """mr mrs dr sir lady colonel general lieutenant captain president senator minister
    spokesman ambassador judge pope sheikh""".split()
)


@pytest.mark.parametrize("name", GROUPS)
def test_groups_hold_lower_case_undotted_words(name: str) -> None:
    group = GROUPS[name]
    assert isinstance(group, frozenset) and group
    assert all(word == word.lower() and "." not in word for word in group)


def test_abbreviations_belong_to_a_group() -> None:
    everything = frozenset().union(*(g for n, g in GROUPS.items() if n != "ABBREVIATIONS"))
    assert titles.ABBREVIATIONS.issubset(everything)


def test_with_dotted_adds_the_dotted_spelling_of_abbreviations_only() -> None:
    assert titles.with_dotted({"dr", "professor"}) == {"dr", "dr.", "professor"}
    assert titles.dotted_only({"gen", "general"}) == {"gen.", "general"}


@pytest.mark.parametrize("name", COMPOSED)
def test_each_list_covers_the_shared_core(name: str) -> None:
    undotted = {word.rstrip(".") for word in COMPOSED[name]}
    assert SHARED_CORE.issubset(undotted), SHARED_CORE - undotted


def test_spellings_per_list() -> None:
    # components and resolve match spaCy tokens, so courtesy titles come in both spellings
    for word in ("mr", "mrs", "ms", "dr"):
        assert {word, f"{word}."} <= components.PERSON_TITLE_WORDS
        assert {word, f"{word}."} <= mentions.TITLE_WORDS
    # name keys are folded (no full stops), so the graph list holds every abbreviation undotted
    assert titles.ABBREVIATIONS <= names.TITLES
    assert {"dr.", "gen.", "sen."}.isdisjoint(names.TITLES)


def test_purpose_specific_differences() -> None:
    # words that as often start an organisation name do not make a PERSON
    assert {"former", "national", "state", "chief", "major"}.isdisjoint(
        components.PERSON_TITLE_WORDS
    )
    # role words are a subset of what is cut from a mention's front
    assert mentions.ROLE_WORDS <= mentions.PERSON_TITLES
    assert mentions.TITLE_WORDS <= mentions.PERSON_TITLES
    # descriptors that lead a name in news text are dropped from keys
    assert {"former", "kremlin", "the"} <= names.TITLES


def test_gender_titles() -> None:
    assert mentions.FEMALE_TITLES.isdisjoint(mentions.MALE_TITLES)
    assert {"mrs.", "ms."} <= mentions.FEMALE_TITLES
    assert "mr." in mentions.MALE_TITLES


@pytest.mark.parametrize(
    ("name", "stripped"),
    [
        ("Lt Gen Eyal Zamir", "Eyal Zamir"),
        ("Kremlin spokesman Dmitry Peskov", "Dmitry Peskov"),
        ("Dr. Anthony Fauci", "Anthony Fauci"),
    ],
)
def test_strip_titles_uses_the_composed_list(name: str, stripped: str) -> None:
    assert names.strip_titles(name) == stripped


def test_titles_module_imports_nothing_heavy() -> None:
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('titles', {titles.__file__!r})\n"
        "spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "assert 'spacy' not in sys.modules and 'claimgraph' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
