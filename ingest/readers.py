"""Readers: text files, directories, HTML, URLs, JSONL/CSV corpora and standard input.

Everything yields :class:`~claimgraph.ingest.records.Document` objects lazily, one at a time;
JSONL and CSV corpora are streamed record by record, never loaded whole. A bad input (missing,
empty, binary, undecodable, a malformed corpus line) becomes one :class:`IngestError`: raised
in strict mode, otherwise passed to ``on_error`` (default: logged as a warning) and skipped.
Folders are walked without following links to folders (a link loop is not entered); a folder
that cannot be listed, a link that leads nowhere or to itself, a FIFO or a device is reported
and skipped, never opened. A text or HTML file is read whole up to :data:`MAX_DOCUMENT_BYTES`,
whatever the length of its lines; corpora stream without a limit.

HTML: ``Document.text`` is the page's main text as trafilatura extracts it (paragraphs one
per line, the title as first line), not the markup; offsets index that text. The markup's
sha256 and encoding are kept, and the page's title, author, date, site name (``outlet``),
canonical URL and description go into ``Document.metadata``. The date is only one the page
states in its markup (meta tags, structured data, a date element); trafilatura is not allowed
to guess one from free text such as a "© 2026" footer, and the clock does not filter dates.
"""

from __future__ import annotations

import codecs
import csv
import fnmatch
import hashlib
import io
import json
import logging
import os
import re
import stat
import sys
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, BinaryIO

from .decode import SNIFF_BYTES, DecodeError, decode_bytes, detect_encoding
from .html import html_document
from .records import Article, Document, ErrorHandler, IngestError

logger = logging.getLogger(__name__)

FORMATS = ("text", "html", "jsonl", "csv")
SUFFIX_FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
}
MEDIA_TYPES = {
    "text": "text/plain",
    "html": "text/html",
    "jsonl": "application/jsonl",
    "csv": "text/csv",
}
#: Largest single text/HTML document read whole; corpora (JSONL/CSV) stream and have no limit.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
URL_TIMEOUT_S = 30
USER_AGENT = "claimgraph-ingest/0.1 (+https://pypi.org/project/claimgraph/)"


_HTML_SNIFF = re.compile(rb"<!doctype\s+html|<html[\s>]|<body[\s>]|<head[\s>]", re.IGNORECASE)


@dataclass(frozen=True)
class CorpusFields:
    """Which JSON key / CSV column holds each part of a corpus record.

    ``text`` is required in every record; the others are optional (a missing key is ``None``).
    JSONL keys may be dotted paths into nested objects (``"meta.published"``).
    """

    text: str = "text"
    id: str = "id"
    url: str = "url"
    title: str = "title"
    outlet: str = "outlet"
    date: str = "date"
    author: str = "author"

    @classmethod
    def parse(cls, specs: Iterable[str]) -> CorpusFields:
        """From ``"key=column"`` strings, e.g. ``["text=body", "outlet=source"]``."""
        known = {f.name for f in fields(cls)}
        overrides: dict[str, str] = {}
        for spec in specs:
            key, sep, column = spec.partition("=")
            key, column = key.strip(), column.strip()
            if not sep or not column:
                raise ValueError(f"field mapping {spec!r} is not KEY=NAME")
            if key not in known:
                raise ValueError(
                    f"field mapping {spec!r}: unknown key {key!r} "
                    f"(one of {', '.join(sorted(known))})"
                )
            overrides[key] = column
        return replace(cls(), **overrides)


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_time(mtime: float) -> str | None:
    """The modification time as ISO text (information only), ``None`` when out of range."""
    try:
        return datetime.fromtimestamp(mtime).isoformat(timespec="seconds")
    except (OverflowError, OSError, ValueError):
        return None


def format_of(path: str | Path, head: bytes = b"") -> str:
    """The reader for a file: by suffix, else HTML when the first bytes look like it, else text."""
    suffix = Path(path).suffix.lower()
    if suffix in SUFFIX_FORMATS:
        return SUFFIX_FORMATS[suffix]
    return "html" if _HTML_SNIFF.search(head[:4096]) else "text"


