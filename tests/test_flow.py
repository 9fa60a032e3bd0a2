"""One flow, three routes into the graph: `claimgraph build`, `claimgraph.flow.build` from a
short Python script, and `extract -f jsonl` then `build --claims` make the same N-Quads."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED_PAGE

CLI = [sys.executable, "-c", "from claimgraph.cli import main; main()"]
SCRIPT = """\
from claimgraph.flow import build
from claimgraph.graph import GraphStore

with GraphStore.open("python.db") as store:
    report = build(["seed_page.txt"], store)
print(report.added, report.skipped)
"""


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return result


def nquads(folder: Path, db: str) -> list[str]:
    run("export", "--db", db, "-o", f"{db}.nq", cwd=folder)
    return sorted((folder / f"{db}.nq").read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def folder(tmp_path_factory, nlp) -> Path:
    here = tmp_path_factory.mktemp("flow")
    shutil.copy(SEED_PAGE, here / "seed_page.txt")
    run("build", "seed_page.txt", "--db", "cli.db", "-q", cwd=here)
    return here


def test_library_build_equals_cli_build(folder: Path) -> None:
    (folder / "script.py").write_text(SCRIPT, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "script.py"], cwd=folder, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "0"]
    cli = nquads(folder, "cli.db")
    assert len(cli) > 1000
    assert nquads(folder, "python.db") == cli


def test_extract_then_build_claims_equals_build(folder: Path) -> None:
    run("extract", "seed_page.txt", "-o", "claims.jsonl", "-q", cwd=folder)
    records = [json.loads(line) for line in (folder / "claims.jsonl").open(encoding="utf-8")]
    articles = [r for r in records if r.get("record") == "article"]
    assert [a["article"] for a in articles] == [1, 2, 3, 4]
    assert {a["sha256"] for a in articles} == {records[0]["sha256"]}
    run("build", "--claims", "claims.jsonl", "--db", "claims.db", "-q", cwd=folder)
    assert nquads(folder, "claims.db") == nquads(folder, "cli.db")


def test_extract_piped_into_build_claims_equals_build(folder: Path) -> None:
    extract = subprocess.Popen(
        [*CLI, "extract", "seed_page.txt", "-f", "jsonl", "-q"], cwd=folder,
        stdout=subprocess.PIPE,
    )  # fmt: skip
    built = subprocess.run(
        [*CLI, "build", "--claims", "-", "--db", "piped.db", "-q"], cwd=folder,
        stdin=extract.stdout, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert extract.wait(timeout=600) == 0 and built.returncode == 0, built.stderr
    assert nquads(folder, "piped.db") == nquads(folder, "cli.db")


def test_article_author_and_language_reach_the_store(tmp_path: Path, nlp) -> None:
    page = (
        '<html lang="de"><head><title>Gespräche</title><meta name="author" content="Anna Weber">'
        "</head><body><article><h1>Gespräche</h1><p>"
        + "Die Gespräche gehen weiter. " * 20
        + '"Wir verhandeln weiter," sagte Dmitri Peskow am Montag.</p></article></body></html>'
    )
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    run("extract", "page.html", "-o", "claims.jsonl", "-q", cwd=tmp_path)
    first = json.loads((tmp_path / "claims.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert (first["record"], first["author"], first["language"]) == ("article", "Anna Weber", "de")
    run("build", "--claims", "claims.jsonl", "--db", "db", "-q", cwd=tmp_path)
    quads = "\n".join(nquads(tmp_path, "db"))
    assert '<https://w3id.org/claimgraph/ns#byline> "Anna Weber"@de' in quads
    assert '<http://schema.org/inLanguage> "de"' in quads
