"""Commands for asking the graph: query, sparql, stats (``build`` is in its own module)."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from claimgraph.commands.inputs import (
    MinConfidenceOption,
)
from claimgraph.console import (
    CommandError,
    JsonOption,
    out,
    show,
)

query_app = typer.Typer(
    help="Ask the claim graph: who said what about whom, paths, disagreements.",
    no_args_is_help=True,
)

DbOption = Annotated[Path, typer.Option("--db", help="Graph store directory (pyoxigraph).")]


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output: table, json or csv.")]
MetonymyOption = Annotated[
    bool,
    typer.Option("--metonymy", help="Also match entities that stand for NAME (Kremlin -> Russia)."),
]


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root ``claimgraph`` app."""
    app.add_typer(query_app, name="query")
    app.command()(sparql)
    app.command()(stats)


def _open(db: Path, *, read_only: bool = True, **kw: Any):
    from claimgraph.graph import GraphStore, StoreError

    try:
        return GraphStore.open(db, read_only=read_only, **kw)
    except (StoreError, ValueError, OSError) as exc:
        raise CommandError(str(exc)) from exc


#: Table columns that hold claim text (wrapped, given most of the width).
TEXT_COLUMNS = frozenset({"text", "text_a", "text_b"})
#: Result fields a table shows in one "source" cell (document · outlet · date).
SOURCE_PARTS = frozenset({"doc", "outlet", "date"})
SOURCE_COLUMN = "source"
#: Table columns of character offsets, shown with --offsets.
OFFSET_COLUMNS = frozenset({"article", "start", "end"})
OffsetsOption = Annotated[
    bool, typer.Option("--offsets", help="Tables: also show article number and offsets.")
]


