"""The command line: --version, --help on every command, one-line errors, JSON output."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from claimgraph import __version__
from claimgraph.cli import app

runner = CliRunner()


def _commands(group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if hasattr(command, "commands"):  # a group (typer may vendor its own click)
            found.extend(_commands(command, (*prefix, name)))
    return found


COMMANDS = _commands(typer.main.get_command(app))


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command):
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_expected_commands_exist():
    names = {" ".join(c) for c in COMMANDS}
    expected = {
        "build", "extract", "entities", "ingest", "query said-by", "sparql", "stats", "export",
        "html", "push", "validate", "pipeline train", "pipeline evaluate", "attribution evaluate",
        "bench pipeline", "bench extract", "bench export",
    }  # fmt: skip
    assert expected <= names, sorted(expected - names)


def test_entities_json_and_bad_input(nlp, tmp_path):
    (tmp_path / "a.txt").write_text("Kremlin spokesman Dmitry Peskov spoke in Moscow on Tuesday.")
    (tmp_path / "empty.txt").write_text("")
    result = runner.invoke(app, ["entities", str(tmp_path), "--json", "-q"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert {"Dmitry Peskov", "Moscow"} <= {r["text"] for r in rows}
    assert all(r["doc"].endswith("a.txt") for r in rows)
