"""N-Triples export speed: claimgraph's streaming exporter against rdflib's serializer.

Both serialise the same generated claim graph (entities in the default graph, claims and
reports in one named graph per document) to a file in the same run; the ratio of throughputs
is the figure reported.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from claimgraph.exports.rdf import write_rdf
from claimgraph.graph.namespaces import PREFIXES

_SCHEMA = PREFIXES["schema"]
_CG = "https://w3id.org/claimgraph/ns#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_WORDS = (
    "talks",
    "ceasefire",
    "sanctions",
    "delegation",
    "Istanbul",
    "difficult",
    "agreement",
    "prisoners",
    "exchange",
    "negotiations",
    "Kremlin",
    "summit",
    "troops",
    "border",
)


def _s(term: str) -> ox.NamedNode:
    return ox.NamedNode(_SCHEMA + term)


def _c(term: str) -> ox.NamedNode:
    return ox.NamedNode(_CG + term)


def generate_claim_store(n_triples: int, *, base: str = "https://example.org/cg/") -> ox.Store:
    """An in-memory store of about ``n_triples`` claim-graph-shaped statements (deterministic).

    >>> len(generate_claim_store(1000)) >= 1000
    True
    """
    if n_triples < 1:
        raise ValueError(f"n_triples must be >= 1, not {n_triples}")
    store = ox.Store()
    n_entities = max(10, n_triples // 200)
    entity_types = (_s("Person"), _s("Organization"), _s("Place"))
    quads: list[ox.Quad] = []
    for i in range(n_entities):
        e = ox.NamedNode(f"{base}entity/{i:08x}")
        quads += [
            ox.Quad(e, _RDF_TYPE, entity_types[i % 3]),
            ox.Quad(e, _s("name"), ox.Literal(f'Entity {i} \u00e9\u00e8 "quoted"', language="en")),
        ]
    per_claim = 14
    n_claims = max(1, (n_triples - len(quads)) // per_claim)
    claims_per_doc = 25
    dec = ox.NamedNode(_XSD + "decimal")
    nonneg = ox.NamedNode(_XSD + "nonNegativeInteger")
    for c in range(n_claims):
        doc = c // claims_per_doc
        g = ox.NamedNode(f"{base}article/{doc:08x}")
        claim = ox.NamedNode(f"{base}claim/{hashlib.sha1(str(c).encode()).hexdigest()[:16]}")
        report = ox.NamedNode(f"{claim.value}/report/{doc:08x}")
        span = ox.NamedNode(f"{g.value}#char={c * 40},{c * 40 + 37}")
        speaker = ox.NamedNode(f"{base}entity/{(c * 7) % n_entities:08x}")
        target = ox.NamedNode(f"{base}entity/{(c * 13 + 1) % n_entities:08x}")
        words = " ".join(_WORDS[(c + k) % len(_WORDS)] for k in range(8))
        text = ox.Literal(f'The {words} will be "difficult",\nline {c}.', language="en")
        quads += [
            ox.Quad(claim, _RDF_TYPE, _s("Claim"), g),
            ox.Quad(claim, _s("text"), text, g),
            ox.Quad(claim, _s("author"), speaker, g),
            ox.Quad(claim, _s("about"), target, g),
            ox.Quad(claim, _s("appearance"), g, g),
            ox.Quad(claim, _c("report"), report, g),
            ox.Quad(report, _RDF_TYPE, _c("Report"), g),
            ox.Quad(report, _c("cue"), ox.Literal("said"), g),
            ox.Quad(report, _c("kind"), _c("Indirect"), g),
            ox.Quad(report, _c("confidence"), ox.Literal(f"0.{c % 100:02d}", datatype=dec), g),
            ox.Quad(report, _c("contentSpan"), span, g),
            ox.Quad(
                span,
                _RDF_TYPE,
                ox.NamedNode(
                    "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#OffsetBasedString"
                ),
                g,
            ),
            ox.Quad(
                span,
                ox.NamedNode(
                    "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#beginIndex"
                ),
                ox.Literal(str(c * 40), datatype=nonneg),
                g,
            ),
            ox.Quad(
                span,
                ox.NamedNode(
                    "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#endIndex"
                ),
                ox.Literal(str(c * 40 + 37), datatype=nonneg),
                g,
            ),
        ]
        if c % claims_per_doc == 0:
            quads += [
                ox.Quad(g, _RDF_TYPE, _s("NewsArticle"), g),
                ox.Quad(g, _s("url"), ox.NamedNode(f"https://news.example.com/{doc}"), g),
            ]
        if len(quads) >= 100_000:
            store.extend(quads)
            quads = []
    store.extend(quads)
    return store


def _to_rdflib(store: ox.Store) -> Any:
    import rdflib

    graph = rdflib.Graph()
    data = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    graph.parse(data=ox.serialize(data, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def export_speed(
    n_triples: int = 1_000_000, *, workdir: str | os.PathLike[str] | None = None, repeat: int = 1
) -> dict[str, Any]:
    """Time N-Triples export of a generated ``n_triples`` graph: claimgraph vs rdflib.

    Each side is timed ``repeat`` times and its best run kept. Returns triples, seconds and
    triples/s for both, and ``ratio`` (claimgraph throughput / rdflib throughput).

    >>> r = export_speed(2000)
    >>> r["claimgraph"]["triples"] == r["rdflib"]["triples"]
    True
    """
    if repeat < 1:
        raise ValueError(f"repeat must be >= 1, not {repeat}")
    store = generate_claim_store(n_triples)
    rdf_graph = _to_rdflib(store)
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        ours_path, theirs_path = Path(tmp) / "claimgraph.nt", Path(tmp) / "rdflib.nt"
        ours = theirs = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            summary = write_rdf(store, ours_path, "ntriples")
            ours = min(ours, time.perf_counter() - start)
            start = time.perf_counter()
            rdf_graph.serialize(destination=str(theirs_path), format="nt", encoding="utf-8")
            theirs = min(theirs, time.perf_counter() - start)
        ours_lines = summary["statements"]
        with theirs_path.open("rb") as fh:
            theirs_lines = sum(1 for line in fh if line.strip())
        sizes = (ours_path.stat().st_size, theirs_path.stat().st_size)
    return {
        "generated_quads": len(store),
        "claimgraph": {
            "triples": ours_lines,
            "seconds": ours,
            "triples_per_s": ours_lines / ours,
            "bytes": sizes[0],
        },
        "rdflib": {
            "triples": theirs_lines,
            "seconds": theirs,
            "triples_per_s": theirs_lines / theirs,
            "bytes": sizes[1],
        },
        "ratio": (ours_lines / ours) / (theirs_lines / theirs),
    }
