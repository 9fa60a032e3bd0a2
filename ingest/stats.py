"""Counting what a run read and skipped, for the end-of-run summary line."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .records import IngestError


@dataclass
class IngestStats:
    """Documents read, inputs skipped (with reasons), warnings and articles found during one run.

    Use :meth:`skip` as the ``on_error`` callback of
    :func:`~claimgraph.ingest.read_documents`: an error counts as a skipped input, a warning
    (the input was kept) only as a warning.

    >>> stats = IngestStats(documents=3, articles=4)
    >>> stats.skip(IngestError("b.txt", "empty file"))
    >>> stats.skip(IngestError("c.jsonl:2", "unreadable date 'soon'", severity="warning"))
    >>> stats.summary()
    '3 documents read, 1 skipped (empty file: 1), 1 warning, 4 articles'
    """

    documents: int = 0
    articles: int = 0
    skipped: list[IngestError] = field(default_factory=list)
    warnings: list[IngestError] = field(default_factory=list)

    def skip(self, problem: IngestError) -> None:
        """Count ``problem``: a skipped input, or a warning when its severity says so."""
        (self.warnings if problem.severity == "warning" else self.skipped).append(problem)

    def reasons(self) -> Counter[str]:
        return Counter(problem.reason for problem in self.skipped)

    def summary(self, **more: int) -> str:
        """One line; ``more`` adds counts of later stages (``claims=12, entities=30``)."""
        skipped = f"{len(self.skipped)} skipped"
        if self.skipped:
            skipped += " (" + ", ".join(f"{r}: {n}" for r, n in self.reasons().most_common()) + ")"
        parts = [_count(self.documents, "document") + " read", skipped]
        if self.warnings:
            parts.append(_count(len(self.warnings), "warning"))
        parts += [_count(n, name) for name, n in {"articles": self.articles, **more}.items()]
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "articles": self.articles,
            "skipped": [{"source": p.source, "reason": p.reason} for p in self.skipped],
            "warnings": [{"source": p.source, "reason": p.reason} for p in self.warnings],
        }


def _count(n: int, noun: str) -> str:
    """``"1 article"``, ``"2 articles"`` (``noun`` given singular or plural)."""
    singular = noun[:-1] if noun.endswith("s") else noun
    return f"{n} {singular if n == 1 else singular + 's'}"
