"""RDF serialisations of a claim graph: Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML.

The source is a :class:`pyoxigraph.Store` (or anything :func:`as_store` accepts). Dataset
formats (N-Quads, TriG, JSON-LD) keep every named graph, so each source document's statements
stay in their own graph. Triple formats (Turtle, N-Triples, RDF/XML) hold the RDF merge of all
graphs. N-Quads and N-Triples are written by oxigraph's streaming serialiser straight to the
output file, graph by graph, so memory stays bounded whatever the size of the store.
Every file is written atomically (temporary file, then rename).
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from claimgraph.graph.namespaces import EXPORT_PREFIXES

from ._io import atomic_output

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RdfFormatInfo:
    """One output format: its oxigraph format, file suffix and whether it keeps named graphs."""

    name: str
    format: ox.RdfFormat
    suffix: str
    dataset: bool
    rdflib_name: str


RDF_FORMATS: dict[str, RdfFormatInfo] = {
    f.name: f
    for f in (
        RdfFormatInfo("turtle", ox.RdfFormat.TURTLE, ".ttl", False, "turtle"),
        RdfFormatInfo("ntriples", ox.RdfFormat.N_TRIPLES, ".nt", False, "nt"),
        RdfFormatInfo("nquads", ox.RdfFormat.N_QUADS, ".nq", True, "nquads"),
        RdfFormatInfo("trig", ox.RdfFormat.TRIG, ".trig", True, "trig"),
        RdfFormatInfo("jsonld", ox.RdfFormat.JSON_LD, ".jsonld", True, "json-ld"),
        RdfFormatInfo("rdfxml", ox.RdfFormat.RDF_XML, ".rdf", False, "xml"),
    )
}

#: Other names each format goes by: rdflib's plugin names, media-type subtypes, file suffixes.
FORMAT_ALIASES: dict[str, str] = {
    "ttl": "turtle", "n3": "turtle",
    "nt": "ntriples", "nt11": "ntriples", "n-triples": "ntriples",
    "nq": "nquads", "n-quads": "nquads",
    "json-ld": "jsonld",
    "xml": "rdfxml", "rdf": "rdfxml", "rdf/xml": "rdfxml", "pretty-xml": "rdfxml", "owl": "rdfxml",
}  # fmt: skip
#: File suffixes that name a format when none is given (``-o graph.nq``).
SUFFIX_FORMATS: dict[str, str] = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "ntriples", ".nq": "nquads",
    ".trig": "trig", ".jsonld": "jsonld", ".json-ld": "jsonld", ".rdf": "rdfxml",
    ".xml": "rdfxml", ".owl": "rdfxml",
}  # fmt: skip


def rdf_format_name(name: str) -> str | None:
    """The key of :data:`RDF_FORMATS` that ``name`` stands for (any case, any alias), or
    ``None``.

    >>> [rdf_format_name(n) for n in ("nt", "Turtle", "json-ld", "xml", "csv")]
    ['ntriples', 'turtle', 'jsonld', 'rdfxml', None]
    """
    key = name.strip().lower()
    key = FORMAT_ALIASES.get(key, key)
    return key if key in RDF_FORMATS else None


#: Prefixes written in Turtle/TriG/RDF-XML headers (namespaces pinned exactly: http://schema.org/).
PREFIXES: dict[str, str] = EXPORT_PREFIXES

_UNION_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def as_store(source: Any) -> ox.Store:
    """Return a pyoxigraph store holding ``source``'s statements.

    Accepts a :class:`pyoxigraph.Store` (returned as is), an object with a ``store`` attribute
    holding one (the claim graph), an rdflib ``Dataset``/``Graph``, or an iterable of pyoxigraph
    ``Quad``/``Triple`` objects (loaded into a new in-memory store).

    >>> a, p = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p")
    >>> s = as_store([ox.Quad(a, p, ox.Literal("x"))])
    >>> len(s)
    1
    """
    if isinstance(source, ox.Store):
        return source
    inner = getattr(source, "store", None)
    if isinstance(inner, ox.Store):
        return inner
    try:
        import rdflib
    except ImportError:  # pragma: no cover - rdflib is a dependency
        rdflib = None
    if rdflib is not None and isinstance(source, rdflib.Graph):
        data = source.serialize(format="nquads" if source.context_aware else "nt", encoding="utf-8")
        store = ox.Store()
        store.load(data, ox.RdfFormat.N_QUADS if source.context_aware else ox.RdfFormat.N_TRIPLES)
        return store
    if isinstance(source, (str, bytes, os.PathLike)) or not isinstance(source, Iterable):
        raise ValueError(f"cannot read RDF statements from {type(source).__name__!r}")
    store = ox.Store()
    for item in source:
        if isinstance(item, ox.Triple):
            item = ox.Quad(item.subject, item.predicate, item.object)
        if not isinstance(item, ox.Quad):
            raise ValueError(f"not an RDF quad or triple: {item!r}")
        store.add(item)
    return store


def write_rdf(
    source: Any,
    path: str | os.PathLike[str],
    fmt: str,
    *,
    prefixes: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Serialise ``source`` to ``path`` in format ``fmt`` (a key of :data:`RDF_FORMATS`).

    Returns a summary: ``format``, ``path``, ``statements`` (quads for dataset formats, distinct
    triples otherwise), ``graphs`` (named graphs written) and ``bytes``.

    >>> import tempfile, pathlib
    >>> q = ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("x"),
    ...             ox.NamedNode("http://e/doc1"))
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "g.nq"
    >>> write_rdf([q], out, "nquads")["statements"]
    1
    >>> out.read_text()
    '<http://e/a> <http://e/p> "x" <http://e/doc1> .\\n'
    """
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format {fmt!r}; choose from {', '.join(RDF_FORMATS)}")
    info = RDF_FORMATS[fmt]
    store = as_store(source)
    pfx = dict(PREFIXES if prefixes is None else prefixes)
    graphs = graph_count(store)
    with atomic_output(path, "wb") as fh:
        if info.dataset:
            # Dataset formats: oxigraph streams every quad, named graphs included.
            if info.format == ox.RdfFormat.N_QUADS:
                store.dump(fh, info.format)
            else:
                store.dump(fh, info.format, prefixes=pfx)
            statements = len(store)
        else:
            if info.format == ox.RdfFormat.N_TRIPLES:
                # Streamed graph by graph (default graph first) by oxigraph's serialiser: bounded
                # memory. A triple held in several graphs is written once per graph; N-Triples
                # is a set, so every parser and store keeps it once.
                counter = _CountingWriter(fh)
                store.dump(counter, info.format, from_graph=ox.DefaultGraph())
                for name in store.named_graphs():
                    store.dump(counter, info.format, from_graph=name)
                statements = counter.lines
            else:
                # The RDF merge of all graphs (union default graph), each triple once.
                counted = _Counted(store.query(_UNION_TRIPLES, use_default_graph_as_union=True))
                ox.serialize(counted, fh, info.format, prefixes=pfx)
                statements = counted.n
            graphs = 0
    size = Path(path).stat().st_size
    log.info("wrote %s statements as %s to %s (%d bytes)", statements, fmt, path, size)
    return {
        "format": fmt,
        "path": str(path),
        "statements": statements,
        "graphs": graphs,
        "bytes": size,
    }


class _Counted:
    """Iterate triples while counting them."""

    def __init__(self, it: Iterable[ox.Triple]) -> None:
        self._it = iter(it)
        self.n = 0

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> ox.Triple:
        item = next(self._it)
        self.n += 1
        return item


class _CountingWriter(io.RawIOBase):
    """A binary sink that forwards to ``fh`` and counts newline-terminated lines."""

    def __init__(self, fh: Any) -> None:
        super().__init__()
        self._fh = fh
        self.lines = 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        data = bytes(b)
        self.lines += data.count(b"\n")
        self._fh.write(data)
        return len(data)


def graph_count(store: ox.Store) -> int:
    """Number of named graphs in ``store``."""
    return sum(1 for _ in store.named_graphs())
