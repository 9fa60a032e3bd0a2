"""Attribution extraction behaviours: text in, (speaker, cue, content) out.

These pin behaviours on short texts written for the tests (not gold files): split quotes,
pronoun speakers, anonymous sources with affiliation, "according to", no cue, offsets. The
text-in tests run with both span taggers, the default CNN and the accurate transformer.
"""

from __future__ import annotations

import pytest

from claimgraph.extract.pipeline import TextUnit, extract_units


@pytest.fixture(params=["fast", "accurate"])
def each_tagger(request):
    """The bundled pipeline with each span tagger in turn."""
    return request.getfixturevalue("nlp" if request.param == "fast" else "accurate_nlp")


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
def test_speaker_cue_content(each_tagger, text, speaker, cue, content_words):
    claims = claims_of(each_tagger, text)
    assert len(claims) == 1, [c.to_dict() for c in claims]
    claim = claims[0]
    assert speaker in (claim.speaker.entity or "") or speaker in claim.speaker.text
    assert claim.cue.text.lower().startswith(cue.lower())
    assert content_words in content_text(claim)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (  # a hyphenated name keeps its spelling
            "Douglas Holtz-Eakin, an economist who led the budget office, said the plan would"
            " fail.",
            "Douglas Holtz-Eakin",
        ),
        (  # "and" inside the apposition does not make a group of speakers
            "David Plouffe, the architect of the 2008 campaign and a close aide, said the race"
            " was close.",
            "David Plouffe",
        ),
        (  # a name set off by a comma is the speaker even when the parse heads the role noun
            "Mike Schmidt, an economic policy adviser at the Clinton campaign, said the plan was"
            " sound.",
            "Mike Schmidt",
        ),
    ],
    ids=["hyphenated", "apposition-with-and", "name-before-role"],
)
def test_speaker_is_the_person_named_as_written(each_tagger, text, name):
    claims = claims_of(each_tagger, text)
    assert [(c.speaker.entity, c.speaker.type) for c in claims] == [(name, "PERSON")]


@pytest.mark.parametrize(
    ("text", "target"),
    [
        (
            'Dmitry Peskov said on Tuesday: "The talks in Istanbul will be very hard. '
            'Volodymyr Zelensky knows that as well as anyone."',
            "Istanbul",
        ),
        (
            "Senator Mary Jones said the bill would pass in Texas. "
            '"Nobody in the Senate, not even John Smith, can stop it."',
            "Texas",
        ),
    ],
)
def test_target_comes_from_the_content_piece_nearest_the_cue(each_tagger, text, target):
    """A person named in a later piece does not outrank the place the cue's own clause is
    about (before the nearest-piece rule, the person won on entity type alone)."""
    [claim] = claims_of(each_tagger, text)
    assert len(claim.content) == 2
    assert claim.target is not None and claim.target.entity == target


def test_split_quote_is_one_claim(each_tagger):
    text = (
        '"We will not give up," Zelensky said on Monday, "and we will rebuild every city '
        'that was destroyed."'
    )
    claims = claims_of(each_tagger, text)
    assert len(claims) == 1
    words = content_text(claims[0])
    assert "We will not give up" in words and "rebuild every city" in words
    assert claims[0].kind == "direct"


def test_pronoun_speaker_resolves_to_earlier_name(each_tagger):
    text = (
        '"No one expects an easy road," Kremlin spokesman Dmitry Peskov told reporters. '
        '"It will be very difficult," he added.'
    )
    claims = claims_of(each_tagger, text)
    assert len(claims) == 2
    second = claims[1]
    assert second.speaker.text == "he"
    assert second.speaker.entity == "Dmitry Peskov"
    first = claims[0]
    assert first.speaker.role == "spokesman" and first.speaker.affiliation == "Kremlin"


def test_anonymous_source_keeps_affiliation(each_tagger):
    text = (
        '"Everything will depend on Russia," a source in the Ukrainian delegation told AFP. '
        '"This will determine the outcome," the source added.'
    )
    claims = claims_of(each_tagger, text)
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
def test_no_attribution_yields_nothing(each_tagger, text):
    assert claims_of(each_tagger, text) == []


@pytest.mark.parametrize(
    "text",
    ["According to reports.", "according to", '"', "He said.", "Said.\n\n\n"],
)
def test_fragments_do_not_crash(each_tagger, text):
    for claim in claims_of(each_tagger, text):
        for part in claim.content:
            assert text[part.start : part.end] == part.text


def test_unbalanced_quotes_do_not_crash_and_offsets_hold(each_tagger):
    text = '"This is not over, the minister said. The fight goes on," he added'
    for claim in claims_of(each_tagger, text):
        for part in claim.content:
            assert text[part.start : part.end] == part.text


def test_offsets_slice_the_input_back(each_tagger, seed_text):
    claims = claims_of(each_tagger, seed_text)
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


# --- linker rules on hand-built parses (UD labels), independent of the trained tagger ---


