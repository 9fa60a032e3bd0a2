"""Reading one HTML page: its main text (trafilatura) and what the page says about itself."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from .decode import DecodeError, decode_bytes
from .records import Document, IngestError

#: How trafilatura (htmldate) looks for a page's date: the publication date, from markup only,
#: with a fixed upper bound instead of today's date so the result never depends on the clock.
HTML_DATE_PARAMS = {"extensive_search": False, "original_date": True, "max_date": "9999-12-31"}

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
# the page's own language: <html lang="de"> (trafilatura reports only what it detects)
_HTML_LANG = re.compile(
    r"""<html[^>]*?\slang\s*=\s*["']?([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)""", re.I
)


def _page_language(markup: str) -> str | None:
    """The language the page declares on its ``<html>`` element, if any."""
    match = _HTML_LANG.search(markup[:4096])
    return match.group(1) if match else None


def html_document(
    source: str,
    data: bytes,
    metadata: Mapping[str, Any] | None = None,
    *,
    url: str | None = None,
    declared: str | None = None,
) -> Document:
    """An HTML page's main text and metadata (trafilatura); raises :class:`IngestError`.

    ``Document.text`` is the extracted main text, title first; see the module docstring.
    """
    import trafilatura

    if declared is None:
        match = _META_CHARSET.search(data[:4096])
        declared = match.group(1).decode("ascii", "replace") if match else None
    try:
        markup, encoding = decode_bytes(data, declared=declared)
    except DecodeError as exc:
        raise IngestError(source, str(exc)) from exc
    extracted = trafilatura.bare_extraction(
        markup,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        date_extraction_params=dict(HTML_DATE_PARAMS),
    )
    main = (extracted.text or "").strip() if extracted is not None else ""
    if not main:
        raise IngestError(source, "no main text found in the HTML page")
    title = (extracted.title or "").strip()
    text = main if not title or main.startswith(title) else f"{title}\n{main}"
    meta = dict(metadata or {})
    for key, value in (
        ("title", title),
        ("author", extracted.author),
        ("date", extracted.date),
        ("outlet", extracted.sitename),
        ("url", extracted.url or url),
        ("description", extracted.description),
        ("language", extracted.language or _page_language(markup)),
    ):
        if value:
            meta[key] = value
    meta["text_source"] = f"main text extracted by trafilatura {trafilatura.__version__}"
    return Document(source, text, encoding, hashlib.sha256(data).hexdigest(), "text/html", meta)
