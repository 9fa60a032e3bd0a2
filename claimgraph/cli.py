"""The ``claimgraph`` command line.

Results go to stdout (tables, or JSON with ``--json``); progress, warnings and errors go to
stderr. A bad input file is reported in one line and the run continues unless ``--strict``.
Each stage's commands live in ``claimgraph.commands.<stage>`` and are listed in
``COMMAND_MODULES``.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from typing import Annotated

import typer

from claimgraph import __version__
from claimgraph.console import CommandError, error, out

COMMAND_MODULES = (
    "claimgraph.commands.nlp",
    "claimgraph.commands.extract",
    "claimgraph.commands.ingest",
    "claimgraph.commands.exports",
    "claimgraph.commands.build",
    "claimgraph.commands.graph",
)

app = typer.Typer(
    name="claimgraph",
    help="Who claims what about whom: extract attributions from text into a knowledge graph.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        out.print(f"claimgraph {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Log details to stderr.")
    ] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


for _module in COMMAND_MODULES:
    importlib.import_module(_module).register(app)


def _stdout_closed() -> bool:
    """Whether writing to stdout failed because its reader went away (``claimgraph ... | head``):
    click (or the copy of it that typer ships) then swaps in a wrapper that swallows further
    flushes."""
    return type(sys.stdout).__name__ == "PacifyFlushWrapper"


def main() -> None:
    """Console-script entry point: one-line errors on stderr with the error's status; a reader
    that closes the pipe early (``| head``) ends the command quietly with status 0."""
    try:
        app()
    except CommandError as exc:
        error(str(exc))
        sys.exit(exc.status)
    except BrokenPipeError:
        pass
    except SystemExit as exc:
        if not (exc.code == 1 and _stdout_closed()):
            raise
    # stdout's reader is gone: point it at /dev/null so the interpreter's last flush is quiet
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(0)
