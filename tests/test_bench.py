"""Benchmark helpers: argument checks and the words/s arithmetic on a blank pipeline."""

from __future__ import annotations

import pytest
import spacy

from claimgraph.bench.build import build_speed
from claimgraph.bench.pipeline import pipeline_speed


def test_pipeline_speed_counts_words():
    result = pipeline_speed(spacy.blank("en"), ["One two three.", "Four five."] * 5)
    assert result["words"] == 35 and result["words_per_s"] > 0


@pytest.mark.parametrize(
    ("texts", "kwargs", "match"),
    [([], {}, "texts is empty"), (["a b"], {"batch_size": 0}, "batch_size")],
)
def test_pipeline_speed_rejects_bad_arguments(texts, kwargs, match):
    with pytest.raises(ValueError, match=match):
        pipeline_speed(spacy.blank("en"), texts, **kwargs)


@pytest.mark.parametrize(
    ("texts", "processes", "match"), [([], (1,), "texts is empty"), (["a"], (0,), "process")]
)
def test_build_speed_rejects_bad_arguments(texts, processes, match):
    with pytest.raises(ValueError, match=match):
        build_speed(spacy.blank("en"), texts, processes=processes)