def parsed(words, heads, deps, pos, spans=()):
    """A Doc with the given UD parse and tagged (label, start, end) attribution spans."""
    import spacy
    from spacy.tokens import Doc, Span

    from claimgraph.extract.attribution import SPANS_KEY

    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps, pos=pos)
    doc.spans[SPANS_KEY] = [Span(doc, s, e, label=label) for label, s, e in spans]
    return doc


def linked(doc):
    from claimgraph.extract.attribution import (
        SPANS_KEY,
        link_attributions,
        make_syntactic_link_scorer,
    )

    triples = link_attributions(doc, doc.spans[SPANS_KEY], scorer=make_syntactic_link_scorer())
    return [
        (cue.text, source.text if source is not None else None, " ".join(p.text for p in parts))
        for cue, source, parts in triples
    ]


# "Officials said the plan would fail ." / "The plan would fail , officials said ."
SAID_THAT = (
    "Officials said the plan would fail .".split(),
    [1, 1, 3, 5, 5, 1, 1],
    ["nsubj", "ROOT", "det", "nsubj", "aux", "ccomp", "punct"],
    ["NOUN", "VERB", "DET", "NOUN", "AUX", "VERB", "PUNCT"],
)
SAID_AFTER = (
    "The plan would fail , officials said .".split(),
    [1, 3, 3, 3, 6, 6, 3, 3],
    ["det", "nsubj", "aux", "ROOT", "punct", "nsubj", "parataxis", "punct"],
    ["DET", "NOUN", "AUX", "VERB", "PUNCT", "NOUN", "VERB", "PUNCT"],
)


@pytest.mark.parametrize(
    ("parse", "spans", "expected"),
    [
        # tagger found cue and source but no content: the cue's clausal complement
        (
            SAID_THAT,
            [("SOURCE", 0, 1), ("CUE", 1, 2)],
            ("said", "Officials", "the plan would fail"),
        ),
        # only the cue: the subject becomes the source as well
        (SAID_THAT, [("CUE", 1, 2)], ("said", "Officials", "the plan would fail")),
        # the cue a parataxis of the reported clause
        (SAID_AFTER, [("CUE", 6, 7)], ("said", "officials", "The plan would fail")),
    ],
)
def test_cue_without_content_takes_the_clause_it_reports(parse, spans, expected):
    assert linked(parsed(*parse, spans=spans)) == [expected]


def test_cue_without_content_or_clause_is_dropped():
    doc = parsed(
        "Officials said nothing .".split(),
        [1, 1, 1, 1],
        ["nsubj", "ROOT", "obj", "punct"],
        ["NOUN", "VERB", "PRON", "PUNCT"],
        spans=[("CUE", 1, 2)],
    )
    assert linked(doc) == []


