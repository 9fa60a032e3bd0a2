"""Training data for the attribution span tagger (SOURCE / CUE / CONTENT).

PolNeAR annotations are univocal (each token has at most one role), so the three roles
form one tag sequence that spaCy's transition-based ``ner`` learns. Texts are parsed by the
new syntax part first (:func:`claimgraph.training.train.build_parsed_corpora`) and stored
with their tags and dependency labels; the reader in ``readers.py``
(``claimgraph.PreannotatedCorpus.v1``) hands the tagger those parsed docs as its input side,
so its features (TAG, DEP) match what it sees at run time without running the parser inside
the training loop.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable

from spacy.tokens import Doc, Span

from .polnear import GoldAttribution

logger = logging.getLogger(__name__)

SPAN_LABELS = {"source": "SOURCE", "cue": "CUE", "content": "CONTENT"}


def _sentence_pieces(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """Split a token range at sentence starts, trimming whitespace tokens off each piece.

    spaCy's entity transitions cannot cross a sentence boundary, so a quote running over
    several sentences is learned (and predicted) as one piece per sentence; the linker joins
    contiguous pieces again.
    """
    cuts = [start]
    if doc.has_annotation("SENT_START"):
        cuts += [i for i in range(start + 1, end) if doc[i].is_sent_start]
    cuts.append(end)
    pieces = []
    for first, last in itertools.pairwise(cuts):
        while first < last and doc[first].is_space:
            first += 1
        while last > first and doc[last - 1].is_space:
            last -= 1
        if first < last:
            pieces.append((first, last))
    return pieces


def set_attribution_spans(doc: Doc, attributions: Iterable[GoldAttribution]) -> Doc:
    """Set ``doc.ents`` to the role spans of ``attributions`` (first one wins on overlap)."""
    taken = [False] * len(doc)
    ents: list[Span] = []
    for attribution in attributions:
        for role, label in SPAN_LABELS.items():
            for start, end in getattr(attribution, role):
                span = doc.char_span(start, end, alignment_mode="expand")
                if span is None:
                    continue
                for first, last in _sentence_pieces(doc, span.start, span.end):
                    if any(taken[first:last]):
                        continue
                    for i in range(first, last):
                        taken[i] = True
                    ents.append(Span(doc, first, last, label=label))
    doc.set_ents(ents, default="outside")
    return doc
