"""SHACL validation of claim graphs against the shapes shipped with claimgraph (pyshacl).

The shapes (``shapes/claimgraph.shapes.ttl``, package data) describe the claim, entity, article
and provenance model. Validation runs on the RDF merge of all graphs, because shared entities
and run provenance live in the default graph while each document's claims live in its own
named graph.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib

from .rdf import as_store

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def shapes_path() -> Path:
    """Path of the shipped SHACL shapes (Turtle)."""
    return Path(str(resources.files(__package__).joinpath("shapes", "claimgraph.shapes.ttl")))


def _merged_graph(source: Any) -> rdflib.Graph:
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) if path.suffix else None
        if fmt is None:
            raise ValueError(f"{path}: cannot tell the RDF format from the file name")
        store = ox.Store()
        store.bulk_load(path=str(path), format=fmt)
    else:
        store = as_store(source)
    merged = store.query(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
    )
    graph = rdflib.Graph()
    graph.parse(data=ox.serialize(merged, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def validate_graph(source: Any, *, shapes: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """Validate ``source`` (a store, claim graph, rdflib graph or RDF file path) with SHACL.

    Returns ``conforms``, ``statements`` (triples checked), ``violation_count`` and
    ``violations``: dicts with ``focus``, ``path``, ``severity``, ``shape`` and ``message``.

    >>> validate_graph(ox.Store())["conforms"]
    True
    """
    from pyshacl import validate

    data = _merged_graph(source)
    shapes_graph = rdflib.Graph().parse(os.fspath(shapes or shapes_path()), format="turtle")
    conforms, results, _text = validate(
        data,
        shacl_graph=shapes_graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    violations = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):

        def one(pred: rdflib.URIRef, r: rdflib.term.Node = result) -> str | None:
            value = results.value(r, pred)
            return None if value is None else str(value)

        violations.append(
            {
                "focus": one(SH.focusNode),
                "path": one(SH.resultPath),
                "severity": (one(SH.resultSeverity) or "").rsplit("#", 1)[-1],
                "shape": one(SH.sourceShape),
                "message": one(SH.resultMessage) or "",
            }
        )
    violations.sort(key=lambda v: (v["focus"] or "", v["path"] or "", v["message"]))
    return {
        "conforms": bool(conforms),
        "statements": len(data),
        "violation_count": len(violations),
        "violations": violations,
    }
