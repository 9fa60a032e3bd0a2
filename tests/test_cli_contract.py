"""The command line as scripts meet it: exit statuses, format names, hostile inputs, long
documents and builds that do not depend on the day they run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from exports_support import SEED_PAGE, build_seed_graph, unavailable

CLI = [sys.executable, "-c", "from claimgraph.cli import main; main()"]


def claim_lines(output: str) -> list[dict]:
    """The claim records of ``extract -f jsonl`` output (its article records left out)."""
    records = [json.loads(line) for line in output.splitlines()]
    return [r for r in records if r.get("record") != "article"]


def run(*args: str | Path, cwd: Path, prefix: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*prefix, *CLI, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory) -> Path:
    return build_seed_graph(tmp_path_factory.mktemp("seed") / "seed.db")


@pytest.mark.parametrize(
    ("args", "output", "first_line_check"),
    [
        (("-f", "nt"), "out.nt", lambda line: line.startswith("<") and line.endswith(" .")),
        (("-f", "ttl"), "out.ttl", lambda line: line.startswith("@prefix")),
        ((), "out.nq", lambda line: line.startswith("<") and line.count("> <") >= 2),
        (("-f", "json-ld"), "out.jsonld", lambda line: line.lstrip().startswith(("[", "{"))),
        (("-f", "xml"), "out.rdf", lambda line: line.startswith("<?xml")),
    ],
)
def test_export_takes_rdflib_and_short_format_names_or_the_suffix(
    seed_store, tmp_path, args, output, first_line_check
):
    result = run("export", "--db", seed_store, *args, "-o", output, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["statements"] > 100
    first = (tmp_path / output).read_text(encoding="utf-8").splitlines()[0]
    assert first_line_check(first), first


def test_export_says_when_it_cannot_tell_the_format(seed_store, tmp_path):
    result = run("export", "--db", seed_store, "-o", "out.xyz", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("error: out.xyz: cannot tell the format")
    assert not (tmp_path / "out.xyz").exists()


def test_query_said_by_json(seed_store, tmp_path):
    result = run("query", "said-by", "Peskov", "--db", seed_store, "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert {r["speaker_name"] for r in rows} == {"Dmitry Peskov"}
    assert "It will be very difficult" in {r["text"] for r in rows}
    assert all({"start", "end", "doc"} <= set(r) for r in rows)


def test_query_table_fits_80_columns_and_keeps_words_whole(seed_store, tmp_path):
    result = subprocess.run(
        [*CLI, "query", "said-by", "Peskov", "--db", str(seed_store)],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "COLUMNS": "80"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    words = " ".join(lines).split()
    assert "expects" in words and "difficult" in words  # wrapped between words, not inside


def test_a_closed_pipe_ends_quietly(seed_store, tmp_path):
    proc = subprocess.Popen(
        [*CLI, "export", "--db", str(seed_store), "-f", "nt", "-o", "out.nt"], cwd=tmp_path
    )
    assert proc.wait(timeout=120) == 0
    reader = subprocess.Popen(
        [*CLI, "sparql", "SELECT * WHERE { ?s ?p ?o }", "--db", str(seed_store), "-f", "csv"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert reader.stdout.readline()
    reader.stdout.close()  # like `| head -1`
    assert reader.wait(timeout=120) == 0
    assert reader.stderr.read() == b""


def test_a_missing_input_exits_2_and_creates_no_store(tmp_path):
    result = run("build", "missing.txt", "--db", "m.db", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "error: missing.txt: no such file or directory\n"
    assert not (tmp_path / "m.db").exists()


def test_a_missing_input_beside_a_good_one_exits_2_after_building_the_good_one(tmp_path, nlp):
    (tmp_path / "good.txt").write_text("The mayor said the bridge would reopen on Friday.\n")
    result = run("build", "good.txt", "missing.txt", "--db", "db", "--json", cwd=tmp_path)
    assert result.returncode == 2
    assert json.loads(result.stdout)["documents_added"] == 1
    assert "error: missing.txt: no such file or directory" in result.stderr.splitlines()


def test_extract_and_build_take_the_same_input_options(tmp_path, nlp):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text('"We will win," Zelensky said on Monday.\n')
    (tmp_path / "in" / "b.md").write_text('"We will lose," Peskov said on Monday.\n')
    extracted = run("extract", "in", "--include", "*.txt", "-f", "jsonl", "-q", cwd=tmp_path)
    assert extracted.returncode == 0, extracted.stderr
    docs = {json.loads(line)["doc"] for line in extracted.stdout.splitlines()}
    assert docs == {str(Path("in") / "a.txt")}
    built = run("build", "in", "--exclude", "*.md", "--db", "db", "--json", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout)["documents_added"] == 1


def test_extract_csv_has_one_row_per_claim_with_offsets(tmp_path, nlp):
    import csv
    import io

    text = '"We will win," Zelensky said on Monday.\n'
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    result = run("extract", "a.txt", "-f", "csv", "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1 and rows[0]["speaker_entity"] == "Zelensky"
    start, end = int(rows[0]["content_start"]), int(rows[0]["content_end"])
    assert rows[0]["content"] == text[start:end]


FILLER = "pneumonoultramicroscopicsilicovolcanoconiosisXYZ "  # one token of 49 letters


def test_a_2_mb_single_line_is_built_beside_good_files(tmp_path, nlp):
    folder = tmp_path / "in"
    folder.mkdir()
    head = '"The talks will fail," Dmitry Peskov told reporters. '
    tail = ' "We will not give up," Volodymyr Zelensky said.'
    body = FILLER * ((2_000_000 - len(head) - len(tail)) // len(FILLER))
    long_text = head + body + tail
    assert len(long_text.encode()) > 1_900_000 and "\n" not in long_text
    (folder / "long.txt").write_text(long_text, encoding="utf-8")
    (folder / "a.txt").write_text("The mayor said the bridge would reopen on Friday.\n")
    (folder / "z.txt").write_text('"Prices will rise," the central bank said.\n')
    built = run("build", "in", "--db", "db", "--json", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert json.loads(built.stdout)["documents_added"] == 3
    assert "Traceback" not in built.stderr
    extracted = run("extract", "in/long.txt", "-f", "jsonl", "-q", cwd=tmp_path)
    assert extracted.returncode == 0, extracted.stderr
    claims = claim_lines(extracted.stdout)
    speakers = {c["speaker"]["entity"] for c in claims if c["speaker"]}
    assert {"Dmitry Peskov", "Volodymyr Zelensky"} <= speakers
    for c in claims:
        for piece in c["content"]:
            assert long_text[piece["start"] : piece["end"]] == piece["text"]


def hostile_folder(root: Path) -> dict[str, bool]:
    """A folder of awkward inputs; maps each name to whether it holds readable text."""
    root.mkdir()
    quote = '"We will not give up," Volodymyr Zelensky said on Monday.'
    files: dict[str, bytes] = {
        "empty.txt": b"",
        "blank.txt": b"  \n\t\n   \n",
        "binary.txt": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
        "utf16.txt": quote.encode("utf-16"),
        "latin1.txt": "Le maire a déclaré que le pont rouvrirait vendredi, selon l'agence.".encode(
            "latin-1"
        ),
        "crlf.txt": (quote + "\r\nThe minister said talks had failed.\r\n").encode(),
        "nul.txt": (b"The minister said\x00 talks had failed.\n"),
        "emoji.txt": ("🇺🇦🔥👍 " + quote + "\n").encode(),
        "ansi.txt": b'\x1b[1mDmitry Peskov\x1b[0m said: "Talks \x1b[31mwill\x1b[0m fail."\n',
        "unbalanced.txt": b'"We will win, Zelensky said on Monday. The mayor said "yes.\n',
        "page.html": (
            b"<html><head><title>Talks</title><script>var secret = 'do not read';</script>"
            b"</head><body><article><h1>Talks</h1><p>" + quote.encode() + b" He added that the "
            b"talks would go on for several weeks in Istanbul, officials said.</p></article>"
            b"<script>alert(1)</script></body></html>"
        ),
        "empty.html": b"<html><body></body></html>",
        "corpus.jsonl": (
            b'{"id": 1, "text": "The mayor said the bridge would reopen on Friday."}\n'
            b"{broken\n"
            b'{"id": 3, "title": "no text here"}\n'
            b'{"id": 4, "text": "Officials said the vote was delayed.", "date": "not a date"}\n'
        ),
        "table.csv": b"id,body\n1,The mayor said the bridge would reopen.\n",
    }
    for name, data in files.items():
        (root / name).write_bytes(data)
    (root / "notes.txt").mkdir()  # a folder named like a file
    (root / "notes.txt" / "inner.txt").write_text("The mayor said the bridge would reopen.\n")
    os.symlink("loop", root / "loop")  # a link to itself
    (root / "sub").mkdir()
    os.symlink("..", root / "sub" / "up")  # a folder link back up the tree
    locked = root / "locked.txt"
    locked.write_text("The governor said the road would stay closed.\n")
    locked.chmod(0)
    readable = {
        name: name
        not in {"empty.txt", "blank.txt", "binary.txt", "nul.txt", "empty.html", "table.csv"}
        for name in files
    }
    return readable


@pytest.fixture()
def hostile(tmp_path):
    folder = tmp_path / "hostile"
    readable = hostile_folder(folder)
    yield folder, readable
    (folder / "locked.txt").chmod(0o644)


def test_hostile_inputs_build_with_one_line_per_bad_input(tmp_path, hostile, nlp):
    folder, readable = hostile
    (tmp_path / "first.txt").write_text('"Prices will rise," the central bank said.\n')
    first = run("build", "first.txt", "--db", "db", "--json", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = json.loads(first.stdout)["store"]
    result = run("build", "hostile", "--db", "db", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert not [line for line in result.stderr.splitlines() if line.startswith("error:")]
    for name, ok in readable.items():
        named = [line for line in lines if f"{Path('hostile') / name}" in line]
        if ok and name != "corpus.jsonl":
            assert not named, (name, named)
        elif name == "corpus.jsonl":  # the broken line, the record without text, the bad date
            assert len(named) == 3, named
            assert {line.split(":")[2] for line in named} == {"2", "3", "4"}
        else:
            assert len(named) == 1, (name, lines)
    summary = json.loads(result.stdout)
    store = summary["store"]
    assert store["claims"] > before["claims"] and store["quads"] > before["quads"]
    # documents added: the readable files, the folder named like a file, two corpus records;
    # the locked file only where the permission holds (not for root)
    readable_files = sum(ok for name, ok in readable.items() if name != "corpus.jsonl")
    locked_read = os.access(folder / "locked.txt", os.R_OK)
    assert summary["documents_added"] == readable_files + 1 + 2 + locked_read
    assert sum("locked.txt" in line for line in lines) == (not locked_read)
    others = [line for line in lines if not any(name in line for name in [*readable, "locked"])]
    assert all("loop" in line or "up" in line for line in others), others  # symlink loops
    again = run("build", "first.txt", "--db", "db", "--json", cwd=tmp_path)
    assert json.loads(again.stdout)["documents_skipped"] == 1  # the first build is still there


def test_hostile_texts_keep_offsets_and_lose_escapes(tmp_path, hostile, nlp):
    folder, _ = hostile
    for name in ("emoji.txt", "ansi.txt", "crlf.txt", "utf16.txt"):
        result = run("extract", folder / name, "-f", "jsonl", "-q", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        claims = claim_lines(result.stdout)
        assert claims, name
        raw = (folder / name).read_bytes()
        text = raw.decode("utf-16") if name == "utf16.txt" else raw.decode("utf-8")
        for claim in claims:
            for span in [*claim["content"], claim["speaker"], claim["cue"]]:
                if span:
                    assert "\x1b" not in span["text"]
                    sliced = text[span["start"] : span["end"]]
                    if name == "ansi.txt":
                        assert "".join(sliced.split("\x1b[31m")).count("Talks") <= 1
                    else:
                        assert sliced == span["text"], (name, span)


def test_a_build_does_not_depend_on_the_day_it_runs(tmp_path, nlp):
    if shutil.which("faketime") is None:
        unavailable("faketime not found (scripts/install-system-packages.sh)")
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED_PAGE, folder / "seed_page.txt")  # "an hour ago", "20 hours ago" datelines
    (folder / "page.html").write_text(
        "<html><head><title>Bridge</title></head><body><article><p>The mayor said the bridge"
        " would reopen on Friday, officials told reporters at a crowded briefing.</p>"
        "</article><footer>© 2026 Example News</footer></body></html>",
        encoding="utf-8",
    )
    (folder / "corpus.jsonl").write_text(
        json.dumps({"id": 1, "text": "Officials said the vote was delayed.", "date": "2 days ago"})
        + "\n",
        encoding="utf-8",
    )
    exports = []
    for n, day in enumerate(("2026-03-01 12:00:00", "2026-03-02 12:00:00")):
        for path in folder.iterdir():  # the files' own times move with the clock
            stamp = 1772366400 + n * 86400
            os.utime(path, (stamp, stamp))
        clock = ("faketime", day)
        built = run("build", "in", "--db", f"db{n}", "-q", cwd=tmp_path, prefix=clock)
        assert built.returncode == 0, built.stderr
        out = run("export", "--db", f"db{n}", "-o", f"g{n}.nq", cwd=tmp_path, prefix=clock)
        assert out.returncode == 0, out.stderr
        exports.append(sorted((tmp_path / f"g{n}.nq").read_text(encoding="utf-8").splitlines()))
    assert exports[0] == exports[1]
    assert not any("2026-01-01" in line or "2026-03-0" in line for line in exports[0])


@pytest.mark.parametrize(
    ("name", "first"), [("out.jsonl", "{"), ("out.json", "["), ("out.csv", "doc,")]
)
def test_extract_output_format_follows_the_suffix(tmp_path: Path, name: str, first: str) -> None:
    result = run("extract", SEED_PAGE, "-o", tmp_path / name, "-q", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / name).read_text(encoding="utf-8").startswith(first)


def test_min_confidence_filters_extract_and_queries(tmp_path: Path) -> None:
    every = json.loads(run("extract", SEED_PAGE, "--json", "-q", cwd=tmp_path).stdout)
    kept = json.loads(
        run("extract", SEED_PAGE, "--json", "-q", "--min-confidence", "0.7", cwd=tmp_path).stdout
    )
    assert 0 < len(kept) < len(every)
    assert all(r["confidence"] >= 0.7 for r in kept)
    assert len({r["confidence"] for r in every}) > 10  # real probabilities, not one constant
    built = run("build", SEED_PAGE, "--db", tmp_path / "db", "-q", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    args = ("query", "claims", "--db", tmp_path / "db", "--json")
    stored = json.loads(run(*args, cwd=tmp_path).stdout)
    confident = json.loads(run(*args, "--min-confidence", "0.7", cwd=tmp_path).stdout)
    assert 0 < len(confident) < len(stored)
    assert all(float(r["confidence"]) >= 0.7 for r in confident)
    bad = run(*args, "--min-confidence", "1.5", cwd=tmp_path)
    assert bad.returncode == 2 and "--min-confidence" in bad.stderr


def test_a_missing_model_is_one_line_before_any_store(tmp_path: Path) -> None:
    result = run("build", SEED_PAGE, "--db", tmp_path / "db", "--model", "no_such_pipeline",
                 cwd=tmp_path)  # fmt: skip
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "no_such_pipeline" in result.stderr
    assert not (tmp_path / "db").exists()


def test_fast_is_the_cnn_tagger_and_the_default_is_the_transformer(tmp_path: Path) -> None:
    def claims(*flags: str) -> list[dict]:
        result = run("extract", SEED_PAGE, "-f", "jsonl", "-q", *flags, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        return claim_lines(result.stdout)

    fast, default = claims("--fast"), claims()
    assert fast == claims("--tagger", "fast")
    assert default == claims("--tagger", "accurate")
    assert fast and default and fast != default
    unknown = run("extract", SEED_PAGE, "--tagger", "slow", cwd=tmp_path)
    assert unknown.returncode != 0 and "slow" in unknown.stderr
