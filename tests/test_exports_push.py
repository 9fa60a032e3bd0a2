"""Pushing to a real Oxigraph server (installed from PyPI) over the Graph Store Protocol/Update."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from exports_support import free_port, remote_select, running_oxigraph

from claimgraph.bench.export import generate_claim_store
from claimgraph.exports.push import Connection, PushError, push


@pytest.fixture
def oxigraph_server():
    with running_oxigraph() as url:
        yield url


PAIRS = """PREFIX schema: <http://schema.org/>
SELECT DISTINCT ?speaker ?claim WHERE {
  GRAPH ?g { ?claim a schema:Claim ; schema:author ?speaker }
}"""
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"


def local_pairs(store: ox.Store) -> set[tuple[str, str]]:
    return {(row["speaker"].value, row["claim"].value) for row in store.query(PAIRS)}


def remote_pairs(base: str) -> set[tuple[str, str]]:
    return {(r["speaker"], r["claim"]) for r in remote_select(base, PAIRS)}


def remote_count(base: str) -> int:
    return int(remote_select(base, COUNT)[0]["n"])


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = generate_claim_store(4000)
    s.add(
        ox.Quad(
            ox.NamedNode("https://example.org/cg/claim/hostile"),
            ox.NamedNode("http://schema.org/text"),
            ox.Literal('\'; DROP ALL ; INSERT DATA { <a> <b> "c" } #\n}', language="en"),
            ox.NamedNode("https://example.org/cg/article/hostile"),
        )
    )
    return s


@pytest.mark.parametrize(
    ("path", "protocol"), [("/store", "auto"), ("/update", "update"), ("/update", "auto")]
)
def test_round_trip_same_pairs_and_no_duplicates(
    oxigraph_server: str,
    store: ox.Store,
    path: str,
    protocol: str,
) -> None:
    endpoint = oxigraph_server + path
    sent: list[int] = []
    result = push(store, endpoint, protocol=protocol, batch_size=700, progress=sent.append)
    assert result["statements"] == sum(sent) == len(store)
    assert result["graphs"] == sum(1 for _ in store.named_graphs()) + 1
    assert result["protocol"] == ("gsp" if path == "/store" else "update")
    pairs = remote_pairs(oxigraph_server)
    assert pairs == local_pairs(store) and len(pairs) > 100
    assert remote_count(oxigraph_server) == len(store)
    # a second push (a retry) replaces each graph: nothing is duplicated
    push(store, endpoint, protocol=protocol, batch_size=700)
    assert remote_count(oxigraph_server) == len(store)
    texts = remote_select(
        oxigraph_server,
        "SELECT ?t WHERE { GRAPH <https://example.org/cg/article/hostile> { ?c ?p ?t } }",
    )
    assert texts == [{"t": '\'; DROP ALL ; INSERT DATA { <a> <b> "c" } #\n}'}]


def test_push_replaces_a_shrunken_graph(oxigraph_server: str) -> None:
    g = ox.NamedNode("https://example.org/cg/article/1")
    s = ox.Store()
    for i in range(5):
        s.add(
            ox.Quad(
                ox.NamedNode(f"https://example.org/cg/c{i}"),
                ox.NamedNode("http://schema.org/text"),
                ox.Literal(f"v{i}"),
                g,
            )
        )
    push(s, oxigraph_server + "/store", batch_size=2)
    s.remove(
        ox.Quad(
            ox.NamedNode("https://example.org/cg/c4"),
            ox.NamedNode("http://schema.org/text"),
            ox.Literal("v4"),
            g,
        )
    )
    push(s, oxigraph_server + "/store", batch_size=2)
    assert remote_count(oxigraph_server) == 4


def test_push_into_one_graph(oxigraph_server: str, store: ox.Store) -> None:
    target = "https://example.org/cg/all"
    result = push(store, oxigraph_server + "/store", graph=target)
    distinct = len({q.triple for q in store})
    assert result["graphs"] == 1 and result["statements"] == distinct
    rows = remote_select(
        oxigraph_server, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{target}> {{ ?s ?p ?o }} }}"
    )
    assert int(rows[0]["n"]) == distinct


def test_unreachable_server_is_one_clear_error(store: ox.Store) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}/store"
    with pytest.raises(PushError, match=r"cannot reach http://127\.0\.0\.1:\d+/store: .*refused"):
        push(store, endpoint, connection=Connection(timeout=5, retries=0))


def test_refusal_names_status(oxigraph_server: str, store: ox.Store) -> None:
    with pytest.raises(PushError, match=r"/query refused POST of .*HTTP 415") as info:
        push(store, oxigraph_server + "/query", connection=Connection(retries=0))
    assert info.value.status == 415
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"endpoint": "ftp://host/store"}, "http"),
        ({"endpoint": "localhost:7878/store"}, "http"),
        ({"endpoint": "http://h/store", "protocol": "rest"}, "protocol"),
        ({"endpoint": "http://h/store", "graph": "not an iri"}, "graph"),
        ({"endpoint": "http://h/store", "batch_size": 0}, "batch_size"),
    ],
)
def test_bad_arguments(store: ox.Store, kwargs: dict, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        push(store, **kwargs)
