"""Split a scraped page into articles: titles, outlet/date/byline headers, page chrome.

The heuristics work line by line on the decoded text, whatever the site:

* **chrome** lines match :data:`CHROME_BREAK` (they end the article: "Comments", "Related
  Articles", "Hashtags") or :data:`CHROME_INLINE` (they are skipped inside one:
  "Advertisement", "Share this article"); after a break, text that no new article header
  claims (a comment section) is dropped;
* **header** lines are dates ("an hour ago", "July 23, 2025"), bylines ("By Jane Doe",
  "- ABC News"), "Outlet · 3 days ago" lines, and short outlet names next to a date;
* a **title** is a short line (3-30 words, no sentence-final period) in the run of short lines
  just before body text. A new article starts at such a run when it holds a header and a
  title, or when no article is open (start of the page, after a break); a short line inside an
  open article without a header is a subheading and stays in the body.

Every article keeps offsets into the original text: ``start``/``end`` span its header, title
and body (up to the next article or chrome break); ``segments`` list title and body only.

Dates are only ever read from the document itself (its header lines, its metadata) or from an
explicit reference date; never from the clock, a file's modification time or a fetch time.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum

from .dates import RELATIVE, is_date_text, normalize_date, parse_absolute
from .readers import reporter
from .records import Article, Document, ErrorHandler, IngestError

#: Lines that end an article's text: what follows belongs to the page, not the article,
#: until a new article header. Full-line, case-insensitive regular expressions.
CHROME_BREAK: tuple[str, ...] = (
    r"hashtags?",
    r"tags?:?(\s.*)?",
    r"topics?:?",
    r"(\d+\s+)?comments?(\s*\(\d+\))?:?",
    r"no comments( yet)?\W*",
    r"be the first to comment\W*",
    r"(leave|post|add) a (comment|reply)\W*",
    r"(show|view|load|hide|read) (all )?comments\W*",
    r"join the (conversation|discussion)\W*",
    r"related( articles| stories| news| content| posts| coverage| reading)?:?",
    r"more (stories|news|articles|from [\w .&'-]{1,40}):?",
    r"(you|we think you) (may|might|will) also (like|enjoy):?",
    r"recommended( for you| stories| articles)?:?",
    r"read (more|next|this next):?",
    r"(most (read|popular|viewed|shared))( stories| articles)?:?",
    r"(trending|popular)( now| stories| articles)?:?",
    r"(latest|top) (news|stories|headlines):?",
    r"(further reading|see also|what to read next|up next|editor'?s picks):?",
    r"try our ai features\W*",
    r"explore what [\w .&'-]{1,40} can do( for you)?\W*",
    r"(sign up|subscribe)( now)? (to|for) (our|the) .{0,40}newsletters?\W*",
    r"(our )?newsletters?:?",
    r"(©|\(c\)|copyright)\s.*",
    r"all rights reserved\.?",
    r"(privacy policy|terms (of use|of service|and conditions)|cookie (policy|settings))"
    r"(\s*[|·•]\s*.*)?",
    r"(about us|contact us|follow us( on [\w ,&]+)?)\W*",
)

#: Lines skipped inside an article without ending it (ads, share buttons, navigation).
CHROME_INLINE: tuple[str, ...] = (
    r"advertisement",
    r"advertising",
    r"ad",
    r"sponsored( content)?",
    r"(story|article) continues (below|after (the )?advertisement)\W*",
    r"continue reading( below| the main story)?\W*",
    r"share( this( article| story| page)?)?( on [\w ]+)?\W*",
    r"(facebook|twitter|x|linkedin|whatsapp|email|e-mail|print|reddit|copy link)",
    r"listen to (this|the) (article|story)(\s*\d+\s*min(utes?)?)?\W*",
    r"\d+\s*min(ute)?s?\s+read",
    r"skip to (main )?content",
    r"(menu|search|home|log ?in|sign ?in|register|subscribe( now)?|close|back to top)",
    r"(image|photo|picture|video)( caption)?:.*",
    r"[\w&' ]{1,25}(\s*[|•·]\s*[\w&' ]{1,25}){2,}",
)

TITLE_MIN_WORDS = 3
TITLE_MAX_WORDS = 30
TITLE_MAX_CHARS = 250
OUTLET_MAX_WORDS = 5

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")
_BY = re.compile(r"^(?:by|words by|written by)\s+(?P<name>[^\W\d].{0,80})$", re.IGNORECASE)
_DASH = re.compile(r"^[-\u2013\u2014]\s*(?P<name>[^-\u2013\u2014].{0,60}?)\s*$")
_SOURCE = re.compile(r"^(?:source|via)\s*:\s*(?P<name>.{1,60})$", re.IGNORECASE)
_SEPARATOR = re.compile(r"\s+[\u00b7|\u2022]\s+|\s+[-\u2013\u2014]\s+")
DASHES = "-\u2013\u2014"
_SENTENCE_END = re.compile(r"[.,;:]$")
_CLOSERS = "\"')]\u00bb\u201d\u2019"


class Kind(Enum):
    BLANK = "blank"
    BREAK = "break"
    INLINE = "inline"
    DATE = "date"
    BYLINE = "byline"
    META = "meta"
    SHORT = "short"
    BODY = "body"


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # end of the line's content, line break excluded
    text: str  # stripped content
    kind: Kind
    outlet: str | None = None
    author: str | None = None
    date_text: str | None = None

    @property
    def words(self) -> int:
        return len(self.text.split())


def _compile(patterns: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@dataclass
class Chrome:
    """Compiled chrome patterns; pass ``extra_break``/``extra_inline`` to add site-specific ones."""

    extra_break: Sequence[str] = ()
    extra_inline: Sequence[str] = ()
    breaks: re.Pattern[str] = field(init=False)
    inline: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        for pattern in (*self.extra_break, *self.extra_inline):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad chrome pattern {pattern!r}: {exc}") from exc
        self.breaks = _compile((*CHROME_BREAK, *self.extra_break))
        self.inline = _compile((*CHROME_INLINE, *self.extra_inline))


@functools.cache
def _default_chrome() -> Chrome:
    return Chrome()


def _byline(text: str) -> tuple[str | None, str | None]:
    """``(outlet, author)`` named by a byline line, or ``(None, None)``."""
    if len(text.split()) > 12:
        return None, None
    match = _BY.match(text)
    if match:
        return None, match.group("name").strip()
    match = _SOURCE.match(text)
    if match:
        return match.group("name").strip(), None
    match = _DASH.match(text)
    if match and not text.rstrip().endswith(tuple(DASHES)):
        name = match.group("name")
        if len(name.split()) <= OUTLET_MAX_WORDS and not _SENTENCE_END.search(name):
            return name, None
    return None, None


def _meta_line(text: str) -> tuple[str | None, str | None, str | None] | None:
    """``(outlet, author, date_text)`` of a line like "Reuters · 3 days ago", else ``None``."""
    parts = [p.strip() for p in _SEPARATOR.split(text) if p.strip()]
    if len(parts) < 2 or not any(is_date_text(p) for p in parts):
        return None
    outlet = author = date_text = None
    for part in parts:
        if is_date_text(part):
            date_text = date_text or part
            continue
        if len(part.split()) > OUTLET_MAX_WORDS + 3:
            return None
        by_outlet, by_author = _byline(part)
        if by_author:
            author = author or by_author
        elif outlet is None:
            outlet = by_outlet or part
    return outlet, author, date_text


def _short(text: str) -> bool:
    words = len(text.split())
    core = text.rstrip(_CLOSERS)
    return (
        words <= TITLE_MAX_WORDS
        and len(text) <= TITLE_MAX_CHARS
        and not _SENTENCE_END.search(core)
        and not core.endswith("...")
        and (text[0].isupper() or text[0].isdigit() or text[0] in "\"'(\u2018\u201c" + DASHES)
    )


def classify(text: str, start: int, end: int, chrome: Chrome) -> Line:
    """One line of the page with its :class:`Kind` (and any outlet/author/date it names)."""
    stripped = text.strip()
    if not stripped:
        return Line(start, end, stripped, Kind.BLANK)
    if chrome.breaks.fullmatch(stripped):
        return Line(start, end, stripped, Kind.BREAK)
    if chrome.inline.fullmatch(stripped):
        return Line(start, end, stripped, Kind.INLINE)
    if is_date_text(stripped):
        return Line(start, end, stripped, Kind.DATE, date_text=stripped)
    outlet, author = _byline(stripped)
    if outlet or author:
        return Line(start, end, stripped, Kind.BYLINE, outlet=outlet, author=author)
    meta = _meta_line(stripped)
    if meta:
        return Line(start, end, stripped, Kind.META, *meta)
    return Line(start, end, stripped, Kind.SHORT if _short(stripped) else Kind.BODY)


def page_lines(text: str, chrome: Chrome | None = None) -> list[Line]:
    """Classify every line of ``text``; offsets are into ``text`` itself."""
    chrome = chrome or _default_chrome()
    lines = []
    for match in _LINE.finditer(text):
        if match.start() == match.end():
            continue
        content = match.group().rstrip("\r\n")
        start = match.start() + (len(content) - len(content.lstrip()))
        end = match.start() + len(content.rstrip())
        lines.append(classify(content, start, end, chrome))
    return lines


@dataclass
class _Header:
    """What a run of short lines before body text says about the article it opens."""

    lines: list[Line]
    title: Line | None = None
    outlet: str | None = None
    author: str | None = None
    date_text: str | None = None
    has_meta: bool = False
    outlet_lines: set[int] = field(default_factory=set)


def _read_header(block: list[Line]) -> _Header:
    header = _Header(block)
    for line in block:
        if line.kind in (Kind.DATE, Kind.BYLINE, Kind.META):
            header.has_meta = True
            header.date_text = header.date_text or line.date_text
            header.author = header.author or line.author
    byline_outlets = {
        ln.outlet for ln in block if ln.kind in (Kind.BYLINE, Kind.META) and ln.outlet
    }
    candidates = [
        line
        for line in block
        if line.kind is Kind.SHORT
        and line.words >= TITLE_MIN_WORDS
        and line.text not in byline_outlets
    ]
    if candidates:
        # the longest short line; on a tie, the one nearest the body
        header.title = max(reversed(candidates), key=lambda ln: ln.words)
    for i, line in enumerate(block):
        if line.kind is not Kind.SHORT or line is header.title or line.words > OUTLET_MAX_WORDS:
            continue
        next_to_date = any(
            0 <= j < len(block) and block[j].kind in (Kind.DATE, Kind.META) for j in (i - 1, i + 1)
        )
        if next_to_date or line.text in byline_outlets:
            header.outlet_lines.add(i)
            header.outlet = header.outlet or line.text
    if header.outlet is None:
        header.outlet = next(
            (ln.outlet for ln in block if ln.kind in (Kind.BYLINE, Kind.META) and ln.outlet), None
        )
    return header


@dataclass
class _Builder:
    start: int
    header: _Header | None = None
    kept: list[Line] = field(default_factory=list)
    segments: list[tuple[int, int]] = field(default_factory=list)
    open_segment: list[int] | None = None

    def keep(self, line: Line) -> None:
        if self.open_segment is None:
            self.open_segment = [line.start, line.end]
            self.segments.append((line.start, line.end))
        else:
            self.open_segment[1] = line.end
            self.segments[-1] = (self.open_segment[0], line.end)
        self.kept.append(line)

    def skip(self) -> None:
        self.open_segment = None


def _resolve(date_text: str | None, reference: date | datetime | None) -> str | None:
    if not date_text:
        return None
    if RELATIVE.match(date_text) and reference is None:
        return None
    return normalize_date(date_text, reference)


def _page_reference(
    document: Document, headers: Iterable[_Header | None]
) -> date | datetime | None:
    """What relative dates on a page resolve against when no reference date is given.

    The document's own date metadata when it parses, else the latest absolute date among the
    page's header lines (another article's "July 23, 2025" dateline), else ``None``.
    """
    stated = normalize_date(document.metadata.get("date"))
    if stated:
        return date.fromisoformat(stated)
    datelines = [
        day
        for header in headers
        if header is not None
        for line in header.lines
        if line.date_text and (day := parse_absolute(line.date_text)) is not None
    ]
    return max(datelines, default=None)


def split_lines(
    text: str, *, chrome: Chrome | None = None
) -> list[tuple[int, int, list[tuple[int, int]], _Header | None]]:
    """``(start, end, segments, header)`` for each article found in ``text``."""
    lines = page_lines(text, chrome)
    found: list[tuple[int, int, list[tuple[int, int]], _Header | None]] = []
    current: _Builder | None = None
    seen_break = False

    def close(end: int) -> None:
        nonlocal current
        if current is not None and current.kept:
            found.append((current.start, end, current.segments, current.header))
        current = None

    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind is Kind.BLANK:
            i += 1
        elif line.kind is Kind.BREAK:
            close(line.start)
            seen_break = True
            i += 1
        elif line.kind is Kind.INLINE:
            if current is not None:
                current.skip()
            i += 1
        elif line.kind is Kind.BODY:
            if current is None and not seen_break:
                current = _Builder(line.start)
            if current is not None:
                current.keep(line)
            i += 1
        else:
            j = i
            while j < len(lines) and lines[j].kind in (
                Kind.SHORT,
                Kind.DATE,
                Kind.BYLINE,
                Kind.META,
                Kind.BLANK,
            ):
                j += 1
            block = [ln for ln in lines[i:j] if ln.kind is not Kind.BLANK]
            header = _read_header(block)
            before_body = j < len(lines) and lines[j].kind is Kind.BODY
            opens = before_body and (
                (header.title is not None and (header.has_meta or current is None))
                or (current is None and not seen_break)
            )
            if opens:
                close(block[0].start)
                current = _Builder(block[0].start, header)
                after_title = header.title is None
                for k, ln in enumerate(block):
                    after_title = after_title or ln is header.title
                    if after_title and ln.kind is Kind.SHORT and k not in header.outlet_lines:
                        current.keep(ln)
                    else:
                        current.skip()
            elif current is not None:
                for ln in block:
                    if ln.kind is Kind.SHORT:
                        current.keep(ln)
                    else:
                        current.skip()
            i = j
    close(len(text))
    return found


def split_articles(
    document: Document,
    *,
    reference_date: date | datetime | None = None,
    split: bool | None = None,
    chrome: Chrome | None = None,
    on_error: ErrorHandler | None = None,
) -> list[Article]:
    """The articles of ``document``, in order, with offsets into ``document.text``.

    Plain-text documents are split by the page heuristics (see the module docstring) unless
    ``split=False``; HTML pages and corpus records are one article each, described by the
    document's metadata (title, outlet, date, url, author). Relative dates resolve against
    ``reference_date``; else, on a split page, against the document's own date metadata when
    it parses, else the latest absolute dateline among the page's header lines; else they stay
    unresolved (``date=None``, ``date_text`` kept). ``Article.date_source`` says where each
    date came from.

    A date in the metadata that is not a date at all (a record's ``"date": "soon"``) is
    dropped, the article kept, and an :class:`IngestError` with ``severity="warning"`` naming
    the record (``file.jsonl:LINE``) goes to ``on_error`` (default: a logged warning).

    >>> text = "Talks stall in Istanbul\\nBoth sides left early.\\n"
    >>> doc = Document("page.txt", text, "utf-8", "0")
    >>> [(a.title, a.start, a.end, a.segments) for a in split_articles(doc)]
    [('Talks stall in Istanbul', 0, 47, ((0, 46),))]
    """
    meta = document.metadata
    if split is None:
        split = document.media_type == "text/plain" and not meta.get("record")
    if not split:
        return _whole(document, reference_date, chrome, reporter(on_error=on_error))
    found = split_lines(document.text, chrome=chrome)
    reference = reference_date
    if reference is None:
        reference = _page_reference(document, (header for *_, header in found))
    articles = []
    for start, end, segments, header in found:
        title = header.title if header else None
        date_text = header.date_text if header else None
        day = _resolve(date_text, reference)
        articles.append(
            Article(
                doc=document.source,
                index=len(articles) + 1,
                start=start,
                end=end,
                segments=tuple(segments),
                title=title.text if title else None,
                title_span=(title.start, title.end) if title else None,
                outlet=header.outlet if header else None,
                date=day,
                date_text=date_text,
                author=header.author if header else None,
                date_source="dateline" if day else None,
            )
        )
    return articles


def _whole(
    document: Document,
    reference: date | datetime | None,
    chrome: Chrome | None,
    report: ErrorHandler,
) -> list[Article]:
    """The document as one article: every line but page chrome, described by its metadata."""
    builder = _Builder(0)
    for line in page_lines(document.text, chrome):
        if line.kind in (Kind.BREAK, Kind.INLINE):
            builder.skip()
        elif line.kind is not Kind.BLANK:
            builder.keep(line)
    if not builder.kept:
        return []
    meta = document.metadata
    title = meta.get("title") or None
    first = builder.kept[0]
    title_span = (first.start, first.end) if title and first.text == title else None
    date_value = meta.get("date")
    date_text = str(date_value).strip() if date_value not in (None, "") else None
    day = normalize_date(date_value, reference) if date_text else None
    if date_text and day is None and not RELATIVE.match(date_text):
        record = meta.get("record")
        where = f"{meta['corpus']}:{meta['line']}" if record and "line" in meta else document.source
        report(
            IngestError(
                where,
                f"unreadable date {date_text!r}; {'record' if record else 'document'} "
                "kept without a date",
                severity="warning",
            )
        )
        date_text = None
    return [
        Article(
            doc=document.source,
            index=1,
            start=0,
            end=len(document.text),
            segments=tuple(builder.segments),
            title=title,
            title_span=title_span,
            outlet=meta.get("outlet") or None,
            date=day,
            date_text=date_text,
            url=meta.get("url") or None,
            author=meta.get("author") or None,
            date_source=("field" if meta.get("record") else "meta") if day else None,
        )
    ]
