"""Plain records produced by extraction: the stable contract read by graph/ and exports/.

Every offset is a Python string index into the *input file's decoded text*, unchanged
(never into a cleaned copy), so ``text[start:end] == record.text`` holds, except where the
input has terminal escape sequences or control characters: record texts leave those out
(:func:`claimgraph.extract.pieces.unblank`).
``Claim.to_dict()`` is exactly one line of ``claimgraph extract --format jsonl``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

CLAIM_KINDS = ("direct", "indirect", "mixed", "according_to", "belief", "headline")


@dataclass(frozen=True)
class TextSpan:
    """A stretch of the input text."""

    text: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span offsets start={self.start} end={self.end}")

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TextSpan:
        return cls(str(data["text"]), int(data["start"]), int(data["end"]))


@dataclass(frozen=True)
class EntityRef:
    """A mention of a speaker or target, resolved within its document.

    ``entity`` is the resolved name (the fullest name of the mention's chain, e.g. "Dmitry
    Peskov" for "he"); ``type`` is an entity label (PERSON, ORG, GPE, ...) or ``None``;
    ``role``/``affiliation`` come from appositions and titles ("Kremlin spokesman");
    ``anonymous`` marks unnamed sources ("a source in the Ukrainian delegation") and unnamed
    targets or speakers ("the talks", "humanitarian agencies"): no named entity, so the graph
    keeps them within their article instead of merging them across documents. ``type`` comes
    from evidence only: the recogniser's label, a title before the name, a pronoun resolved to
    a typed mention, or a head noun for people or organisations ("the spokesman" PERSON, "the
    court" ORG, from :mod:`claimgraph.extract.nouns`). ``refers`` is ``False`` for a speaker
    span that names no one ("Recent events have shown", "There has been discussion"): the span
    is kept as the extractor found it, and the graph gives it no entity.
    """

    text: str
    start: int
    end: int
    entity: str | None = None
    type: str | None = None
    role: str | None = None
    affiliation: str | None = None
    anonymous: bool = False
    refers: bool = True

    def to_dict(self, *, speaker: bool = True) -> dict[str, Any]:
        """Plain data. A speaker says whether it is ``anonymous`` (an unnamed source); a target
        (``speaker=False``) says instead whether it is ``named`` (a named entity, not "the
        talks"): the same flag, in the words that fit each role."""
        data: dict[str, Any] = {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "entity": self.entity,
            "type": self.type,
            "role": self.role,
            "affiliation": self.affiliation,
        }
        if speaker:
            data["anonymous"] = self.anonymous
        else:
            data["named"] = not self.anonymous
        data["refers"] = self.refers
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> EntityRef:
        return cls(
            text=str(data["text"]),
            start=int(data["start"]),
            end=int(data["end"]),
            entity=data.get("entity"),
            type=data.get("type"),
            role=data.get("role"),
            affiliation=data.get("affiliation"),
            anonymous=bool(data.get("anonymous", not data.get("named", True))),
            refers=bool(data.get("refers", True)),
        )


@dataclass(frozen=True)
class Claim:
    """One attribution: who (speaker) said what (content) about whom (target), via a cue.

    ``context`` is the stretch of whole sentences that holds the claim's cue, content and
    speaker, for showing the claim where it was said.
    """

    doc: str
    article: int
    content: tuple[TextSpan, ...]
    speaker: EntityRef | None = None
    cue: TextSpan | None = None
    target: EntityRef | None = None
    kind: str = "indirect"
    confidence: float = 1.0
    context: TextSpan | None = None
    meta: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if not self.content:
            raise ValueError("a claim needs at least one content span")
        if self.kind not in CLAIM_KINDS:
            raise ValueError(f"kind must be one of {CLAIM_KINDS}, not {self.kind!r}")
        if not 0.0 <= self.confidence <= 1.0:
            raise ValueError(f"confidence must be in [0, 1], not {self.confidence}")

    @property
    def start(self) -> int:
        return min(s.start for s in self.content)

    @property
    def end(self) -> int:
        return max(s.end for s in self.content)

    @property
    def text(self) -> str:
        return " ... ".join(s.text for s in self.content)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "article": self.article,
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "cue": self.cue.to_dict() if self.cue else None,
            "content": [s.to_dict() for s in self.content],
            "target": self.target.to_dict(speaker=False) if self.target else None,
            "kind": self.kind,
            "confidence": round(self.confidence, 4),
            "context": self.context.to_dict() if self.context else None,
            **({"meta": dict(self.meta)} if self.meta else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Claim:
        return cls(
            doc=str(data["doc"]),
            article=int(data.get("article", 0)),
            content=tuple(TextSpan.from_dict(s) for s in data["content"]),
            speaker=EntityRef.from_dict(data["speaker"]) if data.get("speaker") else None,
            cue=TextSpan.from_dict(data["cue"]) if data.get("cue") else None,
            target=EntityRef.from_dict(data["target"]) if data.get("target") else None,
            kind=str(data.get("kind", "indirect")),
            confidence=float(data.get("confidence", 1.0)),
            context=TextSpan.from_dict(data["context"]) if data.get("context") else None,
            meta=dict(data.get("meta") or {}),
        )
