"""RDF exports: every format re-parses with rdflib and pyoxigraph to the same counts."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from claimgraph.bench.export import generate_claim_store
from claimgraph.exports.rdf import RDF_FORMATS, as_store, write_rdf
from claimgraph.exports.void import VOID, void_counts, write_void

EX = "https://example.org/cg/"


def _n(local: str) -> ox.NamedNode:
    return ox.NamedNode(EX + local)


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """Claim-shaped statements in many named graphs, plus hostile and tricky literals."""
    s = generate_claim_store(3000)
    doc = _n("article/hostile")
    tricky = [
        ox.Literal(
            'He said "<script>alert(1)</script>" & <img src=x onerror=alert(1)>', language="en"
        ),
        ox.Literal("line one\nline two\ttab \\ backslash \u2028 sep"),
        ox.Literal("Зеленский — 泽连斯基 🇺🇦", language="ru"),
        ox.Literal("0.91", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
    ]
    for i, lit in enumerate(tricky):
        s.add(ox.Quad(_n(f"claim/t{i}"), ox.NamedNode("http://schema.org/text"), lit, doc))
    # the same triple in two graphs and in the default graph: one triple, three quads
    dup = (
        _n("entity/dup"),
        ox.NamedNode("http://schema.org/name"),
        ox.Literal("Dup", language="en"),
    )
    for g in (doc, _n("article/other"), ox.DefaultGraph()):
        s.add(ox.Quad(*dup, g))
    return s


def _distinct_triples(s: ox.Store) -> int:
    return len({q.triple for q in s})


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_format_reparses_to_same_counts(store: ox.Store, fmt: str, tmp_path: Path) -> None:
    info = RDF_FORMATS[fmt]
    path = tmp_path / f"out{info.suffix}"
    result = write_rdf(store, path, fmt)
    reloaded = ox.Store()
    reloaded.load(path=str(path), format=info.format)
    if info.dataset:
        ds = rdflib.Dataset()
        ds.parse(path, format=info.rdflib_name)
        rdflib_count = sum(1 for _ in ds.quads((None, None, None, None)))
        assert rdflib_count == len(reloaded) == len(store) == result["statements"]
        assert {str(g) for g in reloaded.named_graphs()} == {str(g) for g in store.named_graphs()}
        assert result["graphs"] == sum(1 for _ in store.named_graphs()) > 5
    else:
        graph = rdflib.Graph()
        graph.parse(path, format=info.rdflib_name)
        assert len(graph) == len(reloaded) == _distinct_triples(store)
        assert not list(reloaded.named_graphs())


@pytest.mark.parametrize("fmt", ["nquads", "trig", "jsonld"])
def test_dataset_formats_keep_each_document_graph(
    store: ox.Store, fmt: str, tmp_path: Path
) -> None:
    path = tmp_path / f"out{RDF_FORMATS[fmt].suffix}"
    write_rdf(store, path, fmt)
    reloaded = ox.Store()
    reloaded.load(path=str(path), format=RDF_FORMATS[fmt].format)
    hostile = _n("article/hostile")
    texts = {q.object.value for q in reloaded.quads_for_pattern(None, None, None, hostile)}
    assert 'He said "<script>alert(1)</script>" & <img src=x onerror=alert(1)>' in texts
    assert "line one\nline two\ttab \\ backslash \u2028 sep" in texts
    dup = list(reloaded.quads_for_pattern(_n("entity/dup"), None, None))
    assert {str(q.graph_name) for q in dup} == {str(hostile), str(_n("article/other")), "DEFAULT"}


def test_ntriples_has_one_statement_per_line(store: ox.Store, tmp_path: Path) -> None:
    path = tmp_path / "out.nt"
    result = write_rdf(store, path, "ntriples")
    lines = path.read_bytes().splitlines()
    assert len(lines) == result["statements"] == len(store)
    assert all(line.endswith(b" .") for line in lines)


def test_ntriples_streams_without_building_output_in_python(tmp_path: Path) -> None:
    big = generate_claim_store(60_000)
    tracemalloc.start()
    try:
        write_rdf(big, tmp_path / "big.nt", "ntriples")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = (tmp_path / "big.nt").stat().st_size
    assert size > 8_000_000
    assert peak < size / 4, f"peak Python allocation {peak} for a {size}-byte export"


def test_failed_export_keeps_previous_file(store: ox.Store, tmp_path: Path) -> None:
    path = tmp_path / "out.nq"
    path.write_text("previous\n")

    class Broken:
        store = None

        def __iter__(self):
            yield ox.Quad(_n("a"), _n("p"), ox.Literal("x"))
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_rdf(Broken(), path, "nquads")
    assert path.read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.nq"]


@pytest.mark.parametrize("bad", ["turtle2", "", "NQ"])
def test_unknown_format_is_rejected(store: ox.Store, tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError, match="unknown RDF format"):
        write_rdf(store, tmp_path / "x", bad)
    assert not list(tmp_path.iterdir())


def test_as_store_accepts_rdflib_dataset_and_quads() -> None:
    ds = rdflib.Dataset()
    g = ds.graph(rdflib.URIRef(EX + "doc"))
    g.add((rdflib.URIRef(EX + "a"), rdflib.URIRef(EX + "p"), rdflib.Literal("x")))
    ds.add((rdflib.URIRef(EX + "a"), rdflib.URIRef(EX + "p"), rdflib.Literal("y")))
    s = as_store(ds)
    assert len(s) == 2
    assert [str(n) for n in s.named_graphs()] == [f"<{EX}doc>"]
    triple = ox.Triple(_n("a"), _n("p"), ox.Literal("z"))
    assert len(as_store([triple])) == 1
    with pytest.raises(ValueError, match="not an RDF quad"):
        as_store(["not a quad"])
    with pytest.raises(ValueError, match="cannot read RDF"):
        as_store("file.nq")


def test_void_counts_match_the_export(store: ox.Store, tmp_path: Path) -> None:
    counts = void_counts(store)
    assert counts["triples"] == _distinct_triples(store)
    assert counts["quads"] == len(store)
    assert counts["graphs"] == sum(1 for _ in store.named_graphs())
    assert counts["classes"]["http://schema.org/Claim"] == sum(
        1
        for _ in store.quads_for_pattern(
            None,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("http://schema.org/Claim"),
        )
    )
    path = tmp_path / "void.ttl"
    write_void(store, path, EX + "dataset", title="test", data_dump="https://example.org/dump.nq")
    void = rdflib.Graph().parse(path, format="turtle")
    ds = rdflib.URIRef(EX + "dataset")
    assert int(void.value(ds, rdflib.URIRef(VOID + "triples"))) == counts["triples"]
    assert int(void.value(ds, rdflib.URIRef(VOID + "documents"))) == counts["graphs"]
    partitions = list(void.objects(ds, rdflib.URIRef(VOID + "classPartition")))
    assert len(partitions) == len(counts["classes"])
    assert not any(isinstance(n, rdflib.BNode) for t in void for n in t)


def test_void_rejects_bad_dataset_iri(store: ox.Store) -> None:
    from claimgraph.exports.void import void_description

    with pytest.raises(ValueError, match="dataset_iri"):
        void_description(store, "not an iri with spaces")
