"""The researcher's HTML view: who talks about whom, claims in their sentences, filters; offline,
escaped, and checked in a real headless Chromium."""

from __future__ import annotations

import json
import time
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from exports_support import ARTIFACTS, chromium_driver

from claimgraph.exports.html import network_page_data, write_html

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
HOSTILE_QUOTE = f'It will be "very difficult" {SCRIPT} {IMG}'


def claim(graph, u, v, n, text, *, outlet="AFP", date="2025-07-14", kind="indirect", conf=0.8):
    """A claim edge as the store's networkx view has it (one report, with its sentence)."""
    context = f"Reporters heard it on the day. {text} Nothing else was said."
    start = 1000 * n + 31
    report = {
        "report": f"r{n}", "doc": f"doc{n % 7}.txt", "article": 1, "outlet": outlet,
        "date": date, "url": f"https://example.org/{n}", "start": start,
        "end": start + len(text), "cue": "said", "kind": kind, "context": context,
        "context_start": start - 31,
    }  # fmt: skip
    graph.add_edge(
        u, v, key=f"c{n}", relation="claim", claim=f"c{n}", text=text, cue="said", kind=kind,
        confidence=conf, outlet=outlet, date=date, url=report["url"], doc=report["doc"],
        provenance=[report], n_reports=1,
    )  # fmt: skip
    graph.nodes[u]["n_claims"] += 1
    graph.nodes[v]["n_about"] += 1


def entity(graph, node, label, etype="Person", aliases=()):
    graph.add_node(node, label=label, type=etype, anonymous=False, aliases=list(aliases),
                   roles=[], affiliations=[], n_claims=0, n_about=0)  # fmt: skip


def newsroom(speakers: int = 40, per_speaker: int = 6) -> nx.MultiDiGraph:
    """Donald Trump, Hillary Clinton and a hostile source, plus ``speakers`` minor speakers who
    each talk about ``per_speaker`` entities of their own: more entities than a first screen."""
    g = nx.MultiDiGraph()
    entity(g, "trump", "Donald Trump", aliases=["Trump", "Mr. Trump"])
    entity(g, "clinton", "Hillary Clinton")
    entity(g, "russia", "Russia", "Place")
    entity(g, "source", f"a source {IMG}")
    n = 0
    for i in range(8):
        claim(g, "trump", "clinton", n := n + 1, f"She would be a disaster number {i}.",
              outlet="Fox", date=f"2016-0{1 + i % 8}-10")  # fmt: skip
        claim(g, "clinton", "trump", n := n + 1, f"He is unfit to serve, reason {i}.",
              outlet="CNN", date=f"2016-0{1 + i % 8}-12", kind="direct")  # fmt: skip
    claim(g, "trump", "russia", n := n + 1, "Russia has fifty days.", outlet="AFP",
          date="2025-07-14", conf=0.3)  # fmt: skip
    claim(g, "source", "russia", n := n + 1, HOSTILE_QUOTE, outlet="AFP", date="2025-07-23")
    for s in range(speakers):
        entity(g, f"s{s}", f"Speaker {s}")
        for t in range(per_speaker):
            entity(g, f"t{s}-{t}", f"Topic {s}-{t}", "Thing")
            claim(g, f"s{s}", f"t{s}-{t}", n := n + 1, f"Claim {s}-{t} stands.",
                  outlet="AFP", date="2020-01-01", conf=0.5)  # fmt: skip
    return g


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "claims.html"
    write_html(newsroom(), path, title=f"Newsroom {SCRIPT}")
    return path


