"""End-to-end build speed against the bare pipeline, in one run on the same texts."""

from __future__ import annotations

import json
import resource
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from spacy.language import Language

from claimgraph.extract.pipeline import ATTRIBUTION_PIPES
from claimgraph.flow import BuildOptions, Extractor, build, partial_extract
from claimgraph.graph import DocumentInput, GraphStore

from .pipeline import pipeline_speed


def _peak_rss_mb() -> dict[str, float]:
    """Peak resident memory so far (Linux reports KiB) of this process and its children."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self_mb": round(own, 1), "children_mb": round(children, 1)}


def build_speed(
    nlp: Language, texts: Sequence[str], *, processes: Sequence[int] = (1, 2), rounds: int = 8
) -> dict[str, object]:
    """Words/s of the bare pipeline and of ``claimgraph build`` for each process count.

    Builds stream through ingest, extraction and a fresh on-disk store, as ``claimgraph
    build`` does (writes overlap the next documents' NLP). The machines this runs on drift
    by several percent within minutes, so the build/bare ratio is not taken from two runs
    minutes apart: the bare pipeline and a one-process build are timed in ``rounds``
    alternating rounds over consecutive slices of ``texts`` (bare then build, then build
    then bare, ...) into one store, and the ratio is that of the summed times. Process
    counts are then compared on whole-corpus builds; with more than one process the
    workers load the bundled pipeline (``nlp`` should be that pipeline). Store load
    throughput is measured on the documents the interleaved build extracted.
    """
    if not texts:
        raise ValueError("texts is empty: nothing to time")
    if any(n < 1 for n in processes):
        raise ValueError(f"process counts must be >= 1, not {list(processes)}")
    if rounds < 1:
        raise ValueError(f"rounds must be >= 1, not {rounds}")
    size = -(-len(texts) // rounds)  # texts per round, rounded up
    parts = [texts[i : i + size] for i in range(0, len(texts), size)]
    result: dict[str, object] = {"texts": len(texts), "rounds": len(parts)}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        documents: list[DocumentInput] = []
        corpora = [_corpus(root / f"part{i}.jsonl", part) for i, part in enumerate(parts)]
        words, bare_seconds, build_seconds = 0, 0.0, 0.0
        here = partial_extract(nlp)
        with GraphStore.open(root / "interleaved") as store:
            for i, (part, corpus) in enumerate(zip(parts, corpora, strict=True)):
                if i % 2:
                    build_seconds += _timed_build(store, [corpus], here, documents)
                bare = _bare_speed(nlp, part)
                words += bare["words"]
                bare_seconds += bare["seconds"]
                if not i % 2:
                    build_seconds += _timed_build(store, [corpus], here, documents)
        result["bare_pipeline"] = _speed(words, bare_seconds)
        result["interleaved_build"] = _speed(words, build_seconds)
        result["build_vs_bare"] = bare_seconds / build_seconds
        builds = {}  # whole-corpus builds read the same part files, in order
        for n in processes:
            # as `claimgraph build --processes n`: n > 1 workers load the bundled pipeline
            with GraphStore.open(root / f"store{n}") as store:
                seconds = _timed_build(store, corpora, here if n == 1 else None, [], processes=n)
                builds[str(n)] = _speed(words, seconds)
        result["build"] = builds
        start = time.perf_counter()
        with GraphStore.open(root / "load") as store:
            store.build(documents)
            quads = store.counts()["quads"]
        seconds = time.perf_counter() - start
        result["store_load"] = {"quads": quads, "seconds": seconds, "quads_per_s": quads / seconds}
    if len(processes) > 1:
        first = builds[str(processes[0])]["words_per_s"]
        result["speedup"] = builds[str(processes[-1])]["words_per_s"] / first
    result["peak_memory"] = _peak_rss_mb()
    return result


def _corpus(path: Path, texts: Sequence[str]) -> Path:
    """``texts`` as a JSON Lines corpus at ``path``."""
    with path.open("w", encoding="utf-8") as handle:
        for i, text in enumerate(texts):
            handle.write(json.dumps({"id": f"{path.stem}-{i}", "text": text}) + "\n")
    return path


def _bare_speed(nlp: Language, texts: Sequence[str]) -> dict[str, float]:
    with nlp.select_pipes(disable=list(ATTRIBUTION_PIPES)):
        return pipeline_speed(nlp, texts)


def _timed_build(
    store: GraphStore,
    inputs: Sequence[Path],
    extractor: Extractor | None,
    kept: list[DocumentInput],
    *,
    processes: int = 1,
) -> float:
    """Seconds that :func:`claimgraph.flow.build` takes to build ``inputs`` into ``store``
    (with ``extractor``, else in ``processes`` workers); the documents added go to
    ``kept``."""
    start = time.perf_counter()
    build(
        inputs, store, options=BuildOptions(processes=processes), extractor=extractor,
        on_document=lambda doc, status: kept.append(doc) if status == "added" else None,
    )  # fmt: skip
    return time.perf_counter() - start


def _speed(words: int, seconds: float) -> dict[str, float]:
    return {"words": words, "seconds": seconds, "words_per_s": words / seconds}