@pytest.mark.parametrize(
    ("words", "heads", "deps", "pos", "spans", "expected"),
    [
        (  # ", arguing that ...": the participle shares the tagged source of "spoke"
            "Clinton spoke , arguing that taxes must rise .".split(),
            [1, 1, 3, 1, 7, 7, 7, 3, 1],
            ["nsubj", "ROOT", "punct", "advcl", "mark", "nsubj", "aux", "ccomp", "punct"],
            ["PROPN", "VERB", "PUNCT", "VERB", "SCONJ", "NOUN", "AUX", "VERB", "PUNCT"],
            [("SOURCE", 0, 1), ("CUE", 1, 2), ("CUE", 3, 4), ("CONTENT", 4, 8)],
            ("arguing", "Clinton", "that taxes must rise"),
        ),
        (  # "... and said that ...": a conjoined cue verb takes the first verb's subject
            "Merrill spoke and said that Machado agreed .".split(),
            [1, 1, 3, 1, 6, 6, 3, 1],
            ["nsubj", "ROOT", "cc", "conj", "mark", "nsubj", "ccomp", "punct"],
            ["PROPN", "VERB", "CCONJ", "VERB", "SCONJ", "PROPN", "VERB", "PUNCT"],
            [("CUE", 3, 4), ("CONTENT", 4, 7)],
            ("said", "Merrill", "that Machado agreed"),
        ),
        (  # "a statement announcing that ...": the noun the participle modifies
            "They issued a statement announcing that talks ended .".split(),
            [1, 1, 3, 1, 3, 7, 7, 4, 1],
            ["nsubj", "ROOT", "det", "obj", "acl", "mark", "nsubj", "ccomp", "punct"],
            ["PRON", "VERB", "DET", "NOUN", "VERB", "SCONJ", "NOUN", "VERB", "PUNCT"],
            [("CUE", 4, 5), ("CONTENT", 5, 8)],
            ("announcing", "a statement", "that talks ended"),
        ),
        (  # "... said they want X, but pledged ...": parsed as a conjunct of the reported verb,
            # so the subject above it ("they") is the reported clause's, not the speaker's
            "Demonstrators said they want justice , but pledged to remain calm .".split(),
            [1, 1, 3, 1, 3, 3, 8, 3, 10, 8, 10, 1],
            [
                "nsubj",
                "ROOT",
                "nsubj",
                "ccomp",
                "obj",
                "punct",
                "cc",
                "conj",
                "mark",
                "xcomp",
                "xcomp",
                "punct",
            ],
            [
                "NOUN",
                "VERB",
                "PRON",
                "VERB",
                "NOUN",
                "PUNCT",
                "CCONJ",
                "VERB",
                "PART",
                "VERB",
                "ADJ",
                "PUNCT",
            ],
            [("SOURCE", 0, 1), ("CUE", 1, 2), ("CONTENT", 2, 6), ("CUE", 7, 8), ("CONTENT", 8, 11)],
            ("pledged", "Demonstrators", "to remain calm"),
        ),
        (  # no source tagged: the subject recovered for "said" serves "arguing" too
            "Officials said taxes rise , arguing that costs grew .".split(),
            [1, 1, 3, 1, 5, 1, 8, 8, 5, 1],
            [
                "nsubj",
                "ROOT",
                "nsubj",
                "ccomp",
                "punct",
                "advcl",
                "mark",
                "nsubj",
                "ccomp",
                "punct",
            ],
            ["NOUN", "VERB", "NOUN", "VERB", "PUNCT", "VERB", "SCONJ", "NOUN", "VERB", "PUNCT"],
            [("CUE", 1, 2), ("CONTENT", 2, 4), ("CUE", 5, 6), ("CONTENT", 6, 9)],
            ("arguing", "Officials", "that costs grew"),
        ),
        (  # "saying" parsed as a modifier of "support", inside the content of "attacked":
            # Trump's next act, so it takes the source of the attribution it hangs in
            "Trump attacked Clinton for her support , saying she erred .".split(),
            [1, 1, 1, 5, 5, 1, 7, 5, 9, 7, 1],
            "nsubj ROOT obj case nmod:poss obl punct acl nsubj ccomp punct".split(),
            "PROPN VERB PROPN ADP PRON NOUN PUNCT VERB PRON VERB PUNCT".split(),
            [("SOURCE", 0, 1), ("CUE", 1, 2), ("CONTENT", 2, 6), ("CUE", 7, 8), ("CONTENT", 8, 10)],
            ("saying", "Trump", "she erred"),
        ),
    ],
)
def test_subjectless_cue_inherits_its_source(words, heads, deps, pos, spans, expected):
    triples = linked(parsed(words, heads, deps, pos, spans=spans))
    assert expected in triples


@pytest.mark.parametrize(
    ("text", "tagged", "expected"),
    [
        # the tagger stopped after the first sentence of a quotation: extended to its end
        ('He said: "We win. They lose." Then', '"We win.', '"We win. They lose.'),
        (
            "He said: \u201cWe win. They lose.\u201d Then",
            "\u201cWe win.",
            "\u201cWe win. They lose.",
        ),
        ("He said: ''We win. They lose.'' Then", "''We win.", "''We win. They lose."),
        # the quotation already closed inside the content: unchanged
        ('He said: "We win." Then', '"We win."', '"We win."'),
        # no opening mark: unchanged
        ("He said we win. They lose.", "we win.", "we win."),
        # the quotation runs on past the paragraph: unchanged
        ('He said: "We win.\n\nThey lose." Then', '"We win.', '"We win.'),
    ],
)
def test_content_extends_to_the_closing_quotation_mark(text, tagged, expected):
    import spacy

    from claimgraph.extract.attribution import extend_to_quote_end

    doc = spacy.blank("en")(text)
    start = text.index(tagged)
    part = doc.char_span(start, start + len(tagged), alignment_mode="expand")
    (result,) = extend_to_quote_end([part])
    assert result.text == expected


def test_quote_extension_stops_at_another_cue():
    import spacy

    from claimgraph.extract.attribution import extend_to_quote_end

    text = 'He said: "We win. They lose," she said.'
    doc = spacy.blank("en")(text)
    part = doc.char_span(9, 17)
    stop = text.index("lose")
    assert [p.text for p in extend_to_quote_end([part], [stop])] == ['"We win.']


# "Rucker Culpepper , who runs Clinton 's effort , said": the name is the head, not the clause
CULPEPPER = (
    "Rucker Culpepper , who runs Clinton 's effort".split(),
    [1, 1, 1, 4, 1, 7, 5, 4],
    ["compound", "ROOT", "punct", "nsubj", "acl:relcl", "nmod:poss", "case", "obj"],
    ["PROPN", "PROPN", "PUNCT", "PRON", "VERB", "PROPN", "PART", "NOUN"],
)


