"""Attribution extraction behaviours: text in, (speaker, cue, content) out.

These pin behaviours on short texts written for the tests (not gold files): split quotes,
pronoun speakers, anonymous sources with affiliation, "according to", no cue, offsets.
"""

from __future__ import annotations

import pytest

from claimgraph.extract.pipeline import TextUnit, extract_units


def claims_of(nlp, text: str):
    return list(extract_units(nlp, [TextUnit("test.txt", 0, 0, text)]))


def content_text(claim) -> str:
    return " ".join(part.text for part in claim.content)


@pytest.mark.parametrize(
    ("text", "speaker", "cue", "content_words"),
    [
        (
            '"No one expects an easy road," Kremlin spokesman Dmitry Peskov told reporters.',
            "Dmitry Peskov",
            "told",
            "No one expects an easy road",
        ),
        (
            "The senator said that the bill would fail in the House.",
            "The senator",
            "said",
            "the bill would fail in the House",
        ),
        (
            "According to the Pentagon, the strike killed three militants.",
            "Pentagon",
            "According to",
            "the strike killed three militants",
        ),
        (
            "Angela Merkel warned that Europe faces a difficult winter.",
            "Angela Merkel",
            "warned",
            "Europe faces a difficult winter",
        ),
    ],
)
def test_speaker_cue_content(nlp, text, speaker, cue, content_words):
    claims = claims_of(nlp, text)
    assert len(claims) == 1, [c.to_dict() for c in claims]
    claim = claims[0]
    assert speaker in (claim.speaker.entity or "") or speaker in claim.speaker.text
    assert claim.cue.text.lower().startswith(cue.lower())
    assert content_words in content_text(claim)


def test_split_quote_is_one_claim(nlp):
    text = (
        '"We will not give up," Zelensky said on Monday, "and we will rebuild every city '
        'that was destroyed."'
    )
    claims = claims_of(nlp, text)
    assert len(claims) == 1
    words = content_text(claims[0])
    assert "We will not give up" in words and "rebuild every city" in words
    assert claims[0].kind == "direct"


def test_pronoun_speaker_resolves_to_earlier_name(nlp):
    text = (
        '"No one expects an easy road," Kremlin spokesman Dmitry Peskov told reporters. '
        '"It will be very difficult," he added.'
    )
    claims = claims_of(nlp, text)
    assert len(claims) == 2
    second = claims[1]
    assert second.speaker.text == "he"
    assert second.speaker.entity == "Dmitry Peskov"
    first = claims[0]
    assert first.speaker.role == "spokesman" and first.speaker.affiliation == "Kremlin"


def test_anonymous_source_keeps_affiliation(nlp):
    text = (
        '"Everything will depend on Russia," a source in the Ukrainian delegation told AFP. '
        '"This will determine the outcome," the source added.'
    )
    claims = claims_of(nlp, text)
    assert len(claims) == 2
    first, second = claims
    assert first.speaker.anonymous
    assert "Ukrainian delegation" in (first.speaker.affiliation or "")
    assert second.speaker.anonymous
    assert second.speaker.affiliation == first.speaker.affiliation


@pytest.mark.parametrize(
    "text",
    [
        "",
        "The river rose two metres overnight and the bridge was closed to traffic.",
        "Prices of wheat and maize fell for the third week in a row.",
    ],
)
def test_no_attribution_yields_nothing(nlp, text):
    assert claims_of(nlp, text) == []


@pytest.mark.parametrize(
    "text",
    ["According to reports.", "according to", '"', "He said.", "Said.\n\n\n"],
)
def test_fragments_do_not_crash(nlp, text):
    for claim in claims_of(nlp, text):
        for part in claim.content:
            assert text[part.start : part.end] == part.text


def test_unbalanced_quotes_do_not_crash_and_offsets_hold(nlp):
    text = '"This is not over, the minister said. The fight goes on," he added'
    for claim in claims_of(nlp, text):
        for part in claim.content:
            assert text[part.start : part.end] == part.text


def test_offsets_slice_the_input_back(nlp, seed_text):
    claims = claims_of(nlp, seed_text)
    assert len(claims) > 10
    for claim in claims:
        for part in claim.content:
            assert seed_text[part.start : part.end] == part.text
        if claim.speaker:
            assert seed_text[claim.speaker.start : claim.speaker.end] == claim.speaker.text
        if claim.cue:
            assert seed_text[claim.cue.start : claim.cue.end] == claim.cue.text


def test_offset_shift_for_article_units(nlp):
    prefix = "HEADER LINE\n\n"
    body = "The mayor said the road would reopen on Friday."
    claims = list(extract_units(nlp, [TextUnit("f.txt", 2, len(prefix), body)]))
    assert claims and claims[0].article == 2
    full = prefix + body
    part = claims[0].content[0]
    assert full[part.start : part.end] == part.text


def test_html_page_gives_the_same_claims_as_its_plain_text(nlp):
    from pathlib import Path

    from claimgraph.extract.pipeline import article_unit
    from claimgraph.ingest import iter_articles

    fixtures = Path(__file__).parent / "fixtures" / "ingest"

    def claims(path: Path):
        units = [article_unit(doc, art) for doc, art in iter_articles([path])]
        return [
            (c.speaker and c.speaker.entity, c.cue and c.cue.text, [p.text for p in c.content])
            for c in extract_units(nlp, units)
        ]

    from_html = claims(fixtures / "article.html")
    assert from_html and from_html == claims(fixtures / "article.txt")
