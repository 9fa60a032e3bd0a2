"""Commands for the extract stage: extract, attribution evaluate, bench extract."""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, TaskID
from rich.table import Table
from rich.text import Text

from claimgraph.commands.inputs import (
    ExcludeOption,
    FieldOption,
    IncludeOption,
    MinConfidenceOption,
    ProblemLog,
    QuietOption,
    ReaderOption,
    ReferenceDateOption,
    SplitOption,
    StrictOption,
    input_options,
)
from claimgraph.console import (
    CommandError,
    CorporaOption,
    FastOption,
    JsonOption,
    ModelOption,
    TaggerOption,
    corpora_root,
    err,
    error,
    out,
    print_table,
    progress,
    show,
    speed_rows,
    summary,
)
from claimgraph.extract.taggers import DEFAULT_TAGGER, chosen_tagger

attribution_app = typer.Typer(
    help="The attribution extractor: evaluation against PolNeAR and the seed page.",
    no_args_is_help=True,
)
FORMATS = ("jsonl", "json", "csv", "table")


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root ``claimgraph`` app."""
    app.command()(extract)
    app.add_typer(attribution_app, name="attribution")
    from claimgraph.commands.nlp import bench_app

    bench_app.command("extract")(bench_extract)
    bench_app.command("build")(bench_build)
    bench_app.command("scale")(bench_scale)


def _bundled_file(name: str) -> Path:
    """Where the package keeps the extractor's data file ``name`` (the default output of
    the commands that refit it)."""
    from importlib import resources

    return Path(str(resources.files("claimgraph.extract") / name))


def _pipeline(model: str | None, tagger: str = DEFAULT_TAGGER):
    """The extraction pipeline (:func:`claimgraph.extract.pipeline.extraction_pipeline`), with
    its failures as one-line command errors."""
    from claimgraph.extract.pipeline import PipelineSpec, check_tagger, extraction_pipeline
    from claimgraph.flow import keep_loaded
    from claimgraph.nlp import PipelineNotFoundError

    try:
        check_tagger(tagger)
    except (ImportError, OSError, ValueError) as exc:
        raise CommandError(f"--tagger {tagger}: {exc}") from exc
    try:
        nlp = extraction_pipeline(PipelineSpec(model, tagger))
    except PipelineNotFoundError as exc:
        raise CommandError(str(exc)) from exc
    except (ImportError, OSError, ValueError) as exc:
        what = f"cannot add attribution steps to {model}" if model else "bundled pipeline"
        raise CommandError(f"{what}: {exc}") from exc
    return keep_loaded(nlp)


def _write_atomic(path: Path, lines: Iterable[str]) -> int:
    """Write lines to ``path`` through a temporary file renamed into place. When the lines
    stop with an error, what was written so far is kept as ``PATH.partial`` (``path`` itself
    is left as it was) and the error goes on up."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for line in lines:
                handle.write(line)
                count += 1
        os.replace(tmp, path)
    except BaseException:
        if count:
            os.replace(tmp, path.with_name(path.name + ".partial"))
        else:
            Path(tmp).unlink(missing_ok=True)
        raise
    return count


CSV_COLUMNS = (
    "doc", "article", "speaker", "speaker_entity", "speaker_type", "speaker_start",
    "speaker_end", "cue", "cue_start", "cue_end", "content", "content_start", "content_end",
    "target", "target_entity", "target_type", "target_start", "target_end", "kind",
    "confidence",
)  # fmt: skip


def csv_row(record: dict) -> dict[str, object]:
    """One flat CSV row of a claim record: content pieces joined by " … ", spanning the
    first piece's start to the last piece's end."""
    row: dict[str, object] = {"doc": record["doc"], "article": record["article"]}
    for role in ("speaker", "target"):
        ref = record[role] or {}
        row[role] = ref.get("text")
        row[f"{role}_entity"] = ref.get("entity")
        row[f"{role}_type"] = ref.get("type")
        row[f"{role}_start"] = ref.get("start")
        row[f"{role}_end"] = ref.get("end")
    cue = record["cue"] or {}
    row.update(cue=cue.get("text"), cue_start=cue.get("start"), cue_end=cue.get("end"))
    pieces = record["content"]
    row["content"] = " … ".join(p["text"] for p in pieces)
    row["content_start"] = pieces[0]["start"] if pieces else None
    row["content_end"] = pieces[-1]["end"] if pieces else None
    row.update(kind=record["kind"], confidence=record["confidence"])
    return row


