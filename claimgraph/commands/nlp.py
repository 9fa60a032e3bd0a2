"""Commands for the NLP stage: entities, pipeline train/evaluate/info, bench pipeline."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from claimgraph import __version__
from claimgraph.commands.inputs import (
    ExcludeOption,
    FieldOption,
    IncludeOption,
    ProblemLog,
    QuietOption,
    ReaderOption,
    StrictOption,
    input_options,
)
from claimgraph.console import (
    CommandError,
    CorporaOption,
    JsonOption,
    ModelOption,
    corpora_root,
    err,
    error,
    load,
    out,
    print_table,
    progress,
    show,
    speed_rows,
    summary,
)

pipeline_app = typer.Typer(
    help="The English NLP pipeline: train, evaluate, inspect.", no_args_is_help=True
)
bench_app = typer.Typer(
    help="Speed benchmarks (ratios against in-process baselines).", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the root ``claimgraph`` app."""
    app.command()(entities)
    app.add_typer(pipeline_app, name="pipeline")
    app.add_typer(bench_app, name="bench")


def entities(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATH...", help="Files, folders, URLs, JSONL/CSV, or - (stdin)."),
    ],
    model: ModelOption = None,
    as_json: JsonOption = False,
    include: IncludeOption = None,
    exclude: ExcludeOption = None,
    reader: ReaderOption = None,
    field: FieldOption = None,
    strict: StrictOption = False,
    quiet: QuietOption = False,
) -> None:
    """Run the NLP pipeline on the inputs and list the named entities found.

    Offsets index each input's decoded text; a long text is read in pieces.
    """
    from claimgraph.extract import entity_mentions
    from claimgraph.extract.pieces import blank_controls, split_text
    from claimgraph.extract.pipeline import MAX_CHARS
    from claimgraph.ingest import IngestError, IngestStats, read_documents

    options = input_options(
        include=include, exclude=exclude, reader=reader, field=field, strict=strict
    )
    problems = ProblemLog(paths)
    problems.check_named()
    nlp = load(model)
    stats = IngestStats()
    rows: list[dict[str, object]] = []

    def skip(problem: IngestError) -> None:
        stats.skip(problem)
        problems(problem)

    try:
        with progress(quiet=quiet) as bar:
            task = bar.add_task("entities", total=None)
            for document in read_documents(paths, on_error=skip, **options.read_options()):
                stats.documents += 1
                text = blank_controls(document.text)
                sentences = 0
                for start, end in split_text(text, min(MAX_CHARS, nlp.max_length)):
                    doc = nlp(text[start:end])
                    for m in entity_mentions(doc):
                        row = {**m.to_dict(), "start": m.start + start, "end": m.end + start}
                        row["sentence"] = m.sentence + sentences
                        rows.append({"doc": document.source, **row})
                    if doc.has_annotation("SENT_START"):
                        sentences += sum(1 for _ in doc.sents)
                bar.advance(task)
    except IngestError as exc:
        raise CommandError(str(exc)) from exc
    if as_json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    else:
        table = Table(title="Named entities")
        for column in ("doc", "text", "label", "start", "end"):
            table.add_column(column, justify="right" if column in ("start", "end") else "left")
        for row in rows:
            table.add_row(*(Text(str(row[c])) for c in ("doc", "text", "label", "start", "end")))
        show(table)
    if not quiet:
        summary(stats.summary(entity_mentions=len(rows)))
    status = problems.exit_status(stats.documents)
    if status:
        if stats.documents == 0:
            error("no documents read")
        raise typer.Exit(status)


@pipeline_app.command("train")
def pipeline_train(
    corpora: CorporaOption = None,
    workdir: Annotated[
        Path, typer.Option(help="Where converted corpora and checkpoints go.")
    ] = Path("build/pipeline-training"),
    output: Annotated[
        Path | None, typer.Option(help="Where the assembled pipeline goes (default: bundled).")
    ] = None,
) -> None:
    """Rebuild the bundled English pipeline from the open corpora (about 80 min on 2 cores)."""
    import spacy

    from claimgraph.nlp import BUNDLED_PATH
    from claimgraph.training import train

    root = corpora_root(corpora)
    corpus, runs = workdir / "corpus", workdir / "runs"
    try:
        with err.status("converting corpora"):
            counts = train.build_corpora(root, corpus)
        err.print(f"corpora: {counts}")
        with err.status(f"training syntax and NER side by side (logs in {runs})"):
            train.train_parts(corpus, runs, parts=("syntax", "ner"))
        with err.status("parsing PolNeAR for the attribution tagger"):
            parser = spacy.load(runs / "syntax" / "model-best")
            err.print(f"corpora: {train.build_attribution_corpora(parser, root, corpus)}")
        with err.status(f"training the attribution tagger (log in {runs})"):
            train.train_parts(corpus, runs, parts=("attribution",))
        target = train.assemble(runs, output or BUNDLED_PATH, version=__version__)
    except (FileNotFoundError, RuntimeError) as exc:
        raise CommandError(str(exc)) from exc
    out.print(f"pipeline written to {target}")