@pytest.mark.parametrize(
    ("ents", "expected"),
    [
        ([("PERSON", 0, 2), ("PERSON", 5, 6)], "Rucker Culpepper"),
        # the NER missed the speaker's name: still not the person in the relative clause
        ([("PERSON", 5, 6)], "Rucker Culpepper"),
    ],
)
def test_speaker_name_is_the_head_not_a_modifier(ents, expected):
    from spacy.tokens import Span

    from claimgraph.extract.mentions import document_context, resolve_mention

    doc = parsed(*CULPEPPER)
    doc.ents = [Span(doc, s, e, label=label) for label, s, e in ents]
    resolved = resolve_mention(doc[0 : len(doc)], document_context(doc))
    assert resolved.entity == expected


# heads, labels and tags of "The lawyer for Hillary Clinton": a noun, a preposition, a name
THE_NOUN_PREP_NAME = (
    [1, 1, 4, 4, 1],
    ["det", "ROOT", "case", "compound", "nmod"],
    ["DET", "NOUN", "ADP", "PROPN", "PROPN"],
)


@pytest.mark.parametrize(
    ("words", "heads", "deps", "pos", "ents", "expected"),
    [
        (  # a role noun, then the name: the person speaks, the role and employer are kept
            "Trump lawyer Marc Kasowitz".split(),
            [1, 1, 1, 2],
            ["compound", "ROOT", "appos", "flat"],
            ["PROPN", "NOUN", "PROPN", "PROPN"],
            [("ORG", 0, 1), ("PERSON", 2, 4)],
            ("Marc Kasowitz", "PERSON", "lawyer", "Trump"),
        ),
        (  # the name in apposition, between commas
            "His lawyer , Marc Kasowitz ,".split(),
            [1, 1, 3, 1, 3, 3],
            ["nmod:poss", "ROOT", "punct", "appos", "flat", "punct"],
            ["PRON", "NOUN", "PUNCT", "PROPN", "PROPN", "PUNCT"],
            [("PERSON", 3, 5)],
            ("Marc Kasowitz", "PERSON", "lawyer", None),
        ),
        (  # a title with its office; the tagger called the paragraph break a proper noun
            ["\n\n", "Secretary", "of", "State", "John", "F.", "Kerry"],
            [1, 1, 3, 1, 1, 6, 4],
            ["dep", "ROOT", "case", "nmod", "appos", "compound", "flat"],
            ["PROPN", "PROPN", "ADP", "PROPN", "PROPN", "PROPN", "PROPN"],
            [("PERSON", 5, 7)],
            ("F. Kerry", "PERSON", "secretary", None),
        ),
        (  # a person after "for" is whom the speaker works for, not the speaker; the lawyer
            # is an unnamed person with a role, a person by its head noun
            "The lawyer for Hillary Clinton".split(),
            *THE_NOUN_PREP_NAME,
            [("PERSON", 3, 5)],
            ("lawyer", "PERSON", "lawyer", "Hillary Clinton"),
        ),
        (  # "of" after a noun that is no title: still the head
            "The wife of Donald Trump".split(),
            *THE_NOUN_PREP_NAME,
            [("PERSON", 3, 5)],
            ("wife", "PERSON", "wife", "Donald Trump"),
        ),
        (  # a name in a clause on the head: the speech speaks
            "a speech Mrs. Clinton delivered".split(),
            [1, 1, 3, 4, 1],
            ["det", "ROOT", "compound", "nsubj", "acl:relcl"],
            ["DET", "NOUN", "PROPN", "PROPN", "VERB"],
            [("PERSON", 3, 4)],
            ("speech", "ORG", None, "Clinton"),
        ),
        (  # after a title, "of" and another title name whom it serves, not its office
            "The secretary of President Putin".split(),
            *THE_NOUN_PREP_NAME,
            [("PERSON", 4, 5)],
            ("secretary", "PERSON", "secretary", "Putin"),
        ),
    ],
)
def test_a_person_named_after_the_speakers_role_is_the_speaker(
    words, heads, deps, pos, ents, expected
):
    from spacy.tokens import Span

    from claimgraph.extract.mentions import document_context, resolve_mention

    doc = parsed(words, heads, deps, pos)
    doc.ents = [Span(doc, s, e, label=label) for label, s, e in ents]
    resolved = resolve_mention(doc[0 : len(doc)], document_context(doc))
    assert (resolved.entity, resolved.type, resolved.role, resolved.affiliation) == expected


def test_a_speaker_span_ending_in_a_space_is_resolved_from_its_words():
    from claimgraph.extract.mentions import Resolved, document_context, resolve_mention

    # "nominee Gov.\xa0Mike Pence said": the tagged span stops at the no-break space, which
    # the parser made its head; the name runs on past it within the line
    doc = parsed(
        ["Republican", "nominee", "\xa0", "Gov.", "\xa0", "Mike", "Pence", "said", "it"],
        [1, 2, 3, 4, 6, 6, 7, 7, 7],
        ["amod", "compound", "compound", "compound", "compound", "compound", "nsubj", "ROOT",
         "obj"],
        ["ADJ", "NOUN", "PROPN", "PROPN", "PROPN", "PROPN", "PROPN", "VERB", "PRON"],
    )  # fmt: skip
    resolved = resolve_mention(doc[0:5], document_context(doc))
    assert resolved.entity == "Gov. Mike Pence"
    assert resolve_mention(doc[4:5], document_context(doc)) == Resolved(None, None)


