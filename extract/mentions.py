"""Within-document resolution of speakers and targets: names, pronouns, roles, sources.

Rules are data (word sets below); functions take spaCy spans and return plain values, so
nothing spaCy leaves ``claimgraph.extract``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from claimgraph.nlp.labels import dep_role
from claimgraph.nlp.titles import (
    ABBREVIATIONS,
    CLERGY,
    FEMALE_HONORIFICS,
    HONORIFICS,
    JUDICIAL,
    MALE_HONORIFICS,
    OFFICE_MODIFIERS,
    OFFICES,
    PORTFOLIOS,
    RANKS,
    ROLES,
    dotted_only,
    with_dotted,
)

from .names import DOMINANCE, is_name_form
from .nouns import LABEL_OF_CLASS, noun_class

SPEAKER_TYPES = ("PERSON", "ORG", "GPE", "NORP")
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers", "i", "me", "my"})
GROUP_PRONOUNS = frozenset({"they", "them", "their", "we", "us", "our", "it", "its"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})
ANONYMOUS_HEADS = frozenset(
    """
    source sources official officials aide aides insider insiders person people diplomat
    diplomats spokesperson spokesman spokeswoman adviser advisers advisor advisors analyst
    analysts expert experts observer observers someone witness witnesses member members
    """.split()
)
# Role words are kept as the speaker's role ("Foreign Minister", "press secretary"), so they
# are full words only: offices, staff roles, the office modifiers, the two most quoted
# portfolios, ranks and royals also used bare ("the general", "the king"), and role nouns
# that are not titles at all ("official", "lawyer", "speaker").
ROLE_WORDS = (
    (OFFICES - ABBREVIATIONS)
    | ROLES
    | OFFICE_MODIFIERS
    | {"foreign", "defence", "defense"}
    | {"general", "commander", "king", "queen"}
    | {"official", "spokesmen", "press", "scientist", "negotiator", "lawyer", "attorney", "speaker"}
)
# Nouns for people that head an unnamed speaker ("the FBI director", "a reporter for USA
# Today", "Scott's niece"): the phrase is a person with a role, never the organisation or
# place that modifies it. The words that only build an office ("vice", "foreign", "press")
# are no heads.
PERSON_NOUNS = (ROLE_WORDS - OFFICE_MODIFIERS - PORTFOLIOS - {"press"}) | frozenset(
    """
    judge justice reporter journalist correspondent editor columnist narrator writer
    speechwriter strategist manager commissioner lawmaker legislator supporter critic opponent
    voter doctor professor economist historian niece nephew wife husband son daughter mother
    father brother sister
    """.split()
)
# Courtesy titles and the legislative abbreviations, dropped wherever they stand in a name.
TITLE_WORDS = with_dotted({"mr", "mrs", "ms", "dr"}) | dotted_only({"sen", "rep"})


@dataclass(frozen=True)
class Resolved:
    """The outcome of resolving a mention: name, type, role, affiliation, anonymity."""

    entity: str | None
    type: str | None
    role: str | None = None
    affiliation: str | None = None
    anonymous: bool = False
    refers: bool = True  # False: the span names no one ("Recent events")


# Everything cut from the front of a person mention ("Lieutenant General Eyal Zamir"): the
# title and role words plus honorifics, ranks, judicial and religious titles, portfolios and
# "former"/"acting". Abbreviations are matched dotted ("Gen.", "Prof."; the courtesy titles
# also undotted via TITLE_WORDS). "miss" and "prince"/"princess" were never in this list.
PERSON_TITLES = (
    TITLE_WORDS
    | ROLE_WORDS
    | dotted_only(HONORIFICS - {"miss"})
    | dotted_only(RANKS)
    | JUDICIAL
    | CLERGY
    | {"father", "sister", "brother"}
    | PORTFOLIOS
    | {"former", "acting"}
)
GENDER_OF_PRONOUN = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
FEMALE_TITLES = with_dotted(FEMALE_HONORIFICS)
MALE_TITLES = with_dotted(MALE_HONORIFICS)


def surface(tokens: Sequence[Token]) -> str:
    """The words of ``tokens`` as written: neighbours in the text keep the spacing between them
    ("Holtz-Eakin", "Scott's"), others are joined by one space, runs of whitespace become one
    space.

    >>> import spacy
    >>> doc = spacy.blank("en")("Mr. Holtz-Eakin's view")
    >>> [t.text for t in doc]
    ['Mr.', 'Holtz', '-', 'Eakin', "'s", 'view']
    >>> surface(doc[1:5]), surface([doc[0], doc[5]])
    ("Holtz-Eakin's", 'Mr. view')
    """
    parts: list[str] = []
    for n, token in enumerate(tokens):
        parts.append(token.text)
        if n + 1 < len(tokens):
            parts.append(token.whitespace_ if tokens[n + 1].i == token.i + 1 else " ")
    return " ".join("".join(parts).split())


def in_name(token: Token) -> bool:
    """Whether ``token`` is written as part of a name: words, and of punctuation only the
    hyphen and full stop ("Holtz-Eakin", "Loretta E. Lynch")."""
    return not token.is_punct or token.text in ("-", ".")


def _name_tokens(ent: Span) -> list[Token]:
    """A person's name without leading titles and roles ("Lieutenant General Eyal Zamir")."""
    tokens = [t for t in ent if in_name(t)]
    cut = 0
    for i, token in enumerate(tokens[:-1]):
        if token.lower_ in PERSON_TITLES:
            cut = i + 1
    return [t for t in tokens[cut:] if t.lower_ not in TITLE_WORDS]