def _print_scores(scores: dict[str, object]) -> None:
    syntax = scores["ud_ewt_test"]
    table = Table(title="UD EWT test (gold tokenization)")
    table.add_column("metric")
    table.add_column("score", justify="right")
    for key in ("pos_acc", "tag_acc", "morph_acc", "lemma_acc", "dep_uas", "dep_las", "sents_f"):
        if key in syntax:
            table.add_row(key, f"{syntax[key]:.4f}")
    show(table)
    for name, title in (
        ("gum_dev_ner", "GUM dev named mentions"),
        ("uner_ewt_test", "UNER EWT test"),
    ):
        ner = scores[name]
        table = Table(title=title)
        for column in ("type", "P", "R", "F", "support"):
            table.add_column(column, justify="left" if column == "type" else "right")
        for label, s in ner["per_type"].items():
            table.add_row(
                label, f"{s['p']:.4f}", f"{s['r']:.4f}", f"{s['f']:.4f}", str(s["support"])
            )
        table.add_row(
            "[bold]all",
            f"{ner['p']:.4f}",
            f"{ner['r']:.4f}",
            f"[bold]{ner['f']:.4f}",
            str(ner["support"]),
        )
        show(table)


@pipeline_app.command("evaluate")
def pipeline_evaluate(
    corpora: CorporaOption = None, model: ModelOption = None, as_json: JsonOption = False
) -> None:
    """Print the accuracy table: UD EWT test, GUM dev named entities, UNER EWT test."""
    from claimgraph.training.evaluate import evaluate_pipeline

    root = corpora_root(corpora)
    nlp = load(model)
    with err.status("evaluating") as status:
        scores = evaluate_pipeline(
            nlp, root, progress=lambda step: status.update(f"evaluating {step}")
        )
    scores["model"] = {"name": nlp.meta.get("name"), "version": nlp.meta.get("version")}
    if as_json:
        sys.stdout.write(json.dumps(scores, indent=2) + "\n")
    else:
        _print_scores(scores)


@pipeline_app.command("info")
def pipeline_info(model: ModelOption = None, as_json: JsonOption = False) -> None:
    """Show the pipeline's components, labels and dependency scheme."""
    from claimgraph.nlp import detect_scheme

    nlp = load(model)
    parser_labels = nlp.get_pipe("parser").labels if "parser" in nlp.pipe_names else ()
    info = {
        "name": f"{nlp.lang}_{nlp.meta.get('name')}",
        "version": nlp.meta.get("version"),
        "pipeline": nlp.pipe_names,
        "dependency_scheme": detect_scheme(parser_labels) if parser_labels else None,
        "entity_labels": list(nlp.get_pipe("ner").labels) if "ner" in nlp.pipe_names else [],
    }
    if as_json:
        sys.stdout.write(json.dumps(info, indent=2) + "\n")
    else:
        for key, value in info.items():
            out.print(f"[bold]{key}[/]: {value}")


@bench_app.command("pipeline")
def bench_pipeline(
    corpora: CorporaOption = None,
    model: ModelOption = None,
    limit: Annotated[int, typer.Option(help="Texts to time (0 = all).")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Words/s of the NLP steps, of every step, and of the tokenizer alone (PolNeAR dev)."""
    from claimgraph.bench.pipeline import pipeline_speed
    from claimgraph.extract.pipeline import ATTRIBUTION_PIPES

    root = corpora_root(corpora)
    text_dir = root / "polnear" / "dev" / "text"
    texts = [p.read_text(encoding="utf8") for p in sorted(text_dir.glob("*.txt"))]
    if limit:
        texts = texts[:limit]
    if not texts:
        raise CommandError(f"{text_dir}: no texts to time")
    nlp = load(model)
    attribution_steps = [name for name in ATTRIBUTION_PIPES if name in nlp.pipe_names]
    with err.status("timing the NLP steps"), nlp.select_pipes(disable=attribution_steps):
        core = pipeline_speed(nlp, texts)
    with err.status("timing every step of the pipeline"):
        full = pipeline_speed(nlp, texts)
    with err.status("timing the tokenizer alone"), nlp.select_pipes(disable=nlp.pipe_names):
        tokenizer = pipeline_speed(nlp, texts)
    result = {
        "nlp_steps": core,
        "full_pipeline": full,
        "tokenizer_only": tokenizer,
        "pipeline": nlp.pipe_names,
        "nlp_step_names": [n for n in nlp.pipe_names if n not in attribution_steps],
    }
    if as_json:
        sys.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        runs = (
            ("NLP steps (tags, lemmas, parse, entities)", core),
            ("all steps (+ attribution)", full),
            ("tokenizer only", tokenizer),
        )
        print_table(
            f"nlp.pipe over {len(texts)} PolNeAR dev texts, 1 process",
            ("run", "words", "seconds", "words/s"),
            speed_rows(runs),
        )
