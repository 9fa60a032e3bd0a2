"""Recovering what the span tagger left out, from the parse: a cue's content, a content's cue,
"according to X" and a cue's source (the rules as data are in :mod:`claimgraph.extract.rules`).

Every function takes spaCy spans or tokens of one parsed Doc and returns spans of it (or
``None``); none changes the Doc.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span, Token

from claimgraph.nlp.labels import dep_role

from .rules import (
    ATTRIBUTED_ROLES,
    CONTENT_CLAUSE_ROLES,
    CUE_LEMMAS,
    NOUN_MODIFIER_ROLES,
    OPEN_CLAUSE_ROLES,
    QUESTIONING_LEMMAS,
    REPORTING_CLAUSE_ROLES,
)


def recover_content(cue: Span, used: set[int]) -> Span | None:
    """The clause a tagged cue reports when the tagger marked no content for it.

    "X said [that ...]" (a clausal complement of the cue verb) and "[...], X said" (the cue
    verb a parataxis of the reported clause). None when the clause overlaps ``used``.
    """
    root = cue.root
    cue_ids = {t.i for t in cue}
    for child in root.children:
        if child.i not in cue_ids and dep_role(child.dep_) in CONTENT_CLAUSE_ROLES:
            return _phrase(child, cue_ids, used, contiguous_from=child.i)
    head = root.head
    if dep_role(root.dep_) in REPORTING_CLAUSE_ROLES and head.i != root.i and head.i not in cue_ids:
        exclude = {t.i for t in root.subtree}
        return _phrase(head, exclude, used, contiguous_from=head.i)
    return None


def recover_cue(content: Span) -> Span | None:
    """The governing speech verb of a content the tagger left without cue, if any.

    "X said [that ...]" (content under the verb) and "[...], X said" (the verb a parataxis of
    the content) under either label scheme.
    """
    root = content.root
    head = root.head
    if (
        head.i != root.i
        and not content.start <= head.i < content.end
        and head.lemma_.lower() in CUE_LEMMAS
        and dep_role(root.dep_) in ATTRIBUTED_ROLES
    ):
        return content.doc[head.i : head.i + 1]
    for child in root.children:
        is_report = child.lemma_.lower() in CUE_LEMMAS and dep_role(child.dep_) == "parataxis"
        if child.i >= content.end and is_report:
            return content.doc[child.i : child.i + 1]
    return None


def recover_according_to(cue: Span) -> tuple[Span, Span] | None:
    """(source, content) of "according to X, Y" from the parse: X and the clause it modifies."""
    if not cue.text.lower().startswith("according"):
        return None
    cue_ids = {t.i for t in cue}
    nominal = ("NOUN", "PROPN", "PRON")
    inside = [t for t in cue.root.subtree if t.i not in cue_ids and t.pos_ in nominal]
    noun = inside[0] if inside else cue[0].head
    while (
        noun.head.i != noun.i
        and noun.i not in cue_ids
        and noun.head.i not in cue_ids
        and noun.pos_ not in nominal
    ):
        noun = noun.head
    if noun.i in cue_ids or noun.pos_ not in nominal:
        return None
    clause = noun
    while clause.head.i != clause.i and (
        clause.i in cue_ids or clause.pos_ in nominal or clause.head.i in cue_ids
    ):
        clause = clause.head
    if clause.pos_ in nominal or clause.i in cue_ids:
        return None
    source = _phrase(noun, cue_ids, set())
    exclude = cue_ids | {t.i for t in noun.subtree}
    content = _phrase(clause, exclude, set(), contiguous_from=clause.i)
    if source is None or content is None:
        return None
    return source, content


def recover_source(
    cue: Span,
    taken: set[int],
    *,
    sources: Iterable[Span] = (),
    other_contents: set[int] | frozenset[int] = frozenset(),
) -> Span | None:
    """The cue verb's subject ("Russia said"), or X of "according to X", as a source span.

    A participle or infinitive without subject of its own ("..., arguing that", "vowed to")
    takes its governing verb's subject, a participle modifying a noun ("a statement
    announcing") that noun. Where the subject lies in a SOURCE span of ``sources`` (tagged,
    possibly the source of another cue too: "X spoke out, arguing that ..."), that span is
    the source. A subject inside ``other_contents`` (the tokens of other attributions'
    contents) is passed over for that content's speaker: the parser often hangs a second
    reporting verb on the reported clause ("Demonstrators said they want justice, but
    pledged to remain civil": *pledged* under *want*), whose subject is not the speaker.
    """
    cue_ids = {t.i for t in cue}
    if cue[0].lower_ == "according":
        candidates = [cue[0].head] + [t for t in cue.root.subtree if dep_role(t.dep_) == "pobj"]
        for token in candidates:
            if token.i not in cue_ids:
                return _phrase(token, cue_ids, taken)
        return None
    subject = _subject_of(cue.root, other_contents)
    if subject is None or subject.i in cue_ids:
        return None
    for span in sources:
        if span.start <= subject.i < span.end and not any(t.i in cue_ids for t in span):
            return span
    if subject.is_ancestor(cue.root):  # "a statement [announcing ...]": the noun alone
        cue_ids |= {t.i for t in cue.root.subtree}
    return _phrase(subject, cue_ids, taken)


def governing_source(
    cue: Span, sources: Iterable[Span], *, passed_over: set[int] | frozenset[int] = frozenset()
) -> Span | None:
    """For a cue that is an open clause without subject of its own ("..., citing", "and
    warned", "vowing to"), the tagged source holding the subject it shares, even when that
    source is another cue's too; else None. Subjects in ``passed_over`` (other attributions'
    contents) are passed over as in :func:`recover_source`."""
    if not shares_subject(cue.root):
        return None
    subject = _subject_of(cue.root, passed_over)
    if subject is None:
        return None
    return next(
        (
            s
            for s in sources
            if s.start <= subject.i < s.end and (s.end <= cue.start or s.start >= cue.end)
        ),
        None,
    )


def has_own_subject(verb: Token) -> bool:
    return any(dep_role(c.dep_) in ("subj", "subj_pass") for c in verb.children)


def shares_subject(verb: Token) -> bool:
    """An open clause without subject of its own ("..., citing", "and warned")."""
    return dep_role(verb.dep_) in OPEN_CLAUSE_ROLES and not has_own_subject(verb)


def _questioning_participle(verb: Token) -> bool:
    """A verb of questioning as a bare participle clause ("Asked about the talks, Peskov
    said"; "Peskov told reporters when asked"; "Peskov, pressed on the date, said"): the one
    it leaves understood is the one asked, never the asker, so it takes no subject from the
    verb or noun it depends on. The tagger often writes such a participle as a past tense."""
    return (
        verb.lemma_ in QUESTIONING_LEMMAS
        and verb.tag_ in ("VBN", "VBD")
        and dep_role(verb.dep_) in ("advcl", "acl")
        and not any(dep_role(c.dep_) == "aux" for c in verb.children)
    )


def _subject_of(verb: Token, passed_over: set[int] | frozenset[int] = frozenset()) -> Token | None:
    """The verb's subject, else (for an open clause) the subject of the verb it depends on.

    A subject in ``passed_over`` does not count: the search goes on up from its verb, through
    a reported clause (``ccomp``) too, to the verb that reports it. A paragraph break parsed as
    the subject ("\n\n" with the real subject hanging under it) is taken only when the verb
    has no other: its subtree, trimmed, is the subject phrase.
    """
    for _ in range(4):
        children = [c for c in verb.children if dep_role(c.dep_) == "subj"]
        subjects = [c for c in children if not c.is_space]
        if any(c.i not in passed_over for c in subjects):
            return next(c for c in subjects if c.i not in passed_over)
        if children and not subjects and any(t.is_alpha for t in children[0].subtree):
            return children[0]
        if _questioning_participle(verb):
            return None
        if dep_role(verb.dep_) in NOUN_MODIFIER_ROLES and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head
        # a gerund "complement" of a speech verb is an open clause misparsed ("he said,
        # adding that ...")
        gerund = "Ger" in verb.morph.get("VerbForm") or verb.tag_ == "VBG"
        roles = OPEN_CLAUSE_ROLES | ({"ccomp"} if subjects or gerund else set())
        if dep_role(verb.dep_) not in roles or verb.head.i == verb.i:
            return None
        verb = verb.head
    return None


def _phrase(
    token, exclude: set[int], taken: set[int], *, contiguous_from: int | None = None
) -> Span | None:
    """The token's subtree without excluded tokens and edge punctuation; None if it
    overlaps ``taken``. With ``contiguous_from``, only the unbroken run around that index."""
    ids = sorted(t.i for t in token.subtree if t.i not in exclude)
    if not ids:
        return None
    if contiguous_from is not None:
        run = {contiguous_from}
        for i in ids:
            if i - 1 in run or i + 1 in run:
                run.add(i)
        for i in reversed(ids):
            if i - 1 in run or i + 1 in run:
                run.add(i)
        ids = sorted(run & set(ids)) or ids
    doc = token.doc
    while ids and (doc[ids[0]].is_punct or doc[ids[0]].is_space or doc[ids[0]].dep_ == "cc"):
        ids.pop(0)
    while ids and (doc[ids[-1]].is_punct or doc[ids[-1]].is_space):
        ids.pop()
    if not ids:
        return None
    left, right = ids[0], ids[-1]
    if any(i in taken for i in range(left, right + 1)):
        return None
    return doc[left : right + 1]