def full_names(doc: Doc) -> dict[str, str]:
    """Map each PERSON mention text to the fullest name of the same person in ``doc``.

    "Peskov" -> "Dmitry Peskov" when the document names him in full. A shorter name is a form
    of a longer one when its words occur in order in it and both end in the same word (so a
    generational suffix must match): "Lynch" and "Loretta Lynch" are forms of "Loretta E.
    Lynch", "Trump" is not a form of "Donald Trump Jr.". A name with the forms of several
    people among its longer names takes the dominant one (see :data:`DOMINANCE`) or stays as
    written. Every name of a chain maps to its most frequent full name, not to its longest one.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("Dmitry Peskov spoke. Peskov added.")
    >>> doc.ents = [doc.char_span(0, 13, "PERSON"), doc.char_span(21, 27, "PERSON")]
    >>> full_names(doc)["Peskov"]
    'Dmitry Peskov'
    """
    named = [(e.text, surface(_name_tokens(e))) for e in doc.ents if entity_type(e) == "PERSON"]
    counts = Counter(short for _, short in named if short)
    words = {name: name.split() for name in counts}
    chain_names = {short: _chain_name(short, counts, words) for short in counts}
    return {text: chain_names[short] for text, short in named if short}


def _chain_name(short: str, counts: Counter[str], words: dict[str, list[str]]) -> str:
    """The name every mention written ``short`` gets, given each name's mention count and
    words."""
    longer = [
        n
        for n in counts
        if len(words[n]) > len(words[short]) and is_name_form(words[short], words[n])
    ]
    # one person per maximal longer name; its group is the longer names that are its forms
    groups = {
        top: [n for n in longer if is_name_form(words[n], words[top])]
        for top in longer
        if not any(n != top and is_name_form(words[top], words[n]) for n in longer)
    }
    top = _dominant(groups, counts) if groups else short
    if top is None:
        return short
    # The chain's name is its most frequent name of two or more words (ties: the longer one),
    # so a one-off longer form ("Crooked Hillary Clinton" in a quoted nickname) does not rename
    # the eighteen "Hillary Clinton" of the article.
    full = [n for n in counts if len(words[n]) > 1 and is_name_form(words[n], words[top])]
    return max(full, key=lambda n: (counts[n], len(words[n])), default=short)


def _dominant(groups: dict[str, list[str]], counts: Counter[str]) -> str | None:
    """The maximal name whose group has :data:`DOMINANCE` times the mentions of the names in
    the other groups (a name shared by two groups counts against both), or ``None``."""
    for top, names in groups.items():
        others = {n for other, group in groups.items() if other != top for n in group}
        if sum(counts[n] for n in names) >= DOMINANCE * sum(counts[n] for n in others):
            return top
    return None


def entity_type(ent: Span) -> str:
    """The entity's label, PERSON when a title or role word precedes it ("spokesman X")."""
    doc = ent.doc
    if ent.label_ != "PERSON" and ent.start > 0:
        before = doc[ent.start - 1]
        if before.lower_ in PERSON_TITLES and before.pos_ in ("NOUN", "PROPN"):
            return "PERSON"
    return ent.label_


