"""Commands for the ingest stage: ``claimgraph ingest`` lists documents and articles."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from claimgraph.console import CommandError, JsonOption, err, error, progress, show


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root ``claimgraph`` app."""
    app.command()(ingest)


def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders (recursive), http(s) URLs, JSONL/CSV corpora, or - for stdin."
        ),
    ],
    as_json: JsonOption = False,
    include: Annotated[
        list[str] | None,
        typer.Option("--include", help="Glob of folder files to read (repeatable)."),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="Glob of folder files to skip (repeatable)."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", help="Force a reader: text, html, jsonl or csv (default: by suffix)."
        ),
    ] = None,
    field: Annotated[
        list[str] | None,
        typer.Option(
            "--field",
            help="Corpus column for KEY=NAME, KEY one of text,id,url,title,outlet,date,author "
            "(repeatable; JSONL names may be dotted paths).",
        ),
    ] = None,
    reference_date: Annotated[
        str | None,
        typer.Option(
            help="ISO date or date-time that relative dates count back from (default: file time)."
        ),
    ] = None,
    split: Annotated[
        bool, typer.Option(help="Split plain-text pages into articles (--no-split: one per file).")
    ] = True,
    with_text: Annotated[
        bool, typer.Option(help="With --json: include each document's text.")
    ] = False,
    strict: Annotated[
        bool, typer.Option(help="Stop at the first bad input, with status 1.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar, no summary.")
    ] = False,
) -> None:
    """Read inputs and list their documents and articles (title, outlet, date, offsets).

    --json writes one line per document: {"document": {...}, "articles": [...]}.

    Offsets index the document's decoded text (HTML: its extracted main text; see --with-text).

    Bad inputs are reported on stderr as "skipped: SOURCE: REASON" and the run goes on.
    """
    from claimgraph.ingest import (
        CorpusFields,
        IngestError,
        IngestStats,
        parse_reference,
        read_documents,
        split_articles,
    )

    try:
        reference = parse_reference(reference_date) if reference_date else None
        names = CorpusFields.parse(field or [])
        if fmt is not None and fmt not in ("text", "html", "jsonl", "csv"):
            raise ValueError(f"unknown format {fmt!r} (one of text, html, jsonl, csv)")
    except ValueError as exc:
        raise CommandError(str(exc)) from exc

    stats = IngestStats()

    def skipped(problem: IngestError) -> None:
        stats.skip(problem)
        sys.stderr.write(f"skipped: {problem}\n")

    rows: list[tuple[str, ...]] = []
    documents = read_documents(
        paths,
        include=include or (),
        exclude=exclude or (),
        fields=names,
        fmt=fmt,
        strict=strict,
        on_error=skipped,
    )
    with progress(quiet=quiet) as bar:
        task = bar.add_task("ingest", total=None)
        try:
            for document in documents:
                articles = split_articles(
                    document, reference_date=reference, split=None if split else False
                )
                stats.documents += 1
                stats.articles += len(articles)
                bar.advance(task)
                if as_json:
                    record = {
                        "document": document.to_dict(text=with_text),
                        "articles": [a.to_dict() for a in articles],
                    }
                    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
                    continue
                if not articles:
                    rows.append((document.source, "-", "", "", "(no article text)", "", ""))
                for a in articles:
                    rows.append(
                        (
                            a.doc,
                            str(a.index),
                            str(a.start),
                            str(a.end),
                            a.title or "",
                            a.outlet or "",
                            a.date or a.date_text or "",
                        )
                    )
        except IngestError as problem:
            error(str(problem))
            raise typer.Exit(1) from problem
    if not as_json and rows:
        table = Table(title="Articles")
        for column in ("doc", "#", "start", "end", "title", "outlet", "date"):
            numeric = column in ("#", "start", "end")
            table.add_column(
                column,
                justify="right" if numeric else "left",
                overflow="fold",
                no_wrap=numeric,
                min_width={"title": 20, "date": 10}.get(column),
            )
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))  # document text is data, not markup
        show(table)
    if not quiet:
        err.print(stats.summary(), highlight=False, soft_wrap=True)
    if stats.documents == 0:
        raise CommandError("no documents read")
