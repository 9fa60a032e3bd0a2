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
import queue
import re
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
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

from claimgraph import __version__
from claimgraph.extract.records import Claim, EntityRef

from .aliases import AliasTable
from .claims import ClaimIndex, claim_tokens
from .model import (
    CLASS_TERMS,
    DEFAULT_BASE,
    FORMAT_VERSION,
    KIND_TERMS,
    RDF_TYPE,
    XSD_ANY_URI,
    XSD_BOOLEAN,
    XSD_DOUBLE,
    XSD_INTEGER,
    DocumentInput,
    Iris,
    check_base,
    date_literal,
    decimal_literal,
    default_graph_quads,
    span_quads,
    text_literal,
    url_node,
)
from .names import PERSON, is_pronoun, name_key
from .namespaces import CG, SCHEMA, V
from .resolve import EntityIndex, EntityRecord, Mention, resolve_article

log = logging.getLogger(__name__)

PREFIXES = {
    "cg": str(CG._NS),
    "schema": str(SCHEMA._NS),
    "prov": "http://www.w3.org/ns/prov#",
    "nif": "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "itsrdf": "http://www.w3.org/2005/11/its/rdf#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
#: Quads written between flushes to disk during a build (bounds the store's memory).
FLUSH_EVERY = 200_000
#: At most about this many quads (whole documents) go into one write transaction.
GROUP_QUADS = 20_000
#: At most this many rounds of entity merges per consolidation.
MERGE_ROUNDS = 5
_LANG_LITERAL = re.compile(r'"(.*)"@([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)', re.DOTALL)
_CLASS_OF_TERM = {v.value: k for k, v in CLASS_TERMS.items()}


class StoreError(Exception):
    """The store cannot be opened or used (locked, missing, different base IRI)."""


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


@dataclass(frozen=True)
class _DocumentContext:
    """What every claim of one document needs while its quads are built.

    ``sha256`` is the document's content hash, ``document`` its node and ``activity`` the
    extraction activity that generated its reports. ``default`` collects the document's
    default-graph quads (entities, outlets, provenance). ``counted`` holds the (mention node,
    entity) pairs counted in the index's weights, once each, as the store counts them when
    the index is loaded again.
    """

    sha256: str
    document: NamedNode
    activity: NamedNode
    default: list[Quad] = field(default_factory=list)
    counted: set[tuple[str, str]] = field(default_factory=set)


def _value(node: Any) -> Any:
    """Python value of a query result term (IRI string, literal value, ``None``)."""
    if node is None:
        return None
    if isinstance(node, Literal):
        dt = node.datatype.value
        if dt.endswith(("#integer", "#nonNegativeInteger", "#int")):
            return int(node.value)
        if dt.endswith(("#decimal", "#double", "#float")):
            return float(node.value)
        if dt.endswith("#boolean"):
            return node.value == "true"
        return node.value
    return node.value


def to_term(value: Any) -> NamedNode | Literal:
    """A SPARQL binding for a Python value: ``NamedNode``/``Literal`` pass through, a string
    in angle brackets (``<http://...>``) is an IRI, ``"text"@en`` a language-tagged
    literal, ints/floats/bools are typed literals and
    anything else a plain string literal (never parsed as SPARQL)."""
    if isinstance(value, NamedNode | Literal):
        return value
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=XSD_BOOLEAN)
    if isinstance(value, int):
        return Literal(str(value), datatype=XSD_INTEGER)
    if isinstance(value, float):
        return Literal(repr(value), datatype=XSD_DOUBLE)
    text = str(value)
    if text.startswith("<") and text.endswith(">"):
        return NamedNode(text[1:-1])
    tagged = _LANG_LITERAL.fullmatch(text)
    if tagged:
        return Literal(tagged.group(1), language=tagged.group(2).lower())
    return Literal(text)


