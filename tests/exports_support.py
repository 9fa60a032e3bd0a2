"""Helpers for the exports tests: a real Oxigraph server, a real headless Chromium, the seed graph.

The server and browser context managers skip the test that uses them, with the reason, when
they cannot be found or installed. Test modules wrap them in fixtures.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
)


def unavailable(reason: str) -> None:
    """Skip the calling test because a tool it needs is missing, or fail it under ``CI=true``,
    where ``.ci/run`` has installed every tool (a missing one is then a broken CI set-up).

    Tests never install anything themselves: ``scripts/install-system-packages.sh`` installs
    the system packages, ``pip install -e ".[test]"`` the Python ones.
    """
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: .ci/run should have installed it)")
    pytest.skip(reason)


def oxigraph_binary() -> str | None:
    """Path of the ``oxigraph`` server binary (PyPI package ``oxigraph``, a test extra)."""
    return shutil.which("oxigraph") or _beside_python("oxigraph")


def _beside_python(name: str) -> str | None:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.is_file() and os.access(candidate, os.X_OK) else None


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_oxigraph() -> Iterator[str]:
    """Base URL of a fresh Oxigraph server on 127.0.0.1 (temporary data folder), stopped after.

    Skips the calling test (fails it under ``CI=true``) when the server binary is missing.
    """
    binary = oxigraph_binary()
    if binary is None:
        unavailable("oxigraph server binary not found (pip install -e '.[test]')")
    port = free_port()
    data = tempfile.mkdtemp(prefix="cg-oxigraph-")
    log = open(os.path.join(data, "server.log"), "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [binary, "serve", "--location", os.path.join(data, "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1):
                    break
            except (urllib.error.URLError, OSError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(
                        f"oxigraph server did not start: {Path(data, 'server.log').read_text()}"
                    )
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        shutil.rmtree(data, ignore_errors=True)


def remote_select(base: str, query: str) -> list[dict[str, str]]:
    request = urllib.request.Request(
        base + "/query",
        data=urllib.parse.urlencode({"query": query}).encode(),
        headers={
            "Accept": "application/sparql-results+json",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        rows = json.load(response)["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in rows]


def _chromium_paths() -> tuple[str | None, str | None]:
    browser = next(
        (
            shutil.which(n)
            for n in ("chromium", "chromium-browser", "google-chrome")
            if shutil.which(n)
        ),
        None,
    )
    driver = shutil.which("chromedriver")
    return browser, driver


@contextlib.contextmanager
def chromium_driver() -> Iterator:
    """A selenium WebDriver for headless Chromium (Debian's chromium + chromium-driver).

    Skips the calling test (fails it under ``CI=true``) when Chromium or its driver is missing.

    Every page gets, before its own scripts run, hooks that record ``alert``/``confirm``/
    ``prompt`` calls in ``window.__alerts`` and uncaught errors in ``window.__errors``.
    """
    try:
        from selenium import webdriver
    except ImportError:
        unavailable("selenium not installed (pip install -e '.[test]')")
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    browser, driver_path = _chromium_paths()
    if browser is None or driver_path is None:
        unavailable("chromium/chromedriver not found (scripts/install-system-packages.sh)")
    options = Options()
    options.binary_location = browser
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="cg-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {
            "source": """
        window.__alerts = []; window.__errors = [];
        for (const name of ['alert', 'confirm', 'prompt']) {
          window[name] = function (m) { window.__alerts.push(name + ':' + String(m)); };
        }
        window.addEventListener('error', function (e) { window.__errors.push(String(e.message)); });
    """
        },
    )
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


# ---- the seed claim graph ------------------------------------------------------------------

SEED_PAGE = REPO / "examples" / "seed_page.txt"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_TEXT = (
    f'Dmitry Peskov said: "Talks {SCRIPT} with Ukraine {IMG} will fail." '
    "The remark was reported late."
)


def _span(text: str, needle: str, after: int = 0):
    from claimgraph.extract.records import TextSpan

    start = text.index(needle, after)
    return TextSpan(needle, start, start + len(needle))


def _ref(text: str, needle: str, after: int = 0, **kwargs):
    from claimgraph.extract.records import EntityRef

    s = _span(text, needle, after)
    return EntityRef(s.text, s.start, s.end, **kwargs)


def seed_claims(text: str) -> list:
    """Claims a careful reader finds in the seed page's main article (offsets computed)."""
    from claimgraph.extract.records import Claim

    def claim(anchor: str, content: str, speaker, cue: str, target=None, kind="indirect"):
        at = text.index(anchor)
        return Claim(
            "seed_page.txt",
            0,
            (_span(text, content, at),),
            speaker=speaker,
            cue=_span(text, cue, at),
            target=target,
            kind=kind,
            confidence=0.9,
        )

    a1 = text.index('"No one expects')
    a2 = text.index('"It will be very difficult')
    a3 = text.index("Ukraine said it hoped")
    a4 = text.index('"Everything will depend')
    a5 = text.index("But Moscow has said")
    a6 = text.index("The Kremlin said it would send")
    a7 = text.index("He has been described by Ukraine")
    return [
        claim(
            '"No one expects',
            "No one expects an easy road",
            _ref(
                text,
                "Dmitry Peskov",
                a1,
                entity="Dmitry Peskov",
                type="PERSON",
                role="Kremlin spokesman",
                affiliation="Kremlin",
            ),
            "told",
            kind="direct",
        ),
        claim(
            '"It will be very difficult',
            "It will be very difficult",
            _ref(text, "he", a2 + 28, entity="Dmitry Peskov", type="PERSON"),
            "added",
            kind="direct",
        ),
        claim(
            "Ukraine said it hoped",
            "it hoped the two countries would discuss the release of prisoners",
            _ref(text, "Ukraine", a3, entity="Ukraine", type="GPE"),
            "said",
            target=_ref(text, "Vladimir Putin", a3, entity="Vladimir Putin", type="PERSON"),
        ),
        claim(
            '"Everything will depend',
            "Everything will depend on whether Russia stops speaking in ultimatums and takes "
            "a constructive position",
            _ref(
                text,
                "a source in the Ukrainian delegation",
                a4,
                type="PERSON",
                affiliation="Ukrainian delegation",
                anonymous=True,
            ),
            "told",
            target=_ref(text, "Russia", a4, entity="Russia", type="GPE"),
            kind="direct",
        ),
        claim(
            "But Moscow has said",
            "a lot of work is needed before even discussions can take place about possible "
            "talks between Putin and Zelensky",
            _ref(text, "Moscow", a5, entity="Moscow", type="GPE"),
            "said",
            target=_ref(text, "Zelensky", a5, entity="Volodymyr Zelensky", type="PERSON"),
        ),
        claim(
            "The Kremlin said it would send",
            "it would send political scientist Vladimir Medinsky to lead its negotiating team",
            _ref(text, "Kremlin", a6, entity="Kremlin", type="ORG"),
            "said",
            target=_ref(text, "Vladimir Medinsky", a6, entity="Vladimir Medinsky", type="PERSON"),
        ),
        claim(
            "He has been described by Ukraine",
            "a puppet",
            _ref(text, "Ukraine", a7, entity="Ukraine", type="GPE"),
            "described",
            target=_ref(text, "He", a7, entity="Vladimir Medinsky", type="PERSON"),
        ),
    ]


def hostile_claims() -> list:
    """A document whose quote carries <script> and <img onerror> payloads."""
    from claimgraph.extract.records import Claim

    text = HOSTILE_TEXT
    return [
        Claim(
            "hostile.txt",
            0,
            (_span(text, f"Talks {SCRIPT} with Ukraine {IMG} will fail."),),
            speaker=_ref(text, "Dmitry Peskov", entity="Dmitry Peskov", type="PERSON"),
            cue=_span(text, "said"),
            target=_ref(text, "Ukraine", entity="Ukraine", type="GPE"),
            kind="direct",
            confidence=0.8,
        )
    ]


def build_seed_graph(path: Path) -> Path:
    """Build the seed claim graph (seed page + the hostile document) into store ``path``."""
    import hashlib

    from claimgraph.graph import ArticleMeta, DocumentInput, GraphStore

    text = SEED_PAGE.read_text(encoding="utf-8")
    docs = [
        DocumentInput(
            "seed_page.txt",
            hashlib.sha256(text.encode()).hexdigest(),
            tuple(seed_claims(text)),
            {
                0: ArticleMeta(
                    title="Kremlin expects 'difficult' talks with Ukraine in Istanbul",
                    outlet="AFP",
                    date="2025-07-23",
                    url="https://example.org/news/kremlin-difficult-talks",
                )
            },
        ),
        DocumentInput(
            "hostile.txt",
            hashlib.sha256(HOSTILE_TEXT.encode()).hexdigest(),
            tuple(hostile_claims()),
            {
                0: ArticleMeta(
                    title=f"Hostile {SCRIPT}",
                    outlet=f"Evil {IMG} News",
                    date="2025-07-24",
                    url="https://example.org/evil?a=1&b=<x>",
                )
            },
        ),
    ]
    with GraphStore.open(path) as store:
        report = store.build(docs)
    assert not report.failed, report.failed
    return path
