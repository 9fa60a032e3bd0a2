"""Large-corpus build benchmark: a synthetic corpus recombined from PolNeAR train articles.

:func:`synthetic_corpus` writes ``n`` articles, each the first half (by paragraphs) of one
train article followed by the second half of another, as JSONL shards of ``shard_size``
articles (one shard = one document, identified by its content hash). :func:`scale_run` times
``claimgraph build`` on it in a subprocess, three times: the full build, the same corpus again
(every document known: the cache at work) and the corpus plus one new shard. Peak memory is the
largest sum of resident memory over the build process and all its workers, sampled while it
runs.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import psutil


def _metadata(root: Path) -> dict[str, tuple[str, str]]:
    """PolNeAR file name -> (publisher, publication date) from ``metadata.tsv``."""
    path = root / "polnear" / "metadata.tsv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {r["filename"]: (r["publisher"], r["publication_date"]) for r in rows}


def _halves(text: str) -> tuple[list[str], list[str]]:
    paragraphs = [p for p in text.split("\n") if p.strip()]
    cut = max(1, len(paragraphs) // 2)
    return paragraphs[:cut], paragraphs[cut:]


def synthetic_corpus(
    root: Path, out: Path, n: int, *, seed: int = 0, first: int = 0, shard_size: int = 100
) -> dict[str, int]:
    """Write articles ``first`` .. ``first + n - 1`` of the synthetic corpus under ``out``.

    Article ``i`` depends only on ``seed`` and ``i``, so a later call with ``first=n`` adds new
    articles without changing the earlier ones. Returns counts of articles, shards and words.

    >>> import tempfile
    >>> synthetic_corpus(Path("/nonexistent"), Path(tempfile.mkdtemp()), 0)
    Traceback (most recent call last):
    ...
    ValueError: n must be >= 1, not 0
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, not {n}")
    if shard_size < 1:
        raise ValueError(f"shard_size must be >= 1, not {shard_size}")
    texts_dir = root / "polnear" / "train" / "text"
    sources = sorted(texts_dir.glob("*.txt"))
    if len(sources) < 2:
        raise ValueError(f"{texts_dir}: need at least two PolNeAR train texts")
    meta = _metadata(root)
    texts = [p.read_text(encoding="utf-8") for p in sources]
    out.mkdir(parents=True, exist_ok=True)
    words = 0
    shards = 0
    for shard_start in range(first, first + n, shard_size):
        shard_end = min(first + n, shard_start + shard_size)
        lines = []
        for i in range(shard_start, shard_end):
            rng = random.Random(f"{seed}:{i}")
            a, b = rng.sample(range(len(sources)), 2)
            head, _ = _halves(texts[a])
            _, tail = _halves(texts[b])
            text = "\n".join(head + tail)
            words += len(text.split())
            outlet, date = meta.get(sources[a].stem, ("", ""))
            record = {"id": f"syn-{i:06d}", "text": text, "outlet": outlet, "date": date}
            lines.append(json.dumps(record, ensure_ascii=False))
        path = out / f"shard-{shard_start:06d}.jsonl"
        tmp = path.with_suffix(".tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        tmp.replace(path)
        shards += 1
    return {"articles": n, "shards": shards, "words": words}


class _PeakMemory:
    """Samples the summed RSS of a process tree in a background thread."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        self.peak = 0
        self._pid = pid
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            root = psutil.Process(self._pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            total = 0
            try:
                for proc in [root, *root.children(recursive=True)]:
                    try:
                        total += proc.memory_info().rss
                    except psutil.NoSuchProcess:
                        continue
            except psutil.NoSuchProcess:
                return
            self.peak = max(self.peak, total)
            self._stop.wait(self._interval)

    def __enter__(self) -> _PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def timed_build(inputs: Sequence[Path], db: Path, *, processes: int) -> dict[str, object]:
    """Run ``claimgraph build`` in a subprocess; wall time, peak tree RSS and its summary."""
    cmd = [
        sys.executable, "-m", "claimgraph", "build", *map(str, inputs), "--db", str(db),
        "--processes", str(processes), "--quiet", "--json",
    ]  # fmt: skip
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with _PeakMemory(proc.pid) as memory:
        stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        tail = stderr.strip().splitlines()[-1:] or ["no error output"]
        raise RuntimeError(f"build exited {proc.returncode}: {tail[0]}")
    return {
        "seconds": seconds,
        "peak_rss_mb": round(memory.peak / 2**20, 1),
        "summary": json.loads(stdout),
    }


def scale_run(
    root: Path, work: Path, *, articles: int = 10_000, added: int = 100, processes: int = 2,
    seed: int = 0,
) -> dict[str, object]:  # fmt: skip
    """Full build of ``articles`` synthetic articles, an unchanged rebuild, then ``added`` more.

    ``work`` receives the corpus (``corpus/``, ``added/``) and the store (``store/``); an
    existing store there is an error, so the first build is always a full one.
    """
    if articles < 1 or added < 1:
        raise ValueError(f"articles and added must be >= 1, not {articles} and {added}")
    db = work / "store"
    if db.exists():
        raise ValueError(f"{db}: a store already exists; use an empty work folder")
    corpus, extra = work / "corpus", work / "added"
    made = synthetic_corpus(root, corpus, articles, seed=seed)
    more = synthetic_corpus(root, extra, added, seed=seed, first=articles)
    full = timed_build([corpus], db, processes=processes)
    again = timed_build([corpus], db, processes=processes)
    grow = timed_build([corpus, extra], db, processes=processes)
    seconds = float(full["seconds"])  # type: ignore[arg-type]
    return {
        "corpus": made,
        "added_corpus": more,
        "processes": processes,
        "full_build": full,
        "words_per_s": made["words"] / seconds,
        "unchanged_rebuild": again,
        "rebuild_vs_full": float(again["seconds"]) / seconds,  # type: ignore[arg-type]
        "add_new": grow,
        "add_vs_full": float(grow["seconds"]) / seconds,  # type: ignore[arg-type]
    }
