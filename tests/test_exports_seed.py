"""Acceptance on the seed claim graph, through the command line: export, validate, push, html."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from exports_support import (
    ARTIFACTS,
    HOSTILE_TEXT,
    IMG,
    SCRIPT,
    build_seed_graph,
    chromium_driver,
    free_port,
    remote_select,
    running_oxigraph,
)
from typer.testing import CliRunner

from claimgraph.cli import app
from claimgraph.exports.rdf import RDF_FORMATS
from claimgraph.exports.shacl import validate_graph
from claimgraph.graph import GraphStore
from claimgraph.graph.network import to_networkx


@pytest.fixture(scope="module")
def chromium():
    with chromium_driver() as driver:
        yield driver


@pytest.fixture
def oxigraph_server():
    with running_oxigraph() as url:
        yield url


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An on-disk claim graph store holding the seed graph (open it read-only)."""
    return build_seed_graph(tmp_path_factory.mktemp("seed") / "db")


runner = CliRunner()
CG = "https://w3id.org/claimgraph/ns#"
SCHEMA = "http://schema.org/"


def cli(*args: str | Path, code: int = 0) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture(scope="module")
def seed_store(seed_db: Path) -> ox.Store:
    """An in-memory copy of the seed graph (safe to mutate per test via a further copy)."""
    with GraphStore.open(seed_db, read_only=True) as graph:
        data = graph.oxigraph.dump(format=ox.RdfFormat.N_QUADS)
    store = ox.Store()
    store.load(data, ox.RdfFormat.N_QUADS)
    return store


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_seed_export_reparses(
    seed_db: Path,
    seed_store: ox.Store,
    fmt: str,
    tmp_path: Path,
) -> None:
    info = RDF_FORMATS[fmt]
    out = tmp_path / f"seed{info.suffix}"
    summary = json.loads(cli("export", "--db", seed_db, "--format", fmt, "-o", out, "--json"))
    assert summary["path"] == str(out)
    back = ox.Store()
    back.load(path=str(out), format=info.format)
    if info.dataset:
        ds = rdflib.Dataset()
        ds.parse(out, format=info.rdflib_name)
        assert sum(1 for _ in ds.quads((None, None, None, None))) == len(back) == len(seed_store)
        assert len(list(back.named_graphs())) == 2  # one per article
    else:
        graph = rdflib.Graph().parse(out, format=info.rdflib_name)
        assert len(graph) == len(back) == len({q.triple for q in seed_store})
    # hostile text survives every format unchanged
    texts = {
        q.object.value for q in back.quads_for_pattern(None, ox.NamedNode(SCHEMA + "text"), None)
    }
    assert any(SCRIPT in t and IMG in t for t in texts)
    assert validate_graph(out)["conforms"]


def test_seed_validates_and_void(
    seed_db: Path,
    seed_store: ox.Store,
    tmp_path: Path,
) -> None:
    assert "conforms" in cli("validate", "--db", seed_db)
    out, void = tmp_path / "seed.nq", tmp_path / "void.ttl"
    cli("export", "--db", seed_db, "-f", "nquads", "-o", out, "--void", void)
    assert "conforms" in cli("validate", out)
    g = rdflib.Graph().parse(void, format="turtle")
    ds = next(g.subjects(rdflib.RDF.type, rdflib.URIRef("http://rdfs.org/ns/void#Dataset")))
    assert str(ds) == "https://w3id.org/claimgraph/id/dataset"
    triples = int(g.value(ds, rdflib.URIRef("http://rdfs.org/ns/void#triples")))
    assert triples == len({q.triple for q in seed_store})
    documents = int(g.value(ds, rdflib.URIRef("http://rdfs.org/ns/void#documents")))
    assert documents == 2
    assert g.value(ds, rdflib.URIRef("http://rdfs.org/ns/void#dataDump")) == rdflib.URIRef(
        out.as_uri()
    )


