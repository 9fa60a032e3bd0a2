"""Reading claim JSONL files (``claimgraph extract --format jsonl``) into DocumentInputs.

Each line is one ``Claim.to_dict()``. Records are grouped into documents by their ``doc``
field. A document's identity is ``meta.sha256`` when the records carry it (the hash of the
source text, written by the text path), else the SHA-256 of its records in canonical JSON.
Article metadata is read from ``meta`` (``title``, ``outlet``, ``date``, ``url``,
``language``; or a nested ``meta.article`` mapping). Bad input is reported through
``on_error`` in one line naming the file (and line) and reading goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from claimgraph.extract.records import Claim

from .model import ArticleMeta, DocumentInput

log = logging.getLogger(__name__)


def _decode(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise ValueError("empty file")
    if b"\x00" in data[:4096]:
        raise ValueError("binary file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def _document(
    path: Path,
    doc: str,
    records: list[tuple[int, dict[str, Any], Claim]],
    report: Callable[[str], None],
) -> DocumentInput:
    """One document of ``path`` from its (line number, record, claim) triples. An article's
    metadata comes from its first record that has some; if that cannot be used, it is
    reported with its line and the article has none (the claims stay)."""
    shas = {str(r.get("meta", {}).get("sha256", "")).lower() for _, r, _ in records} - {""}
    if len(shas) == 1:
        sha = shas.pop()
    else:
        if len(shas) > 1:
            log.warning("%s: records disagree on meta.sha256; hashing the records", doc)
        canonical = "\n".join(
            sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for _, r, _ in records)
        )
        sha = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    articles: dict[int, ArticleMeta] = {}
    described: set[int] = set()  # articles whose first metadata was read, usable or not
    for lineno, record, claim in records:
        meta = record.get("meta") or {}
        nested = meta.get("article") if isinstance(meta.get("article"), dict) else None
        source = nested or meta
        if claim.article not in described and any(
            source.get(k) for k in ("title", "outlet", "date", "url", "published")
        ):
            described.add(claim.article)
            try:
                articles[claim.article] = ArticleMeta.from_mapping(source)
            except ValueError as exc:
                report(f"{path}:{lineno}: bad article metadata ({exc})")
    return DocumentInput(doc, sha, tuple(c for _, _, c in records), articles)


def read_claim_file(
    path: Path, *, on_error: Callable[[str], None] | None = None, strict: bool = False
) -> Iterator[DocumentInput]:
    """Documents in one claim JSONL file. Problems go to ``on_error`` (default: a log
    warning) as ``"PATH[:LINE]: problem"``; with ``strict`` the first one raises
    ``ValueError``."""

    def report(message: str) -> None:
        if strict:
            raise ValueError(message)
        if on_error is not None:
            on_error(message)
        else:
            log.warning("%s", message)

    try:
        text = _decode(path)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        report(f"{path}: {reason}")
        return
    docs: dict[str, list[tuple[int, dict[str, Any], Claim]]] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            report(f"{path}:{lineno}: malformed JSON line ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            report(f"{path}:{lineno}: expected a JSON object, got {type(record).__name__}")
            continue
        try:
            claim = Claim.from_dict(record)
        except (KeyError, TypeError, ValueError) as exc:
            detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            report(f"{path}:{lineno}: bad claim record ({detail})")
            continue
        docs.setdefault(claim.doc, []).append((lineno, record, claim))
    if not docs:
        report(f"{path}: no claim records")
    for doc, records in docs.items():
        yield _document(path, doc, records, report)


def read_claim_files(
    paths: Iterable[Path],
    *,
    on_error: Callable[[str], None] | None = None,
    strict: bool = False,
) -> Iterator[DocumentInput]:
    """Documents in several claim JSONL files, file by file (memory bounded by one file)."""
    for path in paths:
        yield from read_claim_file(Path(path), on_error=on_error, strict=strict)
