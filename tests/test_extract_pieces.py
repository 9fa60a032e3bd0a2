"""Input preparation: long units read in pieces, control characters and escapes blanked."""

from __future__ import annotations

import doctest
import random
import re
from itertools import count, islice, pairwise

import pytest

from claimgraph.extract import pieces
from claimgraph.extract.claims import extract_claims
from claimgraph.extract.pieces import CONTROL, blank_controls, split_text, unblank
from claimgraph.extract.pipeline import TextUnit, confidence_model, extract_grouped

QUOTE = '"No one expects an easy road," Dmitry Peskov told reporters.'
FILLER = "The weather was mild and the market opened on time. " * 60  # 3,120 characters


def test_pieces_docstring_examples():
    result = doctest.testmod(pieces)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # a blank line wins over a later line break, sentence end and space
        ("aaaa\n\nbb\ncc. dd ee" + "f" * 30, "aaaa\n\n"),
        # a line of spaces (blanked chrome) is a blank line too
        ("aaaa\n   \nbb\ncc. dd ee" + "f" * 30, "aaaa\n   \n"),
        # a line break wins over a later sentence end and space
        ("aaaa\nbb. cc dd ee" + "f" * 30, "aaaa\n"),
        # a sentence end (closing quote allowed) wins over a later space
        ('aa bb." cc dd ee' + "f" * 30, 'aa bb." '),
        ("aa bb? cc dd ee" + "f" * 30, "aa bb? "),
        # a full stop inside a word is no sentence end: the last space is taken
        ("aa b.c dd ee ff" + "g" * 30, "aa b.c dd ee "),
        ("f" * 50, "f" * 20),
    ],
)
def test_split_prefers_paragraph_line_sentence_then_space(text, first):
    spans = split_text(text, 20)
    assert text[: spans[0][1]] == first


@pytest.mark.parametrize("max_chars", [1, 7, 40, 500])
def test_pieces_cover_the_text_in_order_and_fit(max_chars):
    rng = random.Random(max_chars)
    alphabet = ["word", " ", "\n", "\n\n", ". ", "? ", "x" * 60, "\t", "\u201d "]
    text = "".join(rng.choice(alphabet) for _ in range(2000))
    spans = split_text(text, max_chars)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(spans))
    assert all(0 < end - start <= max_chars for start, end in spans)
    assert "".join(text[a:b] for a, b in spans) == text


def test_a_long_line_without_spaces_is_cut_hard():
    text = "x" * 2_000_000
    spans = split_text(text, 100_000)
    assert spans == [(n, n + 100_000) for n in range(0, 2_000_000, 100_000)]


def test_split_rejects_a_limit_below_one():
    with pytest.raises(ValueError, match="at least 1"):
        split_text("abc", 0)


def test_blank_controls_keeps_length_and_layout():
    text = (
        "\x1b[1;31mRed\x1b[0m\tend\r\n"
        "\x1b]0;window title\x07Title\x1b]8;;http://x.test\x1b\\link\x1b]8;;\x1b\\\n"
        "bell\x07 null\x00 del\x7f c1\x85 csi\x9b2J done\x1b(B\n"
        "\x1b]unterminated osc\nnext line"
    )
    blanked = blank_controls(text)
    assert len(blanked) == len(text)
    assert CONTROL.search(blanked) is None
    assert [i for i, c in enumerate(blanked) if c in "\t\r\n"] == [
        i for i, c in enumerate(text) if c in "\t\r\n"
    ]
    assert blanked.split() == "Red end Title link bell null del c1 csi done next line".split()
    assert blank_controls("Plain text.\n") == "Plain text.\n"


def test_unblank_leaves_a_span_without_controls_as_it_is():
    text = " Talks will fail. "
    assert unblank(text, blank_controls(text), 0, len(text)) == (text, 0, len(text))


def _check_offsets(claim, text: str) -> None:
    spans = [*claim.content, claim.cue, claim.speaker, claim.target]
    for span in spans:
        if span is not None:
            assert text[span.start : span.end] == span.text


def test_a_unit_over_max_chars_is_read_in_pieces_with_file_offsets(nlp):
    text = FILLER + QUOTE + " " + FILLER[:200]
    assert len(text) > 2000
    unit = TextUnit("long.txt", 2, 100, text)
    file_text = "#" * 100 + text
    [(got, claims)] = list(extract_grouped(nlp, [unit], max_chars=2000))
    assert got is unit
    quotes = [c for c in claims if "easy road" in c.text]
    assert len(quotes) == 1
    claim = quotes[0]
    assert claim.speaker.entity == "Dmitry Peskov"
    assert claim.content[0].start == 100 + text.index(QUOTE)
    for found in claims:
        _check_offsets(found, file_text)