@pytest.mark.parametrize(
    ("words", "pos", "expected"),
    [
        (  # an organisation's phrase names the organisation
            "The FBI agency said it .".split(),
            ["DET", "PROPN", "NOUN", "VERB", "PRON", "PUNCT"],
            ("FBI agency", "ORG", None, "FBI"),
        ),
        (  # a person noun names an unnamed person (typed so) with a role, not the organisation
            "The FBI director said it .".split(),
            ["DET", "PROPN", "NOUN", "VERB", "PRON", "PUNCT"],
            ("FBI director", "PERSON", "director", "FBI"),
        ),
    ],
    ids=["organisation", "person-noun"],
)
def test_unnamed_speaker_phrase_type(words, pos, expected):
    from spacy.tokens import Span

    from claimgraph.extract.mentions import document_context, resolve_mention

    doc = parsed(
        words, [2, 2, 3, 3, 3, 3], ["det", "compound", "nsubj", "ROOT", "obj", "punct"], pos
    )
    doc.ents = [Span(doc, 1, 2, label="ORG")]
    resolved = resolve_mention(doc[0:3], document_context(doc))
    assert (resolved.entity, resolved.type, resolved.role, resolved.affiliation) == expected


def test_capitalised_noun_speaker_is_a_name_not_an_anonymous_source():
    from claimgraph.extract.mentions import document_context, resolve_mention

    # the tagger took "Trump" for a common noun ("to trump"): it still names someone
    doc = parsed(
        "Yesterday Trump said it .".split(),
        [2, 2, 2, 2, 2],
        ["obl:tmod", "nsubj", "ROOT", "obj", "punct"],
        ["NOUN", "NOUN", "VERB", "PRON", "PUNCT"],
    )
    resolved = resolve_mention(doc[1:2], document_context(doc))
    assert (resolved.entity, resolved.anonymous) == ("Trump", False)
    # a lower-case common noun stays an unnamed source
    doc = parsed(
        "Yesterday officials said it .".split(),
        [2, 2, 2, 2, 2],
        ["obl:tmod", "nsubj", "ROOT", "obj", "punct"],
        ["NOUN", "NOUN", "VERB", "PRON", "PUNCT"],
    )
    assert resolve_mention(doc[1:2], document_context(doc)).anonymous


@pytest.mark.parametrize(
    ("words", "heads", "deps", "pos", "persons", "expected"),
    [
        (  # coordinated names: a group, not its first member
            "Trump and Clinton said it .".split(),
            [3, 2, 0, 3, 3, 3],
            ["nsubj", "cc", "conj", "ROOT", "obj", "punct"],
            ["PROPN", "CCONJ", "PROPN", "VERB", "PRON", "PUNCT"],
            [(0, 1), (2, 3)],
            ("Trump and Clinton", None),
        ),
        (  # a list after commas is a group too
            "Trump , Clinton and Sanders said it .".split(),
            [5, 2, 0, 4, 0, 5, 5, 5],
            ["nsubj", "punct", "conj", "cc", "conj", "ROOT", "obj", "punct"],
            ["PROPN", "PUNCT", "PROPN", "CCONJ", "PROPN", "VERB", "PRON", "PUNCT"],
            [(0, 1), (2, 3), (4, 5)],
            ("Trump , Clinton and Sanders", None),
        ),
        (  # an apposition the parser coordinated: the name is the speaker
            "Plouffe , the architect and a close aide , said it .".split(),
            [9, 3, 3, 0, 7, 7, 7, 0, 9, 9, 9, 9],
            [
                "nsubj",
                "punct",
                "det",
                "conj",
                "cc",
                "det",
                "amod",
                "conj",
                "punct",
                "ROOT",
                "obj",
                "punct",
            ],
            [
                "PROPN",
                "PUNCT",
                "DET",
                "NOUN",
                "CCONJ",
                "DET",
                "ADJ",
                "NOUN",
                "PUNCT",
                "VERB",
                "PRON",
                "PUNCT",
            ],
            [(0, 1)],
            ("Plouffe", "PERSON"),
        ),
        (  # commas alone set off an apposition, even a capitalised one
            "Feinstein , Democrat of California , said it .".split(),
            [6, 2, 0, 4, 2, 6, 6, 6, 6],
            ["nsubj", "punct", "conj", "case", "nmod", "punct", "ROOT", "obj", "punct"],
            ["PROPN", "PUNCT", "PROPN", "ADP", "PROPN", "PUNCT", "VERB", "PRON", "PUNCT"],
            [(0, 1)],
            ("Feinstein", "PERSON"),
        ),
    ],
    ids=["two-names", "list", "apposition-parsed-as-conjunct", "apposition-without-and"],
)
def test_coordinated_speakers_are_a_group_not_the_first_member(
    words, heads, deps, pos, persons, expected
):
    from spacy.tokens import Span

    from claimgraph.extract.mentions import document_context, resolve_mention

    doc = parsed(words, heads, deps, pos)
    doc.ents = [Span(doc, start, end, label="PERSON") for start, end in persons]
    mention = doc[0 : words.index("said") - (1 if words[words.index("said") - 1] == "," else 0)]
    resolved = resolve_mention(mention, document_context(doc))
    assert (resolved.entity, resolved.type) == expected


