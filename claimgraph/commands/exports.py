"""Commands for the exports stage: export, validate, push, html, bench export."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from claimgraph.console import CommandError, JsonOption, err, out, print_table, progress, show

RDF_CHOICES = ("turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml")
NETWORK_CHOICES = ("graphml", "gexf", "nodelink", "csv")

DbOption = Annotated[
    Path, typer.Option("--db", help="Claim graph store folder (from `claimgraph build`).")
]


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root ``claimgraph`` app."""
    app.command("export")(export)
    app.command("validate")(validate)
    app.command("push")(push)
    app.command("html")(html)
    bench = next((g.typer_instance for g in app.registered_groups if g.name == "bench"), None)
    if bench is None:
        bench = typer.Typer(
            help="Speed benchmarks (ratios against in-process baselines).", no_args_is_help=True
        )
        app.add_typer(bench, name="bench")
    bench.command("export")(bench_export)


def _open(db: Path) -> Any:
    """The claim graph stored at ``db``, opened read-only, or a one-line error."""
    from claimgraph.graph import GraphStore, StoreError

    try:
        return GraphStore.open(db, read_only=True)
    except StoreError as exc:
        raise CommandError(str(exc)) from exc


def _store(graph: Any) -> Any:
    return graph.oxigraph


def _network(graph: Any) -> Any:
    from claimgraph.graph.network import to_networkx

    return to_networkx(graph)


def _report(result: dict[str, Any], as_json: bool, text: str) -> None:
    if as_json:
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    else:
        out.print(text, highlight=False)


def export_format(name: str | None, output: Path) -> str:
    """The export format ``name`` stands for, or the one ``output``'s suffix names."""
    from claimgraph.exports.rdf import SUFFIX_FORMATS, rdf_format_name

    choices = ", ".join(RDF_CHOICES + NETWORK_CHOICES)
    if name is None:
        suffix = output.suffix.lower()
        by_suffix = {**SUFFIX_FORMATS, ".graphml": "graphml", ".gexf": "gexf", ".json": "nodelink"}
        if suffix in by_suffix:
            return by_suffix[suffix]
        if not suffix:  # a folder of CSV tables
            return "csv"
        raise CommandError(f"{output}: cannot tell the format from {suffix!r}; pass -f ({choices})")
    key = name.strip().lower()
    if key in NETWORK_CHOICES:
        return key
    rdf_name = rdf_format_name(key)
    if rdf_name is None:
        raise CommandError(f"unknown format {name!r}; choose from {choices}")
    return rdf_name


