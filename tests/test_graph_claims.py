"""Claim identity: near-duplicate matching and clustering of one speaker's claims."""

from __future__ import annotations

import random

import pytest

from claimgraph.graph.claims import SAME_CLAIM_JACCARD, ClaimIndex, jaccard


def _brute_force(claims: dict[str, frozenset[str]], threshold: float) -> list[tuple[str, str]]:
    parent = {iri: iri for iri in claims}

    def find(x: str) -> str:
        while parent[x] != x:
            x = parent[x]
        return x

    items = sorted(claims.items())
    for i, (a, ta) in enumerate(items):
        for b, tb in items[i + 1 :]:
            if jaccard(ta, tb) >= threshold:
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    return [(iri, find(iri)) for iri in sorted(claims) if find(iri) != iri]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("threshold", [0.5, SAME_CLAIM_JACCARD, 1.0])
def test_duplicates_equal_comparing_every_pair(seed: int, threshold: float) -> None:
    rng = random.Random(seed)
    words = [f"w{i}" for i in range(30)]
    index = ClaimIndex()
    base = [rng.sample(words, rng.randint(3, 10)) for _ in range(15)]
    for i in range(120):
        tokens = list(rng.choice(base))
        if rng.random() < 0.7 and tokens:  # a variant: one word dropped or swapped
            tokens[rng.randrange(len(tokens))] = rng.choice(words)
        index.add(f"c{i:03d}", tokens if i % 40 else [])
    assert index.duplicates(threshold) == _brute_force(index.claims, threshold)


@pytest.mark.parametrize(
    ("known", "query", "expected"),
    [
        (["the talks will be very difficult"], "the talks will be very difficult", "c0"),
        (["the talks will be very difficult"], "talks will be very difficult", "c0"),
        (["the talks will be very difficult"], "no one expects an easy road", None),
        ([], "anything at all", None),
    ],
)
def test_match(known: list[str], query: str, expected: str | None) -> None:
    index = ClaimIndex()
    for i, text in enumerate(known):
        index.add(f"c{i}", text.split())
    assert index.match(query.split()) == expected


@pytest.mark.parametrize("threshold", [0.0, -1.0, 1.5])
def test_bad_threshold_is_refused(threshold: float) -> None:
    with pytest.raises(ValueError, match="threshold"):
        ClaimIndex().duplicates(threshold)