@pytest.mark.parametrize("max_chars", [None, 10_000_000])
def test_a_unit_over_spacy_max_length_is_processed(nlp, max_chars):
    """Filler words of 1,200 characters keep the token count small; a limit above the
    pipeline's ``max_length`` is lowered to it."""
    word = "filler" * 200
    last = '"The talks will fail," Dmitry Peskov told reporters.'
    text = QUOTE + "\n\n" + " ".join([word] * 900) + "\n\n" + last
    assert len(text) > nlp.max_length
    kwargs = {} if max_chars is None else {"max_chars": max_chars}
    [(_, claims)] = list(extract_grouped(nlp, [TextUnit("big.txt", 0, 0, text)], **kwargs))
    texts = [c.text for c in claims]
    assert texts == ['"No one expects an easy road,"', '"The talks will fail,"']
    assert claims[1].content[0].start == text.index(last)
    for claim in claims:
        _check_offsets(claim, text)


def test_pieces_and_whole_units_come_back_one_per_unit_in_order(nlp):
    units = [TextUnit(f"d{n}.txt", n, 0, FILLER + QUOTE if n % 2 else QUOTE) for n in range(5)]
    results = list(extract_grouped(nlp, units, batch_size=2, max_chars=1000))
    assert [unit for unit, _ in results] == units
    for unit, claims in results:
        assert [c.text for c in claims] == ['"No one expects an easy road,"']
        assert claims[0].content[0].start == unit.text.index(QUOTE)


def test_units_are_read_lazily(nlp):
    """An endless stream of units gives its first results: nothing collects the stream."""
    stream = (TextUnit(f"d{n}.txt", n, 0, FILLER + QUOTE) for n in count())
    first = list(islice(extract_grouped(nlp, stream, batch_size=2, max_chars=1000), 3))
    assert [unit.article for unit, _ in first] == [0, 1, 2]


def test_the_headline_is_read_in_its_own_piece_only(nlp):
    head = "Kremlin expects 'difficult' talks with Ukraine"
    text = head + "\n\n" + FILLER + QUOTE
    unit = TextUnit("h.txt", 1, 7, text, (0, len(head)))
    [(_, claims)] = list(extract_grouped(nlp, [unit], max_chars=2000))
    headlines = [c for c in claims if c.kind == "headline"]
    assert [(c.speaker.text, c.cue.text) for c in headlines] == [("Kremlin", "expects")]
    assert headlines[0].cue.start == 7 + text.index("expects")
    assert any(c.kind == "direct" and "easy road" in c.text for c in claims)


ESCAPES = re.compile(r"\x1b\[[0-9;]*m")


def test_escapes_and_controls_stay_out_of_the_records(nlp):
    text = '\x1b[1mDmitry Peskov\x1b[0m said: "Talks \x1b[31mwill\x1b[0m fail."'
    [(_, claims)] = list(extract_grouped(nlp, [TextUnit("esc.txt", 0, 0, text)]))
    [claim] = claims
    assert claim.speaker.entity == "Dmitry Peskov"
    assert claim.speaker.text == "Dmitry Peskov"
    assert claim.text == '"Talks will fail."'
    record = claim.to_dict()
    refs = [record["speaker"], record["cue"], *record["content"], record["target"]]
    for ref in filter(None, refs):
        assert ESCAPES.sub("", text[ref["start"] : ref["end"]]) == ref["text"]
        for value in ref.values():
            if isinstance(value, str):
                assert CONTROL.search(value) is None and "  " not in value


def test_an_escape_inside_a_name_leaves_no_gap_in_the_entity(nlp):
    text = '"We will not sign," Dmitry\x1b[0m Peskov told \x1b]0;x\x07reporters.\x07'
    [(_, claims)] = list(extract_grouped(nlp, [TextUnit("esc.txt", 0, 0, text)]))
    [claim] = claims
    assert claim.speaker.entity == "Dmitry Peskov"
    assert claim.speaker.text == "Dmitry Peskov"
    assert text[claim.speaker.start : claim.speaker.end] == "Dmitry\x1b[0m Peskov"


def test_text_without_controls_gives_the_claims_of_the_doc(nlp):
    text = FILLER[: 52 * 8] + QUOTE
    [(_, claims)] = list(extract_grouped(nlp, [TextUnit("plain.txt", 0, 0, text)]))
    assert claims
    model = confidence_model(nlp)
    assert claims == list(
        extract_claims(nlp(text), doc_name="plain.txt", text=text, confidence=model)
    )