# --------------------------------------------------------------------------- single documents


def text_document(source: str, data: bytes, metadata: Mapping[str, Any] | None = None) -> Document:
    """A plain-text document from raw bytes; raises :class:`IngestError` when unusable."""
    try:
        text, encoding = decode_bytes(data)
    except DecodeError as exc:
        raise IngestError(source, str(exc)) from exc
    return Document(source, text, encoding, _sha256(data), "text/plain", dict(metadata or {}))


def fetch_url(url: str, *, timeout: float = URL_TIMEOUT_S) -> Document:
    """Download ``url`` (urllib) and read it as HTML or text; raises :class:`IngestError`."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_DOCUMENT_BYTES + 1)
            final_url = response.geturl()
            content_type = response.headers.get_content_type()
            charset = response.headers.get_content_charset()
            modified = response.headers.get("Last-Modified")
    except urllib.error.HTTPError as exc:
        raise IngestError(url, f"HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise IngestError(
            url, f"cannot fetch (no network or host unreachable: {exc.reason})"
        ) from exc
    except (TimeoutError, OSError) as exc:
        raise IngestError(url, f"cannot fetch ({exc})") from exc
    if len(data) > MAX_DOCUMENT_BYTES:
        raise IngestError(url, f"larger than {MAX_DOCUMENT_BYTES // 2**20} MiB")
    meta: dict[str, Any] = {
        "url": final_url,
        "fetched": datetime.now().isoformat(timespec="seconds"),
    }
    if modified:
        try:
            meta["modified"] = parsedate_to_datetime(modified).isoformat(timespec="seconds")
        except (TypeError, ValueError):
            logger.debug("%s: unreadable Last-Modified header %r", url, modified)
    if content_type in ("text/html", "application/xhtml+xml") or (
        content_type not in ("text/plain",) and _HTML_SNIFF.search(data[:4096])
    ):
        return html_document(url, data, meta, url=final_url, declared=charset)
    if not content_type.startswith("text/"):
        raise IngestError(url, f"not text or HTML (content type {content_type})")
    try:
        text, encoding = decode_bytes(data, declared=charset)
    except DecodeError as exc:
        raise IngestError(url, str(exc)) from exc
    return Document(url, text, encoding, _sha256(data), "text/plain", meta)


# --------------------------------------------------------------------------- corpora


def _lookup(record: Mapping[str, Any], key: str) -> Any:
    if key in record:
        return record[key]
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _record_document(
    source: str,
    line: int,
    record: Mapping[str, Any],
    names: CorpusFields,
    encoding: str,
    media_type: str,
    base: Mapping[str, Any],
) -> Document:
    text = _lookup(record, names.text)
    where = f"{source}:{line}"
    if text is None:
        raise IngestError(where, f"no {names.text!r} field")
    if not isinstance(text, str):
        raise IngestError(where, f"field {names.text!r} is not a string")
    if not text.strip():
        raise IngestError(where, f"empty {names.text!r} field")
    if "\x00" in text:
        raise IngestError(where, f"field {names.text!r} contains NUL characters")
    record_id = _lookup(record, names.id)
    meta: dict[str, Any] = {**base, "record": True, "corpus": source, "line": line}
    if record_id not in (None, ""):
        meta["id"] = str(record_id)
    for key in ("url", "title", "outlet", "date", "author"):
        value = _lookup(record, getattr(names, key))
        if value not in (None, ""):
            meta[key] = value if isinstance(value, int | float) and key == "date" else str(value)
    doc_source = f"{source}#{meta['id']}" if "id" in meta else where
    return Document(doc_source, text, encoding, _sha256(text.encode("utf-8")), media_type, meta)


def _text_lines(stream: BinaryIO, source: str) -> tuple[str, Iterator[tuple[int, str | None]]]:
    """``(encoding, lines)``: numbered decoded lines (``None`` for an undecodable one), streamed."""
    head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(stream, "peek") else b""
    try:
        encoding = detect_encoding(head) if head else "utf-8"
    except DecodeError as exc:
        raise IngestError(source, str(exc)) from exc

    def wide() -> Iterator[tuple[int, str | None]]:
        wrapper = io.TextIOWrapper(stream, encoding=encoding, newline="")
        number = 0
        try:
            for number, line in enumerate(wrapper, 1):
                yield number, line
        except UnicodeDecodeError as exc:
            raise IngestError(
                f"{source}:{number + 1}",
                f"not {encoding} text ({exc.reason}); rest of file skipped",
            ) from exc

    def narrow() -> Iterator[tuple[int, str | None]]:
        codec = "utf-8" if encoding == "utf-8-sig" else encoding
        for number, raw in enumerate(stream, 1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8) :]
            try:
                yield number, raw.decode(codec)
            except UnicodeDecodeError:
                yield number, None

    return encoding, (wide() if encoding.startswith(("utf-16", "utf-32")) else narrow())


def read_jsonl(
    stream: BinaryIO,
    source: str,
    *,
    names: CorpusFields | None = None,
    report: ErrorHandler,
    base: Mapping[str, Any] | None = None,
) -> Iterator[Document]:
    """One document per JSON line, streamed; bad lines go to ``report`` as ``file:line``.

    A file without a single non-blank line raises :class:`IngestError` ("empty file").
    """
    names = names or CorpusFields()
    encoding, lines = _text_lines(stream, source)
    any_line = any_content = False
    for number, line in lines:
        any_line = True
        if line is None:
            any_content = True
            report(IngestError(f"{source}:{number}", f"not {encoding} text"))
            continue
        if not line.strip():
            continue
        any_content = True
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            report(
                IngestError(f"{source}:{number}", f"invalid JSON ({exc.msg}, column {exc.colno})")
            )
            continue
        except (ValueError, RecursionError) as exc:
            # integers beyond Python's digit limit, nesting deeper than the recursion limit
            reason = str(exc).split(";")[0] if isinstance(exc, ValueError) else "nested too deeply"
            report(IngestError(f"{source}:{number}", f"invalid JSON ({reason})"))
            continue
        if not isinstance(record, dict):
            report(IngestError(f"{source}:{number}", "not a JSON object"))
            continue
        try:
            yield _record_document(
                source, number, record, names, encoding, "application/jsonl", base or {}
            )
        except IngestError as exc:
            report(exc)
    if not any_content:
        raise IngestError(source, "empty file (whitespace only)" if any_line else "empty file")


def _raise_csv_limit() -> None:
    limit = 2**31 - 1
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 2


def read_csv(
    stream: BinaryIO,
    source: str,
    *,
    names: CorpusFields | None = None,
    report: ErrorHandler,
    base: Mapping[str, Any] | None = None,
    delimiter: str | None = None,
) -> Iterator[Document]:
    """One document per CSV row (header row first), streamed; bad rows reported as ``file:line``.

    The delimiter is sniffed among ``, ; TAB |`` unless given (``.tsv`` files: TAB).
    """
    names = names or CorpusFields()
    head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES] if hasattr(stream, "peek") else b""
    try:
        encoding = detect_encoding(head) if head else "utf-8"
    except DecodeError as exc:
        raise IngestError(source, str(exc)) from exc
    wrapper = io.TextIOWrapper(stream, encoding=encoding, newline="")
    if delimiter is None:
        sample = head.decode(encoding, errors="ignore")
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    _raise_csv_limit()
    # strict: a quote left open is a malformed row, not a field that runs to the end of the file
    reader = csv.reader(wrapper, delimiter=delimiter, strict=True)
    try:
        try:
            header = next((row for row in reader if any(cell.strip() for cell in row)), None)
        except csv.Error as exc:
            raise IngestError(
                f"{source}:{reader.line_num}", f"malformed CSV header ({exc})"
            ) from exc
        if header is None:
            raise IngestError(
                source, "empty file (whitespace only)" if reader.line_num else "empty file"
            )
        header = [h.strip() for h in header]
        if names.text not in header:
            raise IngestError(
                source, f"no {names.text!r} column (columns: {', '.join(header) or 'none'})"
            )
        first_line = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                report(IngestError(f"{source}:{first_line}", f"malformed CSV ({exc})"))
                first_line = reader.line_num + 1
                continue
            number, first_line = first_line, reader.line_num + 1
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                report(
                    IngestError(
                        f"{source}:{number}", f"expected {len(header)} fields, found {len(row)}"
                    )
                )
                continue
            try:
                yield _record_document(
                    source,
                    number,
                    dict(zip(header, row, strict=True)),
                    names,
                    encoding,
                    "text/csv",
                    base or {},
                )
            except IngestError as exc:
                report(exc)
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"{source}:{first_line}", f"not {encoding} text ({exc.reason}); rest of file skipped"
        ) from exc
    finally:
        wrapper.detach()


def reporter(*, strict: bool = False, on_error: ErrorHandler | None = None) -> ErrorHandler:
    """Where problems go: raised when ``strict``, else ``on_error``, else a logged warning."""

    def report(problem: IngestError) -> None:
        if strict:
            raise problem
        if on_error is not None:
            on_error(problem)
        else:
            logger.warning("%s", problem)

    return report


# --------------------------------------------------------------------------- paths


def _matches(rel: str, patterns: Iterable[str]) -> bool:
    name = rel.rsplit("/", 1)[-1]
    return any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(name, p) for p in patterns)


def walk_directory(
    root: Path,
    *,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    skip: Iterable[Path] = (),
    on_error: ErrorHandler | None = None,
) -> Iterator[Path]:
    """Files under ``root``, recursively, sorted by relative path; hidden files/folders skipped.

    ``include``/``exclude`` are glob patterns matched against the path relative to ``root``
    (``news/*.html``) and against the file name (``*.txt``); no ``include`` means every file.
    Folders in ``skip`` (e.g. the graph store being written) are not entered, nor are links to
    folders. A folder that cannot be listed goes to ``on_error`` (default: a logged warning).
    """
    include, exclude = list(include), list(exclude)
    skipped = {Path(p).resolve() for p in skip}
    report = reporter(on_error=on_error)

    def unlisted(exc: OSError) -> None:
        report(IngestError(str(exc.filename or root), exc.strerror or str(exc)))

    found: list[tuple[tuple[str, ...], Path]] = []
    for folder, dirnames, filenames in os.walk(root, onerror=unlisted):
        dirnames[:] = [
            d
            for d in dirnames
            if not d.startswith(".") and (Path(folder) / d).resolve() not in skipped
        ]
        for name in filenames:
            if name.startswith("."):
                continue
            path = Path(folder) / name
            rel = path.relative_to(root)
            if include and not _matches(rel.as_posix(), include):
                continue
            if exclude and _matches(rel.as_posix(), exclude):
                continue
            found.append((rel.parts, path))
    for _, path in sorted(found):
        yield path


def _read_file(
    path: Path,
    source: str,
    fmt: str | None,
    names: CorpusFields,
    report: ErrorHandler,
) -> Iterator[Document]:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise IngestError(source, "not a regular file (a FIFO, socket or device)")
        size = info.st_size
        base: dict[str, Any] = {"path": source}
        modified = _file_time(info.st_mtime)
        if modified:
            base["modified"] = modified
        with path.open("rb") as stream:
            head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
            fmt = fmt or format_of(path, head)
            if fmt == "jsonl":
                yield from read_jsonl(stream, source, names=names, report=report, base=base)
                return
            if fmt == "csv":
                delimiter = "\t" if path.suffix.lower() == ".tsv" else None
                yield from read_csv(
                    stream, source, names=names, report=report, base=base, delimiter=delimiter
                )
                return
            if size > MAX_DOCUMENT_BYTES:
                raise IngestError(
                    source,
                    f"{size // 2**20} MiB is too large for one document "
                    f"(limit {MAX_DOCUMENT_BYTES // 2**20} MiB); split it or use JSONL",
                )
            data = stream.read()
    except OSError as exc:
        raise IngestError(source, exc.strerror or str(exc)) from exc
    base["size"] = size
    if fmt == "html":
        yield html_document(source, data, base)
    else:
        yield text_document(source, data, base)


def _read_stdin(fmt: str | None, names: CorpusFields, report: ErrorHandler) -> Iterator[Document]:
    stream = sys.stdin.buffer
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream)  # type: ignore[arg-type]
    base = {"fetched": datetime.now().isoformat(timespec="seconds")}
    if fmt == "jsonl":
        yield from read_jsonl(stream, "-", names=names, report=report, base=base)
        return
    if fmt == "csv":
        yield from read_csv(stream, "-", names=names, report=report, base=base)
        return
    data = stream.read()
    if (fmt or format_of("-", data)) == "html":
        yield html_document("-", data, base)
    else:
        yield text_document("-", data, base)


def read_documents(
    paths: Iterable[str | Path],
    *,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    fields: CorpusFields | None = None,
    fmt: str | None = None,
    strict: bool = False,
    on_error: ErrorHandler | None = None,
    skip: Iterable[str | Path] = (),
) -> Iterator[Document]:
    """Documents from files, folders (recursive), URLs, JSONL/CSV corpora and ``"-"`` (stdin).

    ``fmt`` forces a reader (``text``, ``html``, ``jsonl``, ``csv``) instead of choosing by
    file suffix; ``fields`` names the corpus columns. A bad input raises :class:`IngestError`
    when ``strict``, else goes to ``on_error`` (default: a logged warning) and is skipped.

    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Talks stall\\nBoth sides left early.\\n")
    >>> _ = (folder / "empty.txt").write_bytes(b"")
    >>> problems = []
    >>> [d.source.endswith("a.txt") for d in read_documents([folder], on_error=problems.append)]
    [True]
    >>> [p.reason for p in problems]
    ['empty file']
    """
    if fmt is not None and fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    names = fields or CorpusFields()
    report = reporter(strict=strict, on_error=on_error)

    def guarded(documents: Iterator[Document]) -> Iterator[Document]:
        try:
            yield from documents
        except IngestError as problem:
            report(problem)

    for given in paths:
        source = str(given)
        if source == "-":
            yield from guarded(_read_stdin(fmt, names, report))
        elif is_url(source):
            try:
                yield fetch_url(source)
            except IngestError as problem:
                report(problem)
        else:
            path = Path(given)
            if path.is_dir():
                skip_paths = [Path(p) for p in skip]
                files = walk_directory(
                    path, include=include, exclude=exclude, skip=skip_paths, on_error=report
                )
                for file in files:
                    yield from guarded(_read_file(file, str(file), fmt, names, report))
            elif path.exists():
                yield from guarded(_read_file(path, source, fmt, names, report))
            else:
                report(IngestError(source, "no such file or directory"))


def iter_articles(
    paths: Iterable[str | Path],
    *,
    reference_date: date | datetime | None = None,
    split: bool | None = None,
    **options: Any,
) -> Iterator[tuple[Document, Article]]:
    """``(document, article)`` for every article of every input (see :func:`read_documents`).

    ``options`` go to :func:`read_documents`; ``reference_date``/``split`` to
    :func:`~claimgraph.ingest.split.split_articles`. Problems found while splitting (an
    unreadable date field) are handled like reading problems: raised when ``strict``, else
    passed to ``on_error``.
    """
    from .split import split_articles

    report = reporter(strict=options.get("strict", False), on_error=options.get("on_error"))
    for document in read_documents(paths, **options):
        articles = split_articles(
            document, reference_date=reference_date, split=split, on_error=report
        )
        if not articles:
            logger.info("%s: no article text (only page chrome)", document.source)
        for article in articles:
            yield document, article


__all__ = [
    "FORMATS",
    "CorpusFields",
    "ErrorHandler",
    "fetch_url",
    "format_of",
    "html_document",
    "iter_articles",
    "read_csv",
    "read_documents",
    "read_jsonl",
    "reporter",
    "text_document",
    "walk_directory",
]
