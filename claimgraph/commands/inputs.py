"""The input options that ``ingest``, ``entities``, ``extract`` and ``build`` share, and the
exit status their problems give.

Exit status of a command that reads inputs:

* 0 when every input named on the command line was read; a bad file inside a folder or a bad
  record inside a corpus is one ``warning:`` line each and the rest goes on;
* 2 when a named input does not exist or could not be read, or nothing at all was read
  (everything else is still processed first);
* 1 with ``--strict`` on the first problem of any kind, which also stops the run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from claimgraph.console import CommandError, error, warning

if TYPE_CHECKING:
    from claimgraph.ingest import IngestError

READERS = ("text", "html", "jsonl", "csv")

IncludeOption = Annotated[
    list[str] | None,
    typer.Option("--include", metavar="GLOB", help="Glob of folder files to read (repeatable)."),
]
ExcludeOption = Annotated[
    list[str] | None,
    typer.Option("--exclude", metavar="GLOB", help="Glob of folder files to skip (repeatable)."),
]
ReaderOption = Annotated[
    str | None,
    typer.Option(
        "--reader",
        metavar="|".join(READERS),
        help="Read every input as text, html, jsonl or csv (default: by suffix and content).",
    ),
]
FieldOption = Annotated[
    list[str] | None,
    typer.Option(
        "--field",
        metavar="KEY=NAME",
        help="Corpus column for KEY, one of text,id,url,title,outlet,date,author "
        "(repeatable; JSONL names may be dotted paths).",
    ),
]
ReferenceDateOption = Annotated[
    str | None,
    typer.Option(
        metavar="YYYY-MM-DD",
        help='Date that relative dates ("20 hours ago") count back from; without it they '
        "count from the page's own dateline or date field, else stay unresolved.",
    ),
]
SplitOption = Annotated[
    bool, typer.Option(help="Split plain-text pages into articles (--no-split: one per file).")
]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Stop at the first problem of any kind, with status 1.")
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar, no summary.")]
MinConfidenceOption = Annotated[
    float,
    typer.Option(
        "--min-confidence",
        min=0.0,
        max=1.0,
        metavar="P",
        help="Only claims whose confidence (the calibrated probability that content and "
        "speaker match an attribution) is at least P.",
    ),
]


@dataclass(frozen=True)
class InputOptions:
    """The shared input options, checked: what :func:`claimgraph.ingest.iter_articles` and
    :func:`claimgraph.ingest.read_documents` take."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    reader: str | None = None
    fields: Any = None
    reference: date | datetime | None = None
    split: bool = True
    strict: bool = False

    def read_options(self) -> dict[str, Any]:
        """Keyword arguments for ``read_documents`` (and ``iter_articles``, with ``split``)."""
        return {
            "include": self.include,
            "exclude": self.exclude,
            "fmt": self.reader,
            "fields": self.fields,
            "strict": self.strict,
        }

    def article_options(self) -> dict[str, Any]:
        """``read_options`` plus the splitting options of ``iter_articles``."""
        return {
            **self.read_options(),
            "reference_date": self.reference,
            "split": None if self.split else False,
        }


def input_options(
    *,
    include: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
    reader: str | None = None,
    field: Iterable[str] | None = None,
    reference_date: str | None = None,
    split: bool = True,
    strict: bool = False,
) -> InputOptions:
    """Check the shared input options; a bad one is a :class:`CommandError` naming it."""
    from claimgraph.ingest import CorpusFields, parse_reference

    if reader is not None and reader not in READERS:
        raise CommandError(f"--reader must be one of {', '.join(READERS)}, not {reader!r}")
    try:
        reference = parse_reference(reference_date) if reference_date else None
    except ValueError as exc:
        raise CommandError(f"--reference-date: {exc}") from exc
    try:
        fields = CorpusFields.parse(field or [])
    except ValueError as exc:
        raise CommandError(f"--field: {exc}") from exc
    return InputOptions(
        tuple(include or ()), tuple(exclude or ()), reader, fields, reference, split, strict
    )


@dataclass
class ProblemLog:
    """Problems met while reading the inputs: one stderr line each, counted for the summary
    and the exit status (see the module docstring).

    A problem with an input named on the command line (it does not exist, cannot be read, has
    no text) is an ``error:`` line; one inside a folder or a corpus, or one that keeps its
    input (an unreadable date field), a ``warning:`` line.
    """

    inputs: Sequence[str | Path]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._named = {str(p) for p in self.inputs}

    def __call__(self, problem: IngestError) -> None:
        if problem.source in self._named and getattr(problem, "severity", "error") == "error":
            self.errors.append(str(problem))
            error(str(problem))
        else:
            self.warnings.append(str(problem))
            warning(str(problem))

    @property
    def count(self) -> int:
        return len(self.errors) + len(self.warnings)

    def check_named(self) -> None:
        """Raise (status 2) before any work when no named input exists at all."""
        from claimgraph.ingest.readers import is_url

        missing = [
            str(p)
            for p in self.inputs
            if str(p) != "-" and not is_url(str(p)) and not Path(p).exists()
        ]
        if self.inputs and len(missing) == len(self.inputs):
            raise CommandError(f"{', '.join(missing)}: no such file or directory", status=2)

    def exit_status(self, read: int) -> int:
        """2 when a named input was not read or nothing was read, else 0."""
        return 2 if self.errors or read == 0 else 0

    def to_dict(self) -> dict[str, Any]:
        return {"errors": list(self.errors), "warnings": list(self.warnings)}
