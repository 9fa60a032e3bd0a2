"""From a processed Doc to :class:`~claimgraph.extract.records.Claim` records.

Reads the linked spans written by ``claimgraph_attribution_linker`` and adds, per claim, the
resolved speaker (names, pronouns, anonymous sources), a target and a kind. Offsets are
shifted by ``offset`` so they index the input file when the Doc holds one article of it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from spacy.tokens import Doc, Span

from claimgraph.nlp.labels import dep_role

from .attribution import CONTENTS_KEY, CUES_KEY, SOURCES_KEY, span_gap
from .confidence import ConfidenceModel, claim_features
from .mentions import (
    GROUP_PRONOUNS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    RELATIVE_PRONOUNS,
    Resolved,
    document_context,
    ents_within,
    in_name,
    resolve_mention,
    surface,
)
from .nouns import LABEL_OF_CLASS, noun_class
from .records import Claim, EntityRef, TextSpan
from .rules import CUE_LEMMAS

# straight, curly, low-9 and angle quotation marks
QUOTE_CHARS = frozenset("\"'\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201f\u2039\u203a")
BELIEF_CUES = frozenset(
    "think believe hope expect fear want feel doubt suspect worry assume know plan intend".split()
)
# Cue verbs whose direct object is what the claim is about ("accused X of", "described X as").
FRAME_CUES = frozenset(
    """
    accuse describe call criticize criticise praise blame urge thank attack condemn slam label
    dub endorse defend support back reject denounce warn question dismiss
    """.split()
)
# What a headline's cue verb reports: "expects [talks]", "says [Trump should win]".
HEADLINE_ROLES = frozenset({"obj", "ccomp", "xcomp"})
ADDRESSEES = frozenset("reporters journalists press audience crowd supporters viewers".split())
ABOUT_PREPOSITIONS = frozenset("about on for over regarding concerning into".split())
# Entity types in the order they are preferred as a claim's target.
TARGET_PRIORITY = ("PERSON", "ORG", "GPE", "EVENT", "FAC", "LOC", "NORP")
PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | RELATIVE_PRONOUNS | {"this", "that", "these", "one"}


def _kind(text: str, cue: Span, contents: list[Span]) -> str:
    quoted = 0
    for part in contents:
        before = text[max(part.start_char - 2, 0) : part.start_char + 1]
        after = text[part.end_char - 1 : part.end_char + 2]
        if any(c in QUOTE_CHARS for c in before) and any(c in QUOTE_CHARS for c in after):
            quoted += 1
    inner = any(c in QUOTE_CHARS for part in contents for c in part.text[1:-1])
    if cue.text.lower().startswith("according"):
        return "according_to"
    if quoted == len(contents):
        return "direct"
    if quoted or inner:
        return "mixed"
    if cue.root.lemma_.lower() in BELIEF_CUES:
        return "belief"
    return "indirect"


def _entity_ref(span: Span, resolved: Resolved, offset: int) -> EntityRef:
    return EntityRef(
        text=span.text,
        start=span.start_char + offset,
        end=span.end_char + offset,
        entity=resolved.entity,
        type=resolved.type,
        role=resolved.role,
        affiliation=resolved.affiliation,
        anonymous=resolved.anonymous,
        refers=resolved.refers,
    )


def _is_pronoun(span: Span) -> bool:
    return span.root.lower_ in PRONOUNS or span.root.pos_ == "PRON"


def _target(
    cue: Span,
    contents: list[Span],
    source: Span | None,
    names: dict[str, str],
    speaker: str | None,
    types: dict[str, str],
    doc_ents: Sequence[Span],
) -> tuple[Span, Resolved] | None:
    """What the claim is about: the cue's frame object, an entity in the content, or a noun."""
    doc = cue.doc
    inside = {t.i for part in contents for t in part}
    if source is not None:
        inside |= {t.i for t in source}
    if cue.root.lemma_.lower() in FRAME_CUES:
        for child in cue.root.children:
            if dep_role(child.dep_) in ("obj", "iobj"):
                obj = _chunk_of(child)
                if not _is_pronoun(obj) and _refers(obj):
                    return obj, _resolve_target(obj, names, doc_ents)
    # A content joined from several pieces (a quote running on, or pieces the linker gave one
    # cue) is about what its piece nearest the cue names: the nearest piece naming an entity
    # gives the target.
    nearest = sorted(contents, key=lambda part: (span_gap(cue, part), part.start))
    ents: list[Span] = []
    for part in nearest:
        ents = [
            ent
            for ent in ents_within(doc_ents, part)
            if ent.label_ in TARGET_PRIORITY
            and (names.get(ent.text, ent.text) if ent.label_ == "PERSON" else ent.text) != speaker
        ]
        if ents:
            break
    if ents:
        ent = min(ents, key=lambda e: (TARGET_PRIORITY.index(e.label_), e.start))
        if ent.label_ == "NORP":  # "the Israeli government's siege": the group's noun phrase
            chunk = _chunk_of(ent.root)
            return chunk, Resolved(_chunk_name(chunk), "NORP")
        label = types.get(ent.text, ent.label_)
        name = names.get(ent.text, ent.text) if label == "PERSON" else ent.text
        return ent, Resolved(name, label)
    for part in nearest:
        for chunk in noun_phrases(part):
            if (
                dep_role(chunk.root.dep_) in ("subj", "subj_pass")
                and not _is_pronoun(chunk)
                and _refers(chunk)
            ):
                return chunk, _resolve_target(chunk, names, doc_ents)
    sent = cue.sent
    chunks = [
        c
        for c in noun_phrases(doc[sent.start : sent.end])
        if not any(t.i in inside for t in c)
        and not _is_pronoun(c)
        and c.root.lower_ not in ADDRESSEES
        and _refers(c)
    ]
    about = [c for c in chunks if c.root.head.lower_ in ABOUT_PREPOSITIONS or any(
        t.lower_ in ABOUT_PREPOSITIONS and dep_role(t.dep_) in ("case", "prep")
        for t in c.root.children
    )]  # fmt: skip
    if about:
        return about[-1], _resolve_target(about[-1], names, doc_ents)
    return None


