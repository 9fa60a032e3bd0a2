"""Hostile inputs in a folder: each gives a correct result or exactly one one-line problem."""

from __future__ import annotations

import codecs
import gzip
import json
import os
import random
import stat
from pathlib import Path

import pytest

from claimgraph.ingest import Article, Document, IngestError, iter_articles

PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
BODY = "The minister said on Tuesday that the talks would continue next week.\n"


def ingest(folder: Path) -> tuple[list[tuple[Document, Article]], list[IngestError]]:
    """Every article under ``folder`` and every problem reported, each checked to be one line."""
    problems: list[IngestError] = []
    pairs = list(iter_articles([folder], on_error=problems.append))
    for problem in problems:
        assert "\n" not in str(problem) and "Traceback" not in str(problem)
        assert str(problem) == f"{problem.source}: {problem.reason}" or "\\" in str(problem)
    return pairs, problems


def check_offsets(document: Document, article: Article) -> None:
    assert article.text(document) == document.text[article.start : article.end]
    for offset, text in article.body(document):
        assert document.text[offset : offset + len(text)] == text
    if article.title_span:
        start, end = article.title_span
        assert document.text[start:end] == article.title


def one_file(tmp_path: Path, name: str, data: bytes) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / name).write_bytes(data)
    return folder


# --------------------------------------------------------------------------- rejected whole


def _text_then_nul() -> bytes:
    return (BODY * 200).encode() + b"\x00\x00" + BODY.encode()  # past the sniffed head


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty file"),
        ("blank.txt", b" \n\t\r\n", "empty file (whitespace only)"),
        ("empty.html", b"", "empty file"),
        ("empty.jsonl", b"", "empty file"),
        ("blank.jsonl", b"\n  \r\n\n", "empty file (whitespace only)"),
        ("empty.csv", b"", "empty file"),
        ("blank.csv", b"\n   \n", "empty file (whitespace only)"),
        ("image.txt", PNG_HEAD + bytes(range(256)), "binary file (PNG image)"),
        ("data.txt", random.Random(0).randbytes(4096), "binary file (contains NUL bytes)"),
        (
            "data-no-nul.txt",
            bytes(b or 1 for b in random.Random(1).randbytes(4096)),
            "undecodable text (no encoding fits)",
        ),
        (
            "nul-head.txt",
            b"Talks stall\x00\x00 in Istanbul\n" + BODY.encode(),
            "binary file (contains NUL bytes)",
        ),
        ("nul-late.txt", _text_then_nul(), "binary file (contains NUL bytes)"),
        ("packed.jsonl", gzip.compress(b'{"text": "x"}\n'), "binary file (gzip archive)"),
        ("packed.csv", gzip.compress(b"id,text\n1,x\n"), "binary file (gzip archive)"),
        ("truncated.txt", BODY.encode("utf-16") + b"x", "not utf-16 text (truncated data at byte"),
        ("empty-body.html", b"<html><body></body></html>", "no main text found in the HTML page"),
        ("no-text.csv", b"id,body\n1,hello\n", "no 'text' column (columns: id, body)"),
    ],
)
def test_rejected_file_is_one_problem(tmp_path, name, data, reason):
    folder = one_file(tmp_path, name, data)
    pairs, problems = ingest(folder)
    assert pairs == []
    assert len(problems) == 1, [str(p) for p in problems]
    (problem,) = problems
    assert problem.source == str(folder / name) and problem.severity == "error"
    assert problem.reason.startswith(reason)


# --------------------------------------------------------------------------- read correctly


EMOJI_QUOTE = '🇺🇦👍🏽 "We will not give up," 🙂 the minister said.\n'


@pytest.mark.parametrize(
    ("name", "data", "text"),
    [
        ("utf16.txt", ("Talks stall in Istanbul\n" + BODY).encode("utf-16"), None),
        ("utf16-emoji.txt", ("Talks stall 🙂 in Istanbul\n" + EMOJI_QUOTE).encode("utf-16"), None),
        ("latin1.txt", "Le ministre a déclaré «non» à l'été.\n".encode("latin-1"), None),
        (
            "crlf.txt",
            b"Talks stall in Istanbul\r\nBoth sides left early, officials said.\r\n",
            None,
        ),
        ("bom.txt", codecs.BOM_UTF8 + BODY.encode(), BODY),
        ("emoji.txt", ("Talks stall in Istanbul\n" + EMOJI_QUOTE).encode(), None),
        (
            "unbalanced.txt",
            b'Talks stall in "Istanbul\nHe said "we will not give up.\n\'Never\n',
            None,
        ),
    ],
)
def test_text_file_read_with_offsets_intact(tmp_path, name, data, text):
    folder = one_file(tmp_path, name, data)
    pairs, problems = ingest(folder)
    assert problems == []
    assert pairs, "at least one article"
    for document, article in pairs:
        check_offsets(document, article)
        for start, end in article.segments:
            assert document.text[start:end] == document.text[start:end].strip()
    document = pairs[0][0]
    assert document.text == (text if text is not None else data.decode(document.encoding))
    assert "\ufeff" not in document.text


