"""claimgraph build --dask: extraction on Dask workers, merged into the same graph as a local
build; failed partitions are retried, reported and left out, never silently dropped."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimgraph.cli import app
from claimgraph.console import CommandError
from claimgraph.extract.pipeline import TextUnit
from tests.conftest import SEED_PAGE

pytest.importorskip("distributed")

CLI = [sys.executable, "-c", "from claimgraph.cli import main; main()"]
TEXTS = {
    "b.txt": 'The mayor said the bridge would reopen on Friday.\n\n"We will not give up," '
    "Zelensky said on Monday.\n",
    "c.txt": "According to the Pentagon, the strike killed three militants. Angela Merkel "
    "warned that Europe faces a difficult winter.\n",
}
INPUTS = ["seed_page.txt", *TEXTS]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def invoke(*args: str, cwd: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(app, list(args))


def nquads(folder: Path, db: str) -> list[str]:
    out = run("export", "--db", db, "-f", "nquads", "-o", f"{db}.nq", cwd=folder)
    assert out.returncode == 0, out.stderr
    return sorted((folder / f"{db}.nq").read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
    ) as local:
        yield local


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, nlp) -> Path:
    """Three documents (the seed page has four articles) and their local build's N-Quads."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(SEED_PAGE, folder / "seed_page.txt")
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    built = run("build", *INPUTS, "--db", "local", "-q", cwd=folder)
    assert built.returncode == 0, built.stderr
    return folder


def test_dask_build_equals_local_build(corpus, cluster):
    built = run("build", *INPUTS, "--db", "dask", "-q", "--json", "--dask",
                cluster.scheduler_address, "--partition-size", "1", cwd=corpus)  # fmt: skip
    assert built.returncode == 0, built.stderr
    summary = json.loads(built.stdout)
    assert summary["documents_added"] == 3
    assert summary["partitions"] == {
        "submitted": 3, "retried": 0, "failed": 0, "documents_failed": 0
    }  # fmt: skip
    local = nquads(corpus, "local")
    assert len(local) > 1000
    assert nquads(corpus, "dask") == local


def _fail_on(doc: str, marker: Path | None):
    """A task that fails on the partition holding ``doc``: always, or (with ``marker``) only
    the first time. It runs on the workers, so it reaches them pickled by value."""

    def task(model, units, batch_size=16, tagger="fast"):
        from claimgraph.distributed import extract_partition

        if any(unit.doc == doc for unit in units):
            if marker is None:
                raise RuntimeError(f"injected failure on {doc}")
            if not marker.exists():
                marker.touch()
                raise RuntimeError(f"injected first-attempt failure on {doc}")
        return extract_partition(model, units, batch_size, tagger)

    return task


def test_failed_partition_is_reported_left_out_and_retried_next_build(
    corpus, cluster, monkeypatch, tmp_path
):
    for name in INPUTS:
        shutil.copy(corpus / name, tmp_path / name)
    address = cluster.scheduler_address
    args = ("build", *INPUTS, "--db", "db", "-q", "--json", "--dask", address,
            "--partition-size", "1")  # fmt: skip
    monkeypatch.setattr("claimgraph.distributed.extract_partition", _fail_on("b.txt", None))
    failed = invoke(*args, cwd=tmp_path, monkeypatch=monkeypatch)
    assert failed.exit_code == 1, failed.output
    errors = [line for line in failed.stderr.splitlines() if line.startswith("error:")]
    retries = [line for line in failed.stderr.splitlines() if line.startswith("warning:")]
    assert errors == [
        "error: partition 2 (b.txt) failed after 3 attempts, not added: "
        "RuntimeError: injected failure on b.txt"
    ]
    assert len(retries) == 2 and all("partition 2 (b.txt)" in line for line in retries)
    summary = json.loads(failed.stdout)
    assert summary["documents_added"] == 2
    assert summary["partitions"] == {
        "submitted": 3, "retried": 2, "failed": 1, "documents_failed": 1
    }  # fmt: skip
    sha = hashlib.sha256((tmp_path / "b.txt").read_bytes()).hexdigest()
    assert sha not in " ".join(nquads(tmp_path, "db"))

    monkeypatch.undo()
    again = invoke(*args, cwd=tmp_path, monkeypatch=monkeypatch)
    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout)
    assert (summary["documents_added"], summary["documents_skipped"]) == (1, 2)
    assert summary["partitions"]["submitted"] == 1  # known documents never reach the workers
    assert f"/doc/{sha}>" in " ".join(nquads(tmp_path, "db"))


