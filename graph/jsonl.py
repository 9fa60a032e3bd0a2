"""Claim JSONL (``claimgraph extract --format jsonl``): its article records, and reading it
back into DocumentInputs.

A line is an article record (``{"record": "article", "doc", "article", "sha256", "title",
"outlet", "date", "url", "language", "author"}``, written before the article's claims by
:func:`article_record`) or one ``Claim.to_dict()``. Records are grouped into documents by
their ``doc`` field. A document's identity is the ``sha256`` of its article records (the hash
of the source text), else ``meta.sha256`` of its claims, else the SHA-256 of its records in
canonical JSON. Article metadata comes from the article records, else from a claim's ``meta``
(``title``, ``outlet``, ``date``, ``url``, ``language``, ``author``; or a nested
``meta.article`` mapping). A document with article records and no claims is still a
document. Bad input is reported through ``on_error`` in one line naming the file (and line)
and reading goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from claimgraph.extract.records import Claim

from .model import ArticleMeta, DocumentInput

if TYPE_CHECKING:
    from claimgraph.ingest import Article, Document

log = logging.getLogger(__name__)
#: The ``record`` value of an article line.
ARTICLE_RECORD = "article"


def article_meta(document: Document, article: Article) -> ArticleMeta:
    """What the graph keeps of an ingested article's metadata: title, outlet, date, URL,
    author, and the page's language when it names a well-formed one (else English, logged)."""
    fields = {"title": article.title, "outlet": article.outlet, "date": article.date,
              "url": article.url, "author": article.author}  # fmt: skip
    try:
        return ArticleMeta(language=str(document.metadata.get("language") or "en"), **fields)
    except ValueError as exc:  # the only check ArticleMeta makes: the language tag
        log.warning("%s: %s; its text is taken as English", document.source, exc)
        return ArticleMeta(**fields)


def article_record(document: Document, article: Article) -> dict[str, Any]:
    """The JSONL line that carries ``article``'s metadata and its document's hash."""
    meta = article_meta(document, article)
    return {
        "record": ARTICLE_RECORD,
        "doc": document.source,
        "article": article.index,
        "sha256": document.sha256,
        **{k: getattr(meta, k) for k in ("title", "outlet", "date", "url", "language", "author")},
    }


def _decode(path: Path) -> str:
    data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    if not data.strip():
        raise ValueError("empty file")
    if b"\x00" in data[:4096]:
        raise ValueError("binary file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


@dataclass
class _Pending:
    """What one file says about one document so far."""

    claims: list[tuple[int, dict[str, Any], Claim]] = field(default_factory=list)
    articles: dict[int, ArticleMeta] = field(default_factory=dict)
    sha256: str | None = None


def _article_line(
    record: dict[str, Any], where: str, pending: dict[str, _Pending], report: Callable[[str], None]
) -> None:
    """Take in one article record (see the module docstring)."""
    try:
        doc, index = str(record["doc"]), int(record["article"])
        meta = ArticleMeta.from_mapping(record)
    except (KeyError, TypeError, ValueError) as exc:
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        report(f"{where}: bad article record ({detail})")
        return
    entry = pending.setdefault(doc, _Pending())
    entry.articles[index] = meta
    sha = str(record.get("sha256") or "").lower()
    if sha:
        if entry.sha256 not in (None, sha):
            report(f"{where}: article records of {doc} disagree on sha256")
        entry.sha256 = entry.sha256 or sha


def _document(
    path: Path, doc: str, entry: _Pending, report: Callable[[str], None]
) -> DocumentInput:
    """One document of ``path`` from its article records and (line number, record, claim)
    triples. Without article records, an article's metadata comes from its first claim that
    has some; if that cannot be used, it is reported with its line and the article has none
    (the claims stay)."""
    records = entry.claims
    shas = {str(r.get("meta", {}).get("sha256", "")).lower() for _, r, _ in records} - {""}
    if entry.sha256 is not None:
        sha = entry.sha256
    elif len(shas) == 1:
        sha = shas.pop()
    else:
        if len(shas) > 1:
            log.warning("%s: records disagree on meta.sha256; hashing the records", doc)
        canonical = "\n".join(
            sorted(json.dumps(r, sort_keys=True, ensure_ascii=False) for _, r, _ in records)
        )
        sha = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    articles: dict[int, ArticleMeta] = dict(entry.articles)
    described: set[int] = set(articles)  # articles whose metadata was read, usable or not
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
    """Documents in one claim JSONL file (``-``: standard input). Problems go to
    ``on_error`` (default: a log warning) as ``"PATH[:LINE]: problem"``; with ``strict`` the
    first one raises ``ValueError``."""

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
    docs: dict[str, _Pending] = {}
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
        if record.get("record") == ARTICLE_RECORD:
            _article_line(record, f"{path}:{lineno}", docs, report)
            continue
        try:
            claim = Claim.from_dict(record)
        except (KeyError, TypeError, ValueError) as exc:
            detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
            report(f"{path}:{lineno}: bad claim record ({detail})")
            continue
        docs.setdefault(claim.doc, _Pending()).claims.append((lineno, record, claim))
    if not docs:
        report(f"{path}: no claim records")
    for doc, entry in docs.items():
        yield _document(path, doc, entry, report)


def read_claim_files(
    paths: Iterable[Path],
    *,
    on_error: Callable[[str], None] | None = None,
    strict: bool = False,
) -> Iterator[DocumentInput]:
    """Documents in several claim JSONL files, file by file (memory bounded by one file)."""
    for path in paths:
        yield from read_claim_file(Path(path), on_error=on_error, strict=strict)
