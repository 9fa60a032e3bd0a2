"""The interactive HTML view: offline, escaped, and checked in a real headless Chromium."""

from __future__ import annotations

import json
import time
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from exports_support import ARTIFACTS, chromium_driver

from claimgraph.exports.html import network_page_data, write_html


@pytest.fixture(scope="module")
def chromium():
    with chromium_driver() as driver:
        yield driver


SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_QUOTE = f'It will be "very difficult" {SCRIPT} {IMG}'


def claim_network() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("peskov", label="Dmitry Peskov", type="PERSON")
    g.add_node("ukraine", label="Ukraine", type="GPE")
    g.add_node("kremlin", label="Kremlin", type="ORG")
    g.add_node("source", label=f"a source {IMG}", type="PERSON")
    g.add_node("trump", label="Donald Trump", type="PERSON")
    g.add_node("russia", label="Russia", type="GPE")
    g.add_node("afp", label="AFP", type=None)
    g.add_edge(
        "peskov",
        "ukraine",
        claim="c1",
        cue="added",
        text=HOSTILE_QUOTE,
        outlet="AFP",
        date="2025-07-23",
        url="https://example.org/news?id=1&x=<2>",
    )
    g.add_edge(
        "source",
        "russia",
        claim="c2",
        cue=f"told {SCRIPT}",
        text="javascript:alert(1)",
        url="javascript:alert(1)",
    )
    g.add_edge(
        "trump",
        "russia",
        claim="c3",
        cue="gave",
        text='Russia has "50 days".',
        outlet="AFP",
        date="2025-07-14",
        url="https://example.org/b",
    )
    g.add_edge("kremlin", "ukraine", claim="c4", cue="said", text="The positions are opposed.")
    g.add_edge("peskov", "afp", claim="c5", cue="told", text="No one expects an easy road.")
    return g


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "claims.html"
    write_html(claim_network(), path, title=f"Seed {SCRIPT}")
    return path


def test_page_is_offline_and_escaped(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert SCRIPT not in text and IMG not in text and "<img" not in text
    parser = _Tags()
    parser.feed(text)
    for tag, attrs in parser.tags:
        for name in ("src", "href", "srcset", "action", "data"):
            assert name not in attrs, f"<{tag} {name}=...> in an offline page"
        assert tag not in ("link", "iframe", "object", "embed", "img", "base")
    scripts = [attrs for tag, attrs in parser.tags if tag == "script"]
    assert len(scripts) == 3  # data block, vis-network, our code
    assert "vis.Network" in text and "Content-Security-Policy" in text
    assert "<title>Seed &lt;script&gt;alert(1)&lt;/script&gt;</title>" in text


def test_data_block_carries_text_unchanged(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    start = text.index('<script type="application/json" id="cg-data">') + len(
        '<script type="application/json" id="cg-data">'
    )
    data = json.loads(text[start : text.index("</script>", start)])
    texts = {e["text"] for e in data["edges"]}
    assert HOSTILE_QUOTE in texts
    by_claim = {e["claim"]: e for e in data["edges"]}
    assert by_claim["c1"]["url"] == "https://example.org/news?id=1&x=<2>"
    assert by_claim["c2"]["url"] is None  # javascript: never becomes a link
    assert by_claim["c1"]["label"] == "added"
    assert "speaker: Dmitry Peskov" in by_claim["c1"]["title"]
    assert (
        "outlet: AFP" in by_claim["c1"]["title"] and "date: 2025-07-23" in by_claim["c1"]["title"]
    )
    legend = {item["type"]: item for item in data["legend"]}
    assert legend["PERSON"]["count"] == 3 and legend["OTHER"]["count"] == 1
    colours = {n["etype"]: n["color"] for n in data["nodes"]}
    assert all(colours[t] == legend[t]["colour"] for t in legend)


@pytest.mark.parametrize("size_by", ["degree", "pagerank", "betweenness"])
def test_top_n_keeps_most_central(size_by: str) -> None:
    g = claim_network()
    data = network_page_data(g, top_n=3, size_by=size_by)
    labels = {n["label"] for n in data["nodes"]}
    assert len(labels) == 3
    assert "Dmitry Peskov" in labels or "Russia" in labels or "Ukraine" in labels
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])
    assert data["totalNodes"] == 7 and data["totalEdges"] == 5
    assert nx.number_of_nodes(g) == 7  # input untouched