NP_ROLES = frozenset({"subj", "subj_pass", "obj", "iobj", "obl", "nmod", "pobj", "appos",
                      "attr", "conj", "root", "agent"})  # fmt: skip


def noun_phrases(span: Span) -> list[Span]:
    """Base noun phrases of ``span`` under either label scheme (spaCy's English
    ``noun_chunks`` only knows ClearNLP labels)."""
    phrases = []
    for token in span:
        if token.pos_ in ("NOUN", "PROPN", "PRON") and dep_role(token.dep_) in NP_ROLES:
            phrase = _chunk_of(token)
            if phrase.start >= span.start:
                phrases.append(phrase)
    return phrases


def _chunk_of(token) -> Span:
    """The noun phrase headed by ``token``'s nominal head (relative clauses left out)."""
    head = token
    modifiers = ("amod", "compound", "poss", "det", "nummod")
    while dep_role(head.dep_) in modifiers and head.head.i != head.i:
        head = head.head
    left = head.i
    while left > 0:
        prev = head.doc[left - 1]
        if (
            prev.head.i >= left - 1
            and prev.head.i <= head.i
            and dep_role(prev.dep_) in ("det", "amod", "compound", "nummod", "poss", "case")
            and not (dep_role(prev.dep_) == "case" and prev.head.i == head.i)
        ):
            left -= 1
        else:
            break
    return head.doc[left : head.i + 1]


# What makes a common noun phrase point at something: a determiner, a possessor or a number;
# and what makes it a quantity instead ("little room", "more pressure").
REFERRING_MODIFIERS = frozenset({"det", "poss", "nummod"})
QUANTIFIERS = frozenset("little much more less enough plenty".split())


def _refers(chunk: Span) -> bool:
    """Whether a noun phrase can be what a claim is about: a name, a phrase with a determiner,
    possessor or number ("the talks", "their petition"), or a noun for people, bodies or
    places ("Australian troops", "occupied territory"). A quantity ("little room") or a bare
    phrase of another noun ("fighting", "results") is no target."""
    root = chunk.root
    if root.pos_ == "PROPN" or root.ent_type_:
        return True
    if any(t.lower_ in QUANTIFIERS for t in chunk if t.i != root.i):
        return False
    if any(dep_role(t.dep_) in REFERRING_MODIFIERS for t in chunk if t.i != root.i):
        return True
    lemma = root.lemma_.lower() or root.lower_
    return lemma in PERSON_NOUNS or noun_class(lemma) in ("person", "organization", "place")


def _chunk_name(chunk: Span) -> str:
    words = [t for t in chunk if dep_role(t.dep_) != "det" and in_name(t)]
    return surface(words) or chunk.text


def _resolve_target(span: Span, names: dict[str, str], doc_ents: Sequence[Span]) -> Resolved:
    ents = [e for e in ents_within(doc_ents, span) if e.label_ in TARGET_PRIORITY]
    if ents:
        ent = ents[0]
        return Resolved(names.get(ent.text, ent.text), ent.label_)
    words = [t for t in span if dep_role(t.dep_) not in ("det", "poss")]
    text = surface(words) if words else span.text
    root = span.root
    if root.pos_ == "PROPN":
        return Resolved(text, None)
    # a common noun phrase ("the talks") names no entity: the graph scopes it to its article;
    # its head noun may say what it is ("the spokesman", "the court")
    lemma = root.lemma_.lower() or root.lower_
    label = "PERSON" if lemma in PERSON_NOUNS else LABEL_OF_CLASS.get(noun_class(lemma) or "")
    return Resolved(text, label, anonymous=True)


