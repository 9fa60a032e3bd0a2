"""Within-document resolution of speakers and targets: names, pronouns, roles, sources.

Rules are data (word sets below); functions take spaCy spans and return plain values, so
nothing spaCy leaves ``claimgraph.extract``.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from claimgraph.nlp.labels import dep_role

NAMED_TYPES = ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT")
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
ROLE_WORDS = frozenset(
    """
    spokesman spokeswoman spokesperson president minister secretary leader chief head
    director chairman chairwoman chair senator governor mayor ambassador envoy general
    commander adviser advisor aide official spokesmen candidate nominee counterpart
    prime foreign defence defense deputy vice press scientist negotiator lawyer attorney
    representative congressman congresswoman speaker premier chancellor king queen
    """.split()
)
TITLE_WORDS = frozenset({"mr.", "mrs.", "ms.", "dr.", "mr", "mrs", "ms", "dr", "sen.", "rep."})


@dataclass(frozen=True)
class Resolved:
    """The outcome of resolving a mention: name, type, role, affiliation, anonymity."""

    entity: str | None
    type: str | None
    role: str | None = None
    affiliation: str | None = None
    anonymous: bool = False


def _name_tokens(ent: Span) -> list[str]:
    return [t.text for t in ent if t.lower_ not in TITLE_WORDS and not t.is_punct]


def full_names(doc: Doc) -> dict[str, str]:
    """Map each PERSON mention text to the fullest name of the same person in ``doc``.

    "Peskov" -> "Dmitry Peskov" when the document names him in full; "Trump" stays
    ambiguous (unchanged) when both "Donald Trump" and "Donald Trump Jr." occur.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("Dmitry Peskov spoke. Peskov added.")
    >>> doc.ents = [doc.char_span(0, 13, "PERSON"), doc.char_span(21, 27, "PERSON")]
    >>> full_names(doc)["Peskov"]
    'Dmitry Peskov'
    """
    persons = [e for e in doc.ents if e.label_ == "PERSON"]
    names = {" ".join(_name_tokens(e)) for e in persons}
    names.discard("")
    result: dict[str, str] = {}
    for ent in persons:
        short = " ".join(_name_tokens(ent))
        if not short:
            continue
        words = short.split()
        longer = {
            n for n in names if len(n.split()) > len(words) and n.split()[-len(words) :] == words
        }
        longest = max(longer, key=lambda n: len(n.split()), default=None)
        # unambiguous when every longer name is a tail of the longest one
        if longest is not None and all(longest.endswith(n) for n in longer):
            result[ent.text] = longest
        else:
            result[ent.text] = short
    return result


def _best_entity(span: Span) -> Span | None:
    ents = [e for e in span.ents if e.label_ in SPEAKER_TYPES]
    if not ents:
        return None
    persons = [e for e in ents if e.label_ == "PERSON"]
    if persons:
        return persons[-1]
    root_ents = [e for e in ents if e.start <= span.root.i < e.end]
    return root_ents[0] if root_ents else ents[-1]


def _role_and_affiliation(span: Span, name: Span | None) -> tuple[str | None, str | None]:
    """Role words and affiliation entity around a name ("Kremlin spokesman Dmitry Peskov")."""
    tokens = [t for t in span if name is None or not (name.start <= t.i < name.end)]
    role_tokens = [t for t in tokens if t.lower_ in ROLE_WORDS]
    role = " ".join(t.lower_ for t in role_tokens) if role_tokens else None
    affiliation = None
    for ent in span.ents:
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


def _anonymous_affiliation(span: Span) -> str | None:
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
                return " ".join(t.text for t in words)
    ents = [e for e in span.ents if e.label_ in ("ORG", "GPE", "NORP")]
    return ents[0].text if ents else None


def resolve_mention(
    span: Span, names: dict[str, str], history: list[tuple[int, Resolved]]
) -> Resolved:
    """Resolve a speaker mention using the document's names and earlier speakers.

    ``history`` holds (token index, Resolved) of earlier resolved speakers, oldest first.
    """
    ent = _best_entity(span)
    if ent is not None:
        name = names.get(ent.text, ent.text) if ent.label_ == "PERSON" else ent.text
        name = name.removeprefix("the ").removeprefix("The ")
        role, affiliation = _role_and_affiliation(span, ent)
        return Resolved(name, ent.label_, role, affiliation)
    root = span.root
    lower = root.lower_
    if lower in RELATIVE_PRONOUNS or (len(span) == 1 and span[0].lower_ in RELATIVE_PRONOUNS):
        antecedent = root.head if dep_role(root.dep_) != "root" else None
        while antecedent is not None and dep_role(antecedent.dep_) == "relcl":
            antecedent = antecedent.head
        if antecedent is not None and antecedent.head is not antecedent:
            target = antecedent.head if dep_role(antecedent.dep_) == "relcl" else antecedent
            return resolve_mention(_subtree_span(target), names, history)
    if lower in PERSON_PRONOUNS or lower in GROUP_PRONOUNS:
        wanted = ("PERSON",) if lower in PERSON_PRONOUNS else ("ORG", "GPE", "NORP")
        for index, earlier in reversed(history):
            if index < span.start and earlier.type in wanted:
                return earlier
        antecedent = _preceding_entity(span, wanted)
        if antecedent is not None:
            return resolve_mention(antecedent, names, [])
        return Resolved(None, None)
    if lower in ANONYMOUS_HEADS or root.lemma_.lower() in ANONYMOUS_HEADS:
        definite = any(t.lower_ in ("the", "this", "that") for t in span if t.i < root.i)
        if definite:
            for index, earlier in reversed(history):
                if index < span.start and earlier.anonymous:
                    return earlier
        return Resolved(
            None, None, role=root.lemma_.lower(), affiliation=_anonymous_affiliation(span),
            anonymous=True,
        )  # fmt: skip
    return Resolved(span.text, None)


def _subtree_span(token: Token) -> Span:
    left = min(t.i for t in token.subtree if not _in_relcl(t, token))
    right = max(t.i for t in token.subtree if not _in_relcl(t, token))
    return token.doc[left : right + 1]


def _in_relcl(token: Token, head: Token) -> bool:
    while token is not head and token.head is not token:
        if dep_role(token.dep_) == "relcl":
            return True
        token = token.head
    return False


def _preceding_entity(span: Span, types: tuple[str, ...], *, max_sents: int = 3) -> Span | None:
    doc = span.doc
    sent_start = span.sent.start
    limit = sent_start
    for _ in range(max_sents):
        if limit == 0:
            break
        limit = doc[limit - 1].sent.start
    candidates = [e for e in doc.ents if e.label_ in types and limit <= e.start < span.start]
    return candidates[-1] if candidates else None
