"""The networkx view of the claim graph: :func:`to_networkx`, :func:`stats` and :func:`path`.

The view is a ``networkx.MultiDiGraph`` with a fixed schema, which the HTML and network
exporters read as it is: every node has the attributes :data:`NODE_ATTRIBUTES`, every claim
edge (speaker -> target, keyed by the claim IRI) :data:`EDGE_ATTRIBUTES`, and each entry of an
edge's ``provenance`` list :data:`PROVENANCE_FIELDS`. Metonymy links (``cg:standsFor``) are
edges keyed ``"standsFor"`` with ``relation="standsFor"`` only.

>>> from claimgraph.extract.records import Claim, EntityRef, TextSpan
>>> from claimgraph.graph import DocumentInput, GraphStore
>>> claim = Claim("a.txt", 0, (TextSpan("It will be hard", 1, 16),),
...               speaker=EntityRef("Dmitry Peskov", 20, 33, type="PERSON"),
...               target=EntityRef("Ukraine", 40, 47, type="GPE"), cue=TextSpan("said", 34, 38))
>>> with GraphStore.open() as store:
...     _ = store.build([DocumentInput("a.txt", "0" * 64, (claim,))])
...     view = to_networkx(store)
>>> [view.nodes[n]["label"] for n in sorted(view, key=lambda n: view.nodes[n]["label"])]
['Dmitry Peskov', 'Ukraine']
>>> [(view.nodes[u]["label"], d["cue"]) for u, _, d in view.edges(data=True)]
[('Dmitry Peskov', 'said')]
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
from pyoxigraph import DefaultGraph

from .namespaces import V
from .query import find_entities, reports
from .store import GraphStore

#: Node attributes of the view: name, schema.org class name, and what the store knows.
NODE_ATTRIBUTES = {
    "label": "display name",
    "type": "Person, Organization, Place or Thing",
    "anonymous": "an unnamed source or thing, kept within its article (bool)",
    "aliases": "other names merged into the entity (sorted list)",
    "roles": "roles given to it (list)",
    "affiliations": "affiliations given to it (list)",
    "n_claims": "distinct claims it made",
    "n_about": "distinct claims about it",
}
#: Attributes of a claim edge.
EDGE_ATTRIBUTES = {
    "relation": '"claim"',
    "claim": "claim IRI (also the edge key)",
    "text": "claim text",
    "cue": "cue of its first report",
    "kind": "direct, indirect, mixed, according_to, belief or headline",
    "confidence": "highest confidence of its reports",
    "outlet": "outlet of its first report",
    "date": "earliest report date (YYYY-MM-DD)",
    "url": "URL of its first report",
    "doc": "source path of its first report",
    "provenance": "one dict per report (PROVENANCE_FIELDS)",
    "n_reports": "number of reports",
}
#: Fields of each report in an edge's ``provenance``.
PROVENANCE_FIELDS = (
    "report", "doc", "article", "outlet", "date", "url", "start", "end", "cue", "kind",
    "context", "context_start",
)  # fmt: skip


def to_networkx(store: GraphStore, *, metonymy: bool = True) -> nx.MultiDiGraph:
    """The entity graph as a ``networkx.MultiDiGraph``, built from the store.

    Nodes are entity IRIs with attributes ``label`` (name), ``type`` (Person,
    Organization, Place or Thing), ``aliases`` (sorted list), ``roles``,
    ``affiliations`` (sorted lists), ``anonymous`` (bool), ``n_claims`` (claims spoken)
    and ``n_about`` (claims about it). Edges go speaker -> target, one per claim, keyed by
    the claim IRI, with ``relation="claim"``, ``claim`` (IRI), ``text``, ``cue``,
    ``kind``, ``confidence`` (max over reports), ``n_reports``, ``outlet``, ``date``
    (earliest), ``url``, ``doc`` (first report's source path) and ``provenance`` (a list
    of per-report dicts with the :data:`PROVENANCE_FIELDS`: report, doc, article, outlet,
    date, url, start, end, cue, kind, and the sentences around the claim, context and
    context_start).
    With ``metonymy``, each ``cg:standsFor`` link is an edge with
    ``relation="standsFor"`` keyed ``"standsFor"``. Claims without a resolved speaker or
    target add no edge (they still count in ``n_claims``/``n_about``).
    """
    graph = nx.MultiDiGraph()
    for row in store.entities():
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
        for row in store.query(
            f"SELECT DISTINCT ?e ?v WHERE {{ ?e {ns}:{prop} ?v }} ORDER BY ?e ?v"
        ):
            if row["e"] in graph and row["v"] not in graph.nodes[row["e"]][attr]:
                graph.nodes[row["e"]][attr].append(row["v"])
    counted: set[tuple[str, str]] = set()
    linked = []
    for row in reports(store):
        speaker, target, claim = row["speaker"], row["target"], row["claim"]
        for who, attr in ((speaker, "n_claims"), (target, "n_about")):
            if who in graph and (claim, attr + who) not in counted:
                counted.add((claim, attr + who))
                graph.nodes[who][attr] += 1
        if speaker in graph and target in graph:
            linked.append(row)
    add_claim_edges(graph, linked)
    if metonymy:
        for q in store.oxigraph.quads_for_pattern(None, V.cg.standsFor, None, DefaultGraph()):
            s, o = q.subject.value, q.object.value
            if s in graph and o in graph:
                graph.add_edge(s, o, key="standsFor", relation="standsFor")
    return graph


def add_claim_edges(graph: nx.MultiDiGraph, rows: Iterable[Mapping[str, Any]]) -> None:
    """Add to ``graph`` one claim edge (:data:`EDGE_ATTRIBUTES`) per claim of ``rows``: report
    rows with ``speaker``, ``target``, ``claim``, ``text``, ``confidence`` and the
    :data:`PROVENANCE_FIELDS`. The edge keeps the first report's cue, kind, outlet, URL and
    document, the highest confidence and the earliest date; its ``provenance`` lists the
    reports, each once."""
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in rows:
        edge = edges.setdefault(
            (row["speaker"], row["target"], row["claim"]),
            {"relation": "claim", "claim": row["claim"], "text": row["text"],
             **{k: row[k] for k in ("cue", "kind", "confidence", "outlet", "url", "doc")},
             "provenance": []},
        )  # fmt: skip
        prov = {k: row[k] for k in PROVENANCE_FIELDS}
        if prov not in edge["provenance"]:
            edge["provenance"].append(prov)
        edge["confidence"] = max(edge["confidence"] or 0.0, row["confidence"] or 0.0)
    for (speaker, target, claim), attrs in sorted(edges.items()):
        dates = [p["date"] for p in attrs["provenance"] if p["date"]]
        attrs["date"] = min(dates) if dates else None
        attrs["n_reports"] = len(attrs["provenance"])
        graph.add_edge(speaker, target, key=claim, **attrs)


def stats(store: GraphStore, *, top: int = 10, seed: int = 0) -> dict[str, Any]:
    """Counts, entities by type, top speakers/targets, degree and betweenness centrality,
    and communities (Louvain, fixed ``seed``) of the networkx view."""
    if top < 1:
        raise ValueError(f"top must be at least 1, not {top}")
    graph = to_networkx(store)
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
        "counts": store.counts(),
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


def path(store: GraphStore, source: str, target: str) -> list[dict[str, Any]]:
    """The shortest chain of claims (either direction) and metonymy links between two names:
    one row per hop (``from``, ``to``, ``relation``, claim ``text``, ``cue``, ``doc``, offsets).
    Empty when they are not connected; ``ValueError`` when a name matches no entity."""
    graph = to_networkx(store)
    ends = []
    for name in (source, target):
        ids = [i for i in find_entities(store, name) if i in graph]
        if not ids:
            raise ValueError(f"no entity named {name!r} in the graph")
        ends.append(ids)
    undirected = graph.to_undirected(as_view=True)
    best: list[str] | None = None
    for s in ends[0]:
        for t in ends[1]:
            try:
                p = nx.shortest_path(undirected, s, t)
            except nx.NetworkXNoPath:
                continue
            if best is None or (len(p), p) < (len(best), best):
                best = p
    if best is None:
        return []
    rows = []
    for u, v in itertools.pairwise(best):
        options = [(u, v, k, d) for k, d in graph.get_edge_data(u, v, default={}).items()]
        options += [(v, u, k, d) for k, d in graph.get_edge_data(v, u, default={}).items()]
        s, t, _, data = min(options, key=lambda o: (o[3]["relation"] != "claim", str(o[2])))
        first = (data.get("provenance") or [{}])[0]
        rows.append(
            {
                "from": graph.nodes[u]["label"],
                "to": graph.nodes[v]["label"],
                "speaker_name": graph.nodes[s]["label"],
                "target_name": graph.nodes[t]["label"],
                "relation": data["relation"],
                "text": data.get("text"),
                "cue": data.get("cue"),
                "doc": first.get("doc"),
                "start": first.get("start"),
                "end": first.get("end"),
            }
        )
    return rows
