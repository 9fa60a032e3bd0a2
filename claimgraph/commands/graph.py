"""Commands for the graph stage: build, query, sparql, stats."""

from __future__ import annotations

import csv
import json
import logging
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, closing
from enum import Enum
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from claimgraph.commands.inputs import (
    ExcludeOption,
    FieldOption,
    IncludeOption,
    InputOptions,
    MinConfidenceOption,
    ProblemLog,
    ReaderOption,
    ReferenceDateOption,
    SplitOption,
    StrictOption,
    input_options,
)
from claimgraph.console import (
    CommandError,
    JsonOption,
    TaggerOption,
    error,
    out,
    progress,
    show,
)
from claimgraph.console import summary as show_summary

if TYPE_CHECKING:
    from claimgraph.extract.pipeline import TextUnit
    from claimgraph.extract.records import Claim

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
    app.command()(build)
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


def build(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...",
            help="Texts, folders, HTML, JSONL/CSV (claim JSONL with --claims).",
        ),
    ],
    db: DbOption,
    claims_input: Annotated[
        bool, typer.Option("--claims", help="Inputs are claim JSONL from `claimgraph extract`.")
    ] = False,
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="spaCy pipeline (default: bundled).")
    ] = None,
    tagger: TaggerOption = "fast",
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    reader: ReaderOption = None,
    field: FieldOption = None,
    reference_date: ReferenceDateOption = None,
    split: SplitOption = True,
    base: Annotated[
        str | None, typer.Option(help="Base IRI for a new store (default: w3id claimgraph).")
    ] = None,
    aliases: Annotated[
        Path | None, typer.Option(help="Alias/merge CSV (action,name,target,type).")
    ] = None,
    processes: Annotated[
        int, typer.Option("--processes", "-p", min=1, help="Worker processes for the pipeline.")
    ] = 1,
    dask: Annotated[
        str | None,
        typer.Option(
            "--dask",
            metavar="ADDRESS",
            help="Extract on a Dask cluster: a scheduler address (tcp://host:8786) or local:N "
            "for a local cluster of N worker processes.",
        ),
    ] = None,
    partition_size: Annotated[
        int, typer.Option(min=1, help="With --dask: articles per task (whole documents).")
    ] = 64,
    retries: Annotated[
        int, typer.Option(min=0, help="With --dask: new attempts for a failed partition.")
    ] = 2,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild",
            help="Process every input again, ignoring the cache, into a new store that "
            "replaces --db only when the build succeeds.",
        ),
    ] = False,
    strict: StrictOption = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress bar (the summary line stays).")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Extract claims from the inputs and merge them into the graph store at --db.

    The main job: ingest -> NLP pipeline -> attribution extraction -> entity resolution and
    claim merging in a persistent SPARQL store (created if missing). Documents already in the
    store (same content hash) are skipped before the NLP pipeline runs; each document is
    added in one transaction, so an interrupted build can simply be run again. With --dask,
    extraction runs on Dask workers in partitions; documents of a partition that still fails
    after its retries are reported and left out (exit status 1), and the next build retries
    them. --rebuild processes everything again into a fresh store (same base IRI) that takes
    the place of --db only if the build succeeds. Exit status: 0 when every named input was
    read, 2 when one was not (or nothing was), 1 on a failure or, with --strict, any problem.
    """
    if dask is not None and processes > 1:
        raise CommandError("--dask and --processes cannot be combined: the Dask workers run "
                           "the pipeline")  # fmt: skip
    if dask is not None and claims_input:
        raise CommandError("--dask distributes extraction; --claims inputs need none")
    if aliases is not None and not aliases.is_file():
        raise CommandError(f"{aliases}: alias file not found")
    options = input_options(
        include=include, exclude=exclude, reader=reader, field=field,
        reference_date=reference_date, split=split, strict=strict,
    )  # fmt: skip
    problems = ProblemLog(inputs)
    problems.check_named()  # before the store is created
    if not claims_input:
        from claimgraph.extract.pipeline import check_tagger

        try:
            check_tagger(tagger)
        except (ImportError, OSError, ValueError) as exc:
            raise CommandError(f"--tagger {tagger}: {exc}") from exc
    target = db
    if rebuild:
        db, base = _rebuild_folder(target, base)
    try:
        status = _build(
            inputs, db, claims_input, model, tagger, options, problems, base, aliases, processes,
            dask, partition_size, retries, quiet, as_json,
        )  # fmt: skip
    except BaseException:
        if rebuild:
            shutil.rmtree(db, ignore_errors=True)
        raise
    if rebuild:
        _replace_store(db, target)
    if status:
        raise typer.Exit(status)


def _rebuild_folder(db: Path, base: str | None) -> tuple[Path, str | None]:
    """A fresh folder beside ``db`` to rebuild into, and the base IRI ``db`` was built with."""
    if db.exists():
        with _open(db) as old:
            if base is not None and base != old.base:
                raise CommandError(f"{db}: store was built with base IRI {old.base}, not {base}")
            base = old.base
    work = db.parent / f".{db.name}.rebuild"
    shutil.rmtree(work, ignore_errors=True)
    return work, base


def _replace_store(new: Path, db: Path) -> None:
    """Put the store at ``new`` in place of ``db``: two renames, the old store removed last."""
    old = db.parent / f".{db.name}.old"
    shutil.rmtree(old, ignore_errors=True)
    if db.exists():
        db.rename(old)
    new.rename(db)
    shutil.rmtree(old, ignore_errors=True)


def _build(
    inputs: list[Path],
    db: Path,
    claims_input: bool,
    model: str | None,
    tagger: str,
    options: InputOptions,
    problems: ProblemLog,
    base: str | None,
    aliases: Path | None,
    processes: int,
    dask: str | None,
    partition_size: int,
    retries: int,
    quiet: bool,
    as_json: bool,
) -> int:
    """Run the build; returns the exit status (see :mod:`claimgraph.commands.inputs`)."""
    from claimgraph.graph import StoreError, read_claim_files

    store = _open(db, read_only=False, base=base, aliases=aliases)
    failures: list[str] = []
    skipped_early: list[str] = []
    extractor = None

    def on_failure(message: str) -> None:
        failures.append(message)
        error(message)

    try:
        with store, ExitStack() as stack:
            if dask is not None:
                extractor = _dask_extractor(stack, dask, model, tagger, partition_size, retries)
            bar = stack.enter_context(progress(quiet=quiet))
            task = bar.add_task("build", total=None)

            def advance(doc: Any, status: str) -> None:
                if status.startswith("failed"):
                    on_failure(f"{doc.doc}: {status}")
                bar.advance(task)

            try:
                if claims_input:
                    docs = read_claim_files(
                        inputs, on_error=lambda message: problems(_claim_problem(message)),
                        strict=options.strict,
                    )  # fmt: skip
                else:
                    docs = _text_documents(
                        inputs, db, store.has_document,
                        lambda document: skipped_early.append(document.source),
                        processes, model, tagger, options, problems, extractor,
                    )  # fmt: skip
                    # closed before the Dask client, so that its tasks are cancelled first
                    stack.enter_context(closing(docs))
                report = store.build(docs, on_document=advance)
            except (ValueError, StoreError) as exc:  # --strict, or the store failed a write
                raise CommandError(str(exc)) from exc
            counts = store.counts()
    except KeyboardInterrupt:
        error("interrupted: documents added so far are kept; run the same build to finish")
        raise typer.Exit(130) from None
    summary = {
        **report.to_dict(),
        "input_problems": problems.count,
        "failures": len(failures),
        "store": counts,
    }
    summary["documents_skipped"] += len(skipped_early)
    lost = ""
    if extractor is not None:
        failed_docs = sum(len(f.documents) for f in extractor.failures)
        summary["partitions"] = {
            "submitted": extractor.submitted,
            "retried": extractor.retried,
            "failed": len(extractor.failures),
            "documents_failed": failed_docs,
        }
        lost = (
            f"; {extractor.submitted} partitions, {extractor.retried} retried, "
            f"{len(extractor.failures)} failed ({failed_docs} documents not added)"
        )
    read = report.added + summary["documents_skipped"] + len(report.failed)
    status = 1 if failures or (extractor is not None and extractor.failures) else 0
    status = status or problems.exit_status(read)
    summary["exit_status"] = status
    if as_json:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    show_summary(
        f"{report.added} documents added, {summary['documents_skipped']} already present, "
        f"{problems.count} input problems; {report.entity_merges} entity and "
        f"{report.claim_merges} claim merges; store: {counts['entities']} entities, "
        f"{counts['claims']} claims, {counts['reports']} reports, {counts['quads']} "
        f"quads{lost}"
    )
    if read == 0:
        error("no documents read")
    return status


def _claim_problem(message: str) -> Any:
    """A claim file's ``"PATH[:LINE]: problem"`` message as an ingest problem."""
    from claimgraph.ingest import IngestError

    source, _, reason = message.partition(": ")
    return IngestError(source, reason)