def ents_within(ents: Sequence[Span], span: Span) -> list[Span]:
    """``span.ents`` from the document's entities computed once (spaCy rebuilds every entity
    Span of the Doc on each ``.ents`` access, which dominated extraction time)."""
    return [e for e in ents if e.start >= span.start and e.end <= span.end]


def _best_entity(span: Span, ents: Sequence[Span]) -> Span | None:
    ents = [e for e in ents_within(ents, span) if e.label_ in SPEAKER_TYPES]
    if not ents:
        return None
    persons = [e for e in ents if entity_type(e) == "PERSON"]
    if persons:
        return persons[-1]
    root_ents = [e for e in ents if e.start <= span.root.i < e.end]
    return root_ents[0] if root_ents else ents[-1]


def _head_entity(span: Span, ents: Sequence[Span]) -> Span | None:
    """The entity naming the speaker: the one containing the span's head word.

    A name the NER missed is not replaced by an entity from its modifiers ("Rucker Culpepper,
    who runs Clinton's campaign" names Culpepper, not Clinton): a proper-noun head outside
    every speaker entity gives ``None``. Other heads fall back to :func:`_best_entity`.
    """
    root = span.root
    for ent in ents_within(ents, span):
        if ent.start <= root.i < ent.end:
            return ent if ent.label_ in SPEAKER_TYPES else None
    return None if _is_name(root) else _best_entity(span, ents)


def _is_name(token: Token) -> bool:
    """A proper noun, or a capitalised noun inside a sentence the tagger took for a common
    one ("Trump said", with "Trump" tagged NOUN). Whitespace is never part of a name, however
    the tagger labelled it."""
    if token.is_space:
        return False
    if token.pos_ == "PROPN":
        return True
    return token.pos_ == "NOUN" and token.is_title and not token.is_sent_start


def _leading_person(span: Span, ents: Sequence[Span]) -> Span | None:
    """A person named first and set off by a comma: "Mike Schmidt, an economic policy adviser
    at the campaign," names Schmidt even when the parser made *adviser* the head."""
    inside = ents_within(ents, span)
    if not inside or inside[0].start != span.start or inside[0].label_ != "PERSON":
        return None
    after = inside[0].end
    return inside[0] if after < span.end and span.doc[after].text == "," else None


def _apposed_person(span: Span, root: Token, ents: Sequence[Span]) -> Span | None:
    """A person named after the mention's head noun or title: "Trump lawyer Marc Kasowitz",
    "his lawyer, Marc Kasowitz", "Secretary of State John Kerry".

    Only punctuation and title words may come between the head and the name, and, after a
    title, an "of" phrase naming its office ("of State"); any other word keeps the head as
    the speaker ("the lawyer for Hillary Clinton", "the wife of Donald Trump"), and so does a
    name heading a clause later in the mention ("a speech Mrs. Clinton delivered").
    """
    is_title = root.lower_ in PERSON_TITLES
    if _is_name(root) and not is_title:  # a name heads the mention: it is the speaker
        return None
    for ent in ents_within(ents, span):
        if ent.label_ != "PERSON" or ent.start <= root.i:
            continue
        if ent.end <= ent.root.head.i < span.end:  # the subject of a clause in the mention
            continue
        between = span.doc[root.i + 1 : ent.start]
        office = [t for t in between if not t.is_punct and t.lower_ not in PERSON_TITLES]
        if not office or (
            is_title
            and office[0].lower_ == "of"
            and len(office) > 1
            and all(_is_name(t) for t in office[1:])
        ):
            return ent
    return None


def _proper_name(root: Token) -> str:
    """The run of proper nouns around ``root`` ("Rucker Culpepper"), across spaces within a
    line ("Gov.\xa0Mike Pence"), with its whitespace collapsed."""

    def in_run(token: Token) -> bool:
        return _is_name(token) or (token.is_space and "\n" not in token.text)

    doc = root.doc
    start = end = root.i
    while start > 0 and in_run(doc[start - 1]):
        start -= 1
    while end + 1 < len(doc) and in_run(doc[end + 1]):
        end += 1
    return " ".join(doc[start : end + 1].text.split())


