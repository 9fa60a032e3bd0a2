"""The noun-class table: what kind of thing a common noun heads, learned from GUM train.

GUM types every entity mention, named or not ("the spokesman" person, "the court"
organization, "recent events" event). The table keeps, for each lemma that heads a nominal
mention in GUM train, the class most of its mentions carry, folded into four classes:

* ``person``: people and groups of people ("spokesman", "voter", "crowd");
* ``organization``: bodies that speak as one ("government", "court", "party");
* ``place``: places ("country", "city"), which speak only by metonymy;
* ``other``: everything that cannot say anything (abstract, event, object, time, quantity,
  substance, animal, plant: "events", "statement", "room").

A lemma is kept when its majority class has at least :data:`MIN_SHARE` of its mentions.
GUM dev and test are never read.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from claimgraph.exports._io import atomic_output

from .corpora import group_sentences, gum_mentions, gum_split, read_conllu

#: GUM entity types folded into the table's classes.
CLASS_OF_GUM_TYPE = {
    "person": "person",
    "organization": "organization",
    "place": "place",
    "abstract": "other",
    "event": "other",
    "object": "other",
    "time": "other",
    "quantity": "other",
    "substance": "other",
    "animal": "other",
    "plant": "other",
}
#: Share of a lemma's mentions its class needs to be kept.
MIN_SHARE = 2 / 3


def noun_class_counts(corpora: Path) -> dict[str, Counter[str]]:
    """Per head lemma of a common-noun GUM train mention, the count of each folded class."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for path in gum_split(corpora, "train"):
        for chunk in group_sentences(read_conllu(path), max_sents=1_000_000):
            words = [w for sent in chunk for w in sent.words]
            heads: list[int] = []
            offset = 0
            for sent in chunk:
                heads += [offset + w.head - 1 if w.head else -1 for w in sent.words]
                offset += len(sent.words)
            for start, end, gum_type in gum_mentions(chunk):
                roots = [i for i in range(start, end) if not start <= heads[i] < end]
                cls = CLASS_OF_GUM_TYPE.get(gum_type)
                if not roots or cls is None:
                    continue
                word = words[roots[0]]
                lemma = word.lemma.lower()
                if word.upos == "NOUN" and lemma.replace("-", "").isalpha():
                    counts[lemma][cls] += 1
    return counts


def noun_classes(corpora: Path) -> dict[str, tuple[str, int]]:
    """``lemma -> (class, mentions)`` for the lemmas whose majority class is clear."""
    table = {}
    for lemma, counter in noun_class_counts(corpora).items():
        cls, n = counter.most_common(1)[0]
        total = sum(counter.values())
        if n / total >= MIN_SHARE:
            table[lemma] = (cls, total)
    return dict(sorted(table.items()))


def write_noun_classes(corpora: Path, output: Path) -> int:
    """Write the table as TSV (``lemma``, ``class``, ``mentions``); returns the row count."""
    table = noun_classes(corpora)
    lines = ["# noun classes from GUM train (CC BY 4.0 annotations): lemma, class, mentions"]
    lines += [f"{lemma}\t{cls}\t{n}" for lemma, (cls, n) in table.items()]
    with atomic_output(output, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    return len(table)
