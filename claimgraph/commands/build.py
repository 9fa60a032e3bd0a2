"""``claimgraph build``: the CLI face of :func:`claimgraph.flow.build` (options and printing)."""

from __future__ import annotations

import json
import logging
import sys
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from claimgraph.commands.graph import DbOption, _open
from claimgraph.commands.inputs import (
    ExcludeOption,
    FieldOption,
    IncludeOption,
    ProblemLog,
    ReaderOption,
    ReferenceDateOption,
    SplitOption,
    StrictOption,
    input_options,
)
from claimgraph.console import (
    CommandError,
    FastOption,
    JsonOption,
    ModelOption,
    TaggerOption,
    error,
    progress,
)
from claimgraph.console import summary as show_summary
from claimgraph.extract.taggers import chosen_tagger

if TYPE_CHECKING:
    from claimgraph.extract.pipeline import PipelineSpec
    from claimgraph.flow import BuildOptions


def register(app: typer.Typer) -> None:
    """Add this module's command to the root ``claimgraph`` app."""
    app.command()(build)


@dataclass(frozen=True)
class StoreSettings:
    """Where the build goes: ``base`` IRI and ``aliases`` file for the store, and whether to
    ``rebuild`` it from scratch (swapped in on success)."""

    base: str | None = None
    aliases: Path | None = None
    rebuild: bool = False


@dataclass(frozen=True)
class DaskSettings:
    """The Dask cluster to extract on and how (``--dask``, ``--partition-size``, ``--retries``)."""

    address: str
    partition_size: int = 64
    retries: int = 2


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
    model: ModelOption = None,
    tagger: TaggerOption = None,
    fast: FastOption = False,
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
    from claimgraph.extract.pipeline import PipelineSpec, check_tagger
    from claimgraph.flow import BuildOptions

    tagger = chosen_tagger(tagger, fast=fast)
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
        try:
            check_tagger(tagger)
        except (ImportError, OSError, ValueError) as exc:
            raise CommandError(f"--tagger {tagger}: {exc}") from exc
        if dask is None:
            from claimgraph.nlp import PipelineNotFoundError, locate_pipeline

            try:
                locate_pipeline(model)  # loaded later (maybe by workers): fail here, in one line
            except PipelineNotFoundError as exc:
                raise CommandError(str(exc)) from exc
    read = {k: v for k, v in options.article_options().items() if k != "strict"}
    settings = BuildOptions(
        pipeline=PipelineSpec(model, tagger), processes=processes, claims=claims_input,
        strict=strict, read=read, freeze=True,
    )  # fmt: skip
    cluster = DaskSettings(dask, partition_size, retries) if dask is not None else None
    status = _build(
        inputs, db, settings, problems, StoreSettings(base, aliases, rebuild), cluster, quiet,
        as_json,
    )  # fmt: skip
    if status:
        raise typer.Exit(status)


def _build(
    inputs: list[Path],
    db: Path,
    settings: BuildOptions,
    problems: ProblemLog,
    target: StoreSettings,
    cluster: DaskSettings | None,
    quiet: bool,
    as_json: bool,
) -> int:
    """Run the build; returns the exit status (see :mod:`claimgraph.commands.inputs`)."""
    from claimgraph import flow
    from claimgraph.graph import StoreError
    from claimgraph.ingest import IngestError

    failures: list[str] = []
    extractor = None

    def on_failure(message: str) -> None:
        failures.append(message)
        error(message)

    try:
        with ExitStack() as stack:
            if target.rebuild:
                try:
                    store = stack.enter_context(
                        flow.rebuilt_store(db, base=target.base, aliases=target.aliases)
                    )
                except (StoreError, ValueError, OSError) as exc:
                    raise CommandError(str(exc)) from exc
            else:
                store = stack.enter_context(
                    _open(db, read_only=False, base=target.base, aliases=target.aliases)
                )
            if cluster is not None:
                extractor = _dask_extractor(stack, cluster, settings.pipeline)
            bar = stack.enter_context(progress(quiet=quiet))
            task = bar.add_task("build", total=None)

            def advance(doc: Any, status: str) -> None:
                if status.startswith("failed"):
                    on_failure(f"{doc.doc}: {status}")
                bar.advance(task)

            try:
                report = flow.build(
                    inputs, store, options=settings, extractor=extractor, on_problem=problems,
                    on_document=advance,
                )  # fmt: skip
            except (ValueError, StoreError, IngestError) as exc:  # --strict, or a failed write
                raise CommandError(str(exc)) from exc
            except (LookupError, OSError, ImportError) as exc:  # the pipeline did not load
                raise CommandError(
                    f"pipeline {settings.pipeline.model or 'bundled'}: {exc}"
                ) from exc
            counts = store.counts()
    except KeyboardInterrupt:
        if target.rebuild:
            error(f"interrupted: the rebuild was dropped; {db} is as it was")
        else:
            error("interrupted: documents added so far are kept; run the same build to finish")
        raise typer.Exit(130) from None
    summary = {
        **report.to_dict(),
        "input_problems": problems.count,
        "failures": len(failures),
        "store": counts,
    }
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
    read = report.added + report.skipped + len(report.failed)
    status = 1 if failures or (extractor is not None and extractor.failures) else 0
    status = status or problems.exit_status(read)
    summary["exit_status"] = status
    if as_json:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    show_summary(
        f"{report.added} documents added, {report.skipped} already present, "
        f"{problems.count} input problems; {report.entity_merges} entity and "
        f"{report.claim_merges} claim merges; store: {counts['entities']} entities, "
        f"{counts['claims']} claims, {counts['reports']} reports, {counts['quads']} "
        f"quads{lost}"
    )
    if read == 0:
        error("no documents read")
    return status


def _dask_extractor(stack: ExitStack, settings: DaskSettings, pipeline: PipelineSpec) -> Any:
    """A DaskExtractor on the cluster at ``address`` (closed with ``stack``), its pipeline
    checked on a worker; failed attempts are reported on stderr as they happen."""
    try:
        import distributed  # noqa: F401  (sets up dask's loggers, adjusted below)

        from claimgraph.distributed import DaskExtractor, PartitionFailure, dask_client
        from claimgraph.extract.pipeline import PipelineSpec
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
    address = settings.address
    try:
        client = stack.enter_context(dask_client(address))
    except (ValueError, OSError) as exc:
        raise CommandError(f"--dask {address}: {' '.join(str(exc).split())}") from exc
    model = pipeline.model
    if model is not None and Path(model).exists():
        model = str(Path(model).resolve())  # a path the local workers can read
    extractor = DaskExtractor(
        client,
        pipeline=PipelineSpec(model, pipeline.tagger),
        partition_size=settings.partition_size,
        retries=settings.retries,
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