def _role_and_affiliation(
    span: Span, name: Span | None, ents: Sequence[Span]
) -> tuple[str | None, str | None]:
    """Role words and affiliation entity around a name ("Kremlin spokesman Dmitry Peskov")."""
    tokens = [t for t in span if name is None or not (name.start <= t.i < name.end)]
    role_tokens = [t for t in tokens if t.lower_ in ROLE_WORDS]
    role = " ".join(t.lower_ for t in role_tokens) if role_tokens else None
    affiliation = None
    for ent in ents_within(ents, span):
        if name is not None and ent.start == name.start:
            continue
        if ent.label_ in ("ORG", "GPE", "NORP"):
            affiliation = ent.text
            break
    if affiliation is None and name is not None:
        for token in name.root.children:
            if dep_role(token.dep_) == "appos":
                inner = [e for e in token.subtree if e.ent_type_ in ("ORG", "GPE", "NORP")]
                if inner:
                    affiliation = inner[0].text
    return role, affiliation


def _anonymous_affiliation(span: Span, ents: Sequence[Span]) -> str | None:
    """'a source in the Ukrainian delegation' -> 'Ukrainian delegation'."""
    head = span.root
    for child in head.children:
        if dep_role(child.dep_) in ("nmod", "pobj", "prep", "obl", "acl"):
            words = [
                t
                for t in child.subtree
                if dep_role(t.dep_) not in ("case", "prep", "det") and t.i < span.end
            ]
            if words:
                return surface(words)
    ents = [e for e in ents_within(ents, span) if e.label_ in ("ORG", "GPE", "NORP")]
    return ents[0].text if ents else None


@dataclass
class DocContext:
    """What resolution knows about one document: names, earlier speakers, genders."""

    names: dict[str, str]
    history: list[tuple[int, Resolved]]
    genders: dict[str, str]
    quoted: frozenset[int] = frozenset()
    types: dict[str, str] = field(default_factory=dict)
    ents: tuple[Span, ...] = ()


def document_context(doc: Doc, *, quoted: frozenset[int] = frozenset()) -> DocContext:
    """Names (see :func:`full_names`), genders known from titles ("Mr", "Ms"), and each
    name's majority entity type in the document (the recogniser's label varies by mention)."""
    names = full_names(doc)
    ents = tuple(doc.ents)
    genders: dict[str, str] = {}
    for ent in ents:
        if ent.label_ != "PERSON":
            continue
        before = doc[ent.start - 1].lower_ if ent.start else ""
        first = ent[0].lower_
        for word in (before, first):
            if word in FEMALE_TITLES:
                genders[names.get(ent.text, ent.text)] = "f"
            elif word in MALE_TITLES:
                genders[names.get(ent.text, ent.text)] = "m"
    votes: dict[str, Counter[str]] = {}
    for ent in ents:
        votes.setdefault(ent.text, Counter())[entity_type(ent)] += 1
    for short, full in names.items():  # "Trump" votes for "Donald Trump" and back
        if full != short and full in votes and short in votes:
            merged = votes[short] + votes[full]
            votes[short] = votes[full] = merged
    types = {text: count.most_common(1)[0][0] for text, count in votes.items()}
    return DocContext(names, [], genders, quoted, types, ents)


def _person_name(ent: Span, context: DocContext) -> str:
    return context.names.get(ent.text) or surface(_name_tokens(ent)) or ent.text


