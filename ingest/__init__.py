"""Ingest: turn files, folders, HTML pages, URLs, JSONL/CSV corpora and stdin into documents
and articles with character offsets into each document's decoded text.

>>> from claimgraph.ingest import Document, split_articles
>>> page = "Talks stall in Istanbul\\nBoth sides left early.\\nComments\\nNo comments yet...\\n"
>>> [a.title for a in split_articles(Document("page.txt", page, "utf-8", "0"))]
['Talks stall in Istanbul']

Main entry points: :func:`read_documents` (lazy, per-input errors reported, not raised unless
``strict``), :func:`split_articles`, and :func:`iter_articles` which combines them.
"""

from .dates import normalize_date, parse_reference, resolve_relative
from .decode import DecodeError, decode_bytes
from .readers import (
    FORMATS,
    CorpusFields,
    fetch_url,
    html_document,
    iter_articles,
    read_csv,
    read_documents,
    read_jsonl,
    text_document,
    walk_directory,
)
from .records import Article, Document, IngestError
from .split import CHROME_BREAK, CHROME_INLINE, Chrome, split_articles
from .stats import IngestStats

__all__ = [
    "CHROME_BREAK",
    "CHROME_INLINE",
    "FORMATS",
    "Article",
    "Chrome",
    "CorpusFields",
    "DecodeError",
    "Document",
    "IngestError",
    "IngestStats",
    "decode_bytes",
    "fetch_url",
    "html_document",
    "iter_articles",
    "normalize_date",
    "parse_reference",
    "read_csv",
    "read_documents",
    "read_jsonl",
    "resolve_relative",
    "split_articles",
    "text_document",
    "walk_directory",
]