def embedded(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    marker = '<script type="application/json" id="cg-data">'
    start = text.index(marker) + len(marker)
    return json.loads(text[start : text.index("</script>", start)])


def test_page_is_offline_and_escaped(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    assert SCRIPT not in text and IMG not in text and "<img" not in text
    parser = _Tags()
    parser.feed(text)
    for tag, attrs in parser.tags:
        for name in ("src", "href", "srcset", "action", "data"):
            assert name not in attrs, f"<{tag} {name}=...> in an offline page"
        assert tag not in ("link", "iframe", "object", "embed", "img", "base")
    assert len([1 for tag, _ in parser.tags if tag == "script"]) == 3  # data, vis, ours
    assert "vis.Network" in text and "Content-Security-Policy" in text
    assert "<title>Newsroom &lt;script&gt;alert(1)&lt;/script&gt;</title>" in text


def test_data_block_carries_claims_in_their_sentences(page: Path) -> None:
    data = embedded(page)
    claims = {c["text"]: c for c in data["claims"]}
    hostile = claims[HOSTILE_QUOTE]
    a, b = hostile["at"]
    assert hostile["context"][a:b] == HOSTILE_QUOTE  # the highlight is the claim itself
    assert hostile["speakerLabel"] == f"a source {IMG}" and hostile["outlet"] == "AFP"
    nodes = {n["label"]: n for n in data["nodes"]}
    assert nodes["Donald Trump"]["aliases"] == ["Trump", "Mr. Trump"]
    assert nodes["Donald Trump"]["rank"] < nodes["Speaker 0"]["rank"]  # most active first
    assert data["outlets"] == ["AFP", "CNN", "Fox"] and data["maxNodes"] == 150


@pytest.mark.parametrize(("widen_to", "max_claims"), [(60, 5000), (400, 10)])
def test_only_the_cut_is_embedded(widen_to: int, max_claims: int) -> None:
    graph = newsroom()
    before = (graph.number_of_nodes(), graph.number_of_edges())
    data = network_page_data(graph, max_nodes=50, widen_to=widen_to, max_claims=max_claims)
    ids = {n["id"] for n in data["nodes"]}
    assert len(ids) <= widen_to and data["maxNodes"] == 50
    assert len(data["claims"]) <= max_claims
    assert all(c["speaker"] in ids or c["target"] in ids for c in data["claims"])
    assert data["totalNodes"] == before[0] and data["totalClaims"] == before[1]
    assert (graph.number_of_nodes(), graph.number_of_edges()) == before  # input untouched
    if max_claims == 10:  # the most confident are kept
        assert min(c["confidence"] for c in data["claims"]) == 0.8


@pytest.mark.parametrize("option", ["max_nodes", "widen_to", "max_claims"])
def test_bad_arguments(option: str) -> None:
    with pytest.raises(ValueError, match=option):
        network_page_data(newsroom(2, 2), **{option: 0})
    with pytest.raises(ValueError, match="networkx graph"):
        network_page_data([("a", "b")])


def test_empty_graph_renders(tmp_path: Path) -> None:
    result = write_html(nx.MultiDiGraph(), tmp_path / "empty.html")
    assert result["entities"] == result["claims"] == 0


@pytest.fixture(scope="module")
def chromium():
    with chromium_driver() as driver:
        driver.set_window_size(1400, 900)
        yield driver


def _open(driver, path: Path, timeout: float = 60.0) -> None:
    driver.get(path.as_uri())
    deadline = time.monotonic() + timeout
    while not driver.execute_script("return window.cgReady === true"):
        assert time.monotonic() < deadline, "network never finished laying out"
        time.sleep(0.1)


def _shown(driver) -> tuple[int, int]:
    return tuple(driver.execute_script("return [cgNodes.length, cgEdges.length]"))


def test_first_screen_is_a_readable_cut(chromium, page: Path) -> None:
    _open(chromium, page)
    state = chromium.execute_script(
        "return {nodes: cgNodes.length, px: cgLabelPx(), errors: window.__errors,"
        " alerts: window.__alerts, physics: cgNetwork.physics.options.enabled};"
    )
    assert state["errors"] == [] and state["alerts"] == [] and state["physics"] is False
    assert 100 < state["nodes"] <= 150  # of 4 + 40 * 7 = 284 entities
    assert min(state["px"]) >= 11, "labels drawn smaller than 11 px at the first zoom"
    ARTIFACTS.mkdir(exist_ok=True)
    assert chromium.save_screenshot(str(ARTIFACTS / "exports_html.png"))
    chromium.execute_script("var w = document.getElementById('cg-widen'); w.value = w.max;"
                            " w.dispatchEvent(new Event('input'));")  # fmt: skip
    assert _shown(chromium)[0] > 150


def test_entity_panel_lists_claims_in_their_sentences(chromium, page: Path) -> None:
    from selenium.webdriver.common.by import By

    _open(chromium, page)
    chromium.execute_script("""var id = cgData.nodes.find(n => n.label === 'Donald Trump').id;
        cgNetwork.body.emitter.emit('click', {nodes: [id], edges: []});""")
    panel = chromium.find_element(By.ID, "cg-details")
    assert panel.find_element(By.TAG_NAME, "h3").text == "Donald Trump"
    assert "also named: Trump, Mr. Trump" in panel.text
    assert "17 claims" in panel.text  # 9 made, 8 about him
    marks = [m.text for m in panel.find_elements(By.TAG_NAME, "mark")]
    assert "She would be a disaster number 0." in marks and "Russia has fifty days." in marks
    assert "Reporters heard it on the day." in panel.text  # the sentence around the claim
    assert "confidence 0.80" in panel.text and "Fox" in panel.text


def test_outlet_date_kind_and_confidence_filters(chromium, page: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _open(chromium, page)
    every = _shown(chromium)
    Select(chromium.find_element(By.ID, "cg-outlet")).select_by_visible_text("Fox")
    assert _shown(chromium) == (2, 1)  # Trump -> Clinton only
    Select(chromium.find_element(By.ID, "cg-outlet")).select_by_index(0)
    assert _shown(chromium) == every
    chromium.execute_script("""var f = document.getElementById('cg-from');
        f.value = '2016-01-01'; f.dispatchEvent(new Event('change'));
        var t = document.getElementById('cg-to');
        t.value = '2016-12-31'; t.dispatchEvent(new Event('change'));""")
    assert _shown(chromium) == (2, 2)  # the 2016 exchange, both ways
    chromium.execute_script("""['cg-from', 'cg-to'].forEach(function (k) {
        var e = document.getElementById(k); e.value = '';
        e.dispatchEvent(new Event('change')); });""")
    chromium.find_element(By.XPATH, "//div[@id='cg-kinds']//input[@value='direct']").click()
    assert _shown(chromium)[1] == every[1] - 1  # Clinton -> Trump was the direct one
    chromium.find_element(By.XPATH, "//div[@id='cg-kinds']//input[@value='direct']").click()
    chromium.execute_script("""var c = document.getElementById('cg-confidence');
        c.value = '0.7'; c.dispatchEvent(new Event('input'));""")
    # the 0.8 claims of the first screen (the source, one claim, is beyond its cut)
    assert _shown(chromium) == (2, 2)
    chromium.execute_script("""var c = document.getElementById('cg-confidence');
        c.value = '0'; c.dispatchEvent(new Event('input'));""")
    Select(chromium.find_element(By.ID, "cg-speaker")).select_by_visible_text("Donald Trump")
    assert _shown(chromium) == (3, 2)  # Trump -> Clinton, Trump -> Russia
    Select(chromium.find_element(By.ID, "cg-speaker")).select_by_index(0)
    Select(chromium.find_element(By.ID, "cg-ego")).select_by_visible_text("Russia")
    assert _shown(chromium) == (2, 1)  # Russia and Trump
    chromium.find_element(By.XPATH, "//input[@name='cg-hops'][@value='2']").click()
    assert _shown(chromium) == (3, 3)  # and Clinton, through Trump


def test_search_centres_a_name_and_hostile_text_stays_text(chromium, page: Path) -> None:
    from selenium.webdriver.common.by import By

    _open(chromium, page)
    chromium.find_element(By.ID, "cg-search").send_keys("speaker 1")
    assert chromium.find_element(By.ID, "cg-search-result").text == "11 matches"
    offset = chromium.execute_script("""var id = cgNetwork.getSelectedNodes()[0];
        var p = cgNetwork.canvasToDOM(cgNetwork.getPositions([id])[id]);
        var c = document.getElementById('cg-network');
        return [p.x - c.clientWidth / 2, p.y - c.clientHeight / 2,
                cgData.nodes.find(n => n.id === id).label];""")
    assert abs(offset[0]) < 5 and abs(offset[1]) < 5 and offset[2] == "Speaker 1"
    chromium.execute_script("""var id = cgData.nodes.find(n => n.label.startsWith('a source')).id;
        cgNetwork.body.emitter.emit('click', {nodes: [id], edges: []});""")
    panel = chromium.find_element(By.ID, "cg-details")
    assert HOSTILE_QUOTE in panel.text and f"a source {IMG}" in panel.text
    state = chromium.execute_script(
        "return [document.querySelectorAll('#cg-details script, #cg-details img').length,"
        " window.__alerts, document.querySelector('#cg-details a').href];"
    )
    assert state == [0, [], "https://example.org/18"]


def test_a_large_graph_renders_its_cut_quickly(chromium, tmp_path: Path) -> None:
    big = newsroom(speakers=1000, per_speaker=5)  # 6,004 entities, 5,018 claims
    path = tmp_path / "big.html"
    start = time.monotonic()
    result = write_html(big, path)
    assert result["entities"] == 400 and result["total_entities"] == 6004
    assert result["bytes"] < 3_000_000
    _open(chromium, path, timeout=90)
    seconds = time.monotonic() - start
    state = chromium.execute_script(
        "return [cgNodes.length, cgNetwork.physics.options.enabled, window.__errors]"
    )
    assert state[0] <= 150 and state[1:] == [False, []]
    assert seconds < 60, f"written and laid out in {seconds:.1f}s"


def test_highlight_counts_in_javascript_string_units() -> None:
    g = nx.MultiDiGraph()
    entity(g, "a", "Ann")
    entity(g, "b", "Bob")
    claim(g, "a", "b", 1, "Bob \U0001f600 is late.")  # an emoji is 2 units in JavaScript
    [c] = network_page_data(g)["claims"]
    units = c["context"].encode("utf-16-le")
    start, end = c["at"]
    assert units[2 * start : 2 * end].decode("utf-16-le") == "Bob \U0001f600 is late."


def test_empty_store_page_is_ready_in_chromium(chromium, tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    write_html(nx.MultiDiGraph(), path)
    _open(chromium, path, timeout=20)
    assert chromium.execute_script("return [cgNodes.length, window.__errors]") == [0, []]