def resolve_mention(span: Span, context: DocContext) -> Resolved:
    """Resolve a speaker mention: a name in it, a pronoun's antecedent, or a source noun.

    ``context.history`` holds (token index, Resolved) of earlier speakers, oldest first;
    the result is not added to it (the caller does).
    """
    kept = [t for t in span if not t.is_space]
    if not kept:
        return Resolved(None, None)
    span = span.doc[kept[0].i : kept[-1].i + 1]  # the parse may hang a span on a space
    root = span.root
    if _is_group(span, root):
        # "Trump and Clinton", "Cruz and his aides": a group, not its first member
        return Resolved(" ".join(span.text.split()), None)
    ents = context.ents
    in_entity = any(e.start <= root.i < e.end for e in ents_within(ents, span))
    is_source_noun = root.lower_ in ANONYMOUS_HEADS or root.lemma_.lower() in ANONYMOUS_HEADS
    apposed = (
        None if in_entity else _apposed_person(span, root, ents) or _leading_person(span, ents)
    )
    if (
        apposed is None
        and not in_entity
        and root.pos_ == "NOUN"
        and not is_source_noun
        and not _is_name(root)
    ):
        # "The Russian defence ministry", "humanitarian agencies": the phrase names the speaker
        words = [t for t in span if t.i <= root.i and dep_role(t.dep_) != "det"]
        modifier = _best_entity(span, ents)
        affiliation = modifier.text if modifier is not None else None
        lemma = root.lemma_.lower() or root.lower_  # a pipeline may set no lemmas
        if lemma in PERSON_NOUNS or root.lower_ in PERSON_NOUNS:
            # "the FBI director": a person with a role, affiliated with the modifier
            return Resolved(
                surface(words), "PERSON", lemma, affiliation, anonymous=modifier is None
            )
        cls = noun_class(lemma)
        if cls == "other":
            # "Recent events have shown", "the majority of opinion": no one who speaks
            return Resolved(surface(words), None, anonymous=True, refers=False)
        label = LABEL_OF_CLASS.get(cls or "")
        if label is None and modifier is not None and modifier.label_ in SPEAKER_TYPES:
            label = "ORG"  # "the Russian defence ministry"
        # "humanitarian agencies", "Three reservists": unnamed, so scoped to the article
        return Resolved(surface(words), label, None, affiliation, anonymous=modifier is None)
    ent = apposed or (None if is_source_noun and not in_entity else _head_entity(span, ents))
    if ent is not None:
        label = context.types.get(ent.text) or entity_type(ent)
        if label == "PERSON":
            name = _person_name(ent, context)
        else:
            name = ent.text.removeprefix("the ").removeprefix("The ")
        role, affiliation = _role_and_affiliation(span, ent, ents)
        return Resolved(name, label, role, affiliation)
    lower = root.lower_
    if lower in RELATIVE_PRONOUNS or (len(span) == 1 and span[0].lower_ in RELATIVE_PRONOUNS):
        antecedent = root.head if dep_role(root.dep_) != "root" else None
        while antecedent is not None and dep_role(antecedent.dep_) == "relcl":
            antecedent = antecedent.head
        if antecedent is not None and antecedent.head.i != antecedent.i:
            target = antecedent.head if dep_role(antecedent.dep_) == "relcl" else antecedent
            return resolve_mention(_subtree_span(target), context)
    if lower in PERSON_PRONOUNS:
        gender = GENDER_OF_PRONOUN.get(lower)
        found = _nearest_person(span, context, gender)
        if found is not None and gender and found.entity:
            context.genders.setdefault(found.entity, gender)
        return found or Resolved(None, None)
    if lower in GROUP_PRONOUNS:
        wanted = ("ORG", "GPE", "NORP")
        for index, earlier in reversed(context.history):
            if index < span.start and earlier.type in wanted and not earlier.anonymous:
                return earlier
        antecedent = _preceding_entity(span, wanted, ents, context.quoted)
        return (
            resolve_mention(antecedent, context) if antecedent is not None else Resolved(None, None)
        )
    if lower in ANONYMOUS_HEADS or root.lemma_.lower() in ANONYMOUS_HEADS:
        definite = any(t.lower_ in ("the", "this", "that") for t in span if t.i < root.i)
        if definite:
            for index, earlier in reversed(context.history):
                if index < span.start and earlier.anonymous:
                    return earlier
        words = [t for t in span if not (t.i < root.i and dep_role(t.dep_) == "det")]
        return Resolved(
            surface(words), "PERSON", role=root.lemma_.lower() or root.lower_,
            affiliation=_anonymous_affiliation(span, ents), anonymous=True,
        )  # fmt: skip
    if _is_name(root):
        return _unlabelled_name(_proper_name(root), context)
    # "There has been discussion", a clause taken for a source: no one is named
    refers = root.pos_ in ("NOUN", "PROPN", "PRON") and root.dep_ != "expl"  # "There is"
    return Resolved(span.text, None, anonymous=True, refers=refers)


def _unlabelled_name(name: str, context: DocContext) -> Resolved:
    """A proper name the recogniser left unlabelled: the one person of the document whose full
    name it is a form of ("Trump announced" in an article naming Donald Trump), else itself,
    untyped."""
    words = name.split()
    fuller = {
        full
        for full in context.names.values()
        if len(full.split()) > len(words) and is_name_form(words, full.split())
    }
    if len(fuller) == 1:
        return Resolved(fuller.pop(), "PERSON")
    if name in context.names.values() or name in context.names:
        return Resolved(context.names.get(name, name), "PERSON")
    return Resolved(name, None)