def test_a_partition_that_fails_once_is_retried_into_the_same_graph(
    corpus, cluster, monkeypatch, tmp_path
):
    marker = tmp_path / "failed-once"
    monkeypatch.setattr("claimgraph.distributed.extract_partition", _fail_on("c.txt", marker))
    built = invoke("build", *INPUTS, "--db", str(tmp_path / "db"), "-q", "--json", "--dask",
                   cluster.scheduler_address, "--partition-size", "2", cwd=corpus,
                   monkeypatch=monkeypatch)  # fmt: skip
    assert built.exit_code == 0, built.output
    assert marker.exists()
    assert "error:" not in built.stderr
    assert "warning: partition 2 (b.txt, c.txt): attempt 1 failed" in built.stderr
    summary = json.loads(built.stdout)
    assert summary["partitions"] == {
        "submitted": 2, "retried": 1, "failed": 0, "documents_failed": 0
    }  # fmt: skip
    assert nquads(tmp_path, "db") == nquads(corpus, "local")


def test_local_cluster_is_started_and_shut_down(tmp_path, nlp):
    (tmp_path / "a.txt").write_text(TEXTS["b.txt"], encoding="utf-8")
    built = run("build", "a.txt", "--db", "db", "-q", "--json", "--dask", "local:2", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout)["documents_added"] == 1
    assert built.stderr.strip().startswith("1 documents added")  # dask's own logs stay quiet
    sha = hashlib.sha256((tmp_path / "a.txt").read_bytes()).hexdigest()
    assert f"/doc/{sha}>" in " ".join(nquads(tmp_path, "db"))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--dask", "local:2", "--processes", "2"], "--dask and --processes cannot be combined"),
        (["--dask", "local:0"], "local:N needs a number of workers >= 1"),
        (["--dask", "local:two"], "local:N needs a number of workers >= 1"),
        (["--dask", "tcp://127.0.0.1:1"], "--dask tcp://127.0.0.1:1: "),
        (["--dask", "127.0.0.1"], "--dask 127.0.0.1: missing port"),
        (["--dask", "local:2", "--claims"], "--dask distributes extraction"),
    ],
)
def test_bad_dask_options_are_one_line_errors(tmp_path, monkeypatch, options, message):
    (tmp_path / "a.txt").write_text(TEXTS["b.txt"], encoding="utf-8")
    result = invoke("build", "a.txt", "--db", "db", "-q", *options, cwd=tmp_path,
                    monkeypatch=monkeypatch)  # fmt: skip
    assert isinstance(result.exception, CommandError)  # main() prints it as "error: ..."
    assert message in str(result.exception) and "\n" not in str(result.exception)


def test_a_pipeline_missing_on_the_workers_is_a_one_line_error(cluster, monkeypatch, tmp_path):
    (tmp_path / "a.txt").write_text(TEXTS["b.txt"], encoding="utf-8")
    args = ("build", "a.txt", "--db", "db", "--dask", cluster.scheduler_address,
            "--model", "no_such_pipeline")  # fmt: skip
    result = invoke(*args, cwd=tmp_path, monkeypatch=monkeypatch)
    assert isinstance(result.exception, CommandError)
    message = str(result.exception)
    assert message.startswith("pipeline no_such_pipeline on the Dask workers: ")
    assert "not installed" in message and "\n" not in message


@pytest.mark.parametrize(
    ("docs", "size", "expected"),
    [
        (["a", "a", "b", "c"], 1, [["a", "a"], ["b"], ["c"]]),
        (["a", "a", "b", "c"], 2, [["a", "a"], ["b", "c"]]),
        (["a", "a", "a"], 2, [["a", "a", "a"]]),  # a document is never split
        (["a", "b", "c"], 5, [["a", "b", "c"]]),
        ([], 3, []),
    ],
)
def test_partitions_hold_whole_documents(docs, size, expected):
    from claimgraph.distributed import partition_units

    units = [TextUnit(doc, i, 0, "") for i, doc in enumerate(docs)]
    parts = [[unit.doc for unit in part] for part in partition_units(units, size)]
    assert parts == expected
    assert [unit for part in partition_units(units, size) for unit in part] == units


@pytest.mark.parametrize(
    "options",
    [{"partition_size": 0}, {"retries": -1}, {"window": 0}, {"batch_size": 0}],
)
def test_extractor_checks_its_arguments(options):
    from claimgraph.distributed import DaskExtractor

    name = next(iter(options))
    with pytest.raises(ValueError, match=name):
        DaskExtractor(None, **options)  # type: ignore[arg-type]


def test_document_inputs_leave_out_documents_an_extractor_could_not_process(tmp_path):
    from claimgraph.flow import document_inputs

    for name, text in TEXTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")

    def extract(units):
        for unit in units:
            yield unit, (None if unit.doc.endswith("b.txt") else [])

    paths = [tmp_path / name for name in TEXTS]
    docs = list(document_inputs(None, paths, extract=extract))
    assert [Path(doc.doc).name for doc in docs] == ["c.txt"]
    with pytest.raises(ValueError, match="exactly one"):
        next(document_inputs(None, paths))
