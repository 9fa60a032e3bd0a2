"""Speakers and targets are real entities, typed on evidence; claims carry a confidence.

Texts are written for the tests. They pin: a speaker span that names no one gives no entity,
a bare or quantity phrase is no target, a common noun is a person only when its head says so,
a surname the recogniser missed joins its article's full name, a name after a title keeps its
given names and its hyphens, and confidences are probabilities that differ between claims.
"""

from __future__ import annotations

import json

import pytest

from claimgraph.extract.confidence import FEATURES, ConfidenceModel, bundled_models
from claimgraph.extract.nouns import noun_class
from claimgraph.extract.pipeline import TextUnit, extract_units
from claimgraph.extract.records import Claim, EntityRef, TextSpan
from claimgraph.graph.aliases import AliasTable
from claimgraph.graph.entities import mention_of
from claimgraph.graph.names import ORG, PERSON, THING


def claims_of(nlp, text: str) -> list[Claim]:
    return list(extract_units(nlp, [TextUnit("t.txt", 0, 0, text)]))


def only(nlp, text: str) -> Claim:
    claims = claims_of(nlp, text)
    assert len(claims) == 1, [c.to_dict() for c in claims]
    return claims[0]


@pytest.mark.parametrize(
    ("text", "speaker", "entity", "type", "refers"),
    [
        ("Recent events have shown that the army is ready for a long war.",
         "Recent events", "Recent events", None, False),
        ("The spokesman said the talks would resume in June.",
         "The spokesman", "spokesman", "PERSON", True),
        ("The court said the petition was dismissed.", "The court", "court", "ORG", True),
        ("A source in the delegation said results would depend on Russia.",
         "A source in the delegation", "source in the delegation", "PERSON", True),
        ("US President Donald Trump met Putin on Monday. Later, Trump announced that "
         "sanctions would follow.", "Trump", "Donald Trump", "PERSON", True),
        ("National Security Minister Itamar Ben-Gvir said the war must go on.",
         "National Security Minister Itamar Ben-Gvir", "Itamar Ben-Gvir", "PERSON", True),
    ],
)  # fmt: skip
def test_speaker_evidence(nlp, text, speaker, entity, type, refers) -> None:
    claim = only(nlp, text)
    assert claim.speaker is not None
    assert claim.speaker.text == speaker
    assert (claim.speaker.entity, claim.speaker.type, claim.speaker.refers) == (
        entity,
        type,
        refers,
    )


@pytest.mark.parametrize(
    ("text", "not_target"),
    [
        ("Colonel Smith argued there was very little room for negotiation.", "little room"),
        ("He told the ABC he believed fighting would continue for another decade.", "fighting"),
    ],
)
def test_bare_or_quantity_phrases_are_no_targets(nlp, text, not_target) -> None:
    for claim in claims_of(nlp, text):
        assert claim.target is None or not_target not in claim.target.text


def test_hyphenated_name_after_a_title_is_one_entity(nlp) -> None:
    doc = nlp("National Security Minister Itamar Ben-Gvir said the war must go on.")
    assert "Itamar Ben-Gvir" in [e.text for e in doc.ents if e.label_ == "PERSON"]


@pytest.mark.parametrize(
    ("ref", "cls"),
    [
        (EntityRef("the talks", 0, 9, entity="talks", anonymous=True), THING),
        (EntityRef("officials", 0, 9, entity="officials", type="PERSON", anonymous=True), PERSON),
        (EntityRef("the court", 0, 9, entity="court", type="ORG", anonymous=True), ORG),
    ],
)
def test_an_unnamed_mention_is_a_person_only_on_evidence(ref, cls) -> None:
    mention = mention_of(ref, AliasTable())
    assert mention is not None and mention.cls == cls


def test_a_span_naming_no_one_gets_no_entity() -> None:
    ref = EntityRef("Recent events", 0, 13, entity="Recent events", anonymous=True, refers=False)
    assert mention_of(ref, AliasTable()) is None
    assert EntityRef.from_dict(ref.to_dict()) == ref


@pytest.mark.parametrize(
    ("lemma", "cls"), [("spokesman", "person"), ("government", "organization"), ("event", "other")]
)
def test_noun_classes_learned_from_gum(lemma, cls) -> None:
    assert noun_class(lemma) == cls


def test_every_span_tagger_has_a_confidence_model() -> None:
    models = bundled_models()
    assert set(models) == {"fast", "accurate"}
    for model in models.values():
        assert len(model.weights) == len(FEATURES)
        assert ConfidenceModel.from_dict(json.loads(json.dumps(model.to_dict()))) == model


def test_confidences_are_probabilities_that_differ(nlp) -> None:
    text = (
        '"No one expects an easy road," Kremlin spokesman Dmitry Peskov told reporters. '
        "Recent events have shown that the army is ready for a long war."
    )
    confidences = [c.confidence for c in claims_of(nlp, text)]
    assert len(confidences) == 2
    assert all(0.0 < p < 1.0 for p in confidences)
    assert confidences[0] > confidences[1]  # a named speaker with "told" over no one


def test_claims_are_labelled_by_the_who_said_what_rule() -> None:
    from claimgraph.training.confidence import label_claims
    from claimgraph.training.polnear import GoldAttribution

    text = "Peskov said the talks were hard. Analysts think Kyiv will wait."
    gold = [GoldAttribution(((0, 6),), ((7, 11),), ((12, 31),))]
    right = Claim("t.txt", 0, (TextSpan("the talks were hard", 12, 31),),
                  speaker=EntityRef("Peskov", 0, 6))  # fmt: skip
    wrong_speaker = Claim("t.txt", 0, (TextSpan("the talks were hard", 12, 31),),
                          speaker=EntityRef("Analysts", 33, 41))  # fmt: skip
    unmatched = Claim("t.txt", 0, (TextSpan("Kyiv will wait", 48, 62),))
    assert label_claims(text, [right, unmatched], gold) == [1, 0]
    assert label_claims(text, [wrong_speaker], gold) == [0]


def test_calibration_figures() -> None:
    import numpy

    from claimgraph.training.confidence import calibration

    p = numpy.array([0.9] * 10 + [0.1] * 10)
    y = numpy.array([1] * 9 + [0] + [0] * 9 + [1], dtype=float)
    figures = calibration(p, y)
    assert figures["ece"] == pytest.approx(0.0, abs=1e-9)
    assert figures["precision_confident_half"] == 0.9
    assert figures["precision_other_half"] == 0.1
    worse = calibration(numpy.full(20, 0.5), y)
    assert worse["ece"] == pytest.approx(0.0)  # 10 of 20 right at 0.5: calibrated, not sharp
    assert calibration(numpy.full(20, 0.99), y)["ece"] == pytest.approx(0.49)


def test_seed_page_graph_nodes_are_entities(nlp, tmp_path) -> None:
    from conftest import SEED_PAGE

    from claimgraph.flow import document_inputs
    from claimgraph.graph import GraphStore

    with GraphStore.open(tmp_path / "db") as store:
        store.build(document_inputs(nlp, [SEED_PAGE]))
        rows = store.entities()
    names = [r["name"] for r in rows]
    assert names.count("Donald Trump") == 1 and "Trump" not in names
    assert "Itamar Ben-Gvir" in names and "Itamar Ben" not in names
    for fragment in ("to overwhelming majority", "little room", "fighting", "Recent events"):
        assert not any(fragment in n for n in names), fragment
    people = [r["name"] for r in rows if r["type"] == "Person"]
    assert "talks" not in people and "goal" not in people
