"""A learned link scorer: the probability that a cue and a content (or a source) belong to
one attribution.

The linker (:mod:`claimgraph.extract.attribution`) asks its scorer for a value per candidate
pair and keeps, for each content, the best cue above a threshold, then for each cue its best
source. ``claimgraph.learned_link_scorer.v1`` answers with the log-odds of a logistic model
per role over facts of the pair (:data:`LINK_FEATURES`): dependency arcs between the spans,
sentence distance and direction, the cues and sources lying nearer, quotation marks, the
cue's lemma. The weights are fitted on the tagged spans of PolNeAR train
(:mod:`claimgraph.training.linking`) and ship as ``linker.json``; with them the linker's
threshold is 0 (probability one half) and the intervening-cue penalty is a feature.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from spacy.tokens import Span
from spacy.util import registry

from .attribution import LinkScorer, ParseIndex, _syntactic_tie
from .rules import CONTENT_ROLES, CUE_LEMMAS, OPENING_QUOTES, QUOTE_PAIRS, SOURCE_ROLES

CLOSING_QUOTES = frozenset(QUOTE_PAIRS.values())
# Tokens that may stand between a quotation and its cue: '"...," Mr Vilk said'.
QUOTE_CUE_GAP = 4

#: The facts of a (cue, content) or (cue, source) pair, in the order of each role's weights.
LINK_FEATURES = (
    "tie",
    "cue_governs_other",
    "other_governs_cue",
    "other_under_cue",
    "same_sentence",
    "previous_sentence",
    "next_sentence",
    "other_before_cue",
    "log_token_gap",
    "adjacent",
    "intervening_cue",
    "nearest_cue",
    "nearest_other",
    "other_in_cue_sentence_has_other_cue",
    "opens_quote",
    "quote_ends_at_cue",
    "cue_opens_quote",
    "tie_same_sentence",
    "log_other_tokens",
    "cue_known_lemma",
    "cue_is_verb",
    "other_is_subject",
    "other_is_pronoun",
    "other_is_proper",
)
ROLES = ("content", "source")


def _gap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(b[0] - a[1], a[0] - b[1], 0)


def _within(
    spans: Sequence[tuple[int, int]], near: tuple[int, int], gap: int
) -> Sequence[tuple[int, int]]:
    """The sorted ``spans`` that can lie at most ``gap`` tokens from ``near``."""
    longest = max((e - s for s, e in spans), default=0)
    lo = bisect_left(spans, (near[0] - gap - longest, -1))
    hi = bisect_right(spans, (near[1] + gap, 1 << 62))
    return spans[lo:hi]


def link_features(cue: Span, other: Span, role: str, parse: ParseIndex) -> dict[str, float]:
    """The :data:`LINK_FEATURES` of one candidate pair; ``role`` is "content" or "source".

    The cues and sources it compares with are the tagged spans the ``parse`` index holds
    (``doc.spans["attribution_spans"]``).
    """
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    head, dep, sent = parse.head, parse.role, parse.sentence
    doc = cue.doc
    pair_cue, pair_other = (cue.start, cue.end), (other.start, other.end)
    cues = [c for c in parse.tagged.get("CUE", ()) if c[0] != cue.start]
    sources = parse.tagged.get("SOURCE", ())
    same_kind = parse.tagged.get("SOURCE" if role == "source" else "CONTENT", ())
    cue_sent = sent[cue.start]
    first, last = sent[other.start], sent[other.end - 1]
    lo, hi = sorted((cue.start, other.start))
    root, cue_root = other.root, cue.root
    gap = _gap(pair_cue, pair_other)
    lemma = (cue_root.lemma_ or cue_root.lower_).lower()
    tie = _syntactic_tie(cue, other, SOURCE_ROLES if role == "source" else CONTENT_ROLES, parse)
    closes = other[-1].text in CLOSING_QUOTES or (
        other.end < len(doc) and doc[other.end].text in CLOSING_QUOTES
    )
    same_sentence = first <= cue_sent <= last

    def only_punct_or_source(start: int, end: int) -> bool:
        return all(
            doc[i].is_punct or doc[i].is_space or any(s <= i < e for s, e in sources)
            for i in range(start, end)
        )

    facts = {
        "tie": tie,
        "cue_governs_other": cue.start <= head[root.i] < cue.end,
        "other_governs_cue": other.start <= head[cue_root.i] < other.end,
        "other_under_cue": any(cue.start <= a < cue.end for a in parse.ancestors(root.i, 3)),
        "same_sentence": same_sentence,
        "previous_sentence": last < cue_sent,
        "next_sentence": first > cue_sent,
        "other_before_cue": other.start < cue.start,
        "log_token_gap": math.log1p(gap),
        "adjacent": gap <= 1,
        "intervening_cue": any(lo < c[0] < hi for c in cues),
        "nearest_cue": all(_gap(c, pair_other) > gap for c in _within(cues, pair_other, gap)),
        "nearest_other": all(
            _gap(pair_cue, s) >= gap
            for s in _within(same_kind, pair_cue, gap)
            if s[1] <= other.start or s[0] >= other.end
        ),
        "other_in_cue_sentence_has_other_cue": any(first <= sent[c[0]] <= last for c in cues),
        "opens_quote": other[0].text in OPENING_QUOTES or other[0].text == '"',
        "quote_ends_at_cue": closes
        and 0 <= cue.start - other.end <= QUOTE_CUE_GAP
        and only_punct_or_source(other.end, cue.start),
        "cue_opens_quote": 0 <= other.start - cue.end <= QUOTE_CUE_GAP
        and (
            other[0].text in OPENING_QUOTES
            or other[0].text == '"'
            or (other.start > 0 and doc[other.start - 1].text in QUOTE_PAIRS)
        )
        and only_punct_or_source(cue.end, other.start),
        "tie_same_sentence": tie and same_sentence,
        "log_other_tokens": math.log1p(len(other)),
        "cue_known_lemma": lemma in CUE_LEMMAS,
        "cue_is_verb": cue_root.pos_ in ("VERB", "AUX"),
        "other_is_subject": dep[root.i] in ("subj", "subj_pass")
        and cue.start <= head[root.i] < cue.end,
        "other_is_pronoun": root.pos_ == "PRON",
        "other_is_proper": root.pos_ == "PROPN",
    }
    return {name: float(value) for name, value in facts.items()}


@dataclass(frozen=True)
class LinkModel:
    """Logistic weights over :data:`LINK_FEATURES` for each role (``bias`` first)."""

    bias: Mapping[str, float]
    weights: Mapping[str, tuple[float, ...]]

    def __post_init__(self) -> None:
        for role in ROLES:
            if role not in self.bias or role not in self.weights:
                raise ValueError(f"a link model needs weights for the {role!r} role")
            if len(self.weights[role]) != len(LINK_FEATURES):
                raise ValueError(
                    f"expected {len(LINK_FEATURES)} {role} weights, got {len(self.weights[role])}"
                )

    def log_odds(self, features: Mapping[str, float], role: str) -> float:
        """The model's log-odds that the pair with these features is linked.

        >>> zero = (0.0,) * len(LINK_FEATURES)
        >>> LinkModel({"content": 1.0, "source": 0.0}, {"content": zero, "source": zero}).log_odds(
        ...     {}, "content")
        1.0
        """
        weights = self.weights[role]
        return self.bias[role] + sum(
            w * features.get(n, 0.0) for n, w in zip(LINK_FEATURES, weights, strict=True)
        )

    def to_dict(self) -> dict[str, object]:
        return {
            role: {
                "bias": self.bias[role],
                "weights": dict(zip(LINK_FEATURES, self.weights[role], strict=True)),
            }
            for role in ROLES
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> LinkModel:
        bias, weights = {}, {}
        for role in ROLES:
            part = data[role]
            named = part["weights"]
            if set(named) != set(LINK_FEATURES):
                raise ValueError(f"{role} link weights must name exactly the LINK_FEATURES")
            bias[role] = float(part["bias"])
            weights[role] = tuple(float(named[n]) for n in LINK_FEATURES)
        return cls(bias, weights)


@cache
def load_link_model(path: str | None = None) -> LinkModel:
    """The link model at ``path`` (a ``linker.json``), or the shipped one."""
    if path is None:
        text = resources.files(__package__).joinpath("linker.json").read_text(encoding="utf8")
    else:
        text = Path(path).read_text(encoding="utf8")
    return LinkModel.from_dict(json.loads(text)["model"])


@registry.misc("claimgraph.learned_link_scorer.v1")
def make_learned_link_scorer(weights: str | None = None) -> LinkScorer:
    """Score a (cue, span) pair by the log-odds of the learned link model (``weights``: a
    ``linker.json`` path, ``None`` for the shipped one)."""
    model = load_link_model(weights)

    def score(cue: Span, other: Span, role: str, parse: ParseIndex) -> float:
        return model.log_odds(link_features(cue, other, role, parse), role)

    return score
