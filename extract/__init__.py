"""claimgraph.extract: turn processed text into plain records with character offsets."""

from .entities import EntityMention, entity_mentions
from .records import CLAIM_KINDS, Claim, EntityRef, TextSpan

__all__ = ["CLAIM_KINDS", "Claim", "EntityMention", "EntityRef", "TextSpan", "entity_mentions"]
