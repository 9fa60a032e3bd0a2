"""The persistent claim graph: a pyoxigraph store plus resolution and de-duplication.

``GraphStore.open(path)`` opens (or creates) an on-disk Oxigraph store; ``build`` adds
documents, each in one transaction, skipping those already present (by content hash), then
*consolidates*: merges entities that the resolution rules now call the same (each merge is one
SPARQL update, atomic) and merges near-duplicate claims of merged speakers. An interrupted
build leaves every document either fully present or absent; the next build adds the missing
ones and finishes any pending consolidation, without duplicates.

Querying the store with SPARQL: each article's statements are in its own named graph, shared
entities/outlets/provenance in the default graph. In Oxigraph pass
``use_default_graph_as_union=True`` (:meth:`GraphStore.query` ``union=True``), in Fuseki
enable ``unionDefaultGraph``; otherwise wrap article patterns in ``GRAPH ?g { ... }``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyoxigraph import (
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    Store,
    Variable,
)

from .aliases import AliasTable
from .claims import ClaimIndex, claim_tokens
from .entities import EntityIndex, EntityRecord
from .merge import merge_plan, rewrite
from .model import (
    CLASS_TERMS,
    DEFAULT_BASE,
    FORMAT_VERSION,
    RDF_TYPE,
    XSD_ANY_URI,
    XSD_INTEGER,
    DocumentInput,
    Iris,
    check_base,
    term_value,
    to_term,
)
from .namespaces import PREFIXES, V
from .quads import QuadBuilder
from .writer import StoreError, Writer

log = logging.getLogger(__name__)

_CLASS_OF_TERM = {v.value: k for k, v in CLASS_TERMS.items()}


@dataclass
class BuildReport:
    """What one :meth:`GraphStore.build` did."""

    added: int = 0
    skipped: int = 0
    claims: int = 0
    entity_merges: int = 0
    claim_merges: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents_added": self.added,
            "documents_skipped": self.skipped,
            "reports_added": self.claims,
            "entity_merges": self.entity_merges,
            "claim_merges": self.claim_merges,
            "failed": [{"doc": d, "error": e} for d, e in self.failed],
        }


class GraphStore:
    """A claim graph in a pyoxigraph store (on disk, or in memory when ``path`` is None).

    >>> from claimgraph.extract.records import Claim, EntityRef, TextSpan
    >>> text = '"It will be difficult," Dmitry Peskov said.'
    >>> claim = Claim("a.txt", 0, (TextSpan("It will be difficult", 1, 21),),
    ...               speaker=EntityRef("Dmitry Peskov", 24, 37, type="PERSON"),
    ...               cue=TextSpan("said", 38, 42), kind="direct")
    >>> with GraphStore.open() as store:
    ...     report = store.build([DocumentInput("a.txt", "0" * 64, (claim,))])
    ...     [row["name"] for row in store.entities()]
    ['Dmitry Peskov']
    """

    def __init__(
        self,
        store: Store,
        *,
        base: str,
        aliases: AliasTable,
        read_only: bool,
        path: Path | None,
    ) -> None:
        self._store = store
        self.base = base
        self.iris = Iris(base)
        self.aliases = aliases
        self.read_only = read_only
        self.path = path
        self._index: EntityIndex | None = None
        self._fresh: set[str] = set()
        self._claims: dict[str | None, ClaimIndex] = {}

    # ---- opening --------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | Path | None = None,
        *,
        base: str | None = None,
        aliases: str | Path | AliasTable | None = None,
        read_only: bool = False,
    ) -> GraphStore:
        """Open the store at ``path`` (created if missing unless ``read_only``).

        ``base`` is the IRI base for a new store (default :data:`DEFAULT_BASE`); an existing
        store keeps the base it was created with, and a different ``base`` is an error.
        ``aliases`` is an alias/merge CSV file (see :mod:`claimgraph.graph.aliases`) or table.
        Raises :class:`StoreError` for a missing, locked or mismatched store.
        """
        if base is not None:
            check_base(base)
        table = (
            aliases
            if isinstance(aliases, AliasTable)
            else AliasTable.load(Path(aliases) if aliases is not None else None)
        )
        p = Path(path) if path is not None else None
        try:
            if p is None:
                store = Store()
            elif read_only:
                if not p.is_dir():
                    raise StoreError(f"{p}: no graph store here (run claimgraph build first)")
                store = Store.read_only(str(p))
            else:
                if p.exists() and not p.is_dir():
                    raise StoreError(f"{p}: not a directory")
                store = Store(str(p))
        except OSError as exc:
            reason = "in use by another process" if "lock" in str(exc).lower() else str(exc)
            raise StoreError(f"{p}: cannot open the graph store: {reason}") from exc
        stored = next(store.quads_for_pattern(None, V.cg.baseIri, None, DefaultGraph()), None)
        if stored is not None:
            if base is not None and base != stored.object.value:
                raise StoreError(
                    f"{p}: store was built with base IRI {stored.object.value}, not {base}"
                )
            base = stored.object.value
        else:
            base = base or DEFAULT_BASE
            if not read_only:
                root = NamedNode(base)
                store.extend(
                    [
                        Quad(
                            root,
                            V.cg.baseIri,
                            Literal(base, datatype=XSD_ANY_URI),
                            DefaultGraph(),
                        ),
                        Quad(
                            root,
                            V.cg.formatVersion,
                            Literal(str(FORMAT_VERSION), datatype=XSD_INTEGER),
                            DefaultGraph(),
                        ),
                    ]
                )
        return cls(store, base=base, aliases=table, read_only=read_only, path=p)

    def close(self) -> None:
        if not self.read_only:
            self._store.flush()
        del self._store

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def oxigraph(self) -> Store:
        """The underlying ``pyoxigraph.Store`` (for exporters: ``dump``, ``quads_for_pattern``)."""
        return self._store

    # ---- reading ---------------------------------------------------------------------------

    def quads(self, graph: str | None = None) -> Iterator[Quad]:
        """All quads, or those of one graph (an article IRI, or ``""`` for the default graph)."""
        if graph is None:
            yield from self._store.quads_for_pattern(None, None, None, None)
        else:
            g = DefaultGraph() if graph == "" else NamedNode(graph)
            yield from self._store.quads_for_pattern(None, None, None, g)

    def graphs(self) -> list[str]:
        """IRIs of the named graphs (one per article), sorted."""
        return sorted(g.value for g in self._store.named_graphs())

    def __len__(self) -> int:
        return len(self._store)

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Any] | None = None,
        *,
        union: bool = True,
    ) -> bool | list[dict[str, Any]] | list[tuple[Any, Any, Any]]:
        """Run a SPARQL query; values in ``bindings`` are bound to ``?name`` variables (never
        spliced into the text, so a hostile string stays a string). SELECT gives a list of
        dicts of Python values, ASK a bool, CONSTRUCT/DESCRIBE a list of triples. With
        ``union`` (default) the default graph is the union of all graphs. Standard prefixes
        (cg, schema, prov, nif, itsrdf, rdf, rdfs, xsd, owl) are predeclared."""
        subs = {Variable(k.lstrip("?$")): to_term(v) for k, v in (bindings or {}).items()}
        result = self._store.query(
            sparql, prefixes=PREFIXES, use_default_graph_as_union=union, substitutions=subs
        )
        if isinstance(result, QueryBoolean):
            return bool(result)
        if isinstance(result, QuerySolutions):
            names = [v.value for v in result.variables]
            return [{n: term_value(sol[n]) for n in names} for sol in result]
        return [
            (term_value(t.subject), term_value(t.predicate), term_value(t.object)) for t in result
        ]

    def _select(self, sparql: str, *, union: bool = True, **bindings: Any) -> list[dict[str, Any]]:
        rows = self.query(sparql, bindings, union=union)
        assert isinstance(rows, list)
        return rows  # type: ignore[return-value]

    def has_document(self, sha256: str) -> bool:
        node = NamedNode(self.iris.document(sha256))
        return (
            next(self._store.quads_for_pattern(node, V.cg.sha256, None, DefaultGraph()), None)
            is not None
        )

    def entities(self) -> list[dict[str, Any]]:
        """Every entity, sorted by name: iri, name, type (Person/Organization/Place/Thing),
        class (person/org/place/thing), anonymous."""
        return self._entity_rows()

    def _entity_rows(self) -> list[dict[str, Any]]:
        out = []
        for cls, type_term in CLASS_TERMS.items():
            for q in self._store.quads_for_pattern(None, RDF_TYPE, type_term, DefaultGraph()):
                names = [
                    x.object.value
                    for x in self._store.quads_for_pattern(
                        q.subject, V.schema.name, None, DefaultGraph()
                    )
                ]
                anon = next(
                    self._store.quads_for_pattern(q.subject, V.cg.anonymous, None, DefaultGraph()),
                    None,
                )
                out.append(
                    {
                        "iri": q.subject.value,
                        "name": min(names) if names else "",
                        "type": type_term.value.rsplit("/", 1)[1],
                        "class": cls,
                        "anonymous": anon is not None,
                    }
                )
        return sorted(out, key=lambda r: (r["name"], r["iri"]))

    # ---- building --------------------------------------------------------------------------

    def _load_index(self) -> EntityIndex:
        if self._index is not None:
            return self._index
        index = EntityIndex(self.aliases)
        rows = self._select(
            """SELECT ?e ?t ?name ?key WHERE {
                 ?e a ?t ; schema:name ?name ; cg:nameKey ?key .
                 FILTER NOT EXISTS { ?e cg:anonymous true } }""",
            union=False,
        )
        records: dict[str, EntityRecord] = {}
        for row in rows:
            cls = _CLASS_OF_TERM.get(row["t"])
            if cls is None:
                continue
            rec = records.setdefault(row["e"], EntityRecord(row["e"], cls, row["name"], set()))
            rec.keys.add(row["key"])
        weights = self._select(
            "SELECT ?e (COUNT(?m) AS ?n) WHERE { ?m itsrdf:taIdentRef ?e } GROUP BY ?e"
        )
        counts = {row["e"]: int(row["n"]) for row in weights}
        for rec in records.values():
            index.add(rec, counts.get(rec.iri, 0))
        self._index = index
        self._fresh = set()
        self._claims = {}
        return index

    def _claim_index(self, speaker: str | None) -> ClaimIndex:
        if speaker in self._claims:
            return self._claims[speaker]
        index = ClaimIndex()
        if speaker is not None and speaker in self._fresh:
            self._claims[speaker] = index
            return index
        if speaker is None:
            rows = self._select(
                """SELECT DISTINCT ?c ?t WHERE { GRAPH ?g { ?c a schema:Claim ; schema:text ?t .
                     FILTER NOT EXISTS { ?c schema:author ?a } } }"""
            )
        else:
            rows = self._select(
                "SELECT DISTINCT ?s ?c ?t WHERE { GRAPH ?g {"
                " ?c schema:author ?s ; schema:text ?t } }",
                s=NamedNode(speaker),
            )
        for row in sorted(rows, key=lambda r: (r["c"], r["t"])):
            index.add(row["c"], claim_tokens(row["t"]))
        self._claims[speaker] = index
        return index

    def build(
        self,
        documents: Iterable[DocumentInput],
        *,
        on_document: Callable[[DocumentInput, str], None] | None = None,
    ) -> BuildReport:
        """Add ``documents`` (each in one transaction; known ones skipped), then consolidate.

        ``on_document(doc, status)`` is called for each document with status ``skipped``,
        ``failed: <reason>``, or ``added`` once its write has completed. Writes run in a
        background thread, overlapping the extraction of the next documents.
        """
        if self.read_only:
            raise StoreError("the store is open read-only")
        report = BuildReport()
        self._load_index()
        queued: set[str] = set()  # hashes queued for the writer, not yet in the store
        writer = Writer(self._store)

        def report_written() -> None:
            for written in writer.written():
                queued.discard(written.sha256)
                if on_document is not None:
                    on_document(written, "added")

        try:
            for doc in documents:
                status = None
                if doc.sha256 in queued or self.has_document(doc.sha256):
                    report.skipped += 1
                    status = "skipped"
                else:
                    try:
                        quads = QuadBuilder(
                            self.iris, self.aliases, self._load_index(), self._claim_index,
                            self._fresh,
                        ).document(doc)  # fmt: skip
                    except (ValueError, OSError) as exc:
                        writer.drain()
                        self._index = None  # staged index changes are void: reload them
                        self._load_index()
                        log.warning("%s: not added: %s", doc.doc, exc)
                        report.failed.append((doc.doc, str(exc)))
                        status = f"failed: {exc}"
                    else:
                        writer.put(doc, quads)
                        queued.add(doc.sha256)
                        report.added += 1
                        report.claims += len(doc.claims)
                report_written()
                if on_document is not None and status is not None:
                    on_document(doc, status)
        finally:
            writer.close()
            report_written()
        writer.check()
        merges = self.consolidate()
        report.entity_merges, report.claim_merges = merges
        self._store.flush()
        return report

    # ---- consolidation ---------------------------------------------------------------------

    def consolidate(self) -> tuple[int, int]:
        """Apply the entity merges the resolution rules call for, then merge near-duplicate
        claims of every speaker marked pending. Returns (entity merges, claim merges)."""
        index = self._load_index()
        entity_merges = 0
        moved: set[str] = set()  # speakers whose claims a merge moved or rewrote
        for absorbed, survivor in merge_plan(index):
            moved.add(absorbed)
            log.info("merging entity %s into %s", absorbed, survivor)
            if index.records[absorbed].cls != index.records[survivor].cls:
                # the survivor's class won the vote: the absorbed NER label goes
                node = NamedNode(absorbed)
                for q in list(self._store.quads_for_pattern(node, V.cg.entityType, None)):
                    self._store.remove(q)
            rewrite(self._store, self.base, absorbed, survivor, mark=survivor)
            index.merge(absorbed, survivor)
            entity_merges += 1
        claim_merges = 0
        pending = [
            q.subject.value
            for q in self._store.quads_for_pattern(
                None, V.cg.pendingClaimMerge, None, DefaultGraph()
            )
        ]
        for speaker in sorted(pending):
            self._claims.pop(speaker, None)
            self._fresh.discard(speaker)
            for absorbed, survivor in self._claim_index(speaker).duplicates():
                rewrite(self._store, self.base, absorbed, survivor)
                claim_merges += 1
        if pending:
            self._store.update("DELETE WHERE { ?s cg:pendingClaimMerge ?v }", prefixes=PREFIXES)
        # The claim caches of the speakers merged here are stale: they are looked up again
        # when next needed. Every other speaker's cache stays valid for the next build.
        for speaker in moved | set(pending):
            self._claims.pop(speaker, None)
            self._fresh.discard(speaker)
        return entity_merges, claim_merges

    def counts(self) -> dict[str, int]:
        """Numbers of documents, articles, entities, claims, reports and quads."""

        def count(type_term: NamedNode, graph: Any = None) -> int:
            return sum(1 for _ in self._store.quads_for_pattern(None, RDF_TYPE, type_term, graph))

        claims = {
            q.subject.value
            for q in self._store.quads_for_pattern(None, RDF_TYPE, V.schema.Claim, None)
        }
        articles = {
            q.subject.value
            for q in self._store.quads_for_pattern(None, RDF_TYPE, V.schema.NewsArticle, None)
        }
        return {
            "documents": count(V.cg.SourceDocument, DefaultGraph()),
            "articles": len(articles),
            "entities": sum(count(t, DefaultGraph()) for t in CLASS_TERMS.values()),
            "claims": len(claims),
            "reports": count(V.cg.Report),
            "quads": len(self._store),
        }


def build(
    store: GraphStore,
    documents: Iterable[DocumentInput],
    *,
    on_document: Callable[[DocumentInput, str], None] | None = None,
) -> BuildReport:
    """Add ``documents`` to ``store`` (see :meth:`GraphStore.build`): the entry point for the
    text path (ingest -> extract -> graph) and for claim JSONL files alike."""
    return store.build(documents, on_document=on_document)
