"""Span scoring used by the evaluation command."""

from __future__ import annotations

import pytest

from claimgraph.training.evaluate import _score_spans


def test_span_scores_per_type_and_missing():
    gold = {(0, 2, "PERSON"), (5, 6, "GPE")}
    pred = {(0, 2, "PERSON"), (5, 6, "ORG"), (8, 9, "ORG")}
    result = _score_spans([(gold, pred, {8})])  # (8, 9) lies on unannotated tokens
    assert result["p"] == pytest.approx(0.5)
    assert result["r"] == pytest.approx(0.5)
    assert result["per_type"]["PERSON"]["f"] == pytest.approx(1.0)
    assert result["per_type"]["GPE"]["r"] == 0.0


def test_empty_scores_are_zero():
    result = _score_spans([])
    assert result["f"] == 0.0 and result["support"] == 0
