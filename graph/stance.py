"""A small lexicon-based stance and negation detector for candidate disagreements.

``stance(text, cue)`` returns +1 (supportive/positive), -1 (critical/negative) or 0 (neutral).
Each positive word counts +1 and each negative word -1 (lexicons below, matched on folded
tokens, so "unacceptable" is negative and "welcomed" positive); a negation word (not, no,
never, n't, ...) flips the sign of the next sentiment word within three tokens. A cue that
is itself a denial (denied, rejected, dismissed, refuted) flips the whole claim. This is a
transparent heuristic for surfacing candidates to a human reader, not a classifier.
"""

from __future__ import annotations

from .names import fold

POSITIVE = frozenset(
    """agree agreed agreement support supports supported supportive welcome welcomed welcomes
    good great positive constructive success successful progress productive hope hopeful
    optimistic praise praised right fair legitimate peace peaceful possible achieve achieved
    win winning strong safe ready willing benefit improve improved honest true""".split()
)
NEGATIVE = frozenset(
    """disagree oppose opposed opposes against reject rejected condemn condemned criticise
    criticize criticised criticized bad wrong unacceptable failed fail failure difficult
    impossible dangerous threat threaten illegal illegitimate puppet lie lies lying false
    fake corrupt terrible disaster weak war aggression ultimatums ultimatum unfair crisis
    destroy destroyed worse worst""".split()
)
NEGATIONS = frozenset("not no never nobody none nothing neither nor without cannot cant".split())
DENIAL_CUES = frozenset(
    "deny denied denies reject rejected rejects dismiss dismissed refute refuted".split()
)


def stance(text: str, cue: str | None = None) -> int:
    """+1, -1 or 0 for a claim's content ``text`` reported through ``cue``.

    >>> stance("The talks were constructive"), stance("The talks were not constructive")
    (1, -1)
    >>> stance("Russia is ready for peace", cue="denied")
    -1
    """
    tokens = fold(text.replace("n't", " not")).split()
    score = 0
    flip_until = -1
    for i, token in enumerate(tokens):
        if token in NEGATIONS:
            flip_until = i + 3
            continue
        polarity = (token in POSITIVE) - (token in NEGATIVE)
        if polarity:
            score += -polarity if i <= flip_until else polarity
    if cue and set(fold(cue).split()) & DENIAL_CUES:
        score = -score
    return (score > 0) - (score < 0)


def is_negated(text: str) -> bool:
    """True when the content contains a negation word."""
    return bool(set(fold(text.replace("n't", " not")).split()) & NEGATIONS)
