"""The main job end to end: text in, graph out (ingest -> pipeline -> extract -> store)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEED_PAGE

CLI = [sys.executable, "-c", "from claimgraph.cli import main; main()"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory, nlp) -> Path:
    folder = tmp_path_factory.mktemp("seed")
    result = run("build", str(SEED_PAGE), "--db", "seed.db", "-q", "--json", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder


def counts(folder: Path) -> dict:
    return json.loads(run("stats", "--db", "seed.db", "--json", cwd=folder).stdout)["counts"]


def test_build_is_idempotent_and_finds_peskov(seed_db):
    before = counts(seed_db)
    assert before["claims"] > 10 and before["articles"] == 4
    again = run("build", str(SEED_PAGE), "--db", "seed.db", "-q", "--json", cwd=seed_db)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["documents_added"] == 0
    assert counts(seed_db) == before
    query = run("query", "said-by", "Peskov", "--db", "seed.db", "-f", "json", cwd=seed_db)
    rows = json.loads(query.stdout)
    text = SEED_PAGE.read_text(encoding="utf-8")
    assert rows, "no claims by Peskov"
    assert len(rows) >= 2  # "No one expects an easy road" and "It will be very difficult"
    for row in rows:
        assert text[row["start"] : row["end"]] == row["text"]


def test_bad_inputs_are_reported_and_the_build_goes_on(tmp_path, nlp):
    (tmp_path / "good.txt").write_text("The mayor said the bridge would reopen on Friday.\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (tmp_path / "bad.jsonl").write_text('{"text": "The minister said talks failed."}\n{oops\n')
    result = run("build", "good.txt", "empty.txt", "image.txt", "bad.jsonl", "--db", "db", "-q",
                 cwd=tmp_path)  # fmt: skip
    assert result.returncode == 2, result.stderr  # two named files could not be read
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert len(errors) == 2 and len(warnings) == 1, result.stderr
    assert any("empty.txt" in e for e in errors) and any("image.txt" in e for e in errors)
    assert "bad.jsonl:2" in warnings[0]
    assert "2 documents added" in result.stderr  # the readable ones were built all the same


def test_store_inside_an_input_folder_is_not_read(tmp_path, nlp):
    (tmp_path / "a.txt").write_text("The mayor said the bridge would reopen on Friday.\n")
    first = run("build", ".", "--db", "store", "-q", cwd=tmp_path)
    again = run("build", ".", "--db", "store", "-q", "--json", cwd=tmp_path)
    assert first.returncode == 0 and again.returncode == 0, again.stderr
    assert "store/" not in first.stderr + again.stderr
    assert json.loads(again.stdout)["documents_added"] == 0


def test_two_processes_build_the_same_graph(tmp_path, nlp):
    texts = [
        "The mayor said the bridge would reopen on Friday.",
        '"We will not give up," Zelensky said on Monday.',
        "According to the Pentagon, the strike killed three militants.",
        "Angela Merkel warned that Europe faces a difficult winter.",
    ]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)))
    dumps = []
    for n in ("1", "2"):
        built = run("build", "corpus.jsonl", "--db", f"db{n}", "-q", "--processes", n, cwd=tmp_path)
        assert built.returncode == 0, built.stderr
        out = run("export", "--db", f"db{n}", "-f", "nquads", "-o", f"g{n}.nq", cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        dumps.append(sorted((tmp_path / f"g{n}.nq").read_text().splitlines()))
    assert dumps[0] and dumps[0] == dumps[1]


def test_rebuild_reprocesses_everything_and_replaces_the_store_only_on_success(tmp_path, nlp):
    (tmp_path / "a.txt").write_text("The mayor said the bridge would reopen on Friday.\n")
    (tmp_path / "b.txt").write_text('"We will not give up," Zelensky said on Monday.\n')
    first = run("build", "a.txt", "b.txt", "--db", "db", "-q", "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr

    def export() -> list[str]:
        out = run("export", "--db", "db", "-f", "nquads", "-o", "g.nq", cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        return sorted((tmp_path / "g.nq").read_text().splitlines())

    before = export()
    again = run("build", "a.txt", "b.txt", "--db", "db", "-q", "--json", "--rebuild", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["documents_added"] == 2  # the cache was not used
    assert export() == before
    failed = run("build", "a.txt", "--db", "db", "-q", "--rebuild", "--model", "no_such_model",
                 cwd=tmp_path)  # fmt: skip
    assert failed.returncode == 1 and "no_such_model" in failed.stderr
    assert export() == before  # the old store is untouched
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_keep_loaded_takes_the_pipeline_out_of_full_collections(nlp):
    import gc

    from claimgraph.flow import keep_loaded

    gc.collect()
    assert any(obj is nlp for obj in gc.get_objects(generation=2))
    try:
        assert keep_loaded(nlp) is nlp
        assert gc.get_freeze_count() > 0
        assert not any(obj is nlp for obj in gc.get_objects(generation=2))
    finally:
        gc.unfreeze()
