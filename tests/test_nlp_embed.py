"""Folded prediction of hashed embeddings (claimgraph.nlp.embed): same outputs, fresh tables."""

from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.ml.models.tok2vec import MultiHashEmbed
from thinc.api import Adam

from claimgraph.nlp.embed import fold_prediction, folded_multi_hash_embed
from claimgraph.nlp.gazetteer import BITS, add_phrase, gazetteer_multi_hash_embed

ATTRS = ["NORM", "PREFIX", "SUFFIX", "SHAPE"]
ROWS = [300, 100, 100, 50]
TEXTS = [
    "Kremlin spokesman Dmitry Peskov said the Istanbul talks would be very difficult.",
    "",
    "Athens.",
    '"No," she said, "we will not sign."',
]


@pytest.fixture(scope="module")
def docs():
    nlp = spacy.blank("en")
    return [nlp(t) for t in TEXTS]


def plain_output(model, docs):
    """The layers as built (the training path; their dropout is 0.0)."""
    output, _ = model.begin_update(docs)
    return output


def assert_same(a, b):
    assert [x.shape for x in a] == [y.shape for y in b]
    for x, y in zip(a, b, strict=True):
        numpy.testing.assert_allclose(x, y, rtol=1e-4, atol=1e-4)


def test_spacy_embedding_folded_predicts_what_it_computes_when_training(docs):
    model = folded_multi_hash_embed(32, ATTRS, ROWS)
    model.initialize(docs)
    assert_same(model.predict(docs), plain_output(model, docs))
    assert [len(x) for x in model.predict(docs)] == [len(d) for d in docs]


def test_folded_embedding_loads_weights_of_spacys_architecture(docs):
    spacys = MultiHashEmbed(32, ATTRS, ROWS, include_static_vectors=False)
    spacys.initialize(docs)
    folded = folded_multi_hash_embed(32, ATTRS, ROWS)
    folded.initialize(docs)
    before = folded.predict(docs)
    folded.from_bytes(spacys.to_bytes())  # new parameter arrays: the tables are made again
    after = folded.predict(docs)
    assert_same(after, spacys.predict(docs))
    assert not numpy.allclose(before[0], after[0])


def test_gazetteer_embedding_folded_with_its_flags(docs):
    model = gazetteer_multi_hash_embed(32, ATTRS, ROWS)
    model.initialize(docs)
    table: dict[str, int] = {}
    add_phrase(table, ["Athens"], BITS["place"] | BITS["major_place"])
    add_phrase(table, ["Dmitry"], BITS["first_name"])
    for node in model.walk():
        if "table" in node.attrs:
            node.attrs["table"] = table
    assert_same(model.predict(docs), plain_output(model, docs))


def test_a_training_step_is_seen_by_the_next_prediction(docs):
    model = folded_multi_hash_embed(32, ATTRS, ROWS)
    model.initialize(docs)
    stale = model.predict(docs)
    output, backprop = model.begin_update(docs)
    backprop([numpy.ones_like(x) for x in output])
    model.finish_update(Adam(0.1))
    fresh = model.predict(docs)
    assert not numpy.allclose(stale[0], fresh[0])
    assert_same(fresh, plain_output(model, docs))


def test_weights_changed_in_place_after_a_training_pass_are_seen(docs):
    model = folded_multi_hash_embed(32, ATTRS, ROWS)
    model.initialize(docs)
    model.predict(docs)
    plain_output(model, docs)  # a training pass: the folded tables are dropped
    (mix,) = [n for n in model.walk() if n.name == "maxout"]
    weights = mix.get_param("W")
    weights += numpy.random.default_rng(0).normal(size=weights.shape).astype(weights.dtype)
    assert_same(model.predict(docs), plain_output(model, docs))


def test_a_copy_predicts_with_its_own_weights(docs):
    model = folded_multi_hash_embed(32, ATTRS, ROWS)
    model.initialize(docs)
    model.predict(docs)
    copy = model.copy()
    for node in copy.walk():
        if node.name == "maxout":
            node.set_param("b", node.get_param("b") + 1.0)
    assert_same(copy.predict(docs), plain_output(copy, docs))
    assert_same(model.predict(docs), plain_output(model, docs))


def test_fold_rejects_an_embedding_without_a_mixing_layer():
    model = fold_prediction(MultiHashEmbed(16, ["NORM"], [10], include_static_vectors=False))
    for node in list(model.walk()):
        if node.name == "maxout":
            node.name = "renamed"
    nlp = spacy.blank("en")
    docs = [nlp("a b")]
    model.initialize(docs)
    with pytest.raises(ValueError, match="one 'maxout' layer"):
        model.predict(docs)
