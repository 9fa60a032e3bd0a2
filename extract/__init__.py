"""claimgraph.extract: turn processed text into plain records with character offsets.

The records (:mod:`claimgraph.extract.records`) and name rules (:mod:`claimgraph.extract.names`)
load no NLP library; ``entity_mentions`` and ``EntityMention`` import spaCy when first used.
"""

from __future__ import annotations

from typing import Any

from .records import CLAIM_KINDS, Claim, EntityRef, TextSpan

__all__ = ["CLAIM_KINDS", "Claim", "EntityMention", "EntityRef", "TextSpan", "entity_mentions"]


def __getattr__(name: str) -> Any:
    if name in ("EntityMention", "entity_mentions"):
        from . import entities

        return getattr(entities, name)
    raise AttributeError(f"module 'claimgraph.extract' has no attribute {name!r}")
