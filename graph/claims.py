"""Claim identity: when two reports are the same statement.

Two reports state *the same claim* when they have the same resolved speaker (the same entity
IRI, or both no speaker) and their normalised content is close: the Jaccard similarity of
their content token sets is at least :data:`SAME_CLAIM_JACCARD` (0.8). Normalisation folds
case, accents, quotation marks and punctuation (:func:`claim_tokens`). Exact normalised
matches share one IRI by construction (a hash of speaker and normalised text); near matches
reuse the IRI of the first claim they match, the best match winning.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from .names import fold

SAME_CLAIM_JACCARD = 0.8


def claim_tokens(text: str) -> tuple[str, ...]:
    """Normalised content tokens: ``'"It will be very difficult," he added'`` style noise gone.

    >>> claim_tokens('"No one expects an easy road,"')
    ('no', 'one', 'expects', 'an', 'easy', 'road')
    """
    return tuple(fold(text).split())


def normalized_text(text: str) -> str:
    return " ".join(claim_tokens(text))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two token sets (1.0 for two empty sets)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


@dataclass
class ClaimIndex:
    """The known claims of one speaker: IRI -> token set, for near-duplicate matching.

    Candidates are found through an inverted index with prefix filtering: a set B with
    Jaccard(A, B) >= t shares at least ceil(t*|A|) tokens with A, so it contains one of any
    |A| - ceil(t*|A|) + 1 tokens of A; the rarest ones are looked up.
    """

    claims: dict[str, frozenset[str]] = field(default_factory=dict)
    _exact: dict[frozenset[str], str] = field(default_factory=dict, repr=False)
    _postings: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def match(self, tokens: Iterable[str], threshold: float = SAME_CLAIM_JACCARD) -> str | None:
        """The IRI of the most similar known claim at or above ``threshold``, or ``None``."""
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {threshold}")
        bag = frozenset(tokens)
        exact = self._exact.get(bag)
        if exact is not None:
            return exact
        if not bag:
            return None
        rare = sorted(bag, key=lambda t: (len(self._postings.get(t, ())), t))
        prefix = len(bag) - math.ceil(threshold * len(bag)) + 1
        candidates = set().union(*(self._postings.get(t, set()) for t in rare[:prefix]))
        best: tuple[float, str] | None = None
        for iri in candidates:
            other = self.claims[iri]
            small, large = sorted((len(bag), len(other)))
            if large and small / large < threshold:
                continue
            score = jaccard(bag, other)
            if score >= threshold and (best is None or (score, iri) > (best[0], best[1])):
                best = (score, iri)
        return best[1] if best else None

    def add(self, iri: str, tokens: Iterable[str]) -> None:
        if iri in self.claims:
            return
        bag = frozenset(tokens)
        self.claims[iri] = bag
        self._exact.setdefault(bag, iri)
        for token in bag:
            self._postings.setdefault(token, set()).add(iri)

    def duplicates(self, threshold: float = SAME_CLAIM_JACCARD) -> list[tuple[str, str]]:
        """(absorbed, survivor) pairs: each cluster of near-duplicates merges into its
        smallest IRI (single-link clustering, so the outcome does not depend on order)."""
        parent = {iri: iri for iri in self.claims}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        items = sorted(self.claims.items())
        for i, (a, ta) in enumerate(items):
            for b, tb in items[i + 1 :]:
                small, large = sorted((len(ta), len(tb)))
                if large and small / large < threshold:
                    continue
                if jaccard(ta, tb) >= threshold:
                    ra, rb = find(a), find(b)
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
        return [(iri, find(iri)) for iri in sorted(self.claims) if find(iri) != iri]
