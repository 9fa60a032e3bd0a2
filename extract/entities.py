"""Named-entity mentions as plain records (no spaCy objects leave this module)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass

from spacy.tokens import Doc, Span


@dataclass(frozen=True)
class EntityMention:
    """A named-entity mention with character offsets into the processed text."""

    text: str
    label: str
    start: int
    end: int
    sentence: int

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def entity_mentions(
    doclike: Doc | Span, *, labels: frozenset[str] | None = None
) -> Iterator[EntityMention]:
    """Yield the entity mentions of a Doc or Span, optionally only those with ``labels``.

    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("Peskov spoke.")
    >>> doc.ents = [doc.char_span(0, 6, label="PERSON")]
    >>> [m.to_dict() for m in entity_mentions(doc)]
    [{'text': 'Peskov', 'label': 'PERSON', 'start': 0, 'end': 6, 'sentence': 0}]
    """
    doc = doclike.doc if isinstance(doclike, Span) else doclike
    sent_index = {}
    if doc.has_annotation("SENT_START"):
        sent_index = {sent.start: i for i, sent in enumerate(doc.sents)}
    for ent in doclike.ents:
        if labels is not None and ent.label_ not in labels:
            continue
        sentence = sent_index.get(ent.sent.start, 0) if sent_index else 0
        yield EntityMention(ent.text, ent.label_, ent.start_char, ent.end_char, sentence)
