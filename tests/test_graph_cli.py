"""The graph commands: build with bad inputs, query outputs, SPARQL bindings, stats."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from graph_support import SEED, seed_claims, write_jsonl
from typer.testing import CliRunner

from claimgraph.cli import app
from claimgraph.graph import ArticleMeta
from claimgraph.graph.jsonl import read_claim_file

CLI = [sys.executable, "-c", "from claimgraph.cli import main; main()"]
runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("graphcli")
    seed = write_jsonl(
        root / "seed.jsonl", seed_claims(), outlet="Daily8", date="2025-07-23", sha256="a" * 64
    )
    path = root / "db"
    result = runner.invoke(app, ["build", "--claims", str(seed), "--db", str(path), "--quiet"])
    assert result.exit_code == 0, result.output
    return path


def _run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_build_reports_each_bad_input_in_one_line_and_goes_on(tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", seed_claims())
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "binary.jsonl").write_bytes(b"\x00\x01\x02\xff" * 10)
    (tmp_path / "latin1.jsonl").write_bytes('{"doc": "café"}\n'.encode("latin-1"))
    lines = good.read_text(encoding="utf-8").splitlines()
    (tmp_path / "broken.jsonl").write_text(
        lines[0].replace("seed_page", "other") + "\n{not json\n[1, 2]\n", encoding="utf-8"
    )
    names = ["empty.jsonl", "binary.jsonl", "latin1.jsonl", "broken.jsonl", "good.jsonl"]
    proc = subprocess.run(
        [*CLI, "build", "--claims", *names, "--db", "db", "--quiet", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    # named files that cannot be read are errors (exit status 2); bad records inside a file
    # that was read are warnings; the rest of the build goes on either way
    assert proc.returncode == 2, proc.stderr
    problems = [
        line for line in proc.stderr.splitlines() if line.startswith(("error:", "warning:"))
    ]
    assert problems == [
        "error: empty.jsonl: empty file",
        "error: binary.jsonl: binary file",
        "error: latin1.jsonl: not UTF-8 text (invalid continuation byte at byte 12)",
        "warning: broken.jsonl:2: malformed JSON line "
        "(Expecting property name enclosed in double quotes at column 2)",
        "warning: broken.jsonl:3: expected a JSON object, got list",
    ]
    summary = json.loads(proc.stdout)
    assert summary["documents_added"] == 2 and summary["input_problems"] == 5
    assert summary["exit_status"] == 2
    only_records = subprocess.run(
        [*CLI, "build", "--claims", "broken.jsonl", "good.jsonl", "--db", "db3", "-q"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert only_records.returncode == 0, only_records.stderr
    # --strict stops at the first problem with status 1
    strict = subprocess.run(
        [*CLI, "build", "--claims", "empty.jsonl", "--db", "db2", "--strict", "-q"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert strict.returncode == 1
    assert strict.stderr.strip().splitlines()[-1] == "error: empty.jsonl: empty file"


@pytest.mark.parametrize("tag", ["no tag", "", "toolongtag"])
def test_article_metadata_rejects_an_invalid_language_tag(tag: str) -> None:
    with pytest.raises(ValueError, match=f"language tag {tag!r} is not valid BCP 47"):
        ArticleMeta(outlet="TASS", language=tag)


def test_bad_article_metadata_is_reported_by_line_and_the_claims_kept(tmp_path: Path) -> None:
    claims = seed_claims()
    path = write_jsonl(tmp_path / "claims.jsonl", claims, outlet="TASS", language="no tag")
    problems: list[str] = []
    (doc,) = read_claim_file(path, on_error=problems.append)
    assert len(doc.claims) == len(claims) and doc.articles == {}
    first_of_article = {}
    for lineno, claim in enumerate(claims, 1):
        first_of_article.setdefault(claim.article, lineno)
    assert problems == [
        f"{path}:{lineno}: bad article metadata (language tag 'no tag' is not valid BCP 47 "
        "(The given language subtag is invalid))"
        for lineno in sorted(first_of_article.values())
    ]
    with pytest.raises(ValueError, match=r"claims\.jsonl:1: bad article metadata"):
        list(read_claim_file(path, strict=True))


def test_build_twice_keeps_counts(tmp_path: Path, db: Path) -> None:
    seed = write_jsonl(tmp_path / "again.jsonl", seed_claims(), sha256="a" * 64)
    before = json.loads(_run("stats", "--db", str(db), "--json"))["counts"]
    result = runner.invoke(app, ["build", "--claims", str(seed), "--db", str(db), "-q", "--json"])
    summary = json.loads(result.stdout)
    assert summary["documents_skipped"] == 1 and summary["store"] == before


def test_said_by_json_and_csv(db: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    rows = json.loads(_run("query", "said-by", "Peskov", "--db", str(db), "-f", "json"))
    assert [(r["speaker_name"], r["text"]) for r in rows] == [
        ("Dmitry Peskov", "No one expects an easy road"),
        ("Dmitry Peskov", "It will be very difficult"),
    ]
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)
    table = list(
        csv.DictReader(
            io.StringIO(_run("query", "said-by", "Dmitry Peskov", "--db", str(db), "-f", "csv"))
        )
    )
    assert [r["start"] for r in table] == [str(r["start"]) for r in rows]
    table_out = _run("query", "said-by", "Peskov", "--db", str(db), "--offsets")
    assert "Claims by Peskov" in table_out and "517" in table_out and "644" in table_out
    assert "517" not in _run("query", "said-by", "Peskov", "--db", str(db))  # offsets on request


def test_table_in_a_pipe_keeps_cells_whole(db: Path) -> None:
    """Written to a pipe or file (not a terminal), a table is not folded at 80 columns."""
    result = runner.invoke(
        app, ["query", "said-by", "Peskov", "--db", str(db)], env={"COLUMNS": None}
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any("No one expects an easy road" in line and "Daily8" in line for line in lines)
    assert max(len(line) for line in lines) > 80


def test_about_who_spoke_top_speakers_path(db: Path) -> None:
    about = json.loads(_run("query", "about", "Medinsky", "--db", str(db), "-f", "json"))
    assert {r["speaker_name"] for r in about} == {"Kremlin", "Ukraine"}
    who = json.loads(
        _run("query", "who-spoke-about", "Russia", "--db", str(db), "-f", "json", "--metonymy")
    )
    assert {r["name"] for r in who} == {"Kyiv", "Trump", "a source in the Ukrainian delegation"}
    top = json.loads(_run("query", "top-speakers", "--db", str(db), "--limit", "2", "-f", "json"))
    assert [(r["name"], r["claims"]) for r in top] == [("Ukraine", 3), ("Dmitry Peskov", 2)]
    hops = json.loads(_run("query", "path", "Umerov", "Medinsky", "--db", str(db), "-f", "json"))
    assert [(h["from"], h["to"]) for h in hops] == [
        ("Rustem Umerov", "Ukraine"),
        ("Ukraine", "Vladimir Medinsky"),
    ]
    missing = runner.invoke(app, ["query", "path", "Umerov", "Nobody", "--db", str(db)])
    assert missing.exit_code != 0


def test_claims_by_date_and_outlet(db: Path) -> None:
    def count(*args: str) -> int:
        return len(json.loads(_run("query", "claims", "--db", str(db), "-f", "json", *args)))

    total = count()
    assert total == 16
    assert count("--from", "2025-07-23", "--to", "2025-07-23") == total
    assert count("--from", "2025-07-24") == 0
    assert count("--outlet", "daily8") == total
    assert count("--outlet", "BBC") == 0


def test_disagreements(db: Path) -> None:
    rows = json.loads(_run("query", "disagreements", "--db", str(db), "-f", "json"))
    assert rows and all(r["speaker_a"] != r["speaker_b"] for r in rows)
    assert all(r["stance_a"] * r["stance_b"] < 0 or r["reason"] == "negation" for r in rows)
    assert {r["target_name"] for r in rows} == {"Russia"}


HOSTILE = '" } ; DROP ALL ; INSERT DATA { <urn:x> <urn:y> "z" } #'


def test_sparql_binds_hostile_strings_as_plain_values(db: Path) -> None:
    before = json.loads(_run("stats", "--db", str(db), "--json"))["counts"]
    out = _run(
        "sparql",
        "SELECT * WHERE { ?e schema:name ?name }",
        "--db",
        str(db),
        "--bind",
        f"name={HOSTILE}",
        "-f",
        "json",
    )
    assert json.loads(out) == []
    query = "SELECT * WHERE { ?e schema:name ?name }"
    table = _run("sparql", query, "--db", str(db), "--bind", f"name={HOSTILE}")
    assert table.strip() == "SPARQL results: no rows"
    assert json.loads(_run("stats", "--db", str(db), "--json"))["counts"] == before
    hit = json.loads(
        _run(
            "sparql",
            "SELECT * WHERE { ?e schema:name ?name }",
            "--db",
            str(db),
            "--bind",
            'name="Dmitry Peskov"@en',
            "-f",
            "json",
        )
    )
    assert len(hit) == 1 and hit[0]["e"].startswith("https://w3id.org/claimgraph/id/entity/")
    bad = runner.invoke(app, ["sparql", "SELECT WHERE {", "--db", str(db)])
    assert bad.exit_code != 0


def test_sparql_hostile_value_round_trips_from_python(tmp_path: Path) -> None:
    from claimgraph.graph import GraphStore

    with GraphStore.open(tmp_path / "db") as store:
        before = len(store)
        rows = store.query("SELECT ?s ?x WHERE { ?s ?p ?o BIND(?x AS ?y) } LIMIT 1", {"x": HOSTILE})
        assert all(r["x"] == HOSTILE for r in rows)
        assert store.query("ASK { ?s ?p ?x }", {"x": HOSTILE}) is False
        assert len(store) == before


def test_stats_json(db: Path) -> None:
    stats = json.loads(_run("stats", "--db", str(db), "--json", "--top", "3"))
    assert stats["counts"]["documents"] == 1 and stats["counts"]["claims"] == 16
    assert stats["entities_by_type"]["Person"] >= 7
    assert len(stats["top_speakers"]) == 3
    assert stats["degree_centrality"][0]["name"] in {"Russia", "Ukraine"}
    assert stats["n_communities"] >= 2
    table = _run("stats", "--db", str(db))
    assert "Degree centrality" in table


def test_query_on_missing_store_is_one_line(tmp_path: Path) -> None:
    proc = subprocess.run(
        [*CLI, "query", "said-by", "X", "--db", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "no graph store" in proc.stderr
