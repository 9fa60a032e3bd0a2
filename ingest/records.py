"""Plain records produced by ingestion: :class:`Document` and :class:`Article`.

Every offset is a Python string index into ``Document.text``, the input's *decoded* text,
unchanged: a UTF-8 BOM is not part of it, CRLF line ends are kept as they are. For an HTML
input, ``Document.text`` is the main text the HTML extractor found (title line first), not the
markup; for a JSONL/CSV record it is the record's text field. Offsets are never into a cleaned
copy, so ``document.text[start:end]`` is always the text a record points at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

Span = tuple[int, int]


def _check_span(start: int, end: int, what: str) -> None:
    if not 0 <= start <= end:
        raise ValueError(f"bad {what} offsets start={start} end={end}")


@dataclass(frozen=True)
class Document:
    """One decoded input: a text file, an HTML page, a URL, or one JSONL/CSV record.

    ``source`` is the input as the user gave it (``"-"`` for standard input; ``"corpus.jsonl:7"``
    or ``"corpus.jsonl#<id>"`` for a corpus record). ``sha256`` hashes the raw bytes read (the
    record's text, UTF-8 encoded, for a corpus record). ``media_type`` is ``text/plain``,
    ``text/html``, ``application/jsonl`` or ``text/csv``. ``metadata`` holds what the input
    says about itself (title, author, date, outlet, url, modified, ...); it is read-only.
    """

    source: str
    text: str
    encoding: str
    sha256: str
    media_type: str = "text/plain"
    metadata: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "metadata", MappingProxyType(dict(self.metadata)))

    def to_dict(self, *, text: bool = False) -> dict[str, Any]:
        """Plain data; the (possibly long) text only when ``text=True``."""
        data: dict[str, Any] = {
            "source": self.source,
            "encoding": self.encoding,
            "sha256": self.sha256,
            "media_type": self.media_type,
            "chars": len(self.text),
            "metadata": dict(self.metadata),
        }
        if text:
            data["text"] = self.text
        return data


@dataclass(frozen=True)
class Article:
    """One article within a document.

    ``index`` is the article's 1-based position within its document (as in the seed gold).
    ``document.text[start:end]`` is the whole article, header lines (outlet, date, byline)
    included. ``segments`` are the stretches an extractor should read — title and body, with
    header lines and in-article page chrome ("Advertisement", "Share this article") left out —
    each a ``(start, end)`` pair of offsets into the same ``document.text``; the title, when
    there is one, is ``title_span`` and is the first segment. ``date`` is an ISO 8601 date
    (``YYYY-MM-DD``) or ``None``; ``date_text`` is the date as written ("20 hours ago").
    ``date_source`` says where ``date`` came from: ``"dateline"`` (a header line of the page),
    ``"meta"`` (the HTML page's metadata: meta tags, structured data), ``"field"`` (a JSONL/CSV
    record's date field), or ``None`` when there is no date.
    """

    doc: str
    index: int
    start: int
    end: int
    segments: tuple[Span, ...]
    title: str | None = None
    title_span: Span | None = None
    outlet: str | None = None
    date: str | None = None
    date_text: str | None = None
    url: str | None = None
    author: str | None = None
    date_source: str | None = None

    def __post_init__(self) -> None:
        _check_span(self.start, self.end, "article")
        previous = self.start
        for start, end in self.segments:
            _check_span(start, end, "segment")
            if start < previous or end > self.end:
                raise ValueError(
                    f"segment ({start}, {end}) outside article ({self.start}, {self.end}) "
                    "or out of order"
                )
            previous = end
        if self.title_span is not None:
            _check_span(*self.title_span, "title")

    def text(self, document: Document) -> str:
        """The article's whole text (header lines included) from its document."""
        return document.text[self.start : self.end]

    def body(self, document: Document) -> list[tuple[int, str]]:
        """``(offset, text)`` for each segment, ready for an extractor that adds the offset."""
        return [(start, document.text[start:end]) for start, end in self.segments]

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc": self.doc,
            "article": self.index,
            "start": self.start,
            "end": self.end,
            "segments": [list(s) for s in self.segments],
            "title": self.title,
            "title_span": list(self.title_span) if self.title_span else None,
            "outlet": self.outlet,
            "date": self.date,
            "date_text": self.date_text,
            "url": self.url,
            "author": self.author,
            "date_source": self.date_source,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Article:
        title_span = data.get("title_span")
        return cls(
            doc=str(data["doc"]),
            index=int(data["article"]),
            start=int(data["start"]),
            end=int(data["end"]),
            segments=tuple((int(s), int(e)) for s, e in data.get("segments", ())),
            title=data.get("title"),
            title_span=(int(title_span[0]), int(title_span[1])) if title_span else None,
            outlet=data.get("outlet"),
            date=data.get("date"),
            date_text=data.get("date_text"),
            url=data.get("url"),
            author=data.get("author"),
            date_source=data.get("date_source"),
        )


#: The severities of an :class:`IngestError`.
SEVERITIES = ("error", "warning")

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _one_line(text: str) -> str:
    """``text`` with line breaks and other control characters written as escapes."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class IngestError(Exception):
    """A problem with one input (a file, a URL, a corpus record), reported in one line.

    ``str(error)`` is ``"<source>: <reason>"``; ``source`` names the file, with ``:line`` for a
    corpus record. Line breaks and other control characters in either (a file name with a
    newline) are written as escapes, so the message is always one line; the ``source`` and
    ``reason`` attributes keep them as they are.

    ``severity`` is ``"error"`` when the input is skipped, or ``"warning"`` when it is still
    used (a record whose date field is unreadable is kept without a date). Both go to the same
    place: raised by the readers in strict mode, otherwise passed to ``on_error``.
    """

    def __init__(self, source: str, reason: str, *, severity: str = "error") -> None:
        if severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {', '.join(SEVERITIES)}, not {severity!r}")
        super().__init__(_one_line(f"{source}: {reason}"))
        self.source = source
        self.reason = reason
        self.severity = severity


#: A callback that receives each :class:`IngestError` (``on_error``).
ErrorHandler = Callable[[IngestError], None]
