"""spaCy registry functions used by claimgraph's training configs.

Loaded explicitly with ``spacy train ... --code training/readers.py`` (the training
commands pass it); nothing here is imported by the run-time package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import DocBin
from spacy.training import Example


@spacy.registry.readers("claimgraph.PreannotatedCorpus.v1")
def create_preannotated_reader(path: Path) -> Callable[[Language], Iterator[Example]]:
    """Examples whose input doc keeps the stored parse but has no entity annotation."""

    def read(nlp: Language) -> Iterator[Example]:
        for reference in DocBin().from_disk(path).get_docs(nlp.vocab):
            predicted = reference.copy()
            predicted.set_ents([], default="missing")
            yield Example(predicted, reference)

    return read