def test_emoji_before_quote_offsets_slice_back(tmp_path):
    folder = one_file(tmp_path, "emoji.txt", ("Talks stall in Istanbul\n" + EMOJI_QUOTE).encode())
    ((document, article),) = ingest(folder)[0]
    quote = '"We will not give up,"'
    start = document.text.index(quote)
    assert any(s <= start and start + len(quote) <= e for s, e in article.segments)
    assert article.title == "Talks stall in Istanbul"
    assert document.text[slice(*article.segments[-1])].endswith(EMOJI_QUOTE.strip())


def test_two_megabyte_single_line(tmp_path):
    line = ("The minister said the talks would continue, and officials agreed. " * 40000)[
        : 2 * 2**20
    ]
    folder = one_file(tmp_path, "long.txt", line.encode())
    ((document, article),) = ingest(folder)[0]
    assert len(document.text) == 2 * 2**20
    assert article.segments == ((0, len(line.rstrip())),)


def test_html_script_text_is_not_document_text(tmp_path):
    paragraphs = "".join(f"<p>{BODY.strip()} Paragraph {i}.</p>" for i in range(5))
    page = (
        "<html><head><title>Talks continue in the capital</title>"
        "<script>var token = 'SCRIPT-IN-HEAD';</script><style>.x{color:red}</style></head>"
        f"<body><article><h1>Talks continue in the capital</h1>{paragraphs}"
        "<script>document.write('SCRIPT-IN-BODY')</script></article></body></html>"
    )
    folder = one_file(tmp_path, "page.html", page.encode())
    ((document, article),) = ingest(folder)[0]
    assert "SCRIPT-IN" not in document.text and "color:red" not in document.text
    assert "Paragraph 4." in document.text
    check_offsets(document, article)


# --------------------------------------------------------------------------- corpora


def test_jsonl_bad_lines_each_one_problem_rest_read(tmp_path):
    good = {"id": "a", "text": EMOJI_QUOTE.strip(), "date": "2025-07-23"}
    lines = [
        json.dumps(good),
        "{broken",
        json.dumps([1, 2]),
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "   "}),
        json.dumps({"id": "d", "text": 42}),
        '{"id": "e", "text": "x", "n": ' + "9" * 5000 + "}",
        "[" * 100000 + "]" * 100000,
        json.dumps({"id": "f", "text": "zero\u0000byte"}),
        json.dumps({"id": "g", "text": "The record is kept.", "date": "not a date"}),
        json.dumps({"id": "h", "text": "Last record, still read."}),
    ]
    folder = one_file(tmp_path, "corpus.jsonl", ("\n".join(lines) + "\n").encode())
    corpus = folder / "corpus.jsonl"
    pairs, problems = ingest(folder)
    assert [(d.source, a.date, a.date_source) for d, a in pairs] == [
        (f"{corpus}#a", "2025-07-23", "field"),
        (f"{corpus}#g", None, None),
        (f"{corpus}#h", None, None),
    ]
    check_offsets(*pairs[0])
    assert pairs[1][1].date_text is None
    assert [(p.severity, str(p)) for p in problems] == [
        (
            "error",
            f"{corpus}:2: invalid JSON "
            "(Expecting property name enclosed in double quotes, column 2)",
        ),
        ("error", f"{corpus}:3: not a JSON object"),
        ("error", f"{corpus}:4: no 'text' field"),
        ("error", f"{corpus}:5: empty 'text' field"),
        ("error", f"{corpus}:6: field 'text' is not a string"),
        (
            "error",
            f"{corpus}:7: invalid JSON (Exceeds the limit (4300 digits) for integer string "
            "conversion: value has 5000 digits)",
        ),
        ("error", f"{corpus}:8: invalid JSON (nested too deeply)"),
        ("error", f"{corpus}:9: field 'text' contains NUL characters"),
        ("warning", f"{corpus}:10: unreadable date 'not a date'; record kept without a date"),
    ]


def test_jsonl_truncated_utf16_keeps_lines_before(tmp_path):
    records = "".join(json.dumps({"text": f"Record {i} says hello."}) + "\n" for i in range(2))
    folder = one_file(tmp_path, "wide.jsonl", records.encode("utf-16") + b"x")
    pairs, problems = ingest(folder)
    assert [d.text for d, _ in pairs] == ["Record 0 says hello.", "Record 1 says hello."]
    assert [str(p) for p in problems] == [
        f"{folder / 'wide.jsonl'}:3: not utf-16 text (truncated data); rest of file skipped"
    ]


def test_csv_unbalanced_quote_is_one_problem(tmp_path):
    data = b'id,text\n1,"Rates hold, the bank said."\n2,"He said ""no\n3,Never read.\n'
    folder = one_file(tmp_path, "news.csv", data)
    pairs, problems = ingest(folder)
    assert [d.text for d, _ in pairs] == ["Rates hold, the bank said."]
    assert [str(p) for p in problems] == [
        f"{folder / 'news.csv'}:3: malformed CSV (unexpected end of data)"
    ]


