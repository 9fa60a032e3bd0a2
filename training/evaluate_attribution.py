"""Score claimgraph's attribution extraction with the project's shared scorers.

* PolNeAR (``dev`` by default): ``tools/score_attributions.py GOLD_DIR PRED.jsonl``.
* The seed page: ``tools/score_seed.py PRED.jsonl``.
* Human agreement, a practical ceiling for the PolNeAR figures: the same scorer reading one
  annotator's attributions as predictions against another's, on the train and dev articles
  that several annotators annotated.

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

import numpy
from spacy.language import Language

from claimgraph.extract.pipeline import TextUnit, article_unit, extract_units
from claimgraph.extract.records import Claim
from claimgraph.ingest import iter_articles

from .confidence import calibration, label_claims
from .polnear import SPLITS, PolnearArticle, annotation_files, parse_ann, read_split

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


def _write_claims(nlp: Language, units: list[TextUnit], path: Path) -> list[Claim]:
    claims = []
    with path.open("w", encoding="utf-8") as handle:
        for claim in extract_units(nlp, units):
            handle.write(json.dumps(claim.to_dict(), ensure_ascii=False) + "\n")
            claims.append(claim)
    return claims


def _calibration(articles: list[PolnearArticle], claims: list[Claim]) -> dict[str, float]:
    """How well the claims' confidences predict who-said-what being right (see
    :func:`claimgraph.training.confidence.calibration`)."""
    by_doc: dict[str, list[Claim]] = {}
    for claim in claims:
        by_doc.setdefault(claim.doc, []).append(claim)
    p, y = [], []
    for article in articles:
        found = by_doc.get(f"{article.name}.txt", [])
        y += label_claims(article.text, found, article.attributions)
        p += [c.confidence for c in found]
    return calibration(numpy.array(p, dtype=float), numpy.array(y, dtype=float))


def evaluate_polnear(
    nlp: Language, root: Path, tools: Path, *, split: str = "dev", limit: int = 0
) -> dict[str, object]:
    """Extract claims from PolNeAR ``split`` and score them against its gold."""
    articles = list(read_split(root, split, limit=limit))
    units = [TextUnit(f"{a.name}.txt", 0, 0, a.text) for a in articles]
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.jsonl"
        claims = _write_claims(nlp, units, pred)
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
    result["claims"] = len(claims)
    if claims:
        result["confidence"] = _calibration(articles, claims)
    return result


def evaluate_seed(nlp: Language, seed_path: Path, tools: Path) -> dict[str, object]:
    """Extract claims from the seed page as ``claimgraph extract`` does (ingest splits it into
    articles with their headlines) and score them with ``score_seed.py``."""
    units = [article_unit(doc, article) for doc, article in iter_articles([seed_path])]
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "seed.jsonl"
        _write_claims(nlp, units, pred)
        return _run_scorer([str(tools / "score_seed.py"), str(pred)])


def annotator_agreement(
    root: Path, tools: Path, *, splits: tuple[str, ...] = SPLITS
) -> dict[str, object]:
    """Score annotators against each other with the PolNeAR scorer: on every article of
    ``splits`` with several annotators, the first (the gold of every other figure) is gold
    and each other annotator is scored as a prediction; all pairs pooled.

    The result is the scorer's dict plus ``articles`` and ``pairs``: how far trained people
    agree with the gold annotator, a practical ceiling for an extractor on the figures that
    depend on annotation conventions (cue and source boundaries above all). Raises
    ``ValueError`` when no article has two annotators.
    """
    articles = pairs = 0
    with tempfile.TemporaryDirectory() as tmp:
        gold_dir = Path(tmp) / "gold"
        for sub in ("text", "attributions"):
            (gold_dir / sub).mkdir(parents=True)
        pred = Path(tmp) / "pred.jsonl"
        with pred.open("w", encoding="utf-8") as handle:
            for split in splits:
                text_dir = root / "polnear" / split / "text"
                for name, files in sorted(annotation_files(root, split).items()):
                    if len(files) < 2:
                        continue
                    articles += 1
                    text = (text_dir / f"{name}.txt").read_bytes()
                    gold = files[0].read_bytes()
                    for other in files[1:]:
                        pairs += 1
                        key = f"{name}__{other.stem.rsplit('_', 1)[1]}"
                        (gold_dir / "text" / f"{key}.txt").write_bytes(text)
                        (gold_dir / "attributions" / f"{key}_gold.ann").write_bytes(gold)
                        for item in parse_ann(other.read_text(encoding="utf-8")):
                            record = {role: spans or None for role, spans in item.to_dict().items()}
                            handle.write(json.dumps({"doc": key, **record}) + "\n")
        if not pairs:
            where = f"{root / 'polnear'} ({', '.join(splits)})"
            raise ValueError(f"{where}: no article has two annotators")
        scorer = tools / "score_attributions.py"
        result = _run_scorer([str(scorer), str(gold_dir), str(pred), "--json"])
    result.pop("docs", None)
    return {"articles": articles, "pairs": pairs, **result}


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
