"""A claim's confidence: the probability that its attribution is right.

"Right" is what PolNeAR's scorer calls who-said-what: the claim's content matches a gold
attribution (token Jaccard at least 0.5, one to one) and its speaker span overlaps that
attribution's source (or both have none). The probability is a logistic model over a few
facts of the claim that the extractor knows (:data:`FEATURES`), fitted per span tagger on
PolNeAR dev and checked there by cross-validation over documents
(:mod:`claimgraph.training.confidence`; the weights ship as ``confidence.json``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

from spacy.tokens import Span

from .attribution import span_gap
from .mentions import Resolved
from .rules import CUE_LEMMAS

#: The facts a confidence is computed from, in the order of the weights.
FEATURES = (
    "no_speaker",
    "speaker_named_person",
    "speaker_named_group",
    "speaker_pronoun",
    "speaker_unnamed",
    "speaker_no_referent",
    "cue_known_lemma",
    "cue_say",
    "cue_verb",
    "kind_direct",
    "kind_mixed",
    "kind_according_to",
    "kind_belief",
    "kind_headline",
    "log_content_tokens",
    "content_pieces",
    "content_has_verb",
    "log_cue_content_gap",
    "log_cue_source_gap",
    "cue_content_same_sentence",
)


def claim_features(
    cue: Span,
    contents: Sequence[Span],
    source: Span | None,
    resolved: Resolved | None,
    kind: str,
) -> dict[str, float]:
    """The :data:`FEATURES` of one claim, from its spans, its resolved speaker and its kind."""
    lemma = (cue.root.lemma_ or cue.root.lower_).lower()
    tokens = sum(len(part) for part in contents)
    near = min(contents, key=lambda part: span_gap(cue, part))
    f = dict.fromkeys(FEATURES, 0.0)
    if source is None or resolved is None:
        f["no_speaker"] = 1.0
    elif not resolved.refers:
        f["speaker_no_referent"] = 1.0
    elif source.root.pos_ == "PRON":
        f["speaker_pronoun"] = 1.0 if resolved.entity else 0.0
        f["speaker_no_referent"] = 0.0 if resolved.entity else 1.0
    elif resolved.anonymous:
        f["speaker_unnamed"] = 1.0
    elif resolved.type == "PERSON":
        f["speaker_named_person"] = 1.0
    else:
        f["speaker_named_group"] = 1.0
    f["cue_known_lemma"] = float(lemma in CUE_LEMMAS)
    f["cue_say"] = float(lemma == "say")
    f["cue_verb"] = float(cue.root.pos_ in ("VERB", "AUX"))
    if f"kind_{kind}" in f:
        f[f"kind_{kind}"] = 1.0
    f["log_content_tokens"] = math.log1p(tokens)
    f["content_pieces"] = float(min(len(contents), 4))
    f["content_has_verb"] = float(any(t.pos_ in ("VERB", "AUX") for p in contents for t in p))
    f["log_cue_content_gap"] = math.log1p(span_gap(cue, near))
    f["log_cue_source_gap"] = math.log1p(span_gap(cue, source)) if source is not None else 0.0
    f["cue_content_same_sentence"] = float(cue.sent.start == near.sent.start)
    return f


@dataclass(frozen=True)
class ConfidenceModel:
    """Logistic weights over :data:`FEATURES` (``bias`` first), for one span tagger."""

    bias: float
    weights: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.weights) != len(FEATURES):
            raise ValueError(f"expected {len(FEATURES)} weights, got {len(self.weights)}")

    def probability(self, features: Mapping[str, float]) -> float:
        """P(the attribution is right) for one claim's features.

        >>> ConfidenceModel(0.0, (0.0,) * len(FEATURES)).probability({})
        0.5
        """
        z = self.bias + sum(
            w * features.get(n, 0.0) for n, w in zip(FEATURES, self.weights, strict=True)
        )
        return 1.0 / (1.0 + math.exp(-max(min(z, 30.0), -30.0)))

    def to_dict(self) -> dict[str, object]:
        return {"bias": self.bias, "weights": dict(zip(FEATURES, self.weights, strict=True))}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ConfidenceModel:
        weights = data["weights"]
        if not isinstance(weights, Mapping) or set(weights) != set(FEATURES):
            raise ValueError("confidence weights must name exactly the FEATURES")
        return cls(float(data["bias"]), tuple(float(weights[n]) for n in FEATURES))


@cache
def bundled_models() -> dict[str, ConfidenceModel]:
    """The shipped models by span tagger name ("fast", "accurate"); empty when none ship."""
    path = resources.files(__package__).joinpath("confidence.json")
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf8"))
    return {name: ConfidenceModel.from_dict(model) for name, model in data["models"].items()}
