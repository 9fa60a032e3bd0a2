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
