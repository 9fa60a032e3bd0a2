"""What kind of thing a common noun names: the noun-class table learned from GUM train.

``noun_class("spokesman")`` is ``"person"``, ``noun_class("event")`` ``"other"`` (see
:mod:`claimgraph.training.nouns`, which writes ``noun_classes.tsv``; rebuilt with
``claimgraph attribution noun-classes``). The resolver uses it as evidence: a person noun
heads a person, an organisation noun an organisation, and a mention headed by a noun that
names neither (an event, an abstraction, a quantity) is no speaker entity at all.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

#: The classes the table holds.
CLASSES = ("person", "organization", "place", "other")
#: The entity label each class gives a mention it heads (places and others give none).
LABEL_OF_CLASS = {"person": "PERSON", "organization": "ORG"}


@cache
def noun_table() -> dict[str, str]:
    """``lemma -> class`` from the packaged table (read once per process)."""
    text = resources.files(__package__).joinpath("noun_classes.tsv").read_text(encoding="utf8")
    table = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            lemma, cls, _ = line.split("\t")
            table[lemma] = cls
    return table


def noun_class(lemma: str) -> str | None:
    """The class of common noun ``lemma`` (lower case), or ``None`` when the table lacks it.

    >>> noun_class("spokesman"), noun_class("government"), noun_class("event")
    ('person', 'organization', 'other')
    >>> noun_class("xylograph") is None
    True
    """
    return noun_table().get(lemma)