def _lines(records: Iterable[dict], output_format: str) -> Iterator[str]:
    """The output, line by line, as the records arrive (nothing held back)."""
    if output_format == "jsonl":
        for r in records:
            yield json.dumps(r, ensure_ascii=False) + "\n"
    elif output_format == "json":
        first = True
        yield "["
        for r in records:
            yield ("\n  " if first else ",\n  ") + json.dumps(r, ensure_ascii=False)
            first = False
        yield "\n]\n" if not first else "]\n"
    else:  # csv
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for r in chain([None], records):
            if r is not None:
                writer.writerow(csv_row(r))
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()


def _format_of(output: Path | None) -> str:
    """The output format ``-o`` implies when ``-f`` is not given."""
    if output is None:
        return "table"
    return {".json": "json", ".csv": "csv"}.get(output.suffix.lower(), "jsonl")


def _claims_table(records: Iterable[dict]) -> Table:
    table = Table(title="Claims")
    table.add_column("doc", overflow="fold", max_width=24)
    table.add_column("speaker", overflow="fold", ratio=1)
    table.add_column("cue", overflow="fold")
    table.add_column("claim", ratio=3)
    table.add_column("target", overflow="fold", ratio=1)
    table.add_column("kind")
    for r in records:
        speaker = r["speaker"] or {}
        target = r["target"] or {}
        table.add_row(*(Text(cell) for cell in (
            f"{r['doc']}:{r['article']}", speaker.get("entity") or speaker.get("text") or "",
            (r["cue"] or {}).get("text", ""), " … ".join(p["text"] for p in r["content"]),
            target.get("entity") or target.get("text") or "", r["kind"],
        )))  # fmt: skip
    return table


