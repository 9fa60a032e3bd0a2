"""The accurate (transformer) span tagger: chunking, BIO decoding, loading and choosing it.

Its attribution behaviours are pinned together with the default tagger's in
``test_extract_attribution.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import spacy
from spacy.tokens import Doc

from claimgraph.extract.pipeline import TAGGER, use_tagger
from claimgraph.extract.transformer_spans import bio_spans, word_chunks


def doc_of(words: list[str], sent_starts: list[bool] | None = None) -> Doc:
    nlp = spacy.blank("en")
    spaces = [True] * len(words)
    return Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=sent_starts)


@pytest.mark.parametrize(
    ("sizes", "max_words", "expected"),
    [
        ([3, 2, 4], 5, [[0, 1, 2, 3, 4], [5, 6, 7, 8]]),  # whole sentences packed
        ([3, 2, 4], 100, [[0, 1, 2, 3, 4, 5, 6, 7, 8]]),
        ([7], 3, [[0, 1, 2], [3, 4, 5], [6]]),  # a long sentence is cut
        ([2, 7, 1], 3, [[0, 1], [2, 3, 4], [5, 6, 7], [8, 9]]),
        ([1, 1, 1], 1, [[0], [1], [2]]),
    ],
)
def test_word_chunks_pack_whole_sentences(sizes, max_words, expected):
    words = [f"w{i}" for i in range(sum(sizes))]
    starts = []
    for size in sizes:
        starts += [True] + [False] * (size - 1)
    assert word_chunks(doc_of(words, starts), max_words=max_words) == expected


def test_word_chunks_skip_whitespace_and_empty_docs():
    nlp = spacy.blank("en")
    doc = nlp("One two.\n\nThree")
    assert [[doc[i].text for i in c] for c in word_chunks(doc, max_words=10)] == [
        ["One", "two", ".", "Three"]
    ]
    assert word_chunks(nlp(""), max_words=10) == []
    with pytest.raises(ValueError, match="max_words"):
        word_chunks(doc, max_words=0)


@pytest.mark.parametrize(
    ("tags", "sent_starts", "expected"),
    [
        (["B-SOURCE", "I-SOURCE", "B-CUE", "O"], None, [(0, 2, "SOURCE"), (2, 3, "CUE")]),
        (["I-CONTENT", "I-CONTENT", "O", "O"], None, [(0, 2, "CONTENT")]),  # I opens a span
        (["B-CUE", "B-CUE", "I-CUE", "O"], None, [(0, 1, "CUE"), (1, 3, "CUE")]),
        (["B-SOURCE", "I-CUE", "I-CUE", "O"], None, [(0, 1, "SOURCE"), (1, 3, "CUE")]),
        (["O", "O", "O", "O"], None, []),
        (  # a span never crosses a sentence start
            ["B-CONTENT", "I-CONTENT", "I-CONTENT", "I-CONTENT"],
            [True, False, True, False],
            [(0, 2, "CONTENT"), (2, 4, "CONTENT")],
        ),
    ],
)
def test_bio_spans(tags, sent_starts, expected):
    doc = doc_of(["a", "b", "c", "d"], sent_starts)
    spans = bio_spans(doc, enumerate(tags))
    assert [(s.start, s.end, s.label_) for s in spans] == expected


def test_bio_spans_break_at_skipped_tokens():
    doc = doc_of(["a", "b", "c", "d"])
    spans = bio_spans(doc, [(0, "B-CONTENT"), (1, "I-CONTENT"), (3, "I-CONTENT")])
    assert [(s.start, s.end) for s in spans] == [(0, 2), (3, 4)]


def test_unknown_tagger_is_a_clear_error(nlp):
    with pytest.raises(ValueError, match="unknown tagger 'best'"):
        use_tagger(nlp, "best")


def test_missing_model_folder_names_what_is_missing(tmp_path):
    pytest.importorskip("onnxruntime")
    from claimgraph.nlp import load_pipeline

    nlp = load_pipeline()
    (tmp_path / "labels.json").write_text(json.dumps(["O"]), encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=r"missing model\.onnx, tokenizer\.json"):
        use_tagger(nlp, "accurate", model=tmp_path)


def test_accurate_tagger_replaces_the_cnn_in_place(nlp, accurate_nlp):
    names = accurate_nlp.pipe_names
    assert accurate_nlp.get_pipe_meta(TAGGER).factory == "claimgraph_transformer_spans"
    assert names.index(TAGGER) < names.index("ner")  # still before the entity recogniser
    text = "Kremlin spokesman Dmitry Peskov said the talks in Istanbul would be very difficult."
    doc = accurate_nlp(text)
    labels = {s.label_: s.text for s in doc.spans["attribution_spans"]}
    assert labels["SOURCE"] == "Kremlin spokesman Dmitry Peskov" and labels["CUE"] == "said"
    assert "talks in Istanbul would be very difficult" in labels["CONTENT"]
    # the entity recogniser after it sees the same unconstrained text as with the CNN tagger
    entities = [(e.text, e.label_) for e in doc.ents]
    assert ("Dmitry Peskov", "PERSON") in entities
    assert entities == [(e.text, e.label_) for e in nlp(text).ents]


def test_accurate_tagger_tags_a_document_longer_than_one_chunk(accurate_nlp):
    sentence = "The minister said that the plan would fail. "
    text = sentence * 60  # 540 words: several chunks of whole sentences
    doc = accurate_nlp(text)
    cues = [s for s in doc.spans["attribution_spans"] if s.label_ == "CUE"]
    assert len(cues) == 60
    assert all(s.text == "said" for s in cues)


@pytest.mark.parametrize(
    "command",
    [["extract", "a.txt"], ["build", "a.txt", "--db", "db", "--processes", "2"]],
    ids=["extract", "build with workers"],
)
def test_cli_unknown_tagger_is_one_line_error(nlp, tmp_path, command):
    (tmp_path / "a.txt").write_text("The mayor said the road would reopen.", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "claimgraph", *command, "--tagger", "best"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stdout == ""
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("error: --tagger best: unknown tagger")


def test_cli_extract_and_build_with_the_accurate_tagger(accurate_nlp, tmp_path):
    """Run as a user runs them (a new process each: the commands freeze what they load out of
    the garbage collector, which must not leak into other tests)."""

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "claimgraph", *args, "--tagger", "accurate"],
            cwd=tmp_path, capture_output=True, text=True, timeout=600,
        )  # fmt: skip

    text = '"The bridge will reopen on Friday," the mayor of Leeds told reporters.\n'
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    result = run("extract", "a.txt", "-f", "jsonl", "-q")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    [article, claim] = records
    assert article["record"] == "article" and article["doc"] == "a.txt"
    assert claim["cue"]["text"] == "told"
    assert text[claim["speaker"]["start"] : claim["speaker"]["end"]] == claim["speaker"]["text"]
    assert "bridge will reopen on Friday" in claim["content"][0]["text"]
    built = run("build", "a.txt", "--db", "db", "--json", "-q")
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout)["reports_added"] == 1


def test_accurate_tagger_in_another_pipeline_loaded_from_a_path(accurate_nlp, tmp_path):
    """A pipeline without the attribution steps (here a blank one, saved and loaded by path)
    gets them from the bundled pipeline, then the accurate tagger: it needs no parse, so its
    spans are those it gives inside the bundled pipeline when sentences agree."""
    from claimgraph.extract.pipeline import add_attribution_pipes
    from claimgraph.nlp import BUNDLED_PATH, load_pipeline

    spacy.blank("en").to_disk(tmp_path / "blank")
    other = load_pipeline(tmp_path / "blank")
    add_attribution_pipes(other, BUNDLED_PATH)
    use_tagger(other, "accurate")
    assert other.get_pipe_meta(TAGGER).factory == "claimgraph_transformer_spans"
    text = "The mayor of Leeds said the bridge would reopen on Friday."  # one sentence
    doc, expected = other(text), accurate_nlp(text)
    spans = [(s.text, s.label_) for s in doc.spans["attribution_spans"]]
    assert ("said", "CUE") in spans
    assert spans == [(s.text, s.label_) for s in expected.spans["attribution_spans"]]


def test_docstring_examples():
    import doctest

    from claimgraph.extract import transformer_spans

    result = doctest.testmod(transformer_spans, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("epochs", 0, "epochs must be >= 1"),
        ("layers", 0, "layers must be >= 1"),
        ("warmup", 1.0, "warmup must be in"),
        ("distill_weight", 1.5, "distill_weight must be in"),
        ("temperature", 0.0, "temperature must be > 0"),
    ],
)
def test_training_options_are_checked_before_any_work(tmp_path, option, value, message):
    from claimgraph.training.transformer import TrainingConfig

    with pytest.raises(ValueError, match=message):
        TrainingConfig(**{option: value})
    assert not (tmp_path / "out").exists()
