"""A focused networkx view: the most active entities and only their claims, read without
reading the whole store.

:func:`claimgraph.graph.network.to_networkx` reads every report, which for a store of 10,000
articles (about 190,000 reports) takes longer than a page that shows a few hundred entities
should. :func:`focused_view` counts claims per (speaker, target) pair with one aggregate
query, picks the entities as the HTML view's first screen does (speakers by claims made,
each with the targets it talks about most), and reads the reports of at most
``max_reports`` of the claims among them (one report of each claim first, the most confident
first). The result has the schema of :mod:`claimgraph.graph.network`; ``n_claims`` and
``n_about`` count the whole store, ``n_reports`` and ``provenance`` only the reports read,
and the graph attributes ``total_entities`` and ``total_claims`` (claims with a speaker and
a target) say how much the store holds.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
from pyoxigraph import DefaultGraph, NamedNode

from .model import term_value
from .namespaces import V
from .network import add_claim_edges
from .store import GraphStore

#: Targets taken with each speaker, most talked-about first.
TARGETS_PER_SPEAKER = 5


def _rows(store: GraphStore, sparql: str) -> list[dict[str, Any]]:
    rows = store.query(sparql)
    assert isinstance(rows, list)
    return rows  # type: ignore[return-value]


def _one(store: GraphStore, subject: str, predicate: NamedNode, graph: Any = None) -> Any:
    quad = next(store.oxigraph.quads_for_pattern(NamedNode(subject), predicate, None, graph), None)
    return None if quad is None else term_value(quad.object)


def _all(store: GraphStore, subject: str, predicate: NamedNode, graph: Any = None) -> list[Any]:
    quads = store.oxigraph.quads_for_pattern(NamedNode(subject), predicate, None, graph)
    return sorted({term_value(q.object) for q in quads}, key=str)


def chosen_entities(
    pairs: Mapping[tuple[Any, Any], int],
    made: Mapping[Any, int],
    activity: Mapping[Any, int],
    size: int,
) -> list[Any]:
    """At most ``size`` entities, in the order a page adds them: speakers by claims ``made``,
    each followed by the :data:`TARGETS_PER_SPEAKER` targets it talks about most (claims per
    (speaker, target) pair in ``pairs``), then everyone in ``activity`` by that count.

    >>> pairs = Counter({("a", "b"): 3, ("a", "c"): 1, ("d", "b"): 1})
    >>> chosen_entities(pairs, Counter(a=4, d=1), Counter(a=4, b=4, c=1, d=1), 3)
    ['a', 'b', 'c']
    """
    if size < 1:
        raise ValueError(f"size must be >= 1, not {size}")
    chosen: dict[Any, None] = {}
    targets: dict[Any, list[tuple[int, Any]]] = defaultdict(list)
    for (speaker, target), n in pairs.items():
        targets[speaker].append((-n, target))

    def most(items: Iterable[tuple[Any, int]]) -> list[Any]:
        return [k for k, _ in sorted(items, key=lambda kv: (-kv[1], str(kv[0])))]

    for speaker in most(made.items()):
        best = most((t, -n) for n, t in targets[speaker])[:TARGETS_PER_SPEAKER]
        for entity in (speaker, *best):
            if len(chosen) < size:
                chosen.setdefault(entity)
    for entity in most(activity.items()):
        if len(chosen) < size:
            chosen.setdefault(entity)
    return list(chosen)


def focused_view(store: GraphStore, *, size: int = 400, max_reports: int = 5000) -> nx.MultiDiGraph:
    """The view of the ``size`` most active entities and of at most ``max_reports`` reports
    of the claims among them (see the module docstring).

    >>> from claimgraph.extract.records import Claim, EntityRef, TextSpan
    >>> from claimgraph.graph import DocumentInput
    >>> claim = Claim("a.txt", 0, (TextSpan("It will be hard", 1, 16),),
    ...               speaker=EntityRef("Dmitry Peskov", 20, 33, type="PERSON"),
    ...               target=EntityRef("Ukraine", 40, 47, type="GPE"), cue=TextSpan("said", 34, 38))
    >>> with GraphStore.open() as store:
    ...     _ = store.build([DocumentInput("a.txt", "0" * 64, (claim,))])
    ...     view = focused_view(store)
    >>> sorted(d["label"] for _, d in view.nodes(data=True)), view.number_of_edges()
    (['Dmitry Peskov', 'Ukraine'], 1)
    """
    if max_reports < 1:
        raise ValueError(f"max_reports must be >= 1, not {max_reports}")
    triples = _rows(
        store,
        """SELECT DISTINCT ?c ?s ?t WHERE {
        GRAPH ?g { ?c a schema:Claim ; schema:author ?s ; schema:about ?t } }""",
    )
    made: Counter[str] = Counter(r["s"] for r in _rows(store, """SELECT DISTINCT ?c ?s WHERE {
        GRAPH ?g { ?c a schema:Claim ; schema:author ?s } }"""))  # fmt: skip
    about: Counter[str] = Counter(r["t"] for r in _rows(store, """SELECT DISTINCT ?c ?t WHERE {
        GRAPH ?g { ?c a schema:Claim ; schema:about ?t } }"""))  # fmt: skip
    pairs = Counter((r["s"], r["t"]) for r in triples)
    entities = {row["iri"]: row for row in store.entities()}
    chosen = [e for e in chosen_entities(pairs, made, made + about, size) if e in entities]
    inside = set(chosen)
    graph = nx.MultiDiGraph(
        total_entities=len(entities), total_claims=len({r["c"] for r in triples})
    )
    for iri in chosen:
        row = entities[iri]
        graph.add_node(
            iri, label=row["name"], type=row["type"], anonymous=row["anonymous"],
            aliases=_all(store, iri, V.schema.alternateName),
            roles=_all(store, iri, V.cg.role), affiliations=_all(store, iri, V.cg.affiliation),
            n_claims=made[iri], n_about=about[iri],
        )  # fmt: skip
    claims = {r["c"]: (r["s"], r["t"]) for r in triples if r["s"] in inside and r["t"] in inside}
    candidates = []  # (confidence, report, article graph, claim)
    for claim in claims:
        for quad in store.oxigraph.quads_for_pattern(NamedNode(claim), V.cg.report, None, None):
            report = quad.object.value
            confidence = _one(store, report, V.cg.confidence, quad.graph_name)
            candidates.append((float(confidence or 0.0), report, quad.graph_name, claim))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    firsts = {c[3]: c[1] for c in reversed(candidates)}
    candidates.sort(key=lambda c: firsts[c[3]] != c[1])  # one report of each claim first
    texts: dict[str, Any] = {}  # a claim's words, read with its first report
    rows = []
    for confidence, report, article, claim in candidates[:max_reports]:
        if claim not in texts:
            texts[claim] = _one(store, claim, V.schema.text, article)
        speaker, target = claims[claim]
        rows.append({**_report(store, report, article), "speaker": speaker, "target": target,
                     "claim": claim, "text": texts[claim], "confidence": confidence})  # fmt: skip
    add_claim_edges(graph, rows)
    return graph


def _report(store: GraphStore, report: str, article: Any) -> dict[str, Any]:
    """One report's provenance fields (:data:`~claimgraph.graph.network.PROVENANCE_FIELDS`)."""
    a = article.value
    spans = _all(store, report, V.cg.contentSpan, article)
    starts = [_one(store, s, V.nif.beginIndex, article) for s in spans]
    ends = [_one(store, s, V.nif.endIndex, article) for s in spans]
    context = _one(store, report, V.cg.contextSpan, article)
    publisher = _one(store, a, V.schema.publisher, article)
    document = _one(store, a, V.schema.isPartOf, article)
    kind = str(_one(store, report, V.cg.kind, article) or "")
    date = _one(store, a, V.schema.datePublished, article)
    return {
        "report": report,
        "doc": _one(store, document, V.cg.sourcePath, DefaultGraph()) if document else None,
        "article": _one(store, a, V.cg.articleIndex, article),
        "outlet": _one(store, publisher, V.schema.name, DefaultGraph()) if publisher else None,
        "date": str(date)[:10] if date else None,
        "url": _one(store, a, V.schema.url, article),
        "start": min((s for s in starts if s is not None), default=None),
        "end": max((e for e in ends if e is not None), default=None),
        "cue": _one(store, report, V.cg.cue, article),
        "kind": kind.rpartition("#")[2].lower().replace("accordingto", "according_to") or None,
        "context": _one(store, context, V.nif.anchorOf, article) if context else None,
        "context_start": _one(store, context, V.nif.beginIndex, article) if context else None,
    }