def _mutated(store: ox.Store, update: str) -> ox.Store:
    copy = ox.Store()
    copy.load(store.dump(format=ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS)
    copy.update(update)
    return copy


BREAKAGES = {
    "confidence out of range": (
        f"DELETE {{ GRAPH ?g {{ ?r <{CG}confidence> ?c }} }} "
        f"INSERT {{ GRAPH ?g {{ ?r <{CG}confidence> 1.5 }} }} "
        f"WHERE {{ GRAPH ?g {{ ?r <{CG}confidence> ?c }} }}",
        "confidence",
    ),
    "claim without report": (f"DELETE WHERE {{ GRAPH ?g {{ ?c <{CG}report> ?r }} }}", "cg:report"),
    "speaker is untyped": (
        f"DELETE {{ ?e a ?t }} WHERE {{ GRAPH ?g {{ ?c <{SCHEMA}author> ?e }} ?e a ?t }}",
        "schema:author",
    ),
    "span ends before it starts": (
        "PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> "
        "DELETE { GRAPH ?g { ?s nif:endIndex ?e } } INSERT { GRAPH ?g { ?s nif:endIndex 0 } } "
        "WHERE { GRAPH ?g { ?s nif:endIndex ?e } FILTER(?e > 0) }",
        "not after",
    ),
    "unknown report kind": (
        f"DELETE {{ GRAPH ?g {{ ?r <{CG}kind> ?k }} }} "
        f"INSERT {{ GRAPH ?g {{ ?r <{CG}kind> <{CG}Rumour> }} }} "
        f"WHERE {{ GRAPH ?g {{ ?r <{CG}kind> ?k }} }}",
        "cg:kind",
    ),
    "blank-node claim": (
        f'INSERT DATA {{ GRAPH <urn:g> {{ _:c a <{SCHEMA}Claim> ; <{SCHEMA}text> "x" }} }}',
        "IRI",
    ),
}


@pytest.mark.parametrize("case", sorted(BREAKAGES))
def test_shapes_catch_broken_graphs(seed_store: ox.Store, case: str, tmp_path: Path) -> None:
    update, expected = BREAKAGES[case]
    report = validate_graph(_mutated(seed_store, update))
    assert not report["conforms"]
    messages = " ".join(v["message"] + " " + (v["path"] or "") for v in report["violations"])
    assert expected in messages or expected in json.dumps(report)
    broken = tmp_path / "broken.nq"
    _mutated(seed_store, update).dump(str(broken), ox.RdfFormat.N_QUADS)
    assert "SHACL violations" in cli("validate", broken, code=1)


@pytest.mark.parametrize(
    ("fmt", "reader"),
    [
        ("graphml", nx.read_graphml),
        ("gexf", nx.read_gexf),
        ("nodelink", lambda p: nx.node_link_graph(json.loads(Path(p).read_text()), edges="links")),
    ],
)
def test_seed_network_formats(seed_db: Path, fmt: str, reader, tmp_path: Path) -> None:
    with GraphStore.open(seed_db, read_only=True) as graph:
        view = to_networkx(graph)
    out = tmp_path / f"seed.{fmt}"
    cli("export", "--db", seed_db, "-f", fmt, "-o", out)
    back = reader(out)
    assert back.number_of_nodes() == view.number_of_nodes()
    assert back.number_of_edges() == view.number_of_edges()
    labels = {d["label"] for _, d in back.nodes(data=True)}
    assert {"Dmitry Peskov", "Ukraine", "Kremlin"} <= labels


def test_seed_csv_tables(seed_db: Path, tmp_path: Path) -> None:
    cli("export", "--db", seed_db, "-f", "csv", "-o", tmp_path / "tables")
    with (tmp_path / "tables" / "claims.csv").open(encoding="utf-8", newline="") as fh:
        claims = list(csv.DictReader(fh))
    with (tmp_path / "tables" / "provenance.csv").open(encoding="utf-8", newline="") as fh:
        prov = list(csv.DictReader(fh))
    with (tmp_path / "tables" / "entities.csv").open(encoding="utf-8", newline="") as fh:
        entities = {r["label"]: r for r in csv.DictReader(fh)}
    assert {(c["speaker_label"], c["cue"]) for c in claims} >= {
        ("Kremlin", "said"),
        ("Dmitry Peskov", "said"),
    }
    assert {p["claim"] for p in prov} == {c["claim"] for c in claims}
    hostile = next(p for p in prov if p["doc"] == "hostile.txt")
    assert HOSTILE_TEXT[int(hostile["start"]) : int(hostile["end"])].startswith("Talks <script>")
    assert entities["Kremlin"]["stands_for"]  # metonymy link kept


def test_push_round_trip_matches_claimgraph_query(seed_db: Path, oxigraph_server: str) -> None:
    rows = json.loads(cli("query", "claims", "--db", seed_db, "-f", "json"))
    local = {(r["speaker"], r["claim"]) for r in rows if r["speaker"]}
    assert len(local) >= 7
    endpoint = oxigraph_server + "/store"
    for _ in range(2):  # a retry must not duplicate anything
        summary = json.loads(cli("push", "--db", seed_db, "--endpoint", endpoint, "--json", "-q"))
    assert summary["protocol"] == "gsp" and summary["graphs"] == 3
    remote = remote_select(
        oxigraph_server,
        f"""PREFIX itsrdf: <http://www.w3.org/2005/11/its/rdf#>
        SELECT ?speaker ?claim WHERE {{ GRAPH ?g {{
          ?claim <{CG}report> ?r . ?r <{CG}speakerMention>/itsrdf:taIdentRef ?speaker }} }}""",
    )
    assert {(r["speaker"], r["claim"]) for r in remote} == local
    count = remote_select(
        oxigraph_server, "SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    )
    with GraphStore.open(seed_db, read_only=True) as graph:
        assert int(count[0]["n"]) == len(graph)


def _main(*args: str | Path) -> subprocess.CompletedProcess:
    code = "from claimgraph.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_push_errors_are_one_line(seed_db: Path) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}/store"
    result = _main("push", "--db", seed_db, "--endpoint", endpoint, "-q", "--timeout", "2")
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"error: cannot reach {endpoint}: [Errno 111] Connection refused"
    ]


def test_refused_push_is_one_line(seed_db: Path, oxigraph_server: str) -> None:
    result = _main(
        "push", "--db", seed_db, "--endpoint", oxigraph_server + "/query", "--protocol", "gsp", "-q"
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "HTTP 4" in lines[0]


def test_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    result = _main("export", "--db", tmp_path / "nope", "-f", "turtle", "-o", tmp_path / "x.ttl")
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "nope" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "x.ttl").exists()


def test_seed_html_in_chromium(seed_db: Path, chromium, tmp_path: Path) -> None:
    out = tmp_path / "seed.html"
    summary = json.loads(
        cli("html", "--db", seed_db, "-o", out, "--title", f"Seed {SCRIPT}", "--json")
    )
    with GraphStore.open(seed_db, read_only=True) as graph:
        view = to_networkx(graph)
    pairs = {(u, v) for u, v, d in view.edges(data=True) if d["relation"] == "claim"}
    assert summary["entities"] == view.number_of_nodes()
    assert (
        summary["claims"]
        == summary["total_claims"]
        == len([1 for *_, d in view.edges(data=True) if d["relation"] == "claim"])
    )
    page = out.read_text(encoding="utf-8")
    assert SCRIPT not in page and IMG not in page
    assert "http://" not in page.split('<script type="application/json"')[0].split("</style>")[-1]
    chromium.get(out.as_uri())
    deadline = time.monotonic() + 60
    while not chromium.execute_script("return window.cgReady === true"):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    state = chromium.execute_script("""return {alerts: window.__alerts, errors: window.__errors,
        nodes: cgNetwork.body.nodeIndices.length, edges: cgNetwork.body.edgeIndices.length,
        canvas: document.querySelectorAll('canvas').length,
        imgs: document.querySelectorAll('img').length,
        hostile: cgData.claims.filter(function (c) {
          return (c.text || '').indexOf('<script>') >= 0; }).length};""")
    assert state == {
        "alerts": [],
        "errors": [],
        "nodes": len({n for pair in pairs for n in pair}),
        "edges": len(pairs),
        "canvas": 1,
        "imgs": 0,
        "hostile": 1,
    }
    chromium.execute_script("""var c = cgData.claims.find(function (x) {
        return (x.text || '').indexOf('<script>') >= 0; });
        cgNetwork.body.emitter.emit('click', {nodes: [], edges: [c.speaker + '|' + c.target]});""")
    time.sleep(0.2)
    details = chromium.execute_script("return document.getElementById('cg-details').textContent")
    assert SCRIPT in details and IMG in details
    assert chromium.execute_script(
        "return [window.__alerts, document.querySelectorAll('img').length]"
    ) == [[], 0]
    assert [e for e in chromium.get_log("browser") if e["level"] == "SEVERE"] == []
    ARTIFACTS.mkdir(exist_ok=True)
    assert chromium.save_screenshot(str(ARTIFACTS / "exports_seed_html.png"))
