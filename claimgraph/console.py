"""Shared command-line plumbing: consoles, common options, one-line errors, progress bars."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

out = Console()
err = Console(stderr=True)
#: Widest line a table printed into a pipe or file may have (see :func:`show`).
PIPE_WIDTH = 1000

ModelOption = Annotated[
    str | None,
    typer.Option("--model", "-m", help="Installed spaCy pipeline name or path (default: bundled)."),
]
TaggerOption = Annotated[
    str | None,
    typer.Option(
        help="Attribution span tagger: accurate (the default: a fine-tuned transformer run by "
        "onnxruntime) or fast (the bundled CNN, about 1.4 times faster end to end, fewer "
        "attributions right; the same as --fast).",
        metavar="accurate|fast",
        show_default=False,
    ),
]
FastOption = Annotated[
    bool,
    typer.Option("--fast", help="Use the fast CNN span tagger (same as --tagger fast)."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")]
CorporaOption = Annotated[
    Path | None,
    typer.Option(help="Corpora root (default: $CLAIMGRAPH_CORPORA or ../shared/corpora)."),
]


class CommandError(Exception):
    """An error reported to the user as one line, ending the command with ``status`` (1 by
    default; 2 for inputs that do not exist or could not be read)."""

    def __init__(self, message: str, *, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def error(message: str) -> None:
    """One plain line on stderr, never wrapped, whatever the terminal width."""
    sys.stderr.write(f"error: {message}\n")


def warning(message: str) -> None:
    """One plain ``warning:`` line on stderr, never wrapped."""
    sys.stderr.write(f"warning: {message}\n")


def summary(message: str) -> None:
    """A command's closing summary: one plain line on stderr, never wrapped (log files and
    pipes get it whole)."""
    sys.stderr.write(message + "\n")


def progress(*, quiet: bool = False) -> Progress:
    """A progress bar on stderr with a count, elapsed time and, once a task has a total, the
    time left. Shown on a terminal only: in a log file or pipe it would be noise."""
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=quiet or not err.is_terminal,
        transient=True,
    )


def show(renderable: RenderableType) -> None:
    """Print a table on stdout. On a terminal it fits the window; written to a pipe or a file it
    keeps its natural width instead of folding every cell at 80 columns (``COLUMNS`` set in
    the environment still decides)."""
    if out.is_terminal or "COLUMNS" in os.environ:
        if isinstance(renderable, Table):
            # too wide for the window: share it out by the columns' ratios (claim text most)
            natural = out.measure(renderable, options=out.options.update(width=PIPE_WIDTH))
            renderable.expand = natural.maximum > out.width
        out.print(renderable)
    else:
        Console(width=PIPE_WIDTH).print(renderable)


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """A results table on stdout: the first column names the row, the others are figures
    (right-aligned)."""
    table = Table(title=title)
    for i, column in enumerate(columns):
        table.add_column(column, justify="left" if i == 0 else "right")
    for row in rows:
        table.add_row(*row)
    show(table)


def speed_rows(runs: Iterable[tuple[str, dict]]) -> Iterator[tuple[str, str, str, str]]:
    """Rows (run, words, seconds, words/s) of timed runs for :func:`print_table`."""
    for name, r in runs:
        yield name, str(r["words"]), f"{r['seconds']:.2f}", f"{r['words_per_s']:,.0f}"


def load(model: str | None):
    from claimgraph.nlp import PipelineNotFoundError, load_pipeline

    try:
        return load_pipeline(model)
    except PipelineNotFoundError as exc:
        raise CommandError(str(exc)) from exc


def corpora_root(path: Path | None) -> Path:
    from claimgraph.training.train import default_corpora_root

    root = path or default_corpora_root()
    if not root.is_dir():
        raise CommandError(f"{root}: corpora folder not found (pass --corpora)")
    return root
