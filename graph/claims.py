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

    def _candidates(self, bag: frozenset[str], threshold: float) -> set[str]:
        """IRIs that may reach ``threshold`` with ``bag`` (prefix filtering, see the class)."""
        rare = sorted(bag, key=lambda t: (len(self._postings.get(t, ())), t))
        prefix = len(bag) - math.ceil(threshold * len(bag)) + 1
        return set().union(*(self._postings.get(t, set()) for t in rare[:prefix]))

    def match(self, tokens: Iterable[str], threshold: float = SAME_CLAIM_JACCARD) -> str | None:
        """The IRI of the most similar known claim at or above ``threshold``, or ``None``."""
        _check_threshold(threshold)
        bag = frozenset(tokens)
        exact = self._exact.get(bag)
        if exact is not None:
            return exact
        if not bag:
            return None
        best: tuple[float, str] | None = None
        for iri in self._candidates(bag, threshold):
            score = _similar(bag, self.claims[iri], threshold)
            if score is not None and (best is None or (score, iri) > (best[0], best[1])):
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
        smallest IRI (single-link clustering, so the outcome does not depend on order).

        Pairs are found through the inverted index, not by comparing every two claims, so a
        speaker with many claims costs about as much as matching each of them once.

        >>> index = ClaimIndex()
        >>> index.add("c2", "talks will be very difficult".split())
        >>> index.add("c1", "the talks will be very difficult".split())
        >>> index.add("c3", "no one expects an easy road".split())
        >>> index.duplicates()
        [('c2', 'c1')]
        """
        _check_threshold(threshold)
        parent = {iri: iri for iri in self.claims}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for a, ta in self.claims.items():
            if not ta:
                continue
            for b in self._candidates(ta, threshold):  # finds a from b too: test each pair once
                if b > a and _similar(ta, self.claims[b], threshold) is not None:
                    ra, rb = find(a), find(b)
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
        empty = sorted(iri for iri, tokens in self.claims.items() if not tokens)
        for iri in empty[1:]:  # two empty token sets are the same claim (Jaccard 1.0)
            parent[find(iri)] = find(empty[0])
        return [(iri, find(iri)) for iri in sorted(self.claims) if find(iri) != iri]


def _check_threshold(threshold: float) -> None:
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")


def _similar(a: frozenset[str], b: frozenset[str], threshold: float) -> float | None:
    """Jaccard of ``a`` and ``b`` if it reaches ``threshold`` (sizes checked first), else None."""
    small, large = sorted((len(a), len(b)))
    if large and small / large < threshold:
        return None
    score = jaccard(a, b)
    return score if score >= threshold else None