def _dask_extractor(
    stack: ExitStack,
    address: str,
    model: str | None,
    tagger: str,
    partition_size: int,
    retries: int,
) -> Any:
    """A DaskExtractor on the cluster at ``address`` (closed with ``stack``), its pipeline
    checked on a worker; failed attempts are reported on stderr as they happen."""
    try:
        import distributed  # noqa: F401  (sets up dask's loggers, adjusted below)

        from claimgraph.distributed import DaskExtractor, PartitionFailure, dask_client
    except ImportError as exc:
        raise CommandError(f"--dask needs dask.distributed ({exc}): "
                           "pip install 'claimgraph[dask]'") from exc  # fmt: skip

    def documents(failure: PartitionFailure) -> str:
        return ", ".join(failure.documents)

    def on_retry(failure: PartitionFailure) -> None:
        sys.stderr.write(
            f"warning: partition {failure.index} ({documents(failure)}): attempt "
            f"{failure.attempt} failed: {failure.error}; retrying\n"
        )

    def on_failure(failure: PartitionFailure) -> None:
        error(
            f"partition {failure.index} ({documents(failure)}) failed after {failure.attempt} "
            f"attempts, not added: {failure.error}"
        )

    if logging.getLogger().getEffectiveLevel() > logging.INFO:  # no --verbose
        # dask logs its cluster's life (and the tasks that failed) at INFO/WARNING; the build
        # reports what matters itself
        logging.getLogger("distributed").setLevel(logging.ERROR)
    try:
        client = stack.enter_context(dask_client(address))
    except (ValueError, OSError) as exc:
        raise CommandError(f"--dask {address}: {' '.join(str(exc).split())}") from exc
    if model is not None and Path(model).exists():
        model = str(Path(model).resolve())  # a path the local workers can read
    extractor = DaskExtractor(
        client,
        model=model,
        tagger=tagger,
        partition_size=partition_size,
        retries=retries,
        on_retry=on_retry,
        on_failure=on_failure,
    )
    try:
        extractor.check()
    except TimeoutError as exc:
        raise CommandError(f"--dask {address}: {exc}") from exc
    except Exception as exc:  # whatever the worker raised, as one line
        raise CommandError(f"pipeline {model or 'bundled'} on the Dask workers: "
                           f"{' '.join(str(exc).split())}") from exc  # fmt: skip
    return extractor