def _emit(rows: Sequence[dict[str, Any]], fmt: Format, columns: Sequence[str], title: str) -> None:
    if fmt is Format.json:
        sys.stdout.write(json.dumps(list(rows), ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is Format.csv:
        keys = list(columns) if not rows else list(dict.fromkeys(k for r in rows for k in r))
        writer = csv.DictWriter(sys.stdout, fieldnames=keys, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    if not rows:  # a table without rows (or columns) would print nothing at all
        out.print(f"{title}: no rows")
        return
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False)
    rows = [_table_row(row) for row in rows]
    columns = [
        SOURCE_COLUMN if c == "doc" else c for c in columns if c not in SOURCE_PARTS or c == "doc"
    ]
    columns = [c for c in columns if any(row.get(c) not in (None, "") for row in rows)]
    for column in columns:
        header = column.removesuffix("_name")
        if column in TEXT_COLUMNS:  # claim text wraps at word boundaries and takes the room
            table.add_column(header, ratio=2, min_width=16)
        elif column in OFFSET_COLUMNS or column in ("kind", "claims", "reports"):
            table.add_column(header, justify="right" if column != "kind" else "left")
        else:
            table.add_column(header, ratio=1, min_width=8, overflow="fold")
    for row in rows:  # document text is data: never read as console markup
        table.add_row(*(Text("" if row.get(c) is None else str(row.get(c))) for c in columns))
    show(table)


def _table_row(row: dict[str, Any]) -> dict[str, Any]:
    """A result row for a table: the document, outlet and date in one "source" cell."""
    if "doc" not in row:
        return row
    parts = [str(row[k]) for k in ("doc", "outlet", "date") if row.get(k) not in (None, "")]
    return {**row, SOURCE_COLUMN: " · ".join(parts)}


REPORT_COLUMNS = (
    "speaker_name",
    "text",
    "target_name",
    "cue",
    "kind",
    "doc",
    "article",
    "start",
    "end",
    "outlet",
    "date",
)


def _output(fmt: Format, as_json: bool) -> Format:
    if as_json and fmt not in (Format.table, Format.json):
        raise CommandError(f"--json and --format {fmt.value} contradict each other")
    return Format.json if as_json else fmt


def _rows_command(
    db: Path,
    fmt: Format,
    title: str,
    fn: Callable[..., list[dict[str, Any]]],
    *args: Any,
    columns: Sequence[str] = REPORT_COLUMNS,
    offsets: bool = True,
    **kw: Any,
) -> None:
    with _open(db) as store:
        try:
            rows = fn(store, *args, **kw)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
    if not offsets:  # tables only: JSON and CSV rows always carry every field
        columns = [c for c in columns if c not in OFFSET_COLUMNS]
    _emit(rows, fmt, columns, title)


@query_app.command("said-by")
def said_by(
    name: Annotated[str, typer.Argument(help="Speaker name (any form: Peskov, Dmitry Peskov).")],
    db: DbOption,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    metonymy: MetonymyOption = False,
    offsets: OffsetsOption = False,
    min_confidence: MinConfidenceOption = 0.0,
) -> None:
    """Claims made by NAME, with their documents (and offsets: --offsets or -f json/csv)."""
    from claimgraph.graph import query

    _rows_command(
        db, _output(fmt, as_json), f"Claims by {name}", query.said_by, name,
        metonymy=metonymy, offsets=offsets, min_confidence=min_confidence,
    )  # fmt: skip


@query_app.command("about")
def about(
    name: Annotated[str, typer.Argument(help="Target name.")],
    db: DbOption,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    metonymy: MetonymyOption = False,
    offsets: OffsetsOption = False,
    min_confidence: MinConfidenceOption = 0.0,
) -> None:
    """Claims about NAME."""
    from claimgraph.graph import query

    _rows_command(
        db, _output(fmt, as_json), f"Claims about {name}", query.about, name,
        metonymy=metonymy, offsets=offsets, min_confidence=min_confidence,
    )  # fmt: skip


@query_app.command("who-spoke-about")
def who_spoke_about(
    name: Annotated[str, typer.Argument(help="Target name.")],
    db: DbOption,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    metonymy: MetonymyOption = False,
    min_confidence: MinConfidenceOption = 0.0,
) -> None:
    """Speakers of claims about NAME, ranked by number of claims."""
    from claimgraph.graph import query

    _rows_command(
        db,
        _output(fmt, as_json),
        f"Who spoke about {name}",
        query.who_spoke_about,
        name,
        metonymy=metonymy,
        min_confidence=min_confidence,
        columns=("name", "claims", "reports", "iri"),
    )


@query_app.command("top-speakers")
def top_speakers(
    db: DbOption,
    limit: Annotated[int, typer.Option(help="How many speakers.")] = 10,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    min_confidence: MinConfidenceOption = 0.0,
) -> None:
    """Speakers ranked by number of distinct claims."""
    from claimgraph.graph import query

    _rows_command(
        db,
        _output(fmt, as_json),
        "Top speakers",
        query.top_speakers,
        limit,
        min_confidence=min_confidence,
        columns=("name", "claims", "reports", "iri"),
    )


@query_app.command("path")
def path(
    source: Annotated[str, typer.Argument(help="First entity name.")],
    target: Annotated[str, typer.Argument(help="Second entity name.")],
    db: DbOption,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    offsets: OffsetsOption = False,
) -> None:
    """The shortest chain of claims connecting two entities."""
    from claimgraph.graph import network

    _rows_command(
        db,
        _output(fmt, as_json),
        f"Path {source} - {target}",
        network.path,
        source,
        target,
        columns=("from", "to", "speaker_name", "cue", "text", "doc", "start", "end"),
        offsets=offsets,
    )


@query_app.command("claims")
def claims(
    db: DbOption,
    date_from: Annotated[
        str | None, typer.Option("--from", help="First date (YYYY-MM-DD).")
    ] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last date (YYYY-MM-DD).")] = None,
    outlet: Annotated[str | None, typer.Option(help="Outlet name contains this.")] = None,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
    offsets: OffsetsOption = False,
    min_confidence: MinConfidenceOption = 0.0,
) -> None:
    """Claims in a date range and/or from an outlet."""
    from claimgraph.graph import query

    _rows_command(
        db, _output(fmt, as_json), "Claims", query.claims, date_from=date_from,
        date_to=date_to, outlet=outlet, offsets=offsets, min_confidence=min_confidence,
    )  # fmt: skip


@query_app.command("disagreements")
def disagreements(
    db: DbOption, fmt: FormatOption = Format.table, as_json: JsonOption = False
) -> None:
    """Candidate disagreements: different speakers, same target, opposite stance or negation."""
    from claimgraph.graph import query

    _rows_command(
        db,
        _output(fmt, as_json),
        "Candidate disagreements",
        query.disagreements,
        columns=("target_name", "reason", "speaker_a", "text_a", "speaker_b", "text_b"),
    )


def _binding(spec: str) -> tuple[str, str]:
    name, sep, value = spec.partition("=")
    if not sep or not name.strip().lstrip("?$").isidentifier():
        raise CommandError(f"--bind expects NAME=VALUE, not {spec!r}")
    return name.strip().lstrip("?$"), value


def sparql(
    query_text: Annotated[str, typer.Argument(metavar="QUERY", help="SPARQL 1.1 query.")],
    db: DbOption,
    bind: Annotated[
        list[str] | None,
        typer.Option(
            "--bind",
            "-b",
            help='NAME=VALUE bound to ?NAME (<...> is an IRI, "text"@en a tagged literal, '
            "else a string); never spliced into the query. Repeatable.",
        ),
    ] = None,
    union: Annotated[
        bool, typer.Option(help="Default graph = union of all graphs (article graphs too).")
    ] = True,
    fmt: FormatOption = Format.table,
    as_json: JsonOption = False,
) -> None:
    """Run a SPARQL query against the store (prefixes cg, schema, prov, nif, itsrdf, rdf,
    rdfs, xsd, owl are predeclared). Bound variables must appear in the SELECT (or use *)."""
    bindings = dict(_binding(b) for b in bind or [])
    with _open(db) as store:
        try:
            result = store.query(query_text, bindings, union=union)
        except (SyntaxError, ValueError, RuntimeError, OSError) as exc:
            raise CommandError(f"SPARQL: {' '.join(str(exc).split())}") from exc
    if isinstance(result, bool):
        rows: list[dict[str, Any]] = [{"result": result}]
    elif result and isinstance(result[0], tuple):
        rows = [{"subject": s, "predicate": p, "object": o} for s, p, o in result]
    else:
        rows = list(result)  # type: ignore[arg-type]
    columns = list(rows[0]) if rows else []
    _emit(rows, _output(fmt, as_json), columns, "SPARQL results")


def stats(
    db: DbOption,
    top: Annotated[int, typer.Option(help="How many top entities and communities.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Counts, entities by type, top speakers/targets, centrality and communities."""
    from claimgraph.graph.network import stats

    with _open(db) as store:
        try:
            result = stats(store, top=top)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title="Store")
    table.add_column("item")
    table.add_column("count", justify="right")
    for key, value in {**result["counts"], **result["entities_by_type"]}.items():
        table.add_row(key, str(value))
    table.add_row("communities", str(result["n_communities"]))
    show(table)
    for key, title in (
        ("top_speakers", "Top speakers (claims)"),
        ("top_targets", "Top targets (claims about)"),
        ("degree_centrality", "Degree centrality"),
        ("betweenness_centrality", "Betweenness centrality"),
    ):
        ranked = Table(title=title)
        ranked.add_column("entity")
        ranked.add_column("score", justify="right")
        for row in result[key]:
            ranked.add_row(row["name"], f"{row['score']:g}")
        show(ranked)
    for i, members in enumerate(result["communities"], 1):
        out.print(
            f"[bold]community {i}[/] ({len(members)}): " + ", ".join(members), highlight=False
        )