class _Writer:
    """Writes documents' quads in a background thread, so the next document's NLP and
    resolution run meanwhile (pyoxigraph holds the GIL for part of each write, so the
    overlap is partial). At most ``depth`` documents wait; the writer takes every waiting
    document (up to ``GROUP_QUADS`` quads) into one ``extend``, one transaction, so each
    document is written whole or not at all, and a writer that falls behind pays the
    per-transaction cost once per group rather than per document. Every ``FLUSH_EVERY``
    quads the store is flushed (RocksDB keeps written data in memory until then).
    :meth:`written` hands back, in order, the documents whose write has completed."""

    def __init__(self, store: Store, depth: int = 8) -> None:
        self._store = store
        self._queue: queue.Queue[tuple[DocumentInput, list[Quad]] | None] = queue.Queue(depth)
        self._done: queue.SimpleQueue[DocumentInput] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._unflushed = 0
        self._thread = threading.Thread(target=self._run, name="claimgraph-writer", daemon=True)
        self._thread.start()

    def _group(self) -> tuple[list[tuple[DocumentInput, list[Quad]]], bool]:
        """The next waiting documents (blocking for the first) and whether to stop after."""
        group: list[tuple[DocumentInput, list[Quad]]] = []
        size = 0
        item = self._queue.get()
        while item is not None:
            group.append(item)
            size += len(item[1])
            if size >= GROUP_QUADS:
                return group, False
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return group, False
        return group, True

    def _run(self) -> None:
        stop = False
        while not stop:
            group, stop = self._group()
            try:
                if self._error is None and group:
                    self._store.extend(quad for _, quads in group for quad in quads)
                    for doc, quads in group:
                        self._done.put(doc)
                        self._unflushed += len(quads)
                    if self._unflushed >= FLUSH_EVERY:
                        self._store.flush()
                        self._unflushed = 0
            except Exception as exc:  # handed to the building thread by check()
                self._error = exc
            finally:
                for _ in range(len(group) + stop):
                    self._queue.task_done()

    def check(self) -> None:
        """Raise :class:`StoreError` if a write failed (documents after it were not written)."""
        if self._error is not None:
            raise StoreError(f"writing to the store failed: {self._error}") from self._error

    def put(self, doc: DocumentInput, quads: list[Quad]) -> None:
        self.check()
        self._queue.put((doc, quads))

    def written(self) -> Iterator[DocumentInput]:
        """The documents written since the last call."""
        while True:
            try:
                yield self._done.get_nowait()
            except queue.Empty:
                return

    def drain(self) -> None:
        """Wait until everything queued is written."""
        self._queue.join()
        self.check()

    def close(self) -> None:
        """Write what is queued, then stop the thread and let go of the store (RocksDB closes
        its files only when the last reference goes)."""
        self._queue.put(None)
        self._thread.join()
        del self._store


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
            return [{n: _value(sol[n]) for n in names} for sol in result]
        return [(_value(t.subject), _value(t.predicate), _value(t.object)) for t in result]

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
        writer = _Writer(self._store)

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
                        quads = self._document_quads(doc)
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

    def _entity(self, mention: Mention, context: _DocumentContext, article: int) -> str:
        g = DefaultGraph()
        sha, default = context.sha256, context.default
        index = self._load_index()
        if mention.anonymous:
            iri = self.iris.anonymous(sha, article, mention.key.key)
            node = NamedNode(iri)
            default.extend(
                [
                    Quad(node, RDF_TYPE, CLASS_TERMS[mention.cls], g),
                    Quad(node, V.schema.name, text_literal(mention.name), g),
                    Quad(node, V.cg.anonymous, to_term(True), g),
                ]
            )
            if mention.label:
                default.append(Quad(node, V.cg.entityType, Literal(mention.label), g))
            return iri
        key = mention.key
        iri = index.lookup(mention.cls, key)
        if iri is None:
            iri = self.iris.entity(mention.cls, key.key)
            index.add(EntityRecord(iri, mention.cls, mention.name, {key.key}))
            self._fresh.add(iri)
            node = NamedNode(iri)
            default.extend(
                [
                    Quad(node, RDF_TYPE, CLASS_TERMS[mention.cls], g),
                    Quad(node, V.schema.name, text_literal(mention.name), g),
                    Quad(node, V.cg.nameKey, Literal(key.key), g),
                ]
            )
            if mention.label:
                default.append(Quad(node, V.cg.entityType, Literal(mention.label), g))
            rule = self.aliases.metonym_target(mention.name)
            if rule is not None and name_key(rule.target, PERSON).key != key.key:
                target_cls = self.aliases.target_class(rule)
                target = self._entity(
                    Mention(rule.target, target_cls, rule.label, name_key(rule.target, target_cls)),
                    context,
                    article,
                )
                default.append(Quad(node, V.cg.standsFor, NamedNode(target), g))
        elif key.key not in index.records[iri].keys:
            index.add_key(iri, key.key)
            default.append(Quad(NamedNode(iri), V.cg.nameKey, Literal(key.key), g))
        return iri

    def _document_quads(self, doc: DocumentInput) -> list[Quad]:
        sha = doc.sha256
        iris = self.iris
        context = _DocumentContext(
            sha256=sha,
            document=NamedNode(iris.document(sha)),
            activity=NamedNode(iris.activity(__version__, sha)),
        )
        default = context.default
        quads: list[Quad] = []
        d = context.document
        by_article: dict[int, list[Claim]] = {}
        for claim in doc.claims:
            by_article.setdefault(claim.article, []).append(claim)
        outlets = {i: m.outlet for i, m in doc.articles.items() if m.outlet}
        default.extend(default_graph_quads(iris, doc, __version__, outlets))
        for index in sorted(set(by_article) | set(doc.articles)):
            a = NamedNode(iris.article(sha, index))
            g = a
            meta = doc.articles.get(index)
            lang = meta.language if meta else "en"  # ArticleMeta checked the tag
            default.append(Quad(d, V.schema.hasPart, a, DefaultGraph()))
            quads += [
                Quad(a, RDF_TYPE, V.schema.NewsArticle, g),
                Quad(a, V.schema.isPartOf, d, g),
                Quad(a, V.cg.articleIndex, to_term(index), g),
                Quad(a, V.schema.inLanguage, Literal(lang), g),
            ]
            if meta is not None:
                quads += self._article_meta_quads(a, meta, doc.doc)
            claims = by_article.get(index, [])
            refs = [r for c in claims for r in (c.speaker, c.target) if r is not None]
            mentions = resolve_article(refs, self.aliases)
            for claim in claims:
                quads += self._claim_quads(claim, context, a, lang, mentions)
        return default + quads

    def _article_meta_quads(self, a: NamedNode, meta: Any, doc: str) -> list[Quad]:
        out = []
        if meta.title:
            out.append(Quad(a, V.schema.headline, text_literal(meta.title, meta.language), a))
        if meta.outlet:
            out.append(Quad(a, V.schema.publisher, NamedNode(self.iris.outlet(meta.outlet)), a))
        if meta.date:
            lit = date_literal(meta.date)
            if lit is None:
                log.warning("%s: unparseable date %r left out", doc, meta.date)
            else:
                out.append(Quad(a, V.schema.datePublished, lit, a))
        if meta.url:
            node = url_node(meta.url)
            if node is None:
                log.warning("%s: unusable URL %r left out", doc, meta.url)
            else:
                out.append(Quad(a, V.schema.url, node, a))
        return out

    def _mention_quads(
        self,
        ref: EntityRef,
        mention: Mention | None,
        entity: str | None,
        d: NamedNode,
        g: NamedNode,
    ) -> tuple[NamedNode, list[Quad]]:
        node, quads = span_quads(self.iris, ref, g, d)
        if mention is not None and entity is not None:
            e = NamedNode(entity)
            quads.append(Quad(node, V.itsrdf.taIdentRef, e, g))
            quads.append(Quad(node, V.cg.mentionName, Literal(mention.name), g))
            surface = " ".join(ref.text.split())
            names = {surface, (ref.entity or "").strip()} - {"", mention.name}
            for alias in sorted(names):
                if not is_pronoun(alias):
                    quads.append(Quad(e, V.schema.alternateName, text_literal(alias), g))
            if ref.role:
                quads.append(Quad(node, V.cg.role, text_literal(ref.role), g))
                quads.append(Quad(e, V.cg.role, text_literal(ref.role), g))
            if ref.affiliation:
                quads.append(Quad(node, V.cg.affiliation, text_literal(ref.affiliation), g))
                quads.append(Quad(e, V.cg.affiliation, text_literal(ref.affiliation), g))
        if ref.type:
            quads.append(Quad(node, V.cg.entityType, Literal(ref.type), g))
        return node, quads

    def _claim_quads(
        self,
        claim: Claim,
        context: _DocumentContext,
        a: NamedNode,
        lang: str,
        mentions: Mapping[tuple[int, int, str], Mention],
    ) -> list[Quad]:
        g = a
        sha, d, counted = context.sha256, context.document, context.counted
        quads: list[Quad] = []
        resolved: dict[str, tuple[str | None, NamedNode | None]] = {}
        for role, ref in (("speaker", claim.speaker), ("target", claim.target)):
            if ref is None:
                resolved[role] = (None, None)
                continue
            mention = mentions.get((ref.start, ref.end, ref.text))
            entity = self._entity(mention, context, claim.article) if mention else None
            node, mq = self._mention_quads(ref, mention, entity, d, g)
            if entity is not None and (node.value, entity) not in counted:
                counted.add((node.value, entity))
                self._load_index().count(entity)
            quads += mq
            resolved[role] = (entity, node)
        speaker, speaker_node = resolved["speaker"]
        target, target_node = resolved["target"]
        tokens = claim_tokens(claim.text)
        index = self._claim_index(speaker)
        c_iri = index.match(tokens) or self.iris.claim(speaker, " ".join(tokens))
        index.add(c_iri, tokens)
        c = NamedNode(c_iri)
        r = NamedNode(self.iris.report(sha, claim))
        confidence = decimal_literal(claim.confidence)
        quads += [
            Quad(c, RDF_TYPE, V.schema.Claim, g),
            Quad(c, V.schema.text, text_literal(claim.text, lang), g),
            Quad(c, V.schema.appearance, a, g),
            Quad(c, V.cg.report, r, g),
            Quad(r, RDF_TYPE, V.cg.Report, g),
            Quad(r, RDF_TYPE, V.prov.Entity, g),
            Quad(r, V.cg.reportOf, c, g),
            Quad(r, V.prov.wasDerivedFrom, a, g),
            Quad(r, V.prov.wasGeneratedBy, context.activity, g),
            Quad(r, V.cg.kind, KIND_TERMS[claim.kind], g),
            Quad(r, V.cg.confidence, confidence, g),
            Quad(r, V.itsrdf.taConfidence, confidence, g),
        ]
        if speaker is not None:
            quads.append(Quad(c, V.schema.author, NamedNode(speaker), g))
            if claim.kind == "direct":
                quads.append(Quad(c, RDF_TYPE, V.schema.Quotation, g))
                quads.append(Quad(c, V.schema.spokenByCharacter, NamedNode(speaker), g))
        if target is not None:
            quads.append(Quad(c, V.schema.about, NamedNode(target), g))
            quads.append(Quad(c, V.schema.mentions, NamedNode(target), g))
        if speaker_node is not None:
            quads.append(Quad(r, V.cg.speakerMention, speaker_node, g))
        if target_node is not None:
            quads.append(Quad(r, V.cg.targetMention, target_node, g))
        for span in claim.content:
            node, sq = span_quads(self.iris, span, g, d)
            quads += sq
            quads.append(Quad(r, V.cg.contentSpan, node, g))
        if claim.cue is not None:
            node, sq = span_quads(self.iris, claim.cue, g, d)
            quads += sq
            quads += [
                Quad(r, V.cg.cueSpan, node, g),
                Quad(r, V.cg.cue, text_literal(claim.cue.text, lang), g),
            ]
        return quads

    # ---- consolidation ---------------------------------------------------------------------

    def _rewrite(self, old: str, new: str, *, mark: str | None = None) -> None:
        """Replace IRI ``old`` by ``new`` everywhere, in one atomic update. Only IRIs minted
        by this store (checked) are written into the update; no document text is."""
        for iri in (old, new, mark or new):
            if not iri.startswith(self.base) or any(ch in iri for ch in '<>"{}|\\^` \n'):
                raise ValueError(f"refusing to rewrite a non-store IRI: {iri!r}")
        o, n = f"<{old}>", f"<{new}>"
        marker = f"INSERT DATA {{ <{mark}> cg:pendingClaimMerge true }} ;" if mark else ""
        self._store.update(
            f"""{marker}
            DELETE {{ GRAPH ?g {{ {o} ?p ?x }} }} INSERT {{ GRAPH ?g {{ {n} ?p ?x }} }}
              WHERE {{ GRAPH ?g {{ {o} ?p ?x }} }} ;
            DELETE {{ GRAPH ?g {{ ?s ?p {o} }} }} INSERT {{ GRAPH ?g {{ ?s ?p {n} }} }}
              WHERE {{ GRAPH ?g {{ ?s ?p {o} }} }} ;
            DELETE {{ {o} schema:name ?x }} INSERT {{ {n} schema:alternateName ?x }}
              WHERE {{ {o} schema:name ?x }} ;
            DELETE WHERE {{ {o} a ?t }} ;
            DELETE {{ {o} ?p ?x }} INSERT {{ {n} ?p ?x }} WHERE {{ {o} ?p ?x }} ;
            DELETE {{ ?s ?p {o} }} INSERT {{ ?s ?p {n} }} WHERE {{ ?s ?p {o} }}""",
            prefixes=PREFIXES,
        )

    @staticmethod
    def _merge_plan(index: EntityIndex) -> Iterator[tuple[str, str]]:
        """The entity merges to apply, round after round: one merge can enable another (an
        untyped "Trump" joins the person once the ORG-tagged "Trump" has joined it)."""
        for _ in range(MERGE_ROUNDS):
            pairs = index.merges()
            if not pairs:
                return
            for absorbed, survivor in pairs:
                if absorbed in index.records and survivor in index.records:
                    yield absorbed, survivor

    def consolidate(self) -> tuple[int, int]:
        """Apply the entity merges the resolution rules call for, then merge near-duplicate
        claims of every speaker marked pending. Returns (entity merges, claim merges)."""
        index = self._load_index()
        entity_merges = 0
        moved: set[str] = set()  # speakers whose claims a merge moved or rewrote
        for absorbed, survivor in self._merge_plan(index):
            moved.add(absorbed)
            log.info("merging entity %s into %s", absorbed, survivor)
            if index.records[absorbed].cls != index.records[survivor].cls:
                # the survivor's class won the vote: the absorbed NER label goes
                node = NamedNode(absorbed)
                for q in list(self._store.quads_for_pattern(node, V.cg.entityType, None)):
                    self._store.remove(q)
            self._rewrite(absorbed, survivor, mark=survivor)
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
                self._rewrite(absorbed, survivor)
                claim_merges += 1
        if pending:
            self._store.update("DELETE WHERE { ?s cg:pendingClaimMerge ?v }", prefixes=PREFIXES)
        # The claim caches of the speakers merged here are stale: they are looked up again
        # when next needed. Every other speaker's cache stays valid for the next build.
        for speaker in moved | set(pending):
            self._claims.pop(speaker, None)
            self._fresh.discard(speaker)
        return entity_merges, claim_merges

    # ---- views -----------------------------------------------------------------------------

    def to_networkx(self, *, metonymy: bool = True) -> nx.MultiDiGraph:
        """The entity graph as a ``networkx.MultiDiGraph``, built from the store.

        Nodes are entity IRIs with attributes ``label`` (name), ``type`` (Person,
        Organization, Place or Thing), ``aliases`` (sorted list), ``roles``,
        ``affiliations`` (sorted lists), ``anonymous`` (bool), ``n_claims`` (claims spoken)
        and ``n_about`` (claims about it). Edges go speaker -> target, one per claim, keyed by
        the claim IRI, with ``relation="claim"``, ``claim`` (IRI), ``text``, ``cue``,
        ``kind``, ``confidence`` (max over reports), ``n_reports``, ``outlet``, ``date``
        (earliest), ``url``, ``doc`` (first report's source path) and ``provenance`` (a list
        of per-report dicts: report, doc, article, outlet, date, url, start, end, cue, kind).
        With ``metonymy``, each ``cg:standsFor`` link is an edge with
        ``relation="standsFor"`` keyed ``"standsFor"``. Claims without a resolved speaker or
        target add no edge (they still count in ``n_claims``/``n_about``).
        """
        graph = nx.MultiDiGraph()
        for row in self.entities():
            graph.add_node(
                row["iri"],
                label=row["name"],
                type=row["type"],
                anonymous=row["anonymous"],
                aliases=[],
                roles=[],
                affiliations=[],
                n_claims=0,
                n_about=0,
            )
        for prop, attr in (
            ("alternateName", "aliases"),
            ("role", "roles"),
            ("affiliation", "affiliations"),
        ):
            ns = "schema" if prop == "alternateName" else "cg"
            for row in self._select(
                f"SELECT DISTINCT ?e ?v WHERE {{ ?e {ns}:{prop} ?v }} ORDER BY ?e ?v"
            ):
                if row["e"] in graph and row["v"] not in graph.nodes[row["e"]][attr]:
                    graph.nodes[row["e"]][attr].append(row["v"])
        edges: dict[tuple[str, str, str], dict[str, Any]] = {}
        counted: set[tuple[str, str]] = set()
        from .query import reports

        for row in reports(self):
            speaker, target, claim = row["speaker"], row["target"], row["claim"]
            for who, attr in ((speaker, "n_claims"), (target, "n_about")):
                if who in graph and (claim, attr + who) not in counted:
                    counted.add((claim, attr + who))
                    graph.nodes[who][attr] += 1
            if speaker not in graph or target not in graph:
                continue
            prov = {
                k: row[k]
                for k in (
                    "report",
                    "doc",
                    "article",
                    "outlet",
                    "date",
                    "url",
                    "start",
                    "end",
                    "cue",
                    "kind",
                )
            }
            edge = edges.setdefault(
                (speaker, target, claim),
                {
                    "relation": "claim",
                    "claim": claim,
                    "text": row["text"],
                    "cue": row["cue"],
                    "kind": row["kind"],
                    "confidence": row["confidence"],
                    "outlet": row["outlet"],
                    "date": row["date"],
                    "url": row["url"],
                    "doc": row["doc"],
                    "provenance": [],
                },
            )
            if prov not in edge["provenance"]:
                edge["provenance"].append(prov)
            edge["confidence"] = max(edge["confidence"] or 0.0, row["confidence"] or 0.0)
            dates = [p["date"] for p in edge["provenance"] if p["date"]]
            edge["date"] = min(dates) if dates else None
        for (speaker, target, claim), attrs in sorted(edges.items()):
            attrs["n_reports"] = len(attrs["provenance"])
            graph.add_edge(speaker, target, key=claim, **attrs)
        if metonymy:
            for q in self._store.quads_for_pattern(None, V.cg.standsFor, None, DefaultGraph()):
                s, o = q.subject.value, q.object.value
                if s in graph and o in graph:
                    graph.add_edge(s, o, key="standsFor", relation="standsFor")
        return graph

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

    def stats(self, *, top: int = 10, seed: int = 0) -> dict[str, Any]:
        """Counts, entities by type, top speakers/targets, degree and betweenness centrality,
        and communities (Louvain, fixed ``seed``) of the networkx view."""
        if top < 1:
            raise ValueError(f"top must be at least 1, not {top}")
        graph = self.to_networkx()
        by_type = Counter(d["type"] for _, d in graph.nodes(data=True))
        simple = nx.Graph(graph.to_undirected())
        simple.remove_edges_from(nx.selfloop_edges(simple))
        label = {n: d["label"] for n, d in graph.nodes(data=True)}

        def ranked(scores: Mapping[str, float]) -> list[dict[str, Any]]:
            best = sorted(scores.items(), key=lambda kv: (-kv[1], label[kv[0]], kv[0]))[:top]
            return [{"iri": n, "name": label[n], "score": round(s, 6)} for n, s in best if s]

        k = min(len(simple), 500) if len(simple) > 500 else None
        communities = (
            nx.community.louvain_communities(simple, seed=seed) if simple.number_of_edges() else []
        )
        communities = sorted(
            (sorted(label[n] for n in c) for c in communities if len(c) > 1),
            key=lambda c: (-len(c), c),
        )
        return {
            "counts": self.counts(),
            "entities_by_type": dict(sorted(by_type.items())),
            "top_speakers": ranked({n: d["n_claims"] for n, d in graph.nodes(data=True)}),
            "top_targets": ranked({n: d["n_about"] for n, d in graph.nodes(data=True)}),
            "degree_centrality": ranked(nx.degree_centrality(simple)) if len(simple) > 1 else [],
            "betweenness_centrality": ranked(nx.betweenness_centrality(simple, k=k, seed=seed))
            if len(simple) > 2
            else [],
            "communities": communities[:top],
            "n_communities": len(communities),
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
