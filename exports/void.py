"""A VoID description (https://www.w3.org/TR/void/) of an exported claim graph, with counts.

Counts are computed by SPARQL aggregates over the RDF merge of all graphs (the union default
graph), so they match what a triple store reports after loading the export. Partition IRIs are
deterministic (hashes of the class/property IRI), so reloading a description adds no duplicates.
"""

from __future__ import annotations

import hashlib
import os
from datetime import datetime, timezone
from typing import Any

import pyoxigraph as ox

from claimgraph.graph.namespaces import EXPORT_PREFIXES

from ._io import atomic_output
from .rdf import PREFIXES, as_store

VOID = EXPORT_PREFIXES["void"]
DCTERMS = EXPORT_PREFIXES["dcterms"]
RDF_TYPE = ox.NamedNode(EXPORT_PREFIXES["rdf"] + "type")
XSD_INTEGER = ox.NamedNode(EXPORT_PREFIXES["xsd"] + "integer")
XSD_DATETIME = ox.NamedNode(EXPORT_PREFIXES["xsd"] + "dateTime")

_VOCABULARIES = (EXPORT_PREFIXES["schema"], EXPORT_PREFIXES["prov"], EXPORT_PREFIXES["nif"])


def _one(store: ox.Store, query: str) -> int:
    for row in store.query(query, use_default_graph_as_union=True):
        return int(row[0].value)
    return 0


def void_counts(source: Any) -> dict[str, Any]:
    """Counts describing ``source``: triples, quads, graphs, subjects, objects, classes, ...

    >>> s = ox.Store()
    >>> s.add(ox.Quad(ox.NamedNode("http://e/a"), RDF_TYPE, ox.NamedNode("http://schema.org/Person")))
    >>> void_counts(s)["classes"]
    {'http://schema.org/Person': 1}
    """
    store = as_store(source)
    counts: dict[str, Any] = {
        "triples": _one(
            store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
        ),
        "quads": len(store),
        "graphs": sum(1 for _ in store.named_graphs()),
        "distinct_subjects": _one(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s ?p ?o }"),
        "distinct_objects": _one(store, "SELECT (COUNT(DISTINCT ?o) AS ?n) { ?s ?p ?o }"),
        "properties": _one(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) { ?s ?p ?o }"),
        "entities": _one(
            store, "SELECT (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c . FILTER(isIRI(?s)) }"
        ),
    }
    classes = store.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { ?s a ?c } GROUP BY ?c ORDER BY ?c",
        use_default_graph_as_union=True,
    )
    counts["classes"] = {
        row[0].value: int(row[1].value) for row in classes if isinstance(row[0], ox.NamedNode)
    }
    props = store.query(
        "SELECT ?p (COUNT(*) AS ?n) { SELECT DISTINCT ?s ?p ?o { ?s ?p ?o } }"
        " GROUP BY ?p ORDER BY ?p",
        use_default_graph_as_union=True,
    )
    counts["property_triples"] = {row[0].value: int(row[1].value) for row in props}
    return counts


def _hash_iri(base: str, kind: str, value: str) -> ox.NamedNode:
    digest = hashlib.sha1(value.encode("utf-8")).hexdigest()[:12]
    return ox.NamedNode(f"{base}#{kind}-{digest}")


def void_description(
    source: Any,
    dataset_iri: str,
    *,
    title: str | None = None,
    data_dump: str | None = None,
    created: datetime | None = None,
) -> list[ox.Triple]:
    """VoID triples describing ``source`` as the dataset ``dataset_iri``.

    >>> s = ox.Store()
    >>> s.add(ox.Quad(ox.NamedNode("http://e/a"), RDF_TYPE, ox.NamedNode("http://schema.org/Person")))
    >>> triples = void_description(s, "https://example.org/cg/dataset")
    >>> any(t.predicate.value == VOID + "triples" and t.object.value == "1" for t in triples)
    True
    """
    if not dataset_iri or any(c in dataset_iri for c in ' <>"{}|\\^`'):
        raise ValueError(f"dataset_iri is not a valid IRI: {dataset_iri!r}")
    counts = void_counts(source)
    ds = ox.NamedNode(dataset_iri)

    def v(term: str) -> ox.NamedNode:
        return ox.NamedNode(VOID + term)

    def n(value: int) -> ox.Literal:
        return ox.Literal(str(value), datatype=XSD_INTEGER)

    stamp = (created or datetime.now(timezone.utc)).replace(microsecond=0).isoformat()
    out = [
        ox.Triple(ds, RDF_TYPE, v("Dataset")),
        ox.Triple(ds, v("triples"), n(counts["triples"])),
        ox.Triple(ds, v("entities"), n(counts["entities"])),
        ox.Triple(ds, v("distinctSubjects"), n(counts["distinct_subjects"])),
        ox.Triple(ds, v("distinctObjects"), n(counts["distinct_objects"])),
        ox.Triple(ds, v("properties"), n(counts["properties"])),
        ox.Triple(ds, v("classes"), n(len(counts["classes"]))),
        ox.Triple(ds, v("documents"), n(counts["graphs"])),
        ox.Triple(ds, ox.NamedNode(DCTERMS + "created"), ox.Literal(stamp, datatype=XSD_DATETIME)),
    ]
    out.extend(ox.Triple(ds, v("vocabulary"), ox.NamedNode(vocab)) for vocab in _VOCABULARIES)
    if title:
        out.append(ox.Triple(ds, ox.NamedNode(DCTERMS + "title"), ox.Literal(title, language="en")))
    if data_dump:
        out.append(ox.Triple(ds, v("dataDump"), ox.NamedNode(data_dump)))
    for cls, count in counts["classes"].items():
        part = _hash_iri(dataset_iri, "class", cls)
        out += [
            ox.Triple(ds, v("classPartition"), part),
            ox.Triple(part, v("class"), ox.NamedNode(cls)),
            ox.Triple(part, v("entities"), n(count)),
        ]
    for prop, count in counts["property_triples"].items():
        part = _hash_iri(dataset_iri, "property", prop)
        out += [
            ox.Triple(ds, v("propertyPartition"), part),
            ox.Triple(part, v("property"), ox.NamedNode(prop)),
            ox.Triple(part, v("triples"), n(count)),
        ]
    return out


def write_void(
    source: Any,
    path: str | os.PathLike[str],
    dataset_iri: str,
    *,
    title: str | None = None,
    data_dump: str | None = None,
) -> dict[str, Any]:
    """Write the VoID description of ``source`` as Turtle to ``path`` (atomically)."""
    triples = void_description(source, dataset_iri, title=title, data_dump=data_dump)
    with atomic_output(path, "wb") as fh:
        ox.serialize(triples, fh, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return {"path": str(path), "statements": len(triples)}
