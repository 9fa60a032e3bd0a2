"""Readers: encodings, folders, HTML, JSONL/CSV corpora, stdin, URLs, and the CLI."""

from __future__ import annotations

import codecs
import http.server
import io
import json
import re
import struct
import sys
import threading
import zlib
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimgraph.cli import app
from claimgraph.ingest import (
    CorpusFields,
    IngestError,
    IngestStats,
    decode_bytes,
    iter_articles,
    read_documents,
    split_articles,
)

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
LATIN1_TEXT = "Le ministre a déclaré que la réforme était «nécessaire» pour l'été.\n"
UTF16_TEXT = "Die Ministerin sagte, die Gespräche seien „schwierig“ gewesen.\r\nMehr folgt.\r\n"


def png_bytes() -> bytes:
    """A valid 1x1 PNG, built here so no binary file is committed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.fixture
def mixed_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(
        "Council backs barrier\nThe council voted for the barrier on Tuesday.\n", encoding="utf-8"
    )
    (folder / "sub" / "bom.txt").write_bytes(
        codecs.BOM_UTF8 + b"Talks resume\r\nBoth sides met again, officials said.\r\n"
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(png_bytes())
    (folder / "latin1.txt").write_bytes(LATIN1_TEXT.encode("latin-1"))
    (folder / "utf16.txt").write_bytes(UTF16_TEXT.encode("utf-16"))
    (folder / ".hidden.txt").write_text("never read\n")
    (folder / "notes.md").write_text("A note that someone left in the folder for later.\n")
    return folder


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (b"plain ASCII text\n", "plain ASCII text\n", "utf-8"),
        ("naïve café\r\n".encode(), "naïve café\r\n", "utf-8"),
        (codecs.BOM_UTF8 + b"bom text", "bom text", "utf-8-sig"),
        ("Größe\n".encode("utf-16"), "Größe\n", "utf-16"),
        ("Größe\n".encode("utf-32"), "Größe\n", "utf-32"),
        ("plain words here".encode("utf-16-le"), "plain words here", "utf-16-le"),
        (LATIN1_TEXT.encode("latin-1"), LATIN1_TEXT, "cp1252"),
        ("café\r\nété\n".encode("cp1252"), "café\r\nété\n", "cp1252"),
        ("Ça coûte 5 €, dit-il.".encode("cp1252"), "Ça coûte 5 €, dit-il.", "cp1252"),
        (
            "Привет, как дела? Это тест кодировки.".encode("cp1251"),
            "Привет, как дела? Это тест кодировки.",
            "cp1251",
        ),
    ],
)
def test_decode(data, text, encoding):
    assert decode_bytes(data) == (text, encoding)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\n", "empty file (whitespace only)"),
        (png_bytes(), "binary file (PNG image)"),
        (b"%PDF-1.7\n...", "binary file (PDF document)"),
        (b"abc\x00\x01\x02\x03\xff\xfe\x00\x00\x07" * 50, "binary file"),
    ],
)
def test_decode_rejects(data, reason):
    with pytest.raises(ValueError, match=re.escape(reason)):
        decode_bytes(data)


def test_directory_mix(mixed_dir):
    problems: list[IngestError] = []
    docs = list(read_documents([mixed_dir], on_error=problems.append))
    names = [Path(d.source).relative_to(mixed_dir).as_posix() for d in docs]
    assert names == ["good.txt", "latin1.txt", "notes.md", "sub/bom.txt", "utf16.txt"]
    by_name = dict(zip(names, docs, strict=True))
    assert by_name["latin1.txt"].text == LATIN1_TEXT
    assert by_name["utf16.txt"].text == UTF16_TEXT  # CRLF kept: offsets index the decoded text
    assert by_name["sub/bom.txt"].encoding == "utf-8-sig"
    assert not by_name["sub/bom.txt"].text.startswith("\ufeff")
    assert {(Path(p.source).name, p.reason) for p in problems} == {
        ("empty.txt", "empty file"),
        ("image.txt", "binary file (PNG image)"),
    }
    assert len(by_name["good.txt"].sha256) == 64


def test_directory_include_exclude(mixed_dir):
    docs = read_documents(
        [mixed_dir], include=["*.txt"], exclude=["sub/*", "latin*"], on_error=lambda p: None
    )
    assert [Path(d.source).name for d in docs] == ["good.txt", "utf16.txt"]


def test_strict_raises(mixed_dir):
    with pytest.raises(IngestError, match=r"empty\.txt: empty file"):
        list(read_documents([mixed_dir], strict=True))


def test_missing_path_reported(tmp_path):
    problems: list[IngestError] = []
    assert list(read_documents([tmp_path / "nope.txt"], on_error=problems.append)) == []
    assert problems[0].reason == "no such file or directory"


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?\"”])\s+", " ".join(text.split())) if s]


def test_html_gives_same_article_text_as_plain_text():
    (html_doc, article), (txt_doc, txt_article) = iter_articles(
        [FIXTURES / "article.html", FIXTURES / "article.txt"]
    )
    html_text = "\n".join(html_doc.text[s:e] for s, e in article.segments)
    txt_text = "\n".join(txt_doc.text[s:e] for s, e in txt_article.segments)
    assert _sentences(html_text) == _sentences(txt_text)
    assert html_doc.media_type == "text/html"
    for chrome in ("Advertisement", "Refinance", "About time!", "Privacy policy", "Subscribe"):
        assert chrome not in html_doc.text
    assert (article.title, article.outlet, article.author, article.date, article.url) == (
        "Harbour city council approves flood barrier after decade of debate",
        "Marlow Bay Herald",
        "Sam Whitfield",
        "2025-07-22",
        "https://www.marlowbayherald.example/news/flood-barrier-approved",
    )
    assert article.title == txt_article.title
    assert (article.date_source, txt_article.date, txt_article.date_source) == ("meta", None, None)
    s, e = article.title_span
    assert html_doc.text[s:e] == article.title


def test_html_without_main_text(tmp_path):
    page = tmp_path / "empty.html"
    page.write_text("<html><head><title>Nothing here</title></head><body></body></html>")
    problems: list[IngestError] = []
    assert list(read_documents([page], on_error=problems.append)) == []
    assert "no main text" in problems[0].reason


PARAGRAPHS = "".join(
    f"<p>Paragraph {i}: the minister said the talks would continue next week, officials "
    "told reporters gathered outside the building.</p>"
    for i in range(6)
)


def _page(head: str = "") -> str:
    return (
        f"<html><head><title>Talks continue in the capital</title>{head}</head><body>"
        f"<article><h1>Talks continue in the capital</h1>{PARAGRAPHS}</article>"
        "<footer><p>\u00a9 2026 Example News</p></footer></body></html>"
    )


@pytest.mark.parametrize(
    ("head", "date", "source"),
    [
        ("", None, None),  # only a "© 2026" footer: no date is guessed from it
        (
            '<meta property="article:published_time" content="2025-07-23T10:00:00Z">',
            "2025-07-23",
            "meta",
        ),
        # a date after today is kept: the clock does not filter dates
        (
            '<meta property="article:published_time" content="2031-01-02T10:00:00Z">',
            "2031-01-02",
            "meta",
        ),
    ],
)
def test_html_date_only_from_markup(tmp_path, head, date, source):
    page = tmp_path / "page.html"
    page.write_text(_page(head), encoding="utf-8")
    ((document, article),) = iter_articles([page])
    assert "Paragraph 5" in document.text
    assert (article.date, article.date_source) == (date, source)
    assert article.to_dict()["date_source"] == source
    assert ("date" in document.metadata) is (date is not None)


@pytest.mark.parametrize("suffix", ["jsonl", "csv"])
def test_unreadable_date_field_is_one_warning(tmp_path, suffix):
    corpus = tmp_path / f"corpus.{suffix}"
    rows = [("a", "The bank held rates.", "2025-07-21"), ("b", "Talks failed.", "not a date")]
    if suffix == "jsonl":
        lines = [json.dumps({"id": i, "text": t, "date": d}) for i, t, d in rows]
    else:
        lines = ["id,text,date", *(",".join(row) for row in rows)]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    line = 2 if suffix == "jsonl" else 3
    problems: list[IngestError] = []
    pairs = list(iter_articles([corpus], on_error=problems.append))
    assert [(d.source, a.date, a.date_text, a.date_source) for d, a in pairs] == [
        (f"{corpus}#a", "2025-07-21", "2025-07-21", "field"),
        (f"{corpus}#b", None, None, None),
    ]
    assert [(p.severity, str(p)) for p in problems] == [
        ("warning", f"{corpus}:{line}: unreadable date 'not a date'; record kept without a date")
    ]
    with pytest.raises(IngestError, match="unreadable date") as raised:
        list(iter_articles([corpus], strict=True))
    assert raised.value.severity == "warning"
    stats = IngestStats(documents=2, articles=2)
    for problem in problems:
        stats.skip(problem)
    assert stats.summary() == "2 documents read, 0 skipped, 1 warning, 2 articles"
    assert stats.to_dict()["warnings"] == [
        {"source": f"{corpus}:{line}", "reason": problems[0].reason}
    ]


def test_relative_date_field_without_reference_is_unresolved_not_unreadable(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"text": "Talks failed.", "date": "2 days ago"}) + "\n")
    problems: list[IngestError] = []
    ((_, article),) = iter_articles([corpus], on_error=problems.append)
    assert (article.date, article.date_text, problems) == (None, "2 days ago", [])
    ((_, resolved),) = iter_articles([corpus], reference_date=date(2025, 7, 23))
    assert (resolved.date, resolved.date_source) == ("2025-07-21", "field")


@pytest.mark.parametrize("severity", ["error", "warning"])
def test_ingest_error_severity(severity):
    problem = IngestError("a.jsonl:3", "unreadable date 'x'", severity=severity)
    assert (str(problem), problem.severity) == ("a.jsonl:3: unreadable date 'x'", severity)


def test_ingest_error_rejects_unknown_severity():
    with pytest.raises(ValueError, match="severity must be one of error, warning"):
        IngestError("a.txt", "empty file", severity="fatal")
    assert IngestError("a.txt", "empty file").severity == "error"


def test_jsonl_streams_records_with_metadata(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps(
            {
                "doc_id": "a1",
                "body": "Officials said talks failed.",
                "source": "AP",
                "meta": {"published": "2016-10-12T09:00:00Z"},
                "link": "https://x.example/a1",
            }
        ),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"doc_id": "a2", "source": "Reuters"}),
        "",
        json.dumps(
            {
                "doc_id": "a3",
                "body": "Ministers met on Friday.",
                "source": "Reuters",
                "meta": {"published": "Oct 14, 2016"},
            }
        ),
    ]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fields = CorpusFields.parse(
        ["text=body", "id=doc_id", "outlet=source", "date=meta.published", "url=link"]
    )
    problems: list[IngestError] = []
    pairs = list(iter_articles([corpus], fields=fields, on_error=problems.append))
    assert [(d.source, a.outlet, a.date, a.date_source, a.url) for d, a in pairs] == [
        (f"{corpus}#a1", "AP", "2016-10-12", "field", "https://x.example/a1"),
        (f"{corpus}#a3", "Reuters", "2016-10-14", "field", None),
    ]
    assert [d.text for d, _ in pairs] == [
        "Officials said talks failed.",
        "Ministers met on Friday.",
    ]
    assert [str(p) for p in problems] == [
        f"{corpus}:2: invalid JSON (Expecting property name enclosed in double quotes, column 2)",
        f"{corpus}:3: not a JSON object",
        f"{corpus}:4: no 'body' field",
    ]


def test_jsonl_is_read_lazily(tmp_path):
    corpus = tmp_path / "big.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for i in range(20000):
            fh.write(json.dumps({"id": i, "text": f"Record {i} says the minister spoke."}) + "\n")
    documents = read_documents([corpus])
    first = next(documents)
    assert first.source == f"{corpus}#0" and first.metadata["line"] == 1
    documents.close()


def test_csv_corpus(tmp_path):
    corpus = tmp_path / "news.csv"
    corpus.write_text(
        "id,headline,text,outlet,date\n"
        '1,Rates hold,"The bank held rates, saying ""inflation is easing"".",'
        "The Ledger,2025-07-21\n"
        "2,Too few,fields\n"
        '3,Multi-line,"First line.\nSecond line.",Reuters,"July 20, 2025"\n'
        "4,Blank text,,AP,2025-07-19\n",
        encoding="cp1252",
    )
    problems: list[IngestError] = []
    fields = CorpusFields.parse(["title=headline"])
    pairs = list(iter_articles([corpus], fields=fields, on_error=problems.append))
    assert [(d.source, a.title, a.outlet, a.date) for d, a in pairs] == [
        (f"{corpus}#1", "Rates hold", "The Ledger", "2025-07-21"),
        (f"{corpus}#3", "Multi-line", "Reuters", "2025-07-20"),
    ]
    assert pairs[0][0].text == 'The bank held rates, saying "inflation is easing".'
    assert pairs[1][0].text == "First line.\nSecond line."
    assert [str(p) for p in problems] == [
        f"{corpus}:3: expected 5 fields, found 3",
        f"{corpus}:6: empty 'text' field",
    ]


def test_csv_without_text_column(tmp_path):
    corpus = tmp_path / "bad.csv"
    corpus.write_text("id,body\n1,hello\n")
    problems: list[IngestError] = []
    assert list(read_documents([corpus], on_error=problems.append)) == []
    assert str(problems[0]) == f"{corpus}: no 'text' column (columns: id, body)"


@pytest.mark.parametrize("spec", ["text", "colour=x", "text="])
def test_bad_field_mapping(spec):
    with pytest.raises(ValueError, match="field mapping"):
        CorpusFields.parse([spec])


def test_stdin(monkeypatch):
    data = "Storm hits coast\nThe storm hit the coast overnight, officials said.\n".encode("utf-16")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    (doc,) = read_documents(["-"])
    assert doc.source == "-" and doc.encoding == "utf-16"
    assert split_articles(doc)[0].title == "Storm hits coast"


@pytest.fixture
def local_server():
    page = (FIXTURES / "article.html").read_bytes()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/missing":
                self.send_error(404, "Not Found")
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Last-Modified", "Tue, 22 Jul 2025 10:00:00 GMT")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_url(local_server):
    problems: list[IngestError] = []
    docs = list(
        read_documents(
            [f"{local_server}/story", f"{local_server}/missing"], on_error=problems.append
        )
    )
    assert len(docs) == 1 and docs[0].media_type == "text/html"
    assert docs[0].metadata["outlet"] == "Marlow Bay Herald"
    assert docs[0].metadata["modified"].startswith("2025-07-22T10:00:00")
    assert [p.reason for p in problems] == ["HTTP 404 Not Found"]


def test_url_unreachable():
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    problems: list[IngestError] = []
    assert list(read_documents([f"http://127.0.0.1:{port}/x"], on_error=problems.append)) == []
    assert problems[0].reason.startswith("cannot fetch")
    assert "\n" not in str(problems[0])


def test_stats_summary():
    stats = IngestStats(documents=2, articles=5)
    stats.skip(IngestError("a.txt", "empty file"))
    stats.skip(IngestError("b.txt", "empty file"))
    assert (
        stats.summary(claims=7)
        == "2 documents read, 2 skipped (empty file: 2), 5 articles, 7 claims"
    )


# --------------------------------------------------------------------------- CLI

runner = CliRunner()


def test_cli_directory_mix(mixed_dir):
    result = runner.invoke(app, ["ingest", str(mixed_dir), "--json", "--quiet"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 5
    assert all(r["articles"] for r in records)
    # files inside a named folder: warnings, and the folder was read (status 0)
    assert f"warning: {mixed_dir / 'empty.txt'}: empty file" in result.stderr
    assert f"warning: {mixed_dir / 'image.txt'}: binary file (PNG image)" in result.stderr


def test_cli_strict_fails(mixed_dir):
    result = runner.invoke(app, ["ingest", str(mixed_dir), "--strict", "--quiet"])
    assert result.exit_code == 1
    assert str(result.exception) == f"{mixed_dir / 'empty.txt'}: empty file"


def test_cli_summary_and_table(mixed_dir):
    result = runner.invoke(app, ["ingest", str(mixed_dir)], env={"COLUMNS": "300"})
    assert result.exit_code == 0
    assert (
        "5 documents read, 2 skipped (empty file: 1, binary file (PNG image): 1), 5 articles"
        in result.stderr
    )
    assert "Council" in result.stdout and "utf16.txt" in result.stdout


def test_cli_seed_page_reference_date():
    seed = Path(__file__).resolve().parents[1] / "examples" / "seed_page.txt"
    result = runner.invoke(
        app, ["ingest", str(seed), "--json", "--reference-date", "2025-07-23T09:00"]
    )
    assert result.exit_code == 0
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["date"] for a in record["articles"]] == [
        None,
        "2025-07-23",
        "2025-07-23",
        "2025-07-22",
    ]
    assert (
        record["document"]["sha256"] == __import__("hashlib").sha256(seed.read_bytes()).hexdigest()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reference-date", "soon"], "is not an ISO date"),
        (["--field", "bogus=x"], "unknown key 'bogus'"),
        (["--reader", "pdf"], "--reader must be one of text, html, jsonl, csv, not 'pdf'"),
    ],
)
def test_cli_bad_options(args, message, tmp_path):
    (tmp_path / "a.txt").write_text("Some text here.\n")
    result = runner.invoke(app, ["ingest", str(tmp_path), *args])
    assert result.exit_code != 0
    assert isinstance(result.exception, Exception) and message in str(result.exception)
