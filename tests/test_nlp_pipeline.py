"""The bundled pipeline: loading, offline use, entities on the seed page, errors."""

from __future__ import annotations

import socket

import pytest

from claimgraph.nlp import PipelineNotFoundError, load_pipeline


def test_loads_without_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    try:
        nlp = load_pipeline()
    except PipelineNotFoundError:
        pytest.skip("bundled pipeline not built")
    doc = nlp("Dmitry Peskov spoke to reporters in Moscow on Tuesday.")
    assert len(doc) == 10
    assert doc.has_annotation("DEP")


@pytest.mark.parametrize(
    ("name", "labels"),
    [
        ("Dmitry Peskov", {"PERSON"}),
        ("Vladimir Putin", {"PERSON"}),
        ("Volodymyr Zelensky", {"PERSON"}),
        ("Donald Trump", {"PERSON"}),
        ("Istanbul", {"GPE", "LOC"}),
    ],
)
def test_seed_page_entities(nlp, seed_text, name, labels):
    found = {e.label_ for e in nlp(seed_text).ents if e.text == name}
    assert found & labels, f"{name!r} not found as {labels}: got {found or 'nothing'}"


def test_empty_text_gives_empty_doc(nlp):
    doc = nlp("")
    assert len(doc) == 0
    assert list(doc.ents) == []


def test_sentences_and_ud_labels(nlp):
    doc = nlp("The talks will be difficult. Ukraine said it hoped for progress.")
    assert len(list(doc.sents)) == 2
    assert {t.dep_ for t in doc} & {"nsubj", "ccomp", "obj", "obl"}
    assert doc[1].pos_ == "NOUN" and doc[1].lemma_ == "talk"


@pytest.mark.parametrize("name", ["en_core_web_nonexistent", "no-such-pipeline"])
def test_missing_model_name_is_a_clear_error(name):
    with pytest.raises(PipelineNotFoundError) as info:
        load_pipeline(name)
    message = str(info.value)
    assert name in message and "install" in message and "\n" not in message


def test_path_without_config_is_rejected(tmp_path):
    with pytest.raises(PipelineNotFoundError, match=r"config\.cfg"):
        load_pipeline(tmp_path)


def test_entity_rules_follow_the_ner_in_order(nlp):
    from claimgraph.nlp.components import ENTITY_RULES

    names = nlp.pipe_names
    start = names.index("ner") + 1
    assert tuple(names[start : start + len(ENTITY_RULES)]) == ENTITY_RULES
