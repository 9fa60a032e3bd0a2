"""PolNeAR attribution annotation (brat standoff) as plain records.

Each article has ``text/<doc>.txt`` and ``attributions/<doc>_<annotator>.ann``; when several
annotators exist the first in sorted order is the gold (as the shared scorer does). Only
``train`` and ``dev`` are read: the test split is held out and never opened.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROLES = ("source", "cue", "content")
SPLITS = ("train", "dev")


@dataclass(frozen=True)
class GoldAttribution:
    """One annotated attribution: character spans per role (content may be discontinuous)."""

    source: tuple[tuple[int, int], ...]
    cue: tuple[tuple[int, int], ...]
    content: tuple[tuple[int, int], ...]

    def to_dict(self) -> dict[str, list[list[int]]]:
        return {role: [list(s) for s in getattr(self, role)] for role in ROLES}


@dataclass(frozen=True)
class PolnearArticle:
    """An article's name, text and gold attributions."""

    name: str
    text: str
    attributions: tuple[GoldAttribution, ...]


def parse_ann(text: str) -> list[GoldAttribution]:
    """Attributions of a brat ``.ann`` file's content (events with at least one content)."""
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    events: list[dict[str, str]] = []
    for line in text.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, offsets = parts[1].partition(" ")
            pieces = [tuple(map(int, p.split())) for p in offsets.split(";")]
            spans[parts[0]] = (kind, [(a, b) for a, b in pieces])
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split()))
    out: list[GoldAttribution] = []
    for event in events:
        roles: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for role, tid in event.items():
            name = role.rstrip("0123456789").lower()
            if name in ROLES and tid in spans:
                roles[name].extend(spans[tid][1])
        if roles["content"]:
            out.append(
                GoldAttribution(
                    tuple(sorted(roles["source"])),
                    tuple(sorted(roles["cue"])),
                    tuple(sorted(roles["content"])),
                )
            )
    return out


def annotation_files(root: Path, split: str) -> dict[str, list[Path]]:
    """Each article of PolNeAR ``split`` that has annotations -> its ``.ann`` files, sorted
    (the first is the gold; articles used to measure agreement have several)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    anns: dict[str, list[Path]] = defaultdict(list)
    for path in (root / "polnear" / split / "attributions").glob("*.ann"):
        anns[path.stem.rsplit("_", 1)[0]].append(path)
    return {name: sorted(paths) for name, paths in anns.items()}


def read_split(root: Path, split: str, *, limit: int = 0) -> Iterator[PolnearArticle]:
    """Articles of PolNeAR ``split`` ("train" or "dev") under the corpora ``root``."""
    anns = annotation_files(root, split)
    base = root / "polnear" / split
    paths = sorted((base / "text").glob("*.txt"))
    for text_path in paths[:limit] if limit else paths:
        name = text_path.stem
        text = text_path.read_text(encoding="utf-8")
        gold: list[GoldAttribution] = []
        if anns.get(name):
            gold = parse_ann(anns[name][0].read_text(encoding="utf-8"))
        yield PolnearArticle(name, text, tuple(gold))