def extract(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH...", help="Files, folders, URLs, JSONL/CSV, or - (stdin)."),
    ],
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="|".join(FORMATS),
            help=f"Output: {', '.join(FORMATS)} (default: table; with -o, by the output's "
            "suffix, .jsonl if it has none of .json/.csv).",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Machine-readable output: the same as -f json.")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    model: ModelOption = None,
    tagger: TaggerOption = None,
    fast: FastOption = False,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    reader: ReaderOption = None,
    field: FieldOption = None,
    reference_date: ReferenceDateOption = None,
    split: SplitOption = True,
    strict: StrictOption = False,
    quiet: QuietOption = False,
    min_confidence: MinConfidenceOption = 0.0,
) -> None:
    """Extract (speaker, cue, claim, target) attributions from text.

    Offsets in the output index each input file's decoded text. Records are written as they
    are extracted (jsonl, json, csv), so what came before a failure is kept; with -o they go
    to a temporary file renamed into place at the end (kept as OUTPUT.partial on a failure).
    JSON Lines also hold one article record (document hash, headline, outlet, date, URL,
    language, author) before each article's claims, so `build --claims` on them makes the
    graph `build` makes of the inputs.
    """
    from claimgraph.extract.pipeline import TextUnit, article_unit, extract_grouped
    from claimgraph.graph.jsonl import article_record
    from claimgraph.ingest import IngestError, IngestStats, iter_articles

    if as_json:
        output_format = "json"
    if output_format is None:
        output_format = _format_of(output)
    if output_format not in FORMATS:
        raise CommandError(f"--format must be one of {', '.join(FORMATS)}, not {output_format!r}")
    if output_format == "table" and output is not None:
        raise CommandError("-f table is for the terminal; write jsonl, json or csv with -o")
    options = input_options(
        include=include, exclude=exclude, reader=reader, field=field,
        reference_date=reference_date, split=split, strict=strict,
    )  # fmt: skip
    problems = ProblemLog(paths)
    problems.check_named()
    tagger = chosen_tagger(tagger, fast=fast)
    nlp = _pipeline(model, tagger)
    stats = IngestStats()
    count = 0

    def report(problem: IngestError) -> None:
        stats.skip(problem)
        problems(problem)

    # article records in input order, until their claims are out (the pipeline reads ahead)
    articles: deque[dict] = deque()

    def units() -> Iterator[TextUnit]:
        seen: set[str] = set()
        for document, article in iter_articles(paths, on_error=report, **options.article_options()):
            if document.source not in seen:
                seen.add(document.source)
                stats.documents += 1
            stats.articles += 1
            articles.append(article_record(document, article))
            yield article_unit(document, article)

    def records(bar: Progress, task: TaskID) -> Iterator[dict]:
        nonlocal count
        for _unit, claims in extract_grouped(nlp, units()):
            article = articles.popleft()  # units come back in the order they went in
            if output_format == "jsonl":
                yield article
            for claim in claims:
                if claim.confidence < min_confidence:
                    continue
                count += 1
                bar.update(task, description=f"extracting ({stats.articles} articles)", advance=1)
                yield claim.to_dict()

    try:
        with progress(quiet=quiet) as bar:
            task = bar.add_task("extracting", total=None)
            if output_format == "table" and output is None:
                table = _claims_table(list(records(bar, task)))
            elif output is None:
                for line in _lines(records(bar, task), output_format):
                    sys.stdout.write(line)
            else:
                _write_atomic(output, _lines(records(bar, task), output_format))
    except IngestError as exc:  # --strict
        raise CommandError(str(exc)) from exc
    except (BrokenPipeError, KeyboardInterrupt):
        raise
    except Exception as exc:  # the pipeline failed: one line, what was written is kept
        kept = f"; {count} claims written before it" if count else ""
        if output is not None and count:
            kept += f" to {output}.partial"
        raise CommandError(
            f"extraction stopped after {stats.documents} documents: "
            f"{type(exc).__name__}: {' '.join(str(exc).split())}{kept}"
        ) from exc
    if output_format == "table" and output is None:
        show(table)
    if not quiet:
        summary(stats.summary(claims=count))
    status = problems.exit_status(stats.documents)
    if status:
        if stats.documents == 0:
            error("no documents read")
        raise typer.Exit(status)


ToolsOption = Annotated[
    Path | None, typer.Option(help="Scorers folder (default: ../shared/tools).")
]


def _scorer_dir(tools: Path | None) -> Path:
    from claimgraph.training.evaluate_attribution import default_tools_dir

    tools_dir = tools or default_tools_dir()
    if not (tools_dir / "score_attributions.py").exists():
        raise CommandError(f"{tools_dir}: score_attributions.py not found (pass --tools)")
    return tools_dir


def _metric_table(title: str, figures: dict[str, object]) -> Table:
    """A P/R/F1 table of a PolNeAR scorer result's metrics."""
    table = Table(title=title)
    for column in ("metric", "P", "R", "F1", "pred", "gold"):
        table.add_column(column, justify="left" if column == "metric" else "right")
    for key, value in figures.items():
        if isinstance(value, dict) and "f1" in value:
            table.add_row(
                key, f"{value['p']:.3f}", f"{value['r']:.3f}", f"[bold]{value['f1']:.3f}",
                str(value["pred"]), str(value["gold"]),
            )  # fmt: skip
    return table


