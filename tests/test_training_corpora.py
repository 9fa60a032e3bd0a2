"""Corpus conversion: CoNLL-U reading, GUM entity parsing, named-mention spans, labels."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from claimgraph.training import corpora

CONLLU = """# newdoc id = doc1
# sent_id = doc1-1
# text = Kremlin spokesman Dmitry Peskov didn't come.
1\tKremlin\tKremlin\tPROPN\tNNP\tNumber=Sing\t2\tcompound\t_\tEntity=(1-person-new-x-cf1-1-coref(2-organization-new-x-cf2-1-sgl)
2\tspokesman\tspokesman\tNOUN\tNN\tNumber=Sing\t4\tcompound\t_\t_
3\tDmitry\tDmitry\tPROPN\tNNP\tNumber=Sing\t4\tcompound\t_\t_
4\tPeskov\tPeskov\tPROPN\tNNP\tNumber=Sing\t7\tnsubj\t_\tEntity=1)
5-6\tdidn't\t_\t_\t_\t_\t_\t_\t_\t_
5\tdid\tdo\tAUX\tVBD\t_\t7\taux\t_\t_
6\tn't\tnot\tPART\tRB\t_\t7\tadvmod\t_\t_
7\tcome\tcome\tVERB\tVB\t_\t0\troot\t_\tSpaceAfter=No
8\t.\t.\tPUNCT\t.\t_\t7\tpunct\t_\t_

# sent_id = doc1-2
# text = Emperor Norton visited South Africa.
1\tEmperor\tEmperor\tPROPN\tNNP\t_\t2\tcompound\t_\tEntity=(3-person-new-x-cf1-1-coref
2\tNorton\tNorton\tPROPN\tNNP\t_\t3\tnsubj\t_\tEntity=3)
3\tvisited\tvisit\tVERB\tVBD\t_\t0\troot\t_\t_
4\tSouth\tSouth\tPROPN\tNNP\t_\t5\tcompound\t_\tEntity=(4-place-new-x-cf1-1-coref-South_Africa
5\tAfrica\tAfrica\tPROPN\tNNP\t_\t3\tobj\t_\tEntity=4)|SpaceAfter=No
6\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_

"""


@pytest.fixture()
def conllu_file(tmp_path: Path) -> Path:
    path = tmp_path / "doc1.conllu"
    path.write_text(CONLLU, encoding="utf-8")
    return path


def test_read_conllu_keeps_multiword_spacing(conllu_file):
    sents = list(corpora.read_conllu(conllu_file))
    assert len(sents) == 2
    doc = corpora.sentences_to_doc(spacy.blank("en").vocab, sents)
    assert doc.text.startswith("Kremlin spokesman Dmitry Peskov didn't come. Emperor")
    assert [t.dep_ for t in doc][:2] == ["compound", "compound"]
    assert doc[6].dep_ == "ROOT" and doc[6].lemma_ == "come"
    assert [s.start for s in doc.sents] == [0, 8]


def test_named_entities_from_gum_mentions(conllu_file):
    vocab = spacy.blank("en").vocab
    sents = list(corpora.read_conllu(conllu_file))
    doc = corpora.sentences_to_doc(vocab, sents, with_entities=True)
    ents = [(e.text, e.label_) for e in doc.ents]
    # titles and roles leave person names; the nested organisation keeps its own label
    assert ("Dmitry Peskov", "PERSON") in ents
    assert ("Kremlin", "ORG") in ents
    assert ("Norton", "PERSON") in ents
    assert ("South Africa", "GPE") in ents


@pytest.mark.parametrize(
    ("field", "openings", "closings"),
    [
        ("Entity=(1-place-new-sssss-cf1-1-coref-Coron%2C_Palawan)", [("1", "place")], ["1"]),
        (
            "Entity=(4-abstract-new-s-cf2-3-coref(5-object-new-s-cf3-1-coref)",
            [("4", "abstract"), ("5", "object")],
            ["5"],
        ),
        ("Entity=4)3)|MSeg=x", [], ["4", "3"]),
        ("SpaceAfter=No", [], []),
    ],
)
def test_entity_field_parsing(field, openings, closings):
    assert corpora._parse_entity_field(field) == (openings, closings)


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("South Africa", "GPE"),
        ("Africa", "LOC"),
        ("Middle East", "LOC"),
        ("Mississippi River", "LOC"),
        ("Golden Gate Bridge", "FAC"),
        ("Istanbul", "GPE"),
    ],
)
def test_place_labels(text, label):
    assert corpora.place_label(text) == label


def test_silver_entities_map_and_leave_numbers_unannotated():
    nlp = spacy.blank("en")
    doc = nlp.make_doc("Hillary Clinton met Democrats in Iowa on Monday.")
    corpora.set_char_entities(
        doc, [(0, 15, "PERSON"), (20, 29, "MISC"), (33, 37, "LOCATION"), (41, 47, "DATE")]
    )
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Hillary Clinton", "PERSON"),
        ("Democrats", "NORP"),
        ("Iowa", "GPE"),
    ]
    assert doc[-2].ent_iob == 0  # "Monday": unannotated, neither entity nor "O"
    assert doc[2].ent_iob_ == "O"


def test_gum_split_refuses_test(tmp_path):
    with pytest.raises(ValueError, match="split"):
        corpora.gum_split(tmp_path, "test")


def test_gum_splits_exist(shared_dir):
    root = shared_dir / "corpora"
    train, dev = corpora.gum_split(root, "train"), corpora.gum_split(root, "dev")
    assert train and dev and not set(train) & set(dev)
