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


TEXT = 'Peskov said the talks "will be very difficult". Nobody objected.\n'
# brat standoff: T lines are spans (label, start end), E lines join them into one attribution.
ANN_A = (
    "T1\tSource 0 6\tPeskov\n"
    "T2\tCue 7 11\tsaid\n"
    'T3\tContent 12 46\tthe talks "will be very difficult"\n'
    "E1\tCue:T2 Source:T1 Content:T3\n"
)


def _corpus(root, annotations: dict[str, str]):
    """A one-article PolNeAR train split with one .ann file per annotator."""
    base = root / "polnear" / "train"
    (base / "text").mkdir(parents=True)
    (base / "attributions").mkdir()
    (base / "text" / "a.txt").write_text(TEXT, encoding="utf-8")
    for annotator, ann in annotations.items():
        (base / "attributions" / f"a_{annotator}.ann").write_text(ann, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("other", "cue_f1", "content_f1"),
    [
        (ANN_A, 1.0, 1.0),  # the same annotation agrees on everything
        (ANN_A.replace("Cue 7 11\tsaid", "Cue 7 15\tsaid the"), 0.0, 1.0),  # a longer cue
        ("", 0.0, 0.0),  # the second annotator found nothing
    ],
)
def test_annotator_agreement_scores_one_annotator_against_another(
    shared_dir, tmp_path, other, cue_f1, content_f1
):
    from claimgraph.training.evaluate_attribution import annotator_agreement

    root = _corpus(tmp_path, {"aaaa": ANN_A, "bbbb": other})
    result = annotator_agreement(root, shared_dir / "tools", splits=("train",))
    assert (result["articles"], result["pairs"]) == (1, 1)
    assert result["cue_exact"]["f1"] == pytest.approx(cue_f1)
    assert result["content_overlap"]["f1"] == pytest.approx(content_f1)


def test_annotator_agreement_needs_two_annotators(shared_dir, tmp_path):
    from claimgraph.training.evaluate_attribution import annotator_agreement

    root = _corpus(tmp_path, {"aaaa": ANN_A})
    with pytest.raises(ValueError, match="no article has two annotators"):
        annotator_agreement(root, shared_dir / "tools", splits=("train",))


def test_annotator_agreement_refuses_the_test_split(shared_dir, tmp_path):
    from claimgraph.training.evaluate_attribution import annotator_agreement

    with pytest.raises(ValueError, match="split must be one of"):
        annotator_agreement(
            _corpus(tmp_path, {"aaaa": ANN_A}), shared_dir / "tools", splits=("test",)
        )