@attribution_app.command("evaluate")
def attribution_evaluate(
    corpora: CorporaOption = None,
    tools: ToolsOption = None,
    split: Annotated[str, typer.Option(help="PolNeAR split to score: dev or train.")] = "dev",
    limit: Annotated[int, typer.Option(help="Score only the first N articles (0 = all).")] = 0,
    model: ModelOption = None,
    tagger: TaggerOption = None,
    fast: FastOption = False,
    as_json: JsonOption = False,
) -> None:
    """Score extraction on PolNeAR (dev) and on the seed page with the shared scorers."""
    from claimgraph.training.evaluate_attribution import evaluate_attribution

    root = corpora_root(corpora)
    tools_dir = _scorer_dir(tools)
    tagger = chosen_tagger(tagger, fast=fast)
    nlp = _pipeline(model, tagger)
    try:
        with err.status("scoring") as status:
            results = evaluate_attribution(
                nlp, root, tools_dir, split=split, limit=limit,
                progress=lambda step: status.update(f"scoring {step}"),
            )  # fmt: skip
    except (RuntimeError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    if as_json:
        sys.stdout.write(json.dumps(results, indent=2) + "\n")
        return
    polnear = results[f"polnear_{split}"]
    title = f"PolNeAR {split} ({polnear['docs']} articles, {polnear['claims']} claims)"
    show(_metric_table(title, polnear))
    if "confidence" in polnear:
        c = polnear["confidence"]
        out.print(
            f"confidence: ECE {c['ece']:.3f} (10 bins); precision of the more confident half "
            f"{c['precision_confident_half']:.3f}, "
            f"of the other half {c['precision_other_half']:.3f}"
        )
    if "seed" in results:
        table = Table(title="Seed page")
        table.add_column("metric")
        table.add_column("value", justify="right")
        for key, value in results["seed"].items():
            table.add_row(key, f"{value:.4f}" if isinstance(value, float) else str(value))
        show(table)


@attribution_app.command("agreement")
def attribution_agreement(
    corpora: CorporaOption = None,
    tools: ToolsOption = None,
    split: Annotated[
        list[str] | None, typer.Option(help="PolNeAR split(s) to read (default: train and dev).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Human agreement: PolNeAR annotators scored against each other with the same scorer as
    `evaluate`, on the articles several annotators annotated (a practical ceiling)."""
    from claimgraph.training.evaluate_attribution import annotator_agreement
    from claimgraph.training.polnear import SPLITS

    root = corpora_root(corpora)
    tools_dir = _scorer_dir(tools)
    try:
        result = annotator_agreement(root, tools_dir, splits=tuple(split or SPLITS))
    except (RuntimeError, ValueError) as exc:
        raise CommandError(str(exc)) from exc
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    title = (
        f"PolNeAR annotator agreement ({result['articles']} articles, {result['pairs']} pairs;"
        " first annotator as gold)"
    )
    show(_metric_table(title, result))


@attribution_app.command("train-accurate")
def attribution_train_accurate(
    corpora: CorporaOption = None,
    output: Annotated[
        Path | None,
        typer.Option(help="Model folder to write (default: the bundled accurate tagger's)."),
    ] = None,
    epochs: Annotated[int, typer.Option(min=1, help="Passes over PolNeAR train.")] = 4,
    layers: Annotated[
        int, typer.Option(min=1, help="Transformer layers kept from the base model (of 6).")
    ] = 6,
    teacher: Annotated[
        Path | None,
        typer.Option(help="A trained tagger's folder to distil from (e.g. the bundled one)."),
    ] = None,
    learning_rate: Annotated[float, typer.Option(help="Peak AdamW learning rate.")] = 8e-5,
    seed: Annotated[int, typer.Option(help="Random seed (shuffling, new layer).")] = 13,
    threads: Annotated[int, typer.Option(min=1, help="PyTorch threads.")] = 2,
    as_json: JsonOption = False,
) -> None:
    """Train the accurate attribution tagger (the default span tagger) on PolNeAR train: about 50
    minutes on 2 cores; needs pip install 'claimgraph[train-accurate]'."""
    from claimgraph.extract.transformer_spans import bundled_model_dir
    from claimgraph.training.transformer import TrainingConfig, train_accurate_tagger

    root = corpora_root(corpora)
    with progress() as bar:
        task = bar.add_task("parsing PolNeAR train", total=None)

        def step(done: int, total: int, loss: float) -> None:
            bar.update(task, completed=done, total=total, description=f"training, loss {loss:.3f}")

        try:
            config = TrainingConfig(
                epochs=epochs, layers=layers, teacher=teacher, learning_rate=learning_rate,
                seed=seed, threads=threads,
            )  # fmt: skip
            summary = train_accurate_tagger(
                root, output or bundled_model_dir(), config, progress=step
            )
        except (ImportError, FileNotFoundError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
    if as_json:
        sys.stdout.write(json.dumps(summary, indent=2) + "\n")
        return
    out.print(
        f"accurate tagger written to {summary['output']}: {summary['chunks']} chunks, "
        f"{summary['steps']} steps, {summary['model_bytes'] / 1e6:.1f} MB, "
        f"{summary['seconds'] / 60:.0f} min"
    )


@attribution_app.command("train-confidence")
def attribution_train_confidence(
    corpora: CorporaOption = None,
    output: Annotated[
        Path | None,
        typer.Option(help="JSON file to write (default: the bundled extract/confidence.json)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Fit the claim confidence model of each span tagger on PolNeAR dev (about a minute):
    who-said-what labels, logistic weights, 5-fold cross-validated calibration."""
    from claimgraph.extract.pipeline import TAGGERS
    from claimgraph.training.confidence import train_confidence

    root = corpora_root(corpora)
    target = output or _bundled_file("confidence.json")
    pipelines = {name: _pipeline(None, name) for name in TAGGERS}
    with err.status("labelling PolNeAR dev claims and fitting"):
        report = train_confidence(pipelines, root, target)
    if as_json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return
    for name, figures in report.items():
        cv = figures["cross_validated"]
        out.print(
            f"{name}: {cv['claims']} claims, cross-validated ECE {cv['ece']:.3f}, precision "
            f"{cv['precision_confident_half']:.3f} / {cv['precision_other_half']:.3f} "
            "(more / less confident half)"
        )
    out.print(f"written to {target}")


@attribution_app.command("train-linker")
def attribution_train_linker(
    corpora: CorporaOption = None,
    output: Annotated[
        Path | None,
        typer.Option(help="JSON file to write (default: the bundled extract/linker.json)."),
    ] = None,
    limit: Annotated[int, typer.Option(help="Train articles to use (0 = all).")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Fit the learned link scorer on PolNeAR train (about 10 minutes on 2 cores): candidate
    (cue, content) and (cue, source) pairs from both span taggers, logistic weights per role."""
    from claimgraph.extract.pipeline import TAGGERS
    from claimgraph.training.linking import train_linker

    root = corpora_root(corpora)
    target = output or _bundled_file("linker.json")
    pipelines = {name: _pipeline(None, name) for name in TAGGERS}
    with err.status("tagging PolNeAR train and fitting the link scorer"):
        report = train_linker(pipelines, root, target, limit=limit)
    if as_json:
        sys.stdout.write(json.dumps(report, indent=2) + "\n")
        return
    for role, figures in report.items():
        out.print(
            f"{role}: {figures['pairs']} pairs, {figures['linked']:.1%} linked, "
            f"in-sample accuracy {figures['accuracy']:.3f}"
        )
    out.print(f"written to {target}")


@attribution_app.command("noun-classes")
def attribution_noun_classes(
    corpora: CorporaOption = None,
    output: Annotated[
        Path | None,
        typer.Option(help="TSV to write (default: the bundled extract/noun_classes.tsv)."),
    ] = None,
) -> None:
    """Rebuild the noun-class table (person / organization / place / other per head lemma)
    from GUM train."""
    from claimgraph.training.nouns import write_noun_classes

    root = corpora_root(corpora)
    target = output or _bundled_file("noun_classes.tsv")
    rows = write_noun_classes(root, target)
    out.print(f"{rows} noun lemmas written to {target}")


def bench_extract(
    corpora: CorporaOption = None,
    limit: Annotated[int, typer.Option(help="Texts to time (0 = all).")] = 0,
    tagger: TaggerOption = None,
    fast: FastOption = False,
    as_json: JsonOption = False,
) -> None:
    """Words/s of the bare pipeline vs pipeline + extraction (records included), same texts."""
    from claimgraph.bench.extract import extraction_overhead

    root = corpora_root(corpora)
    text_dir = root / "polnear" / "dev" / "text"
    texts = [p.read_text(encoding="utf8") for p in sorted(text_dir.glob("*.txt"))]
    texts = texts[:limit] if limit else texts
    if not texts:
        raise CommandError(f"{text_dir}: no texts to time")
    tagger = chosen_tagger(tagger, fast=fast)
    nlp = _pipeline(None, tagger)
    with err.status("timing the bare pipeline, then pipeline + extraction"):
        result = extraction_overhead(nlp, texts)
    result["tagger"] = tagger
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    print_table(
        f"{len(texts)} PolNeAR dev texts, 1 process",
        ("run", "words", "seconds", "words/s"),
        speed_rows((name, result[name]) for name in ("bare_pipeline", "with_extraction")),
    )
    out.print(
        f"extraction adds {result['overhead']:.1%} to the bare pipeline's time "
        f"({result['claims']} claims)"
    )


def bench_build(
    corpora: CorporaOption = None,
    split: Annotated[str, typer.Option(help="PolNeAR split whose texts to use.")] = "train",
    limit: Annotated[int, typer.Option(help="Texts to use (0 = all).")] = 100,
    as_json: JsonOption = False,
) -> None:
    """Bare pipeline vs end-to-end build words/s, 1 vs 2 processes, memory, store load."""
    from claimgraph.bench.build import build_speed

    root = corpora_root(corpora)
    text_dir = root / "polnear" / split / "text"
    paths = sorted(text_dir.glob("*.txt"))
    texts = [p.read_text(encoding="utf8") for p in (paths[:limit] if limit else paths)]
    if not texts:
        raise CommandError(f"{text_dir}: no texts to time")
    nlp = _pipeline(None)
    with err.status(f"timing the bare pipeline and three builds over {len(texts)} texts"):
        result = build_speed(nlp, texts)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    rounds = result["rounds"]
    runs = [
        (f"bare pipeline, 1 process ({rounds} rounds)", result["bare_pipeline"]),
        (f"build, 1 process ({rounds} rounds, interleaved with bare)", result["interleaved_build"]),
    ]
    runs += [(f"build, {n} process(es), whole corpus", r) for n, r in result["build"].items()]
    print_table(
        f"{len(texts)} PolNeAR {split} texts",
        ("run", "seconds", "words/s"),
        ((name, f"{r['seconds']:.2f}", f"{r['words_per_s']:,.0f}") for name, r in runs),
    )
    load = result["store_load"]
    out.print(
        f"build/bare {result['build_vs_bare']:.2f}x; 2 vs 1 processes "
        f"{result.get('speedup', float('nan')):.2f}x; store load {load['quads_per_s']:,.0f} "
        f"quads/s; peak memory {result['peak_memory']}"
    )


def bench_scale(
    work: Annotated[Path, typer.Argument(help="Empty folder for the corpus and the store.")],
    corpora: CorporaOption = None,
    articles: Annotated[int, typer.Option(min=1, help="Synthetic articles to build.")] = 10_000,
    added: Annotated[int, typer.Option(min=1, help="New articles added afterwards.")] = 100,
    processes: Annotated[int, typer.Option("--processes", "-p", min=1)] = 2,
    as_json: JsonOption = False,
) -> None:
    """Build a synthetic corpus recombined from PolNeAR train: full build, unchanged rebuild,
    then new articles added; wall times, their ratios and the peak memory of each build."""
    from claimgraph.bench.scale import scale_run

    root = corpora_root(corpora)
    with err.status(f"building {articles:,} synthetic articles with {processes} process(es)"):
        try:
            result = scale_run(root, work, articles=articles, added=added, processes=processes)
        except (ValueError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
        return
    full = result["full_build"]["seconds"]
    print_table(
        f"{articles:,} synthetic articles, {processes} process(es)",
        ("build", "seconds", "peak RSS MB", "vs full build"),
        (
            (name, f"{r['seconds']:.1f}", f"{r['peak_rss_mb']:,.0f}", f"{r['seconds'] / full:.1%}")
            for name, r in ((n, result[n]) for n in ("full_build", "unchanged_rebuild", "add_new"))
        ),
    )
    out.print(f"full build: {result['words_per_s']:,.0f} words/s")
