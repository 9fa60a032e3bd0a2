"""Small rule steps of the bundled pipeline (rules written as data).

``claimgraph_proper_names`` runs right after the entity recogniser: an entity is a *named*
mention, so one whose head word is not a proper noun ("Water", "Declares" at the start of a
headline) is dropped, as the NER's training data leaves such mentions out. Nationality and
group words (NORP) are kept: "American" is an adjective. Two kinds of words are written like
names but are none: an era after a year or century ("3000 BC", "the 7th century BCE") and the
letters after a person's name ("Mark Tedeschi, QC", "Joseph R. Biden, Jr."); alone as an
entity, they are dropped too. A name is kept whole across the hyphens written inside it: an
entity the model ended at "Itamar Ben" of "Itamar Ben-Gvir" takes "-Gvir" too. A pipeline
without part-of-speech tags keeps entities with other heads.

``claimgraph_person_titles`` runs next: a name directly preceded by a
person title or role noun ("spokesman Dmitry Peskov", "President Donald Trump", "Mr Katz") is
a PERSON whatever label the statistical model gave it, an unlabelled run of proper nouns in
that position becomes one, and titles inside a PERSON are cut off ("US President Donald
Trump" -> "Donald Trump").

``claimgraph_place_types`` runs next: a place keeps the type its words give it, the rule that
made the NER's training labels (:mod:`claimgraph.nlp.places`): "Manila Bay" is LOC even when
the model said GPE, and an organisation or event name that ends in a landform or facility
word ("Algoa Bay", "Oakland Bay Bridge") or starts with a landform word ("Cape of Good Hope")
is that kind of place. Person names are left alone ("Marc Lamont Hill") unless a preposition
of place governs them: "near Bhubaneshwar" is a place whatever the model said.

``claimgraph_acronyms`` runs next: an unlabelled word in capitals, in brackets right after a
name and spelling its initials, is an entity of the name's type ("the World Health
Organisation (WHO)" -> WHO is ORG); the vote and name propagation then carry the label to the
acronym's other mentions.

``claimgraph_entity_vote`` runs next: a name keeps one label within a document, the label most
of its mentions got, ties going to the first mention ("one sense per discourse"). The
model's context at a single mention is narrow; "Athens" in a travel guide is a city every
time, and most mentions say so.

``claimgraph_name_propagation`` follows it: a name the model labelled somewhere in the
document is a mention wherever else it stands as a whole run of proper nouns the model left
unlabelled, with the name's label ("Busuanga" tagged GPE once is GPE at its other mentions).
A pipeline without part-of-speech tags is left as it is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span

from .labels import PROPER_NOUN_TAGS, dep_role
from .places import LOCATIVE_PREPOSITIONS, names_a_place, place_label
from .titles import (
    CLERGY,
    HONORIFICS,
    JUDICIAL,
    OFFICES,
    POST_NOMINALS,
    RANKS,
    ROLES,
    ROYALTY,
    dotted_only,
    with_dotted,
)

# A word here before a capitalised name makes the name a PERSON, so the list leaves out words
# that as often start an organisation, place or event name: the portfolios ("National",
# "State", "Foreign"), the office modifiers ("Chief", "Deputy", "Vice", "Prime"), "former",
# "head", "chair", and "major" (an adjective). Courtesy titles come in both spellings
# ("Mr Katz", "Mr. Katz"); other abbreviations only dotted ("Gen.", "Rep."), except "sen".
PERSON_TITLE_WORDS = (
    with_dotted(HONORIFICS)
    | dotted_only(RANKS - {"major"})
    | dotted_only(OFFICES)
    | {"sen", "vice-president"}
    | (ROLES - {"chair", "head"})
    | JUDICIAL
    | ROYALTY
    | CLERGY
)


@Language.component(
    "claimgraph_person_titles", requires=["doc.ents", "token.pos"], assigns=["doc.ents"]
)
def person_titles(doc: Doc) -> Doc:
    """Label names after a person title or role noun as PERSON (see the module docstring)."""
    ents = list(doc.ents)
    changed = False
    for n, ent in enumerate(ents):
        titles = [t.i for t in ent[:-1] if t.lower_ in PERSON_TITLE_WORDS]
        if ent.label_ == "PERSON" and titles:
            # "US President Donald Trump" -> PERSON "Donald Trump"
            ents[n] = Span(doc, titles[-1] + 1, ent.end, label="PERSON")
            changed = True
            continue
        if (
            titles
            and ent.label_ != "PERSON"
            and all(t.pos_ == "PROPN" for t in doc[titles[-1] + 1 : ent.end])
        ):
            # "Israeli Finance Minister Bezalel Smotrich" taken for an ORG: the name after the title
            ents[n] = Span(doc, titles[-1] + 1, ent.end, label="PERSON")
            changed = True
            continue
        if ent.start == 0 or ent.label_ == "PERSON":
            continue
        before = doc[ent.start - 1]
        if before.lower_ in PERSON_TITLE_WORDS and all(t.pos_ == "PROPN" for t in ent):
            ents[n] = Span(doc, ent.start, ent.end, label="PERSON")
            changed = True
    taken = {t.i for ent in ents for t in ent}
    for n, ent in enumerate(ents):
        # "Minister Itamar [Ben-Gvir]": the given names between a title and a PERSON join it
        start = ent.start
        while start > 0 and start - 1 not in taken and _given_name(doc[start - 1]):
            start -= 1
        if (
            ent.label_ == "PERSON"
            and 0 < start < ent.start
            and (doc[start - 1].lower_ in PERSON_TITLE_WORDS)
        ):
            ents[n] = Span(doc, start, ent.end, label="PERSON")
            taken.update(range(start, ent.start))
            changed = True
    i = 0
    while i < len(doc) - 1:
        token = doc[i]
        if token.lower_ in PERSON_TITLE_WORDS and doc[i + 1].pos_ == "PROPN":
            end = i + 1
            while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title:
                end += 1
            if end > i + 1 and not any(j in taken for j in range(i + 1, end)):
                ents.append(Span(doc, i + 1, end, label="PERSON"))
                taken.update(range(i + 1, end))
                changed = True
            i = end
        else:
            i += 1
    if changed:
        doc.ents = sorted(_grown(ents), key=lambda e: e.start)
    return doc


#: The rule steps, in pipeline order right after ``ner``: the bundled pipeline's assembly
#: (:func:`claimgraph.training.train.assemble`) adds them from here.
ENTITY_RULES = (
    "claimgraph_proper_names",
    "claimgraph_person_titles",
    "claimgraph_place_types",
    "claimgraph_acronyms",
    "claimgraph_entity_vote",
    "claimgraph_name_propagation",
)
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Era abbreviations, compared without full stops ("B.C." -> "bc"), and the words after
#: which they stand as an era rather than a name (besides a number: "3000 BC").
ERA_MARKERS = frozenset({"bc", "bce", "ad", "ce"})
ERA_UNITS = frozenset({"century", "centuries", "millennium"})


def _name_like_word(ent: Span) -> bool:
    """True for a one-word entity written like a name that is none: an era after a year or a
    century ("3000 BC"), or letters after a comma that follows a person ("Tedeschi, QC")."""
    if len(ent) != 1 or ent.start == 0:
        return False
    word = ent.text.lower().replace(".", "")
    before = ent.doc[ent.start - 1]
    if word in ERA_MARKERS:
        return before.like_num or before.lower_ in ERA_UNITS
    return (
        word in POST_NOMINALS
        and before.text == ","
        and ent.start > 1
        and ent.doc[ent.start - 2].ent_type_ == "PERSON"
    )


@Language.component(
    "claimgraph_proper_names", requires=["doc.ents", "token.tag"], assigns=["doc.ents"]
)
def proper_names(doc: Doc) -> Doc:
    """Drop entities whose head is not a proper noun, NORP excepted, and one-word entities
    that are eras or letters after a person's name; keep hyphenated names whole (see the
    module docstring)."""
    tagged = doc.has_annotation("TAG")
    ents = _grown(list(doc.ents))
    kept = [
        e
        for e in ents
        if (not tagged or e.label_ == "NORP" or e.root.tag_ in PROPER_NOUN_TAGS)
        and not _name_like_word(e)
    ]
    if kept != list(doc.ents):
        doc.ents = kept
    return doc


def _grown(ents: list[Span]) -> list[Span]:
    """``ents`` with each grown by :func:`_whole_hyphenated`, unless the grown entity would
    overlap another one (then it stays as it was)."""
    out: list[Span] = []
    taken: set[int] = {t.i for e in ents for t in e}
    for ent in ents:
        grown = _whole_hyphenated(ent)
        new = set(range(grown.start, grown.end)) - set(range(ent.start, ent.end))
        if new & taken:
            grown = ent
        taken |= new
        out.append(grown)
    return out


def _whole_hyphenated(ent: Span) -> Span:
    """``ent`` grown over the hyphenated parts written onto either end of it, when no other
    entity holds them: "Itamar Ben" + "-Gvir"."""
    doc = ent.doc

    def hyphen_after(i: int) -> bool:  # doc[i], "-", doc[i + 2] written as one word
        return (
            i + 2 < len(doc)
            and doc[i + 1].text == "-"
            and not doc[i].whitespace_
            and not doc[i + 1].whitespace_
        )

    def free(i: int) -> bool:
        return doc[i].ent_type == 0

    start, end = ent.start, ent.end
    while hyphen_after(end - 1) and doc[end + 1].is_title and free(end) and free(end + 1):
        end += 2
    while (
        start >= 2
        and hyphen_after(start - 2)
        and doc[start - 2].is_title
        and (free(start - 2) and free(start - 1))
    ):
        start -= 2
    return ent if (start, end) == (ent.start, ent.end) else Span(doc, start, end, label=ent.label)


def _given_name(token) -> bool:
    return (
        token.pos_ == "PROPN"
        and token.is_title
        and bool(token.whitespace_)
        and token.lower_ not in PERSON_TITLE_WORDS
    )


def _under_locative(ent: Span) -> bool:
    """True when a preposition of place governs the name ("near Bhubaneshwar"): its case
    marker (UD) or the preposition it is the object of (ClearNLP)."""
    root = ent.root
    return any(
        child.i < ent.start
        and child.lower_ in LOCATIVE_PREPOSITIONS
        and dep_role(child.dep_) in ("case", "prep")
        for child in root.children
    ) or (dep_role(root.dep_) == "pobj" and root.head.lower_ in LOCATIVE_PREPOSITIONS)


@Language.component("claimgraph_place_types", requires=["doc.ents"], assigns=["doc.ents"])
def place_types(doc: Doc) -> Doc:
    """Give places the type their words say (see the module docstring). Spans are unchanged."""

    def label_of(ent: Span) -> str:
        if (
            ent.label_ in PLACE_LABELS
            or (ent.label_ != "PERSON" and names_a_place(ent.text.lower().split()))
            or (ent.label_ == "PERSON" and _under_locative(ent))
        ):
            return place_label(ent.text)
        return ent.label_

    return _relabel(doc, list(doc.ents), label_of)


def _initials(ent: Span) -> str:
    """The capitals that start the name's words and hyphenated parts ("Asia-Pacific Economic
    Cooperation" -> "APEC"); words in lower case ("of", "and") are skipped."""
    return "".join(part[0] for token in ent for part in token.text.split("-") if part[:1].isupper())


