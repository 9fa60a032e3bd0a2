"""Score claimgraph's attribution extraction with the project's shared scorers.

* PolNeAR (``dev`` by default): ``tools/score_attributions.py GOLD_DIR PRED.jsonl``.
* The seed page: ``tools/score_seed.py PRED.jsonl``.

Both scorers are run as separate processes with argument lists (no shell); the last line
each prints is its JSON result.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from spacy.language import Language

from claimgraph.extract.pipeline import TextUnit, article_unit, extract_units
from claimgraph.ingest import iter_articles

from .polnear import read_split

SEED_FILE = "000_47f190533f14312e.txt"


def default_tools_dir() -> Path:
    """``$CLAIMGRAPH_TOOLS`` or ``../shared/tools``."""
    return Path(os.environ.get("CLAIMGRAPH_TOOLS", "../shared/tools"))


def _run_scorer(args: list[str]) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=False, timeout=600
    )
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"{args[0]} failed: {proc.stderr.strip()[-300:]}")
    return json.loads(lines[-1])


def _write_claims(nlp: Language, units: list[TextUnit], path: Path) -> int:
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for claim in extract_units(nlp, units):
            handle.write(json.dumps(claim.to_dict(), ensure_ascii=False) + "\n")
            count += 1
    return count


def evaluate_polnear(
    nlp: Language, root: Path, tools: Path, *, split: str = "dev", limit: int = 0
) -> dict[str, object]:
    """Extract claims from PolNeAR ``split`` and score them against its gold."""
    articles = list(read_split(root, split, limit=limit))
    units = [TextUnit(f"{a.name}.txt", 0, 0, a.text) for a in articles]
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        n = _write_claims(nlp, units, pred)
        gold_dir = root / "polnear" / split
        if limit:
            gold_dir = Path(tmp) / "gold"
            for sub in ("text", "attributions"):
                (gold_dir / sub).mkdir(parents=True)
            names = {a.name for a in articles}
            for sub in ("text", "attributions"):
                for src in (root / "polnear" / split / sub).iterdir():
                    if src.name.split(".")[0].rsplit("_", 1)[0] in names or src.stem in names:
                        (gold_dir / sub / src.name).write_bytes(src.read_bytes())
        scorer = tools / "score_attributions.py"
        result = _run_scorer([str(scorer), str(gold_dir), str(pred), "--json"])
    result["claims"] = n
    return result


def evaluate_seed(nlp: Language, seed_path: Path, tools: Path) -> dict[str, object]:
    """Extract claims from the seed page as ``claimgraph extract`` does (ingest splits it into
    articles with their headlines) and score them with ``score_seed.py``."""
    units = [article_unit(doc, article) for doc, article in iter_articles([seed_path])]
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "seed.jsonl"
        _write_claims(nlp, units, pred)
        return _run_scorer([str(tools / "score_seed.py"), str(pred)])


def evaluate_attribution(
    nlp: Language,
    root: Path,
    tools: Path,
    *,
    split: str = "dev",
    limit: int = 0,
    progress: Callable[[str], None] | None = None,
) -> dict[str, object]:
    """PolNeAR and seed-page scores as one dict."""
    results: dict[str, object] = {}
    if progress:
        progress(f"PolNeAR {split}")
    results[f"polnear_{split}"] = evaluate_polnear(nlp, root, tools, split=split, limit=limit)
    seed = root.parent / "seed" / SEED_FILE
    if seed.exists():
        if progress:
            progress("seed page")
        results["seed"] = evaluate_seed(nlp, seed, tools)
    return results
