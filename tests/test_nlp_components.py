"""The rule steps that follow the entity recogniser: proper names, person titles, place types,
acronyms, the label vote, name propagation."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from claimgraph.nlp.components import (
    acronyms,
    entity_vote,
    name_propagation,
    person_titles,
    place_types,
    proper_names,
)


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


@pytest.mark.parametrize(
    ("words", "ents", "expected"),
    [
        (  # a predicted place takes the type its words give: a bay is a landform
            ["Manila", "Bay", "and", "Attica"],
            [(0, 2, "GPE"), (3, 4, "LOC")],
            ["LOC", "GPE"],
        ),
        (  # an organisation or event named by a landform or facility word is that place
            ["Algoa", "Bay", ",", "Cape", "of", "Good", "Hope", ",", "Transbay", "Tube"],
            [(0, 2, "ORG"), (3, 7, "EVENT"), (8, 10, "ORG")],
            ["LOC", "LOC", "FAC"],
        ),
        (  # words that end or start other names too do not make a place
            ["Catholic", "Church", ",", "Sea", "Org", ",", "Wall", "Street", "Journal"],
            [(0, 2, "ORG"), (3, 5, "ORG"), (6, 9, "ORG")],
            ["ORG", "ORG", "ORG"],
        ),
        (  # person names are left alone, and so is a one-word name
            ["Marc", "Lamont", "Hill", "in", "Harrow"],
            [(0, 3, "PERSON"), (4, 5, "ORG")],
            ["PERSON", "ORG"],
        ),
        ([], [], []),  # empty text
    ],
)
def test_place_types(words, ents, expected):
    doc = place_types(make(words, ["PROPN"] * len(words), ents))
    assert [e.label_ for e in doc.ents] == expected
    assert [(e.start, e.end) for e in doc.ents] == [(s, e) for s, e, _ in ents]


@pytest.mark.parametrize(
    ("words", "tags", "heads", "ents", "expected"),
    [
        (  # a common noun or verb taken for a name is dropped; names stay
            ["Water", "Declares", "Peace", "in", "Athens"],
            ["NN", "VBZ", "NNP", "IN", "NNP"],
            None,
            [(0, 1, "PERSON"), (1, 2, "PERSON"), (2, 3, "ORG"), (4, 5, "GPE")],
            [("Peace", "ORG"), ("Athens", "GPE")],
        ),
        (  # the head decides: "the United States" stays
            ["the", "United", "States", "and", "American", "voters"],
            ["DT", "NNP", "NNPS", "CC", "JJ", "NNS"],
            [2, 2, 2, 5, 5, 2],
            [(1, 3, "GPE"), (4, 5, "NORP")],
            [("United States", "GPE"), ("American", "NORP")],
        ),
        (  # a name whose head is a common noun is no named mention
            ["Trump", "supporters", "cheered"],
            ["NNP", "NNS", "VBD"],
            [1, 2, 2],
            [(0, 2, "ORG")],
            [],
        ),
        (  # no part-of-speech tags: nothing is dropped
            ["Water", "flows"],
            None,
            None,
            [(0, 1, "PERSON")],
            [("Water", "PERSON")],
        ),
        (  # an era after a year or a century is no name, dotted or not
            ["Built", "in", "3000", "BC", "and", "the", "7th", "century", "B.C.E."],
            ["VBN", "IN", "CD", "NNP", "CC", "DT", "JJ", "NN", "NNP"],
            None,
            [(3, 4, "ORG"), (8, 9, "ORG")],
            [],
        ),
        (  # the same letters standing alone are left to the model
            ["AD", "Astra", "and", "CE", "Holdings"],
            ["NNP", "NNP", "CC", "NNP", "NNP"],
            None,
            [(0, 2, "ORG"), (3, 5, "ORG")],
            [("AD Astra", "ORG"), ("CE Holdings", "ORG")],
        ),
        (  # letters after a person's name and a comma are dropped; the person stays
            ["Mark", "Tedeschi", ",", "QC", ",", "and", "Biden", ",", "Jr.", "spoke"],
            ["NNP", "NNP", ",", "NNP", ",", "CC", "NNP", ",", "NNP", "VBD"],
            None,
            [(0, 2, "PERSON"), (3, 4, "GPE"), (6, 7, "PERSON"), (8, 9, "ORG")],
            [("Mark Tedeschi", "PERSON"), ("Biden", "PERSON")],
        ),
        (  # after a place, "MD" is a state (Baltimore, MD): kept
            ["Baltimore", ",", "MD", "voted"],
            ["NNP", ",", "NNP", "VBD"],
            None,
            [(0, 1, "GPE"), (2, 3, "GPE")],
            [("Baltimore", "GPE"), ("MD", "GPE")],
        ),
        (  # no part-of-speech tags: the era is still no name
            ["In", "508", "BC"],
            None,
            None,
            [(2, 3, "ORG")],
            [],
        ),
        ([], None, None, [], []),  # empty text
    ],
)
def test_proper_names(words, tags, heads, ents, expected):
    deps = None if heads is None else ["dep"] * len(words)
    doc = Doc(spacy.blank("en").vocab, words=words, tags=tags, heads=heads, deps=deps)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    doc = proper_names(doc)
    assert [(e.text, e.label_) for e in doc.ents] == expected


@pytest.mark.parametrize(
    ("words", "tags", "ents", "expected"),
    [
        (  # an unlabelled occurrence of a labelled name becomes a mention with its label
            ["Busuanga", "is", "far", ".", "We", "reached", "Busuanga", "."],
            ["NNP", "VBZ", "RB", ".", "PRP", "VBD", "NNP", "."],
            [(0, 1, "GPE")],
            [(0, 1, "GPE"), (6, 7, "GPE")],
        ),
        (  # only a whole run of proper nouns: "Paris" inside "Paris Hilton" stays as it is
            ["Paris", "is", "big", ";", "Paris", "Hilton", "came"],
            ["NNP", "VBZ", "JJ", ":", "NNP", "NNP", "VBD"],
            [(0, 1, "GPE")],
            [(0, 1, "GPE")],
        ),
        (  # the same word not tagged as a proper noun is not a mention ("Rock music")
            ["Rock", "sang", ";", "Rock", "music", "won"],
            ["NNP", "VBD", ":", "NN", "NN", "VBD"],
            [(0, 1, "PERSON")],
            [(0, 1, "PERSON")],
        ),
        (  # no part-of-speech tags: nothing is added
            ["Athens", "and", "Athens"],
            None,
            [(0, 1, "GPE")],
            [(0, 1, "GPE")],
        ),
        ([], None, [], []),  # empty text
    ],
)
def test_name_propagation(words, tags, ents, expected):
    doc = Doc(spacy.blank("en").vocab, words=words, tags=tags)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    doc = name_propagation(doc)
    assert [(e.start, e.end, e.label_) for e in doc.ents] == expected


@pytest.mark.parametrize(
    ("words", "heads", "deps", "expected"),
    [
        (  # a name a preposition of place governs is a place, whatever the model said
            ["storms", "near", "Bhubaneshwar"],
            [0, 2, 0],
            ["ROOT", "case", "nmod"],
            "GPE",
        ),
        (  # the same in the ClearNLP scheme (prep -> pobj)
            ["storms", "near", "Bhubaneshwar"],
            [0, 0, 1],
            ["ROOT", "prep", "pobj"],
            "GPE",
        ),
        (  # other prepositions leave a person alone ("a speech by ...")
            ["speech", "by", "Bhubaneshwar"],
            [0, 2, 0],
            ["ROOT", "case", "nmod"],
            "PERSON",
        ),
    ],
    ids=["ud", "clearnlp", "not-locative"],
)
def test_place_types_person_under_a_preposition_of_place(words, heads, deps, expected):
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps)
    doc.ents = [Span(doc, 2, 3, label="PERSON")]
    assert [e.label_ for e in place_types(doc).ents] == [expected]


@pytest.mark.parametrize(
    ("words", "ents", "expected"),
    [
        (  # an unlabelled acronym in brackets spelling the name's initials takes its label
            ["The", "World", "Health", "Organisation", "(", "WHO", ")", "said"],
            [(1, 4, "ORG")],
            [("World Health Organisation", "ORG"), ("WHO", "ORG")],
        ),
        (  # hyphenated parts count, "of" and "and" do not; dotted acronyms too
            ["Asia", "-", "Pacific", "Economic", "Cooperation", "(", "A.P.E.C.", ")"],
            [(0, 5, "ORG")],
            [("Asia - Pacific Economic Cooperation", "ORG"), ("A.P.E.C.", "ORG")],
        ),
        (  # letters that do not spell the initials are left alone (a dateline's agency)
            ["WASHINGTON", "(", "AP", ")", "--"],
            [(0, 1, "GPE")],
            [("WASHINGTON", "GPE")],
        ),
        (  # an acronym the model labelled keeps its own label
            ["National", "Rifle", "Association", "(", "NRA", ")"],
            [(0, 3, "ORG"), (4, 5, "PERSON")],
            [("National Rifle Association", "ORG"), ("NRA", "PERSON")],
        ),
        (  # unbalanced bracket: nothing added
            ["National", "Rifle", "Association", "(", "NRA"],
            [(0, 3, "ORG")],
            [("National Rifle Association", "ORG")],
        ),
        ([], [], []),  # empty text
    ],
)
def test_acronyms(words, ents, expected):
    doc = Doc(spacy.blank("en").vocab, words=words)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    doc = acronyms(doc)
    assert [(e.text, e.label_) for e in doc.ents] == expected


@pytest.mark.parametrize(
    ("words", "pos", "ents", "expected"),
    [
        (  # a title inside an organisation's name, mid-document: the organisation stays
            ["He", "met", "the", "Director", "of", "National", "Intelligence", "."],
            ["PRON", "VERB", "DET", "PROPN", "ADP", "PROPN", "PROPN", "PUNCT"],
            [(3, 7, "ORG")],
            [("Director of National Intelligence", "ORG")],
        ),
        (  # a person after the title inside a span taken for an ORG
            ["Then", "Israeli", "Finance", "Minister", "Bezalel", "Smotrich", "spoke"],
            ["ADV", "ADJ", "PROPN", "PROPN", "PROPN", "PROPN", "VERB"],
            [(1, 6, "ORG")],
            [("Bezalel Smotrich", "PERSON")],
        ),
        (  # given names between a title and a PERSON join it
            ["Minister", "Itamar", "Ben", "-", "Gvir", "spoke"],
            ["PROPN", "PROPN", "PROPN", "PUNCT", "PROPN", "VERB"],
            [(2, 5, "PERSON")],
            [("Itamar Ben-Gvir", "PERSON")],
        ),
    ],
)
def test_titles_inside_and_before_names(words, pos, ents, expected):
    spaces = [w not in ("Ben", "-") for w in words]
    doc = Doc(spacy.blank("en").vocab, words=words, pos=pos, spaces=spaces)
    doc.ents = [Span(doc, s, e, label=label) for s, e, label in ents]
    assert [(e.text, e.label_) for e in person_titles(doc).ents] == expected


def test_hyphenated_names_grow_without_overlapping():
    # "Al-Bahisi" whole; in "Abu-Musa-Karim", tagged as two names, both would grow over
    # "Musa": the first takes it, the second stays as it was (no overlapping entities)
    words = ["Saja", "Al", "-", "Bahisi", "and", "Abu", "-", "Musa", "-", "Karim", "spoke"]
    spaces = [True, False, False, True, True, False, False, False, False, True, False]
    doc = Doc(spacy.blank("en").vocab, words=words, spaces=spaces)
    doc.ents = [Span(doc, 0, 2, label="PERSON"), Span(doc, 5, 6, label="PERSON"),
                Span(doc, 9, 10, label="PERSON")]  # fmt: skip
    assert [e.text for e in proper_names(doc).ents] == ["Saja Al-Bahisi", "Abu-Musa", "Karim"]
