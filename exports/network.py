"""Network exports of the claim graph view: GraphML, GEXF (Gephi), node-link JSON, CSV tables.

The input is the networkx ``MultiDiGraph`` view of the claim graph
(:func:`claimgraph.graph.network.to_networkx`, whose node and edge attributes are a fixed
schema): nodes are entities (``label``, ``type``, ...), edges run speaker -> target, one per
claim (``claim``, ``cue``, ``text``, ``outlet``, ``date``, ``url``, ``provenance``, ...). Any
other networkx graph works too; its attributes are carried through. The input graph is never
mutated.

GraphML and GEXF hold only scalar attributes of one type per key, and XML forbids some control
characters: :func:`sanitize_graph` returns a copy with ``None`` dropped, lists/dicts as JSON
text, keys of mixed type as strings, and XML-illegal characters removed.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from claimgraph.graph.network import PROVENANCE_FIELDS

from ._io import atomic_output

NETWORK_FORMATS = ("graphml", "gexf", "nodelink", "csv")

#: Attributes that say where a claim was found (the view's per-report fields,
#: :data:`claimgraph.graph.network.PROVENANCE_FIELDS`, without report, cue and kind): they go
#: to the provenance table, not the claims table. An edge without a ``provenance`` list gives
#: one provenance row of these and its ``confidence`` (which the claims table also shows).
PROVENANCE_KEYS = (
    *(k for k in PROVENANCE_FIELDS if k not in ("report", "cue", "kind")),
    "confidence",
)

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _check_graph(graph: Any) -> None:
    if not isinstance(graph, nx.Graph):
        raise ValueError(f"graph must be a networkx graph, not {type(graph).__name__}")


def _scalar(value: Any) -> Any:
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value)
    if isinstance(value, list | tuple | dict | set | frozenset):
        if isinstance(value, set | frozenset):
            value = sorted(value, key=str)
        return _XML_ILLEGAL.sub("", json.dumps(value, ensure_ascii=False, default=str))
    return _XML_ILLEGAL.sub("", str(value))


def _sanitize_attrs(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = [{str(k): _scalar(v) for k, v in attrs.items() if v is not None} for attrs in items]
    kinds: dict[str, set[type]] = {}
    for attrs in cleaned:
        for key, value in attrs.items():
            kinds.setdefault(key, set()).add(float if isinstance(value, float) else type(value))
    mixed = {k for k, t in kinds.items() if len(t) > 1 and t != {int, float}}
    widen = {k for k, t in kinds.items() if t == {int, float}}
    for attrs in cleaned:
        for key in mixed & attrs.keys():
            attrs[key] = str(attrs[key])
        for key in widen & attrs.keys():
            attrs[key] = float(attrs[key])
    return cleaned


def sanitize_graph(graph: nx.Graph) -> nx.Graph:
    """A copy of ``graph`` whose ids and attributes GraphML and GEXF writers accept.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="A", aliases=["A.", "Ay"], qid=None)
    >>> g.add_edge("a", "b", cue="said", confidence=1)
    0
    >>> g.add_edge("a", "b", cue="added", confidence=0.5)
    1
    >>> s = sanitize_graph(g)
    >>> s.nodes["a"]
    {'label': 'A', 'aliases': '["A.", "Ay"]'}
    >>> [d["confidence"] for _, _, d in s.edges(data=True)]
    [1.0, 0.5]
    """
    _check_graph(graph)
    out = graph.__class__()
    out.graph = _sanitize_attrs([dict(graph.graph)])[0]
    nodes = list(graph.nodes(data=True))
    ids = {n: _XML_ILLEGAL.sub("", str(n)) for n, _ in nodes}
    if len(set(ids.values())) != len(ids):
        raise ValueError("node ids collide once written as text; relabel nodes to unique strings")
    for (n, _), attrs in zip(nodes, _sanitize_attrs([dict(d) for _, d in nodes]), strict=True):
        out.add_node(ids[n], **attrs)
    if graph.is_multigraph():
        edges = list(graph.edges(keys=True, data=True))
        for (u, v, k, _), attrs in zip(
            edges, _sanitize_attrs([dict(e[3]) for e in edges]), strict=True
        ):
            out.add_edge(ids[u], ids[v], key=_scalar(k), **attrs)
    else:
        edges2 = list(graph.edges(data=True))
        for (u, v, _), attrs in zip(
            edges2, _sanitize_attrs([dict(e[2]) for e in edges2]), strict=True
        ):
            out.add_edge(ids[u], ids[v], **attrs)
    return out


def write_graphml(graph: nx.Graph, path: str | os.PathLike[str]) -> dict[str, Any]:
    """Write ``graph`` as GraphML (atomically); returns node and edge counts."""
    clean = sanitize_graph(graph)
    with atomic_output(path, "wb") as fh:
        nx.write_graphml(clean, fh, encoding="utf-8", named_key_ids=True)
    return {
        "format": "graphml",
        "path": str(path),
        "nodes": clean.number_of_nodes(),
        "edges": clean.number_of_edges(),
    }


_GEXF_NODE_RESERVED = ("id", "pid", "start", "end", "viz", "parents", "slices", "spells")
_GEXF_EDGE_RESERVED = ("id", "type", "start", "end", "slices", "spells", "networkx_key")


def _rename(data: dict[str, Any], reserved: tuple[str, ...]) -> None:
    for key in reserved:
        if key in data:
            data[f"attr_{key}"] = data.pop(key)


def write_gexf(graph: nx.Graph, path: str | os.PathLike[str]) -> dict[str, Any]:
    """Write ``graph`` as GEXF 1.2 for Gephi (atomically); returns node and edge counts."""
    clean = sanitize_graph(graph)
    # networkx's GEXF writer gives these keys special meaning (ids, time spells, edge kind):
    # keep our values as plain attributes under another name.
    for _, data in clean.nodes(data=True):
        _rename(data, _GEXF_NODE_RESERVED)
    for *_, data in clean.edges(data=True):
        _rename(data, _GEXF_EDGE_RESERVED)
        if not isinstance(data.get("weight", 0), int | float):
            data["attr_weight"] = data.pop("weight")
    with atomic_output(path, "wb") as fh:
        nx.write_gexf(clean, fh, encoding="utf-8", version="1.2draft")
    return {
        "format": "gexf",
        "path": str(path),
        "nodes": clean.number_of_nodes(),
        "edges": clean.number_of_edges(),
    }


def write_node_link(graph: nx.Graph, path: str | os.PathLike[str]) -> dict[str, Any]:
    """Write ``graph`` as networkx node-link JSON (atomically).

    Read it back with ``nx.node_link_graph(data, edges="links")``.
    """
    _check_graph(graph)
    data = nx.node_link_data(graph, edges="links")
    with atomic_output(path, "w") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, default=str)
        fh.write("\n")
    return {
        "format": "nodelink",
        "path": str(path),
        "nodes": graph.number_of_nodes(),
        "edges": graph.number_of_edges(),
    }


def _cell(value: Any, safe: bool) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | tuple | dict | set | frozenset):
        value = json.dumps(
            sorted(value, key=str) if isinstance(value, set | frozenset) else value,
            ensure_ascii=False,
            default=str,
        )
    if safe and isinstance(value, str) and value.startswith(_FORMULA_START):
        # Spreadsheets run cells starting with = + - @ as formulas: quote them.
        return "'" + value
    return value


def _write_table(
    path: str | os.PathLike[str], columns: list[str], rows: Iterable[Mapping[str, Any]], safe: bool
) -> int:
    n = 0
    with atomic_output(path, "w") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(c), safe) for c in columns])
            n += 1
    return n


def _columns(
    first: list[str], items: Iterable[Mapping[str, Any]], exclude: Iterable[str] = ()
) -> list[str]:
    seen = dict.fromkeys(first)
    skip = set(exclude)
    for attrs in items:
        for key in attrs:
            if key not in skip:
                seen.setdefault(str(key), None)
    return list(seen)


def _edges(graph: nx.Graph) -> list[tuple[Any, Any, Any, dict[str, Any]]]:
    if graph.is_multigraph():
        return list(graph.edges(keys=True, data=True))
    return [(u, v, None, d) for u, v, d in graph.edges(data=True)]


def _is_claim(attrs: Mapping[str, Any]) -> bool:
    return attrs.get("relation", "claim") == "claim"


def write_csv_tables(
    graph: nx.MultiDiGraph, directory: str | os.PathLike[str], *, spreadsheet_safe: bool = True
) -> dict[str, Any]:
    """Write ``entities.csv``, ``claims.csv`` and ``provenance.csv`` into ``directory``.

    ``entities.csv``: one row per node (with ``stands_for``: the entities it stands for, from
    edges whose ``relation`` is not ``claim``). ``claims.csv``: one row per claim edge with its
    speaker and target ids and labels. ``provenance.csv``: one row per report of a claim
    (the edge's ``provenance`` list when present: document, article, outlet, date, URL,
    offsets, cue, kind), else one row per claim with the :data:`PROVENANCE_KEYS` present.
    With ``spreadsheet_safe`` text cells starting with ``= + - @`` get a leading ``'`` so
    spreadsheet programs do not run them as formulas. Each file is written atomically.

    >>> import tempfile, pathlib
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("e1", label="Jane Doe", type="PERSON")
    >>> g.add_node("e2", label="Acme", type="ORG")
    >>> _ = g.add_edge("e1", "e2", claim="c1", cue="said", text="=1+1", url="https://x.org/a")
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> write_csv_tables(g, d)["claims"]
    1
    >>> (d / "claims.csv").read_text().splitlines()[1]
    "c1,e1,Jane Doe,e2,Acme,said,'=1+1"
    """
    _check_graph(graph)
    directory = os.fspath(directory)
    os.makedirs(directory, exist_ok=True)
    edges = _edges(graph)
    claim_edges = [e for e in edges if _is_claim(e[3])]
    stands_for: dict[Any, list[Any]] = {}
    for u, v, _, d in edges:
        if not _is_claim(d):
            stands_for.setdefault(u, []).append(v)

    nodes = list(graph.nodes(data=True))
    ent_rows = [
        {"id": n, **d, **({"stands_for": stands_for[n]} if n in stands_for else {})}
        for n, d in nodes
    ]
    ent_cols = _columns(["id", "label", "type"], ent_rows)
    n_ent = _write_table(
        os.path.join(directory, "entities.csv"), ent_cols, ent_rows, spreadsheet_safe
    )

    def claim_id(k: Any, d: Mapping[str, Any]) -> Any:
        return d.get("claim", k)

    def label(n: Any) -> Any:
        return graph.nodes[n].get("label", n)

    skip = {"claim", "relation", "provenance", *PROVENANCE_KEYS}
    claim_rows = [
        {
            **{key: value for key, value in d.items() if key not in skip},
            "claim": claim_id(k, d),
            "speaker": u,
            "speaker_label": label(u),
            "target": v,
            "target_label": label(v),
            **({"confidence": d["confidence"]} if "confidence" in d else {}),
        }
        for u, v, k, d in claim_edges
    ]
    claim_cols = _columns(
        ["claim", "speaker", "speaker_label", "target", "target_label", "cue", "text"],
        claim_rows,
    )
    n_claims = _write_table(
        os.path.join(directory, "claims.csv"), claim_cols, claim_rows, spreadsheet_safe
    )

    prov_rows: list[dict[str, Any]] = []
    for _, _, k, d in claim_edges:
        reports = d.get("provenance")
        if isinstance(reports, list) and reports:
            prov_rows.extend({"claim": claim_id(k, d), **dict(r)} for r in reports)
        else:
            prov_rows.append(
                {"claim": claim_id(k, d), **{key: d[key] for key in PROVENANCE_KEYS if key in d}}
            )
    prov_cols = _columns(["claim"], prov_rows)
    n_prov = _write_table(
        os.path.join(directory, "provenance.csv"), prov_cols, prov_rows, spreadsheet_safe
    )
    return {
        "format": "csv",
        "path": directory,
        "entities": n_ent,
        "claims": n_claims,
        "reports": n_prov,
    }