@Language.component("claimgraph_acronyms", requires=["doc.ents"], assigns=["doc.ents"])
def acronyms(doc: Doc) -> Doc:
    """Label an unlabelled acronym in brackets after the name it abbreviates with the name's
    label (see the module docstring). Existing entities are unchanged."""
    ents = list(doc.ents)
    added = []
    for ent in ents:
        if ent.end + 2 >= len(doc) or doc[ent.end].text != "(" or doc[ent.end + 2].text != ")":
            continue
        word = doc[ent.end + 1]
        letters = word.text.replace(".", "")
        if (
            len(letters) > 1
            and letters.isupper()
            and word.ent_iob_ in ("", "O")
            and letters == _initials(ent)
        ):
            added.append(Span(doc, word.i, word.i + 1, label=ent.label_))
    if added:
        doc.ents = sorted(ents + added, key=lambda e: e.start)
    return doc


@Language.component("claimgraph_entity_vote", requires=["doc.ents"], assigns=["doc.ents"])
def entity_vote(doc: Doc) -> Doc:
    """Give every mention of a name (same text) the label most of its mentions have.

    Ties go to the label of the name's first mention. Spans are unchanged.
    """
    ents = list(doc.ents)  # spaCy builds every entity Span anew on each doc.ents access
    votes: dict[str, Counter] = {}
    for ent in ents:
        votes.setdefault(ent.text, Counter())[ent.label_] += 1
    # Counter.most_common sorts stably: among equal counts the first-seen label wins.
    return _relabel(doc, ents, lambda ent: votes[ent.text].most_common(1)[0][0])


