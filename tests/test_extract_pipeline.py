"""The attribution steps sourced into another spaCy pipeline (add_attribution_pipes)."""

from __future__ import annotations

import spacy

from claimgraph.extract.pipeline import ATTRIBUTION_PIPES, TAGGER, add_attribution_pipes
from claimgraph.nlp import BUNDLED_PATH, load_pipeline

TEXT = (
    'Kremlin spokesman Dmitry Peskov told reporters "No one expects an easy road." '
    "Ukraine's foreign minister said the talks would fail, according to two officials."
)


def _spans(doc) -> list[tuple[int, int, str]]:
    return [(s.start_char, s.end_char, s.label_) for s in doc.spans["attribution_spans"]]


def test_sourced_tagger_tags_as_in_the_bundled_pipeline(nlp):
    """The same syntax components without the attribution steps stand for "another
    pipeline": the sourced tagger carries its own copy of any vectors it shared, so its
    spans are those of the bundled pipeline."""
    other = load_pipeline(exclude=ATTRIBUTION_PIPES)
    assert TAGGER not in other.pipe_names
    add_attribution_pipes(other, BUNDLED_PATH)
    expected = _spans(nlp(TEXT))
    assert expected
    assert _spans(other(TEXT)) == expected


def test_sourced_tagger_ignores_a_foreign_tok2vec(nlp):
    """A pipeline with its own, differently shaped ``tok2vec`` does not feed the tagger; one
    without sentence boundaries gets a sentencizer (the linker works sentence by sentence)."""
    other = spacy.blank("en")
    other.add_pipe("tok2vec")
    other.initialize()
    add_attribution_pipes(other, BUNDLED_PATH)
    assert TAGGER not in other.get_pipe("tok2vec").listening_components
    assert other.pipe_names[0] == "sentencizer"
    doc = other(TEXT)
    assert all(0 <= start < end <= len(TEXT) for start, end, _ in _spans(doc))


def test_a_tagger_sharing_its_source_tok2vec_is_sourced_with_a_copy(tmp_path, nlp):
    """A tagger trained on a shared ``tok2vec`` (spaCy's listener) gets its own copy of it."""
    from spacy.training import Example

    source = spacy.blank("en")
    source.add_pipe("tok2vec")
    tagger = source.add_pipe(
        "ner",
        name=TAGGER,
        config={
            "model": {
                "@architectures": "spacy.TransitionBasedParser.v2",
                "state_type": "ner",
                "tok2vec": {"@architectures": "spacy.Tok2VecListener.v1", "width": 96},
            }
        },
    )
    doc = source.make_doc("Peskov said the talks were hard.")
    examples = [Example.from_dict(doc, {"entities": [(0, 6, "SOURCE"), (7, 11, "CUE")]})]
    optimizer = source.initialize(lambda: examples)
    for _ in range(20):
        source.update(examples, sgd=optimizer)
    assert TAGGER in source.get_pipe("tok2vec").listening_components
    expected = [(e.start_char, e.end_char, e.label_) for e in source(doc.text).ents]
    assert expected == [(0, 6, "SOURCE"), (7, 11, "CUE")]
    source.to_disk(tmp_path / "source")

    other = load_pipeline(exclude=ATTRIBUTION_PIPES)
    add_attribution_pipes(other, tmp_path / "source")
    assert TAGGER not in other.get_pipe("tok2vec").listening_components
    assert other.get_pipe_config(TAGGER)["model"]["tok2vec"]["@architectures"] != (
        "spacy.Tok2VecListener.v1"
    )
    assert tagger.labels == ("CUE", "SOURCE")
    assert _spans(other(doc.text)) == expected