# --------------------------------------------------------------------------- the file system


def test_symlink_loops_do_not_recurse(tmp_path):
    folder = one_file(tmp_path, "story.txt", ("Talks stall in Istanbul\n" + BODY).encode())
    os.symlink("loop", folder / "loop")  # a link to itself: reported
    os.symlink(folder, folder / "up")  # a link to a folder above: not followed, silently
    os.symlink("missing.txt", folder / "dangling.txt")  # a link to nothing: reported
    pairs, problems = ingest(folder)
    assert [Path(d.source).name for d, _ in pairs] == ["story.txt"]
    assert sorted((Path(p.source).name, p.reason) for p in problems) == [
        ("dangling.txt", "No such file or directory"),
        ("loop", "Too many levels of symbolic links"),
    ]


def test_fifo_is_not_opened(tmp_path):
    folder = one_file(tmp_path, "story.txt", ("Talks stall in Istanbul\n" + BODY).encode())
    os.mkfifo(folder / "pipe.txt")  # opening it would block forever
    pairs, problems = ingest(folder)
    assert [Path(d.source).name for d, _ in pairs] == ["story.txt"]
    assert [(Path(p.source).name, p.reason) for p in problems] == [
        ("pipe.txt", "not a regular file (a FIFO, socket or device)")
    ]


def test_unreadable_file(tmp_path):
    folder = one_file(tmp_path, "secret.txt", ("Talks stall in Istanbul\n" + BODY).encode())
    secret = folder / "secret.txt"
    secret.chmod(0)
    try:
        pairs, problems = ingest(folder)
    finally:
        secret.chmod(stat.S_IRUSR | stat.S_IWUSR)
    if os.geteuid() == 0:  # root reads it anyway
        assert len(pairs) == 1 and problems == []
    else:
        assert pairs == []
        assert [str(p) for p in problems] == [f"{secret}: Permission denied"]


def test_open_refused_is_one_problem(tmp_path, monkeypatch):
    folder = one_file(tmp_path, "secret.txt", ("Talks stall in Istanbul\n" + BODY).encode())
    (folder / "open.txt").write_text("Talks resume in Geneva\n" + BODY)
    real_open = Path.open

    def refuse(self, *args, **kwargs):
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    pairs, problems = ingest(folder)
    assert [Path(d.source).name for d, _ in pairs] == ["open.txt"]
    assert [str(p) for p in problems] == [f"{folder / 'secret.txt'}: Permission denied"]


def test_unlistable_folder_is_one_problem(tmp_path, monkeypatch):
    folder = one_file(tmp_path, "story.txt", ("Talks stall in Istanbul\n" + BODY).encode())
    locked = folder / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text("Talks resume in Geneva\n" + BODY)
    if os.geteuid() == 0:  # root lists it anyway: refuse the listing instead
        real_scandir = os.scandir

        def refuse(path="."):
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", refuse)
    locked.chmod(0)
    try:
        pairs, problems = ingest(folder)
    finally:
        locked.chmod(stat.S_IRWXU)
    assert [Path(d.source).name for d, _ in pairs] == ["story.txt"]
    assert [str(p) for p in problems] == [f"{locked}: Permission denied"]


def test_directory_named_like_a_file_is_walked(tmp_path):
    folder = tmp_path / "inbox"
    (folder / "notes.txt").mkdir(parents=True)
    (folder / "notes.txt" / "inner.txt").write_text("Talks stall in Istanbul\n" + BODY)
    pairs, problems = ingest(folder)
    assert problems == []
    assert [d.source for d, _ in pairs] == [str(folder / "notes.txt" / "inner.txt")]
    named, named_problems = ingest(folder / "notes.txt")
    assert [d.source for d, _ in named] == [str(folder / "notes.txt" / "inner.txt")]
    assert named_problems == []


def test_file_name_with_a_line_break_is_still_one_line(tmp_path):
    folder = one_file(tmp_path, "two\nlines.txt", b"")
    _, problems = ingest(folder)
    (problem,) = problems
    assert problem.source == str(folder / "two\nlines.txt")
    assert str(problem) == f"{folder}/two\\nlines.txt: empty file"


def test_file_time_out_of_range_is_left_out(tmp_path, monkeypatch):
    folder = one_file(tmp_path, "future.txt", ("Talks stall in Istanbul\n" + BODY).encode())
    real_stat = Path.stat

    def far_future(self, *args, **kwargs):
        info = real_stat(self, *args, **kwargs)
        if self.name != "future.txt":
            return info
        return os.stat_result((*info[:8], 1e18, 1e18))  # no datetime for that mtime

    monkeypatch.setattr(Path, "stat", far_future)
    ((document, article),) = ingest(folder)[0]
    assert "modified" not in document.metadata
    assert article.date is None and article.date_source is None