def test_pronoun_finds_a_subject_name_the_ner_missed():
    from claimgraph.extract.mentions import document_context, resolve_mention

    doc = parsed(
        "Gabi Siboni is a colonel . He said it .".split(),
        [1, 4, 4, 4, 4, 4, 7, 7, 7, 7],
        ["flat", "nsubj", "cop", "det", "ROOT", "punct", "nsubj", "ROOT", "obj", "punct"],
        ["PROPN", "PROPN", "AUX", "DET", "NOUN", "PUNCT", "PRON", "VERB", "PRON", "PUNCT"],
    )
    resolved = resolve_mention(doc[6:7], document_context(doc))  # no entities tagged at all
    assert (resolved.entity, resolved.type) == ("Gabi Siboni", "PERSON")


# "Kremlin expects 'difficult' talks" as a headline, then a body sentence
HEADLINE = (
    ["Kremlin", "expects", "'", "difficult", "'", "talks", "\n", "Talks", "begin", "."],
    [1, 1, 3, 5, 3, 1, 5, 8, 8, 8],
    ["nsubj", "ROOT", "punct", "amod", "punct", "obj", "dep", "nsubj", "ROOT", "punct"],
    ["PROPN", "VERB", "PUNCT", "ADJ", "PUNCT", "NOUN", "SPACE", "NOUN", "VERB", "PUNCT"],
)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ((0, 35), [("headline", "Kremlin", "expects", "' difficult ' talks", "talks")]),
        (None, []),  # the same words outside a headline are left to the tagger
    ],
)
def test_headline_with_a_cue_verb_is_a_claim(title, expected):
    from claimgraph.extract.claims import extract_claims

    doc = parsed(*HEADLINE)
    doc[1].lemma_ = "expect"
    claims = extract_claims(doc, doc_name="t", title=title)
    got = [
        (c.kind, c.speaker.text, c.cue.text, c.content[0].text, c.target and c.target.text)
        for c in claims
    ]
    assert got == expected


@pytest.mark.parametrize(
    ("tagged", "expected"),
    [
        # a source the tagger cut in two at the title is one source
        (
            [("SOURCE", 0, 2), ("SOURCE", 2, 4), ("CUE", 4, 5), ("CONTENT", 5, 9)],
            [("SOURCE", "Clinton spokesman Nick Merrill"), ("CUE", "says"),
             ("CONTENT", "the call went well")],
        ),
        # touching contents stay apart (a quote is tagged one piece per sentence)
        (
            [("SOURCE", 2, 4), ("CUE", 4, 5), ("CONTENT", 5, 7), ("CONTENT", 7, 9)],
            [("SOURCE", "Nick Merrill"), ("CUE", "says"), ("CONTENT", "the call"),
             ("CONTENT", "went well")],
        ),
        # spans with a token between them, or of different labels, stay apart
        (
            [("SOURCE", 0, 1), ("SOURCE", 2, 4), ("CUE", 4, 5)],
            [("SOURCE", "Clinton"), ("SOURCE", "Nick Merrill"), ("CUE", "says")],
        ),
        ([], []),
    ],
)  # fmt: skip
def test_stash_joins_touching_sources_and_cues(tagged, expected):
    import spacy
    from spacy.tokens import Span

    from claimgraph.extract.attribution import SPANS_KEY, stash_attribution_spans

    doc = spacy.blank("en")("Clinton spokesman Nick Merrill says the call went well")
    doc.set_ents([Span(doc, s, e, label=label) for label, s, e in tagged])
    stash_attribution_spans(doc)
    assert [(s.label_, s.text) for s in doc.spans[SPANS_KEY]] == expected
    assert not doc.ents


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Peskov said so.",
        'Talks stall. "It will be very difficult," he added. Kyiv said nothing.\n\nNew part.',
    ],
)
def test_parse_index_matches_the_doc(nlp, text: str) -> None:
    """The linker's per-token lists agree with spaCy's own sentence, head and label views."""
    from claimgraph.extract.attribution import ParseIndex
    from claimgraph.nlp.labels import dep_role

    doc = nlp(text)
    index = ParseIndex.of(doc)
    sentence_of = [i for i, sent in enumerate(doc.sents) for _ in sent] if len(doc) else []
    assert index.sentence == sentence_of
    assert index.head == [t.head.i for t in doc]
    assert index.role == [dep_role(t.dep_) for t in doc]
    for token in doc:
        assert list(index.ancestors(token.i, 2)) == [a.i for a in token.ancestors][:2]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        # a surname takes the full name of the document
        (["Dmitry Peskov", "Peskov", "Peskov"], {"Peskov": "Dmitry Peskov"}),
        # a one-off longer form does not rename the common full name
        (
            ["Hillary Clinton", "Hillary Clinton", "Crooked Hillary Clinton", "Clinton"],
            {
                "Hillary Clinton": "Hillary Clinton",
                "Crooked Hillary Clinton": "Hillary Clinton",
                "Clinton": "Hillary Clinton",
            },
        ),
        # two people share the surname: it stays as written
        (["Bill Clinton", "Hillary Clinton", "Clinton"], {"Clinton": "Clinton"}),
        ([], {}),
    ],
)
def test_full_names_use_the_chains_most_frequent_full_name(names, expected):
    from claimgraph.extract.mentions import full_names

    result = full_names(person_doc(names))
    assert {k: result[k] for k in expected} == expected


