"""The learned link scorer: its features on hand-built parses, its weights file, its training
labels and fit, and the command that refits it."""

from __future__ import annotations

import json

import numpy
import pytest
import spacy
from spacy.tokens import Doc, Span

from claimgraph.extract.attribution import SPANS_KEY, ParseIndex, link_attributions
from claimgraph.extract.linking import (
    LINK_FEATURES,
    LinkModel,
    link_features,
    load_link_model,
    make_learned_link_scorer,
)
from claimgraph.training.linking import candidate_pairs, fit_linker, labelled_pairs
from claimgraph.training.polnear import GoldAttribution, PolnearArticle

# '" We lost , " he said . Officials said the plan would fail .'
QUOTE_THEN_CUE = (
    ['"', "We", "lost", ",", '"', "he", "said", ".", "Officials", "said", "the", "plan",
     "would", "fail", "."],
    [2, 2, 6, 2, 2, 6, 6, 6, 9, 9, 11, 13, 13, 9, 9],
    ["punct", "nsubj", "ccomp", "punct", "punct", "nsubj", "ROOT", "punct", "nsubj", "ROOT",
     "det", "nsubj", "aux", "ccomp", "punct"],
    ["PUNCT", "PRON", "VERB", "PUNCT", "PUNCT", "PRON", "VERB", "PUNCT", "NOUN", "VERB", "DET",
     "NOUN", "AUX", "VERB", "PUNCT"],
)  # fmt: skip
SPANS = [("CONTENT", 0, 5), ("SOURCE", 5, 6), ("CUE", 6, 7), ("SOURCE", 8, 9), ("CUE", 9, 10),
         ("CONTENT", 10, 14)]  # fmt: skip


def parsed(words, heads, deps, pos, spans) -> Doc:
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos)
    doc.spans[SPANS_KEY] = [Span(doc, s, e, label=label) for label, s, e in spans]
    return doc


@pytest.fixture
def doc() -> Doc:
    return parsed(*QUOTE_THEN_CUE, SPANS)


@pytest.mark.parametrize(
    ("cue", "other", "role", "expected"),
    [
        # the quote right before its cue, the cue governing the quote's verb
        ((6, 7), (0, 5), "content", {"tie": 1.0, "cue_governs_other": 1.0,
                                     "quote_ends_at_cue": 1.0, "same_sentence": 1.0,
                                     "other_before_cue": 1.0, "nearest_cue": 1.0,
                                     "opens_quote": 1.0, "intervening_cue": 0.0}),
        # the same quote against the next sentence's cue
        ((9, 10), (0, 5), "content", {"tie": 0.0, "quote_ends_at_cue": 0.0,
                                      "previous_sentence": 1.0, "nearest_cue": 0.0,
                                      "intervening_cue": 1.0}),
        # "said the plan would fail": the clause after its cue
        ((9, 10), (10, 14), "content", {"tie": 1.0, "adjacent": 1.0, "other_before_cue": 0.0,
                                        "opens_quote": 0.0, "cue_known_lemma": 0.0}),
        # the cue's subject as its source
        ((6, 7), (5, 6), "source", {"tie": 1.0, "other_is_subject": 1.0,
                                    "other_is_pronoun": 1.0, "adjacent": 1.0}),
        ((9, 10), (5, 6), "source", {"other_is_subject": 0.0, "previous_sentence": 1.0}),
    ],
)  # fmt: skip
def test_link_features_of_hand_built_pairs(doc, cue, other, role, expected):
    facts = link_features(doc[cue[0] : cue[1]], doc[other[0] : other[1]], role, ParseIndex.of(doc))
    assert set(facts) == set(LINK_FEATURES)
    assert {name: facts[name] for name in expected} == expected


def test_link_features_rejects_an_unknown_role(doc):
    with pytest.raises(ValueError, match="role"):
        link_features(doc[6:7], doc[0:5], "target", ParseIndex.of(doc))