def _is_group(span: Span, root: Token) -> bool:
    """True when the mention coordinates several speakers under its head: "Trump and
    Clinton", "Cruz and his aides", "Trump, Clinton and Sanders". A coordination needs a
    conjunction ("and", "or"); commas alone set off an apposition ("Senator Dianne Feinstein,
    Democrat of California"; "Craig Bryan, head of the center"), and so does a conjunct after
    a comma that is not itself a name or pronoun ("David Plouffe, the architect of the
    campaign and a close aide"), so the head names one speaker."""
    conjuncts = [
        t for t in span if dep_role(t.dep_) == "conj" and t.head.i == root.i and t.i > root.i
    ]
    if not any(dep_role(c.dep_) == "cc" for t in conjuncts for c in t.children):
        return False
    for token in conjuncts:
        between = span.doc[root.i + 1 : token.i]
        if not any(t.text == "," for t in between) or token.pos_ in ("PROPN", "PRON"):
            return True
    return False


def _nearest_person(span: Span, context: DocContext, gender: str | None) -> Resolved | None:
    """The closest earlier person (speaker or named mention) of a compatible gender."""
    candidates: list[tuple[int, Resolved]] = [
        (index, earlier)
        for index, earlier in context.history
        if earlier.type == "PERSON" and not earlier.anonymous
    ]
    mention = _preceding_entity(
        span, ("PERSON",), context.ents, context.quoted, max_sents=4, every=True
    )
    for ent in mention:
        role, affiliation = _role_and_affiliation(ent, ent, context.ents)
        candidates.append(
            (ent.start, Resolved(_person_name(ent, context), "PERSON", role, affiliation))
        )
    candidates += _unlabelled_subject_names(span, context, max_sents=4)
    candidates = [(i, r) for i, r in candidates if i < span.start]
    for _, found in sorted(candidates, key=lambda c: -c[0]):
        known = context.genders.get(found.entity or "")
        if gender is None or known is None or known == gender:
            return found
    return None


def _unlabelled_subject_names(
    span: Span, context: DocContext, *, max_sents: int
) -> list[tuple[int, Resolved]]:
    """Proper-name subjects the NER missed before ``span`` ("Gabi Siboni is a colonel ... he
    said"), as person candidates for a personal pronoun."""
    doc = span.doc
    start = _window_start(span, max_sents)
    covered = {i for e in context.ents if e.end > start and e.start < span.start
               for i in range(e.start, e.end)}  # fmt: skip
    found = []
    for token in doc[start : span.start]:
        if (
            dep_role(token.dep_) == "subj"
            and _is_name(token)
            and token.i not in covered
            and token.i not in context.quoted
        ):
            name = _proper_name(token)
            found.append((token.i, Resolved(context.names.get(name, name), "PERSON")))
    return found


def _window_start(span: Span, max_sents: int) -> int:
    """Start of the sentence ``max_sents`` sentences before ``span``'s own."""
    doc = span.doc
    limit = span.sent.start
    for _ in range(max_sents):
        if limit == 0:
            break
        limit = doc[limit - 1].sent.start
    return limit


def _subtree_span(token: Token) -> Span:
    """``token``'s phrase without its relative clauses and without the preposition marking it
    ("to the majority of opinion, which ..." -> "the majority of opinion")."""
    words = [
        t
        for t in token.subtree
        if not _in_relcl(t, token) and not (t.head.i == token.i and dep_role(t.dep_) == "case")
    ]
    return token.doc[min(t.i for t in words) : max(t.i for t in words) + 1]


def _in_relcl(token: Token, head: Token) -> bool:
    while token.i != head.i and token.head.i != token.i:
        if dep_role(token.dep_) == "relcl":
            return True
        token = token.head
    return False


def _preceding_entity(
    span: Span,
    types: tuple[str, ...],
    ents: Sequence[Span],
    quoted: frozenset[int] = frozenset(),
    *,
    max_sents: int = 3,
    every: bool = False,
):
    """The last entity of ``types`` before ``span`` within ``max_sents`` sentences (outside
    quoted content); with ``every``, all of them in order."""
    limit = _window_start(span, max_sents)
    candidates = [
        e
        for e in ents
        if entity_type(e) in types and limit <= e.start < span.start and e.start not in quoted
    ]
    if every:
        return candidates
    return candidates[-1] if candidates else None