def test_node_size_follows_degree() -> None:
    data = network_page_data(claim_network())
    value = {n["label"]: n["value"] for n in data["nodes"]}
    assert value["Dmitry Peskov"] > value["Donald Trump"] > 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"top_n": 0}, "top_n"),
        ({"size_by": "eigen"}, "size_by"),
    ],
)
def test_bad_arguments(kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        network_page_data(claim_network(), **kwargs)
    with pytest.raises(ValueError, match="networkx graph"):
        network_page_data([("a", "b")])


def test_empty_graph_renders(tmp_path: Path) -> None:
    result = write_html(nx.MultiDiGraph(), tmp_path / "empty.html")
    assert result["nodes"] == result["edges"] == 0


def _wait_ready(driver, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not driver.execute_script("return window.cgReady === true"):
        assert time.monotonic() < deadline, "network never finished laying out"
        time.sleep(0.1)


def test_page_in_headless_chromium(chromium, page: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    chromium.get(page.as_uri())
    _wait_ready(chromium)
    state = chromium.execute_script("""return {
        alerts: window.__alerts, errors: window.__errors,
        nodes: cgNetwork.body.nodeIndices.length, edges: cgNetwork.body.edgeIndices.length,
        canvases: document.querySelectorAll('#cg-network canvas').length,
        imgs: document.querySelectorAll('img').length,
        scripts: document.querySelectorAll('script').length,
        title: document.title, heading: document.getElementById('cg-title').textContent,
        physics: cgNetwork.physics.options.enabled };""")
    assert state["alerts"] == [] and state["errors"] == []
    assert state["nodes"] == 7 and state["edges"] == 5
    assert state["canvases"] == 1 and state["imgs"] == 0 and state["scripts"] == 3
    assert state["heading"] == f"Seed {SCRIPT}" and state["physics"] is False
    severe = [e for e in chromium.get_log("browser") if e["level"] == "SEVERE"]
    assert severe == []
    ARTIFACTS.mkdir(exist_ok=True)
    assert chromium.save_screenshot(str(ARTIFACTS / "exports_html.png"))

    # hostile text shows up as text in the UI, and clicking a claim shows it as text
    speakers = [o.text for o in Select(chromium.find_element(By.ID, "cg-speaker")).options]
    assert f"a source {IMG}" in speakers
    chromium.execute_script("""
        var e = cgEdges.get().find(function (x) { return x.claim === 'c1'; });
        cgNetwork.body.emitter.emit('click', {nodes: [], edges: [e.id]});""")
    details = chromium.find_element(By.ID, "cg-details")
    assert HOSTILE_QUOTE in details.text
    link = details.find_element(By.TAG_NAME, "a")
    assert link.get_attribute("href") == "https://example.org/news?id=1&x=%3C2%3E"

    # filters: entity type, speaker, minimum degree, search
    def shown() -> tuple[int, int]:
        return tuple(chromium.execute_script("return [cgNodeView.length, cgEdgeView.length]"))

    assert shown() == (7, 5)
    person = chromium.find_element(
        By.XPATH, "//div[@id='cg-legend']//label[contains(., 'PERSON')]/input"
    )
    person.click()
    assert shown() == (4, 1)
    person.click()
    Select(chromium.find_element(By.ID, "cg-speaker")).select_by_visible_text("Dmitry Peskov")
    assert shown() == (3, 2)
    Select(chromium.find_element(By.ID, "cg-speaker")).select_by_index(0)
    degree = chromium.find_element(By.ID, "cg-min-degree")
    degree.clear()
    degree.send_keys("2")
    assert shown() == (3, 1)  # Peskov, Ukraine, Russia; only c1 joins two of them
    search = chromium.find_element(By.ID, "cg-search")
    search.send_keys("russ")
    assert chromium.find_element(By.ID, "cg-search-result").text == "1 match"
    assert chromium.execute_script("return window.__alerts") == []


def test_large_graph_settles_in_chromium(chromium, tmp_path: Path) -> None:
    g = nx.gnm_random_graph(3000, 6000, seed=1, directed=True)
    big = nx.MultiDiGraph()
    for n in g:
        big.add_node(n, label=f"entity {n}", type=("PERSON", "ORG", "GPE")[n % 3])
    for i, (u, v) in enumerate(g.edges()):
        big.add_edge(u, v, claim=f"c{i}", cue="said", text=f"claim {i}")
    path = tmp_path / "big.html"
    result = write_html(big, path, top_n=400)
    assert result["nodes"] == 400 and result["total_nodes"] == 3000
    start = time.monotonic()
    chromium.get(path.as_uri())
    _wait_ready(chromium, timeout=90)
    settle = time.monotonic() - start
    state = chromium.execute_script(
        "return [cgNetwork.body.nodeIndices.length, cgNetwork.physics.options.enabled,"
        " window.__errors]"
    )
    assert state == [400, False, []]
    assert settle < 60, f"layout took {settle:.1f}s"