def _text_documents(
    inputs: list[Path],
    db: Path,
    known: Callable[[str], bool],
    on_known: Callable[[Any], None],
    processes: int,
    model: str | None,
    tagger: str,
    options: InputOptions,
    on_error: Callable[[Any], None],
    extractor: Any = None,
):
    """DocumentInputs from raw inputs through ingest and extraction (on the Dask workers
    when ``extractor`` is given, in ``processes`` local workers when > 1, else in this
    process)."""
    from claimgraph.commands.extract import _pipeline
    from claimgraph.extract.pipeline import extract_grouped
    from claimgraph.flow import ProcessExtractor, document_inputs
    from claimgraph.ingest import IngestError

    if extractor is None and processes > 1:
        from claimgraph.nlp import PipelineNotFoundError, locate_pipeline

        try:
            locate_pipeline(model)  # the workers load it: fail here, in one line, if missing
        except PipelineNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        extractor = ProcessExtractor(processes, model=model, tagger=tagger)
    if extractor is None:

        def extractor(units: Iterable[TextUnit]) -> Iterator[tuple[TextUnit, list[Claim]]]:
            """In this process; the pipeline is loaded only once a new document turns up."""
            stream = iter(units)
            first = next(stream, None)
            if first is not None:
                yield from extract_grouped(_pipeline(model, tagger), chain([first], stream))

    try:
        yield from document_inputs(
            None,
            inputs,
            extract=extractor,
            on_error=on_error,
            skip=[db],
            known=known,
            on_known=on_known,
            **options.article_options(),
        )
    except IngestError as exc:
        raise CommandError(str(exc)) from exc


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
