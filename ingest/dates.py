"""Publication dates: relative ("20 hours ago") and absolute ("July 23, 2025") forms.

Dates come out as ISO 8601 dates (``YYYY-MM-DD``). A relative date needs a reference time given
by the caller (``--reference-date``, or a date the document states itself; never the clock or
a file time); with a date-only reference, anything under a day ago ("an hour ago") resolves to
the reference day itself.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta, timezone

from dateutil import parser as dateutil_parser

_PREFIX = (
    r"(?:(?:last\s+)?(?:updated|published|posted|modified|first\s+published)(?:\s+on)?\s*:?\s*)?"
)
_NUMBER = r"(?P<n>\d+|an?|one)"
_UNIT = (
    r"(?P<unit>s(?:ec(?:ond)?s?)?|m(?:in(?:ute)?s?)?|h(?:(?:ou)?rs?)?|d(?:ays?)?|w(?:(?:ee)?ks?)?"
    r"|mo(?:nths?)?|y(?:(?:ea)?rs?)?)"
)
RELATIVE = re.compile(
    rf"^{_PREFIX}(?:{_NUMBER}\s*{_UNIT}\.?\s+ago|(?P<word>just\s+now|now|moments\s+ago|today|yesterday))\.?$",
    re.IGNORECASE,
)
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_CALENDAR = (
    rf"(?:{_WEEKDAY}(?:{_MONTH}\s+{_DAY},?\s+\d{{4}}|{_DAY}\s+{_MONTH},?\s+\d{{4}})"
    r"|\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?)"
)
_TIME = (
    r"(?:\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?)(?:\s+[A-Z]{2,5})?"
)
ABSOLUTE = re.compile(
    rf"^{_PREFIX}(?P<date>{_CALENDAR}(?:(?:,\s*|\s+)(?:at\s+|-\s+)?{_TIME})?|{_TIME},?\s+{_CALENDAR})\.?$",
    re.IGNORECASE,
)

_ISO_DAY = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:$|[T ]\d)")

_UNIT_DAYS = {"d": 1, "w": 7}
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600}

Reference = date | datetime


def is_date_text(text: str) -> bool:
    """Whether ``text`` (a whole line, stripped) is only a date, relative or absolute."""
    text = text.strip()
    return bool(RELATIVE.match(text) or ABSOLUTE.match(text))


def _months_back(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def resolve_relative(text: str, reference: Reference) -> date | None:
    """The day ``text`` ("an hour ago", "2 days ago", "yesterday") points at, or ``None``.

    >>> resolve_relative("20 hours ago", datetime(2025, 7, 23, 9, 0))
    datetime.date(2025, 7, 22)
    >>> resolve_relative("an hour ago", date(2025, 7, 23))
    datetime.date(2025, 7, 23)
    """
    match = RELATIVE.match(text.strip())
    if not match:
        return None
    today = reference.date() if isinstance(reference, datetime) else reference
    word = (match.group("word") or "").lower()
    if word:
        return today - timedelta(days=1) if word == "yesterday" else today
    n_text = match.group("n").lower()
    n = 1 if n_text in ("a", "an", "one") else int(n_text)
    unit = match.group("unit").lower()
    if unit.startswith("mo"):
        return _months_back(today, n)
    if unit.startswith("y"):
        return _months_back(today, 12 * n)
    if unit[0] in _UNIT_DAYS:
        return today - timedelta(days=n * _UNIT_DAYS[unit[0]])
    if isinstance(reference, datetime):
        return (reference - timedelta(seconds=n * _UNIT_SECONDS[unit[0]])).date()
    return today


def parse_absolute(text: str) -> date | None:
    """The day of an absolute date written alone ("Wednesday, July 23, 2025 10:32 AM AEST")."""
    match = ABSOLUTE.match(text.strip())
    if not match:
        return None
    try:
        return dateutil_parser.parse(match.group("date"), ignoretz=True).date()
    except (ValueError, OverflowError):
        return None


def normalize_date(value: object, reference: Reference | None = None) -> str | None:
    """An ISO date (``YYYY-MM-DD``) for a metadata value, or ``None`` when it is not a date.

    Accepts relative forms (with a reference), ISO strings, written dates dateutil can read,
    and Unix timestamps (numbers).

    >>> normalize_date("2016-10-12T14:03:00Z")
    '2016-10-12'
    >>> normalize_date("2 days ago", date(2025, 7, 23))
    '2025-07-21'
    """
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(value, tz=timezone.utc).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    text = str(value).strip()
    if not text:
        return None
    iso = _ISO_DAY.match(text)
    if iso:
        try:
            return date.fromisoformat(iso.group(1)).isoformat()
        except ValueError:
            return None
    if RELATIVE.match(text):
        day = resolve_relative(text, reference) if reference is not None else None
        return day.isoformat() if day else None
    day = parse_absolute(text)
    if day is None:
        try:
            day = dateutil_parser.parse(text, ignoretz=True).date()
        except (ValueError, OverflowError):
            return None
    return day.isoformat()


def parse_reference(text: str) -> datetime | date:
    """A ``--reference-date`` value: an ISO date or date-time; raises ``ValueError``."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ValueError(f"reference date {text!r} is not an ISO date or date-time") from exc
    if "T" in text or " " in text.strip():
        return moment
    return moment.date()