def test_bundled_scorer_links_each_content_to_its_own_cue(doc):
    scorer = make_learned_link_scorer()
    parse = ParseIndex.of(doc)
    quote, clause = doc[0:5], doc[10:14]
    assert scorer(doc[6:7], quote, "content", parse) > scorer(doc[9:10], quote, "content", parse)
    assert scorer(doc[9:10], clause, "content", parse) > scorer(doc[6:7], clause, "content", parse)
    assert scorer(doc[6:7], doc[5:6], "source", parse) > scorer(doc[6:7], doc[8:9], "source", parse)
    triples = link_attributions(doc, doc.spans[SPANS_KEY], scorer=scorer, threshold=-1.0,
                                intervening_cue=0.0)  # fmt: skip
    found = [(c.text, s and s.text, [p.text for p in ps]) for c, s, ps in triples]
    assert found == [
        ("said", "he", ['" We lost , "']),
        ("said", "Officials", ["the plan would fail"]),
    ]


def test_link_model_round_trips_and_rejects_weights_not_naming_the_features():
    model = load_link_model()
    assert LinkModel.from_dict(model.to_dict()) == model
    broken = model.to_dict()
    del broken["content"]["weights"]["tie"]
    with pytest.raises(ValueError, match="LINK_FEATURES"):
        LinkModel.from_dict(broken)
    with pytest.raises(ValueError, match="weights"):
        LinkModel({"content": 0.0, "source": 0.0}, {"content": (0.0,), "source": (0.0,)})
    with pytest.raises(ValueError, match="source"):
        LinkModel({"content": 0.0}, {"content": (0.0,) * len(LINK_FEATURES)})


def test_scorer_reads_a_weights_file(tmp_path, doc):
    data = load_link_model().to_dict()
    data["content"]["bias"] = 100.0
    path = tmp_path / "linker.json"
    path.write_text(json.dumps({"model": data}), encoding="utf8")
    scorer = make_learned_link_scorer(str(path))
    assert scorer(doc[9:10], doc[0:5], "content", ParseIndex.of(doc)) > 50


def test_training_labels_come_from_the_gold_attributions(doc):
    def chars(start: int, end: int) -> tuple[tuple[int, int], ...]:
        return ((doc[start].idx, doc[end - 1].idx + len(doc[end - 1])),)

    gold = (
        GoldAttribution(source=chars(5, 6), cue=chars(6, 7), content=chars(0, 5)),
        GoldAttribution(source=chars(8, 9), cue=chars(9, 10), content=chars(10, 14)),
    )
    article = PolnearArticle("hand", doc.text, gold)
    pairs = [(c.start, o.start, role) for c, o, role in candidate_pairs(doc, ParseIndex.of(doc))]
    rows = labelled_pairs([doc], [article])
    labels = dict(zip([p for p in pairs if p[2] == "content"], rows["content"][1], strict=True))
    labels.update(zip([p for p in pairs if p[2] == "source"], rows["source"][1], strict=True))
    assert labels == {
        (6, 0, "content"): 1, (9, 0, "content"): 0, (6, 10, "content"): 0, (9, 10, "content"): 1,
        (6, 5, "source"): 1, (6, 8, "source"): 0, (9, 5, "source"): 0, (9, 8, "source"): 1,
    }  # fmt: skip


def test_fit_linker_learns_which_feature_decides():
    rng = numpy.random.default_rng(7)
    tie = rng.integers(0, 2, size=400)
    rows = {}
    for role in ("content", "source"):
        x = numpy.zeros((400, len(LINK_FEATURES)))
        x[:, LINK_FEATURES.index("tie")] = tie
        x[:, LINK_FEATURES.index("log_token_gap")] = rng.random(400)
        rows[role] = (x.tolist(), tie.tolist())
    model, report = fit_linker(rows)
    weights = dict(zip(LINK_FEATURES, model.weights["content"], strict=True))
    assert weights["tie"] > 3 and abs(weights["log_token_gap"]) < weights["tie"]
    assert report["content"] == {"pairs": 400, "linked": round(float(tie.mean()), 4),
                                 "accuracy": 1.0}  # fmt: skip


def test_train_linker_command_writes_a_model_that_loads(shared_dir, tmp_path):
    from typer.testing import CliRunner

    from claimgraph.cli import app

    target = tmp_path / "linker.json"
    result = CliRunner().invoke(app, [
        "attribution", "train-linker", "--corpora", str(shared_dir / "corpora"), "--limit", "2",
        "--output", str(target), "--json",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"content", "source"} and report["content"]["pairs"] > 0
    assert isinstance(load_link_model(str(target)), LinkModel)
