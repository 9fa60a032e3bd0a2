"""Commands for the ingest stage: ``claimgraph ingest`` lists documents and articles."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from claimgraph.commands.inputs import (
    ExcludeOption,
    FieldOption,
    IncludeOption,
    ProblemLog,
    QuietOption,
    ReaderOption,
    ReferenceDateOption,
    SplitOption,
    StrictOption,
    input_options,
)
from claimgraph.console import CommandError, JsonOption, progress, show, summary


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root ``claimgraph`` app."""
    app.command()(ingest)


def ingest(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="PATH...",
            help="Files, folders (recursive), http(s) URLs, JSONL/CSV corpora, or - for stdin.",
        ),
    ],
    as_json: JsonOption = False,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    reader: ReaderOption = None,
    field: FieldOption = None,
    reference_date: ReferenceDateOption = None,
    split: SplitOption = True,
    with_text: Annotated[
        bool, typer.Option(help="With --json: include each document's text.")
    ] = False,
    strict: StrictOption = False,
    quiet: QuietOption = False,
) -> None:
    """Read inputs and list their documents and articles (title, outlet, date, offsets).

    --json writes one line per document: {"document": {...}, "articles": [...]}.

    Offsets index the document's decoded text (HTML: its extracted main text; see --with-text).

    A bad input is one line on stderr and the run goes on (exit status 2 when an input named
    on the command line could not be read; see README, "Exit status").
    """
    from claimgraph.ingest import IngestError, IngestStats, read_documents, split_articles
    from claimgraph.ingest.readers import reporter

    options = input_options(
        include=include, exclude=exclude, reader=reader, field=field,
        reference_date=reference_date, split=split, strict=strict,
    )  # fmt: skip
    problems = ProblemLog(paths)
    problems.check_named()
    stats = IngestStats()

    def skipped(problem: IngestError) -> None:
        stats.skip(problem)
        problems(problem)

    skipped_or_raise = reporter(strict=strict, on_error=skipped)  # for split_articles
    rows: list[tuple[str, ...]] = []
    documents = read_documents(paths, on_error=skipped, **options.read_options())
    with progress(quiet=quiet) as bar:
        task = bar.add_task("ingest", total=None)
        try:
            for document in documents:
                articles = split_articles(
                    document,
                    reference_date=options.reference,
                    split=None if split else False,
                    on_error=skipped_or_raise,
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
            raise CommandError(str(problem)) from problem
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
        summary(stats.summary())
    status = problems.exit_status(stats.documents)
    if stats.documents == 0:
        raise CommandError("no documents read", status=2)
    if status:
        raise typer.Exit(status)
