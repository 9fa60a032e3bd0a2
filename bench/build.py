"""End-to-end build speed against the bare pipeline, in one run on the same texts."""

from __future__ import annotations

import json
import resource
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from spacy.language import Language

from claimgraph.extract.pipeline import ATTRIBUTION_PIPES
from claimgraph.flow import ProcessExtractor, document_inputs
from claimgraph.graph import DocumentInput, GraphStore

from .pipeline import pipeline_speed


def _peak_rss_mb() -> dict[str, float]:
    """Peak resident memory so far (Linux reports KiB) of this process and its children."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"self_mb": round(own, 1), "children_mb": round(children, 1)}


def _kept(stream: Iterable[DocumentInput], kept: list[DocumentInput]) -> Iterator[DocumentInput]:
    """``stream``, each item also appended to ``kept`` (for the store load measurement)."""
    for item in stream:
        kept.append(item)
        yield item


def build_speed(
    nlp: Language, texts: Sequence[str], *, processes: Sequence[int] = (1, 2)
) -> dict[str, object]:
    """Words/s of the bare pipeline and of ``claimgraph build`` for each process count.

    The build streams through ingest, extraction and a fresh on-disk store, as
    ``claimgraph build`` does (writes overlap the next documents' NLP); with more than one
    process the workers load the bundled pipeline (``nlp`` should be that pipeline). Store
    load throughput is measured separately on the documents extracted by the first build.
    """
    if not texts:
        raise ValueError("texts is empty: nothing to time")
    if any(n < 1 for n in processes):
        raise ValueError(f"process counts must be >= 1, not {list(processes)}")
    result: dict[str, object] = {"texts": len(texts)}
    with nlp.select_pipes(disable=list(ATTRIBUTION_PIPES)):
        bare = pipeline_speed(nlp, texts)
    result["bare_pipeline"] = bare
    words = bare["words"]
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as handle:
            for i, text in enumerate(texts):
                handle.write(json.dumps({"id": str(i), "text": text}) + "\n")
        builds = {}
        documents: list[DocumentInput] = []
        for n in processes:
            start = time.perf_counter()
            if n == 1:
                stream = document_inputs(nlp, [corpus])
            else:  # as `claimgraph build --processes n`: workers load the bundled pipeline
                stream = document_inputs(None, [corpus], extract=ProcessExtractor(n))
            kept: list[DocumentInput] = []
            with GraphStore.open(Path(tmp) / f"store{n}") as store:
                store.build(_kept(stream, kept))  # streamed, as `claimgraph build` does
            seconds = time.perf_counter() - start
            builds[str(n)] = {"seconds": seconds, "words_per_s": words / seconds}
            documents = documents or kept
        result["build"] = builds
        start = time.perf_counter()
        with GraphStore.open(Path(tmp) / "load") as store:
            store.build(documents)
            quads = store.counts()["quads"]
        seconds = time.perf_counter() - start
        result["store_load"] = {"quads": quads, "seconds": seconds, "quads_per_s": quads / seconds}
    first = builds[str(processes[0])]["words_per_s"]
    result["build_vs_bare"] = first / bare["words_per_s"]
    if len(processes) > 1:
        result["speedup"] = builds[str(processes[-1])]["words_per_s"] / first
    result["peak_memory"] = _peak_rss_mb()
    return result
