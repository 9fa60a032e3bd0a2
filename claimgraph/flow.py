"""The end-to-end flow: ingest -> NLP pipeline -> extract -> graph inputs.

Each stage stays usable alone; this module only chains them for ``claimgraph build``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from spacy.language import Language

from claimgraph.extract.pipeline import TextUnit, extract_grouped, masked_article_text
from claimgraph.extract.records import Claim
from claimgraph.graph.model import ArticleMeta, DocumentInput
from claimgraph.ingest import Article, Document, IngestError, iter_articles


def _units(
    pairs: Iterable[tuple[Document, Article]], seen: dict[str, tuple[Document, list[Article]]]
) -> Iterator[TextUnit]:
    for document, article in pairs:
        seen.setdefault(document.source, (document, []))[1].append(article)
        text = masked_article_text(document.text, article.start, article.end, article.segments)
        yield TextUnit(document.source, article.index, article.start, text)


def document_inputs(
    nlp: Language,
    paths: Iterable[str | Path],
    *,
    reference_date: date | datetime | None = None,
    on_error: Callable[[IngestError], None] | None = None,
    on_document: Callable[[Document, int], None] | None = None,
    batch_size: int = 16,
    **read_options: Any,
) -> Iterator[DocumentInput]:
    """One :class:`DocumentInput` per input document, with its claims and article metadata.

    Claims stream out of the pipeline in input order; a document is emitted as soon as the
    next one starts, so memory holds one document's claims at a time.
    """
    seen: dict[str, tuple[Document, list[Article]]] = {}
    pairs = iter_articles(paths, reference_date=reference_date, on_error=on_error, **read_options)
    current: str | None = None
    claims: list[Claim] = []

    def finish(source: str) -> DocumentInput:
        document, articles = seen.pop(source)
        metas = {
            a.index: ArticleMeta(title=a.title, outlet=a.outlet, date=a.date, url=a.url)
            for a in articles
        }
        if on_document is not None:
            on_document(document, len(claims))
        return DocumentInput(document.source, document.sha256, tuple(claims), metas)

    for unit, unit_claims in extract_grouped(nlp, _units(pairs, seen), batch_size=batch_size):
        if current is not None and unit.doc != current:
            yield finish(current)
            claims = []
        current = unit.doc
        claims.extend(unit_claims)
    if current is not None:
        yield finish(current)