def person_doc(names: list[str]):
    """A blank-pipeline doc of ``names`` joined by "; " (not ". ", which would split a final
    "Jr." from its dot), each one a PERSON entity."""
    import spacy

    doc = spacy.blank("en")("; ".join(names))
    spans, start = [], 0
    for name in names:
        spans.append(doc.char_span(start, start + len(name), "PERSON"))
        start += len(name) + 2
    doc.ents = spans
    return doc


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        # a name dropping a middle initial is a form of the fuller one: one person
        (
            ["Loretta Lynch", "Loretta E. Lynch", "Lynch", "Lynch"],
            {
                "Lynch": "Loretta E. Lynch",
                "Loretta Lynch": "Loretta E. Lynch",
                "Loretta E. Lynch": "Loretta E. Lynch",
            },
        ),
        # ... named by the chain's most frequent full name
        (
            ["Loretta Lynch", "Loretta Lynch", "Loretta E. Lynch", "Lynch"],
            {"Lynch": "Loretta Lynch", "Loretta E. Lynch": "Loretta Lynch"},
        ),
        (
            ["Hillary Clinton", "Hillary Rodham Clinton", "Hillary Clinton", "Clinton"],
            {"Clinton": "Hillary Clinton", "Hillary Rodham Clinton": "Hillary Clinton"},
        ),
        # a dominant person takes the bare surname: 5 >= 3 * 1
        (
            ["Bobby Scott"] * 5 + ["Tim Scott", "Scott", "Scott", "Bobby"],
            {"Scott": "Bobby Scott", "Tim Scott": "Tim Scott", "Bobby": "Bobby"},
        ),
        # exactly three times the others' mentions is enough
        (["Bobby Scott"] * 3 + ["Tim Scott", "Scott"], {"Scott": "Bobby Scott"}),
        # ... against all the others together
        (["Bobby Scott"] * 5 + ["Tim Scott", "Rick Scott", "Scott"], {"Scott": "Scott"}),
        (["Bobby Scott"] * 6 + ["Tim Scott", "Rick Scott", "Scott"], {"Scott": "Bobby Scott"}),
        # the bare mentions are what is ambiguous: they do not count
        (["Bobby Scott"] * 2 + ["Tim Scott"] + ["Scott"] * 10, {"Scott": "Scott"}),
        # no dominant person: 5 < 3 * 3
        (["Bill Clinton"] * 5 + ["Hillary Clinton"] * 3 + ["Clinton"], {"Clinton": "Clinton"}),
        # a generational suffix must match: "Trump" is not a form of "Donald Trump Jr."
        (
            ["Donald Trump", "Donald Trump Jr.", "Trump Jr.", "Trump"],
            {
                "Trump": "Donald Trump",
                "Trump Jr.": "Donald Trump Jr.",
                "Donald Trump Jr.": "Donald Trump Jr.",
            },
        ),
        (["Donald Trump Jr.", "Trump"], {"Trump": "Trump"}),
        # a name shared by two people counts against both
        (
            ["John Smith"] * 5 + ["John A. Smith", "John B. Smith", "Smith"],
            {"Smith": "Smith", "John Smith": "John Smith"},
        ),
        # words in another order or another last word are another name
        (["Lynch Loretta", "Lynch"], {"Lynch": "Lynch", "Lynch Loretta": "Lynch Loretta"}),
        (["Lynch", "Lynch"], {"Lynch": "Lynch"}),
    ],
)
def test_full_names_join_forms_and_take_the_dominant_person(names, expected):
    from claimgraph.extract.mentions import full_names

    result = full_names(person_doc(names))
    assert {k: result[k] for k in expected} == expected


