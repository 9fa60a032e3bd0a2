"""Benchmark helpers: argument checks, the words/s arithmetic, one small build timing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from claimgraph.bench.build import build_speed
from claimgraph.bench.pipeline import pipeline_speed
from claimgraph.bench.scale import synthetic_corpus


def test_pipeline_speed_counts_words():
    result = pipeline_speed(spacy.blank("en"), ["One two three.", "Four five."] * 5)
    assert result["words"] == 35 and result["words_per_s"] > 0


@pytest.mark.parametrize(
    ("texts", "kwargs", "match"),
    [([], {}, "texts is empty"), (["a b"], {"batch_size": 0}, "batch_size")],
)
def test_pipeline_speed_rejects_bad_arguments(texts, kwargs, match):
    with pytest.raises(ValueError, match=match):
        pipeline_speed(spacy.blank("en"), texts, **kwargs)


@pytest.mark.parametrize(
    ("texts", "kwargs", "match"),
    [
        ([], {}, "texts is empty"),
        (["a"], {"processes": (0,)}, "process"),
        (["a"], {"rounds": 0}, "rounds"),
    ],
)
def test_build_speed_rejects_bad_arguments(texts, kwargs, match):
    with pytest.raises(ValueError, match=match):
        build_speed(spacy.blank("en"), texts, **kwargs)


def test_build_speed_streams_the_texts_into_a_store(nlp):
    texts = [
        'Kremlin spokesman Dmitry Peskov said "the talks will be very difficult".',
        "Nothing was said about the weather.",
        "Kyiv accused Moscow of stalling, according to two officials.",
    ]
    result = build_speed(nlp, texts, processes=(1,), rounds=2)
    assert (result["texts"], result["rounds"]) == (3, 2)
    words = result["bare_pipeline"]["words"]
    assert words > 20 and result["interleaved_build"]["words"] == words
    assert result["build_vs_bare"] == pytest.approx(
        result["interleaved_build"]["words_per_s"] / result["bare_pipeline"]["words_per_s"]
    )
    assert result["build"]["1"]["words_per_s"] > 0 and "speedup" not in result
    assert result["store_load"]["quads"] > 0  # the documents kept from the interleaved build


def _fake_polnear(root: Path, n: int = 4) -> Path:
    text_dir = root / "polnear" / "train" / "text"
    text_dir.mkdir(parents=True)
    rows = ["filename\tpublisher\tpublication_date"]
    for i in range(n):
        paras = [f"Article {i} paragraph {j} says something." for j in range(4)]
        (text_dir / f"a{i}.txt").write_text("\n\n".join(paras), encoding="utf-8")
        rows.append(f"a{i}\toutlet{i}\t2016-09-0{i + 1}")
    (root / "polnear" / "metadata.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


def _records(folder: Path) -> list[dict]:
    return [
        json.loads(line)
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]


def test_synthetic_corpus_recombines_halves_deterministically(tmp_path: Path) -> None:
    root = _fake_polnear(tmp_path / "corpora")
    made = synthetic_corpus(root, tmp_path / "a", 5, shard_size=2)
    again = synthetic_corpus(root, tmp_path / "b", 5, shard_size=2)
    assert made == again and made["shards"] == 3 and made["articles"] == 5
    records = _records(tmp_path / "a")
    assert records == _records(tmp_path / "b")
    assert [r["id"] for r in records] == [f"syn-{i:06d}" for i in range(5)]
    for record in records:
        lines = record["text"].split("\n")
        head, tail = lines[0].split()[1], lines[-1].split()[1]
        assert head != tail  # first half of one article, second half of another
        assert record["outlet"] == f"outlet{head}"
    more = synthetic_corpus(root, tmp_path / "c", 2, first=5, shard_size=2)
    assert more["articles"] == 2
    assert [r["id"] for r in _records(tmp_path / "c")] == ["syn-000005", "syn-000006"]


@pytest.mark.parametrize(("n", "shard_size", "match"), [(0, 10, "n must"), (3, 0, "shard_size")])
def test_synthetic_corpus_rejects_bad_arguments(tmp_path, n, shard_size, match):
    with pytest.raises(ValueError, match=match):
        synthetic_corpus(tmp_path, tmp_path / "out", n, shard_size=shard_size)


def test_every_package_folder_is_installed() -> None:
    """A package missing from pyproject's ``packages`` would be absent from a regular install."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    repo = Path(__file__).resolve().parents[1]
    config = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    setup = config["tool"]["setuptools"]
    declared = set(setup["packages"])
    for package, folder in setup["package-dir"].items():
        for init in (repo / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(repo / folder).parts
            assert ".".join((package, *relative)) in declared, init.parent
