"""The rule steps that follow the entity recogniser: person titles, the label vote."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from claimgraph.nlp.components import entity_vote, person_titles


def make(words, pos, ents):
    doc = Doc(spacy.blank("en").vocab, words=words, pos=pos)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    return doc


@pytest.mark.parametrize(
    ("words", "pos", "ents", "expected"),
    [
        (  # a role noun before a name: the name is a person
            ["Kremlin", "spokesman", "Dmitry", "Peskov", "spoke"],
            ["PROPN", "NOUN", "PROPN", "PROPN", "VERB"],
            [(0, 1, "ORG"), (2, 4, "ORG")],
            [("Kremlin", "ORG"), ("Dmitry Peskov", "PERSON")],
        ),
        (  # titles inside a person are cut off
            ["US", "President", "Donald", "Trump", "left"],
            ["PROPN", "PROPN", "PROPN", "PROPN", "VERB"],
            [(0, 4, "PERSON")],
            [("Donald Trump", "PERSON")],
        ),
        (  # an unlabelled name after a title becomes a person
            ["Mr", "Katz", "said", "so"],
            ["PROPN", "PROPN", "VERB", "ADV"],
            [],
            [("Katz", "PERSON")],
        ),
        (  # no title: labels stay as predicted
            ["Moscow", "said", "no"],
            ["PROPN", "VERB", "INTJ"],
            [(0, 1, "GPE")],
            [("Moscow", "GPE")],
        ),
    ],
)
def test_person_titles(words, pos, ents, expected):
    doc = person_titles(make(words, pos, ents))
    assert [(e.text, e.label_) for e in doc.ents] == expected


def test_empty_doc():
    assert list(person_titles(make([], [], [])).ents) == []


@pytest.mark.parametrize(
    ("words", "ents", "expected"),
    [
        (  # the majority label wins for every mention of the name
            ["Athens", "is", "old", ";", "Athens", "is", "big", ";", "Athens", "!"],
            [(0, 1, "PERSON"), (4, 5, "GPE"), (8, 9, "GPE")],
            ["GPE", "GPE", "GPE"],
        ),
        (  # a tie goes to the first mention's label
            ["Harrow", "and", "Harrow"],
            [(0, 1, "ORG"), (2, 3, "GPE")],
            ["ORG", "ORG"],
        ),
        (  # different names do not vote for each other
            ["Paris", "and", "Paris", "Hilton"],
            [(0, 1, "GPE"), (2, 4, "PERSON")],
            ["GPE", "PERSON"],
        ),
        ([], [], []),  # empty text
    ],
)
def test_entity_vote(words, ents, expected):
    doc = entity_vote(make(words, ["PROPN"] * len(words), ents))
    assert [e.label_ for e in doc.ents] == expected
    assert [(e.start, e.end) for e in doc.ents] == [(s, e) for s, e, _ in ents]