def export(
    db: DbOption,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output file (folder for csv).")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="turtle (ttl), ntriples (nt), nquads (nq), trig, jsonld (json-ld), rdfxml "
            "(xml), graphml, gexf, nodelink or csv (a folder of tables); rdflib's names work "
            "too. Default: from the output file's suffix.",
        ),
    ] = None,
    void: Annotated[
        Path | None, typer.Option(help="Also write a VoID description (Turtle).")
    ] = None,
    dataset_iri: Annotated[
        str | None,
        typer.Option(help="IRI of the dataset in the VoID file (default: <base IRI>dataset)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Export the claim graph as RDF, GraphML, GEXF, node-link JSON or CSV tables.

    N-Quads, TriG and JSON-LD keep one named graph per article; files are written atomically.
    """
    from claimgraph.exports import network, rdf
    from claimgraph.exports.void import write_void

    fmt = export_format(fmt, output)
    graph = _open(db)
    try:
        with err.status(f"writing {fmt} to {output}"):
            if fmt in RDF_CHOICES:
                result = rdf.write_rdf(_store(graph), output, fmt)
                what = f"{result['statements']} statements" + (
                    f" in {result['graphs']} named graphs"
                    if rdf.RDF_FORMATS[fmt].dataset
                    else " (all graphs merged)"
                )
            else:
                writer = {
                    "graphml": network.write_graphml,
                    "gexf": network.write_gexf,
                    "nodelink": network.write_node_link,
                    "csv": network.write_csv_tables,
                }[fmt]
                result = writer(_network(graph), output)
                what = ", ".join(
                    f"{result[k]} {k}"
                    for k in ("nodes", "edges", "entities", "claims")
                    if k in result
                )
            if void is not None:
                iri = dataset_iri or f"{graph.base}dataset"
                result["void"] = write_void(
                    _store(graph), void, iri, data_dump=output.resolve().as_uri()
                )["path"]
    except (OSError, ValueError) as exc:
        raise CommandError(f"{output}: {exc}") from exc
    _report(result, as_json, f"wrote {output} ({fmt}): {what}")


def validate(
    db: Annotated[Path | None, typer.Option("--db", help="Claim graph store folder.")] = None,
    data: Annotated[
        Path | None, typer.Argument(help="An RDF file to validate instead of --db.")
    ] = None,
    shapes: Annotated[
        Path | None, typer.Option(help="SHACL shapes (default: the shipped ones).")
    ] = None,
    as_json: JsonOption = False,
    limit: Annotated[int, typer.Option(help="Violations to list.")] = 20,
) -> None:
    """Validate the claim graph or an RDF file against the SHACL shapes (exit 1 on violations)."""
    from claimgraph.exports.shacl import validate_graph

    if (db is None) == (data is None):
        raise CommandError("give either --db PATH or an RDF file to validate")
    source: Any
    if db is not None:
        source = _store(_open(db))
    else:
        if not data.is_file():
            raise CommandError(f"{data}: no such file")
        source = data
    try:
        with err.status("validating against SHACL shapes"):
            report = validate_graph(source, shapes=shapes)
    except (OSError, ValueError) as exc:
        raise CommandError(f"{data or db}: {exc}") from exc
    if as_json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
    else:
        if report["conforms"]:
            out.print(f"conforms: {report['statements']} statements checked, no violations")
        else:
            table = Table(title=f"{report['violation_count']} SHACL violations")
            for column in ("focus", "path", "message"):
                table.add_column(column, overflow="fold")
            for v in report["violations"][:limit]:
                table.add_row(v["focus"], v["path"] or "", v["message"])
            show(table)
    if not report["conforms"]:
        raise typer.Exit(1)


def push(
    db: DbOption,
    endpoint: Annotated[
        str,
        typer.Option(
            help="Graph Store Protocol URL (e.g. http://localhost:7878/"
            "store) or, with --protocol update, SPARQL Update URL."
        ),
    ],
    graph_iri: Annotated[
        str | None,
        typer.Option(
            "--graph", help="Load everything into this one named graph (replaced as a whole)."
        ),
    ] = None,
    protocol: Annotated[str, typer.Option(help="auto, gsp or update.")] = "auto",
    batch_size: Annotated[int, typer.Option(help="Statements per request.")] = 50_000,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for each request.")] = 60.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Load the claim graph into a running triple store (SPARQL Graph Store Protocol or Update).

    Each named graph is replaced, so running it again never duplicates statements.
    """
    from claimgraph.exports.push import Connection, PushError
    from claimgraph.exports.push import push as push_graph

    store = _store(_open(db))
    try:
        with progress(quiet=quiet) as bar:
            task = bar.add_task("push", total=len(store))
            result = push_graph(
                store,
                endpoint,
                graph=graph_iri,
                protocol=protocol,
                batch_size=batch_size,
                connection=Connection(timeout=timeout),
                progress=lambda n: bar.advance(task, n),
            )
    except PushError as exc:
        raise CommandError(str(exc)) from exc
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    _report(
        result,
        as_json,
        f"pushed {result['statements']} statements in {result['graphs']} graphs "
        f"to {endpoint} ({result['protocol']}, {result['requests']} requests)",
    )


def html(
    db: DbOption,
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write.")],
    max_nodes: Annotated[
        int, typer.Option(min=1, help="Entities on the first screen (the most active).")
    ] = 150,
    widen_to: Annotated[
        int, typer.Option(min=1, help="Entities the page can widen to (its control).")
    ] = 400,
    max_claims: Annotated[
        int, typer.Option(min=1, help="Claims embedded at most (the most confident first).")
    ] = 5000,
    title: Annotated[str, typer.Option(help="Page title.")] = "claimgraph",
    as_json: JsonOption = False,
) -> None:
    """Write an interactive, offline HTML view of who talks about whom: speakers and targets,
    each claim in its sentence, filters for outlet, dates, kind, confidence, type and ego
    network (pyvis)."""
    from claimgraph.exports.html import write_html
    from claimgraph.graph.focus import focused_view

    graph = _open(db)
    try:
        with err.status(f"writing {output}"):
            view = focused_view(graph, size=widen_to, max_reports=max_claims)
            result = write_html(
                view, output, max_nodes=max_nodes, widen_to=widen_to, max_claims=max_claims,
                title=title,
            )  # fmt: skip
    except (OSError, ValueError) as exc:
        raise CommandError(f"{output}: {exc}") from exc
    _report(
        result,
        as_json,
        f"wrote {output}: {result['entities']} entities ({result['first_screen']} on the first "
        f"screen), {result['claims']} claims shown of {result['total_claims']} "
        f"({result['total_entities']} entities in the store), {result['bytes'] / 1e6:.1f} MB",
    )


def bench_export(
    triples: Annotated[int, typer.Option(help="Size of the generated graph.")] = 1_000_000,
    repeat: Annotated[int, typer.Option(help="Timed runs per side (best kept).")] = 1,
    as_json: JsonOption = False,
) -> None:
    """N-Triples export throughput of claimgraph vs rdflib's serializer on the same graph."""
    from claimgraph.bench.export import export_speed

    try:
        with err.status(f"generating {triples:,} triples and timing both serializers"):
            result = export_speed(triples, repeat=repeat)
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    print_table(
        f"N-Triples export of {result['generated_quads']:,} generated statements",
        ("serializer", "triples", "seconds", "triples/s"),
        (
            (name, f"{r['triples']:,}", f"{r['seconds']:.2f}", f"{r['triples_per_s']:,.0f}")
            for name, r in ((n, result[n]) for n in ("claimgraph", "rdflib"))
        ),
    )
    out.print(f"ratio: {result['ratio']:.2f}x (target >= 3x)")