def extract_claims(
    doc: Doc,
    *,
    doc_name: str,
    article: int = 0,
    offset: int = 0,
    title: tuple[int, int] | None = None,
    text: str | None = None,
    confidence: ConfidenceModel | None = None,
    features: bool = False,
) -> Iterator[Claim]:
    """Yield the claims of a Doc processed by a claimgraph attribution pipeline.

    ``offset`` is added to every character offset (the Doc's text starts there in the file).
    ``title`` is the headline's ``(start, end)`` in the Doc's text, when there is one: claims
    whose cue lies in it are of kind ``headline``, and a headline the tagger found nothing in
    is read by :func:`headline_attribution` ("Kremlin expects 'difficult' talks"). ``text``
    is the Doc's text when the caller has it (``Doc.text`` joins every token anew).
    ``confidence`` gives each claim its probability of being right (see
    :mod:`claimgraph.extract.confidence`; without it every claim has 1.0); with ``features``
    each claim's ``meta["features"]`` holds what that probability is computed from.
    """
    groups: dict[str, dict[str, list[Span]]] = defaultdict(lambda: defaultdict(list))
    for key, role in ((CUES_KEY, "cue"), (SOURCES_KEY, "source"), (CONTENTS_KEY, "content")):
        for span in doc.spans.get(key, []):
            groups[span.id_][role].append(span)
    in_title = title is not None and any(
        title[0] <= span.start_char < title[1] for group in groups.values() for span in group["cue"]
    )
    headline = None
    if title is not None and not in_title:
        found = headline_attribution(doc, *title)
        if found is not None:
            cue, source, content = found
            headline = groups["headline"] = {"cue": [cue], "source": [source], "content": [content]}
    quoted = frozenset(t.i for span in doc.spans.get(CONTENTS_KEY, []) for t in span)
    context = document_context(doc, quoted=quoted)
    names = context.names
    text = doc.text if text is None else text
    last_target: dict[str | None, tuple[Span, Resolved]] = {}
    ordered = sorted(groups.values(), key=lambda g: min(s.start for s in g["content"]))
    for group in ordered:
        cue = group["cue"][0]
        contents = sorted(group["content"], key=lambda s: s.start)
        source = group["source"][0] if group["source"] else None
        speaker_ref = None
        speaker_name = None
        resolved = None
        if source is not None:
            resolved = resolve_mention(source, context)
            context.history.append((source.start, resolved))
            speaker_ref = _entity_ref(source, resolved, offset)
            speaker_name = resolved.entity
        target = _target(cue, contents, source, names, speaker_name, context.types, context.ents)
        if group is headline and contents[0].root.pos_ in ("NOUN", "PROPN"):
            # "Kremlin expects [talks] with Ukraine": the expected thing is what it is about
            chunk = _chunk_of(contents[0].root)
            target = chunk, _resolve_target(chunk, names, context.ents)
        if target is None and speaker_name in last_target:
            target = last_target[speaker_name]
        target_ref = _entity_ref(target[0], target[1], offset) if target else None
        if target is not None:
            last_target[speaker_name] = target
        kind = (
            "headline"
            if title is not None and title[0] <= cue.start_char < title[1]
            else _kind(text, cue, contents)
        )
        wanted = confidence is not None or features
        facts = claim_features(cue, contents, source, resolved, kind) if wanted else {}
        yield Claim(
            doc=doc_name,
            article=article,
            content=tuple(
                TextSpan(p.text, p.start_char + offset, p.end_char + offset) for p in contents
            ),
            speaker=speaker_ref,
            cue=TextSpan(cue.text, cue.start_char + offset, cue.end_char + offset),
            target=target_ref,
            kind=kind,
            confidence=1.0 if confidence is None else round(confidence.probability(facts), 4),
            context=_context(text, [cue, *contents, *([source] if source else [])], offset),
            meta={"features": facts} if features else {},
        )


def _context(text: str, spans: Sequence[Span], offset: int) -> TextSpan:
    """The whole sentences that hold ``spans``, as a span of the input (offset added)."""
    start = min(span.sent.start_char for span in spans)
    end = max(span.sent.end_char for span in spans)
    return TextSpan(text[start:end], start + offset, end + offset)


def headline_attribution(doc: Doc, start: int, end: int) -> tuple[Span, Span, Span] | None:
    """(cue, source, content) of a headline whose main verb is a speech or belief cue with a
    subject and a complement ("Kremlin expects 'difficult' talks with Ukraine"), else None.

    The content runs from the complement's first word to the end of the headline, closing
    punctuation left out.
    """
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None:
        return None
    for token in span:
        if not (token.head.i == token.i or not span.start <= token.head.i < span.end):
            continue  # only the headline's own root
        if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in CUE_LEMMAS:
            return None
        subjects = [c for c in token.children if dep_role(c.dep_) in ("subj", "subj_pass")]
        complements = [c for c in token.children if dep_role(c.dep_) in HEADLINE_ROLES]
        if not subjects or not complements:
            return None
        subject = subjects[0]
        source = doc[subject.left_edge.i : subject.right_edge.i + 1]
        first = min(c.left_edge.i for c in complements)
        last = span.end
        while last > first + 1 and doc[last - 1].is_punct and not doc[last - 1].is_quote:
            last -= 1
        if first <= token.i or source.end > token.i:
            return None
        return doc[token.i : token.i + 1], source, doc[first:last]
    return None