def _relabel(doc: Doc, ents: list[Span], label_of: Callable[[Span], str]) -> Doc:
    """Set ``doc.ents`` to ``ents`` (the Doc's entities) each with the label ``label_of``
    returns for it, keeping spans and KB ids; the Doc is left alone when no label changes."""
    changed = False
    for n, ent in enumerate(ents):
        label = label_of(ent)
        if label != ent.label_:
            ents[n] = Span(doc, ent.start, ent.end, label=label, kb_id=ent.kb_id)
            changed = True
    if changed:
        doc.ents = ents
    return doc


def _proper_runs(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) of each maximal run of proper nouns within a sentence."""
    runs: list[tuple[int, int]] = []
    start = None
    for token in doc:
        proper = token.tag_ in PROPER_NOUN_TAGS
        if start is not None and (not proper or token.is_sent_start):
            runs.append((start, token.i))
            start = None
        if proper and start is None:
            start = token.i
    if start is not None:
        runs.append((start, len(doc)))
    return runs


@Language.component(
    "claimgraph_name_propagation", requires=["doc.ents", "token.tag"], assigns=["doc.ents"]
)
def name_propagation(doc: Doc) -> Doc:
    """Label the unlabelled occurrences of names labelled elsewhere in the document (see the
    module docstring). Existing entities are unchanged."""
    if not doc.has_annotation("TAG"):
        return doc
    ents = list(doc.ents)
    labels: dict[tuple[str, ...], str] = {}
    for ent in ents:
        if all(t.tag_ in PROPER_NOUN_TAGS for t in ent):
            labels.setdefault(tuple(t.text for t in ent), ent.label_)
    taken = {t.i for ent in ents for t in ent}
    added = [
        Span(doc, start, end, label=labels[key])
        for start, end in _proper_runs(doc)
        if (key := tuple(t.text for t in doc[start:end])) in labels
        and not any(i in taken for i in range(start, end))
    ]
    if added:
        doc.ents = sorted(ents + added, key=lambda e: e.start)
    return doc