def test_resolve_docstring_example():
    import doctest

    import claimgraph.extract.mentions as module

    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize(
    ("words", "heads", "deps", "pos", "spans", "fine_tags", "expected"),
    [
        pytest.param(
            # In "he said, adding that ...", the parser made *adding* a complement of *said*; a
            # gerund there is the speaker's next act, so it takes the subject of *said*.
            "Rates rise , he said , adding that costs grew .".split(),
            [1, 1, 4, 4, 4, 6, 4, 9, 9, 6, 4],
            ["nsubj", "ccomp", "punct", "nsubj", "ROOT", "punct", "ccomp", "mark", "nsubj",
             "ccomp", "punct"],
            ["NOUN", "VERB", "PUNCT", "PRON", "VERB", "PUNCT", "VERB", "SCONJ", "NOUN", "VERB",
             "PUNCT"],
            [("CONTENT", 0, 2), ("SOURCE", 3, 4), ("CUE", 4, 5), ("CUE", 6, 7),
             ("CONTENT", 7, 10)],
            {6: "VBG"},
            [("adding", "he", "that costs grew")],
            id="gerund-parsed-as-complement",
        ),
        pytest.param(
            # In "Analysts said ..., citing data", *citing* has no subject of its own, so it
            # shares the source of *said* rather than taking the unused source of the sentence
            # before.
            "Experts agree . Analysts said costs rose , citing data .".split(),
            [1, 1, 1, 4, 4, 6, 4, 8, 4, 8, 4],
            ["nsubj", "ROOT", "punct", "nsubj", "ROOT", "nsubj", "ccomp", "punct", "advcl",
             "obj", "punct"],
            ["NOUN", "VERB", "PUNCT", "NOUN", "VERB", "NOUN", "VERB", "PUNCT", "VERB", "NOUN",
             "PUNCT"],
            [("SOURCE", 0, 1), ("SOURCE", 3, 4), ("CUE", 4, 5), ("CONTENT", 5, 7),
             ("CUE", 8, 9), ("CONTENT", 9, 10)],
            {},
            [("said", "Analysts", "costs rose"), ("citing", "Analysts", "data")],
            id="participle-over-a-nearer-free-source",
        ),
    ],
)  # fmt: skip
def test_subjectless_cue_takes_the_speaker_of_the_verb_it_hangs_from(
    words, heads, deps, pos, spans, fine_tags, expected
):
    doc = parsed(words, heads, deps, pos, spans=spans)
    for i, tag in fine_tags.items():
        doc[i].tag_ = tag
    triples = linked(doc)
    for triple in expected:
        assert triple in triples


@pytest.mark.parametrize(
    ("tag", "lemma", "asked_by"),
    [
        ("VBD", "ask", None),  # "when asked about": the one asked is not the asker
        ("VBN", "press", None),  # "when pressed on": likewise
        ("VBG", "ask", "Peskov"),  # "when asking about": Peskov asks
    ],
)
def test_questioning_participle_does_not_take_the_addressee_as_speaker(tag, lemma, asked_by):
    words = "Peskov told reporters talks are hard when asked about the talks .".split()
    doc = parsed(
        words,
        [1, 1, 1, 5, 5, 1, 7, 1, 10, 10, 7, 1],
        "nsubj ROOT iobj nsubj cop ccomp advmod advcl case det obl punct".split(),
        "PROPN VERB NOUN NOUN AUX ADJ ADV VERB ADP DET NOUN PUNCT".split(),
        spans=[
            ("SOURCE", 0, 1),
            ("CUE", 1, 2),
            ("CONTENT", 3, 6),
            ("CUE", 7, 9),
            ("CONTENT", 9, 11),
        ],
    )
    doc[7].tag_, doc[7].lemma_ = tag, lemma
    triples = linked(doc)
    assert ("told", "Peskov", "talks are hard") in triples
    assert [source for cue, source, _ in triples if cue == "asked about"] == [asked_by]


def test_recovered_content_keeps_a_tagged_source_the_parse_missed():
    """No content tagged, so "said" takes the clause it reports; the parse gives it no subject
    (the source is read as an object), and the tagged source no one uses is its source."""
    doc = parsed(
        "Talks failed , said a source .".split(),
        [1, 3, 3, 3, 5, 3, 3],
        ["nsubj", "ccomp", "punct", "ROOT", "det", "obj", "punct"],
        ["NOUN", "VERB", "PUNCT", "VERB", "DET", "NOUN", "PUNCT"],
        spans=[("CUE", 3, 4), ("SOURCE", 4, 6)],
    )
    assert linked(doc) == [("said", "a source", "Talks failed")]


def test_paragraph_break_parsed_as_subject_gives_the_phrase_under_it():
    """The parser made the paragraph break the subject, with the name hanging under it: the
    source is the phrase under the break, without the break or the leading conjunction."""
    doc = parsed(
        ["\n\n", "But", "Megan", "Hester", "said", "parents", "left", "."],
        [4, 2, 0, 2, 4, 6, 4, 4],
        ["nsubj", "cc", "conj", "flat", "ROOT", "nsubj", "ccomp", "punct"],
        ["SPACE", "CCONJ", "PROPN", "PROPN", "VERB", "NOUN", "VERB", "PUNCT"],
        spans=[("CUE", 4, 5), ("CONTENT", 5, 7)],
    )
    assert linked(doc) == [("said", "Megan Hester", "parents left")]
