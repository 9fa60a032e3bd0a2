"""Interactive, self-contained HTML view of the claim network, built with pyvis.

pyvis builds the vis-network node/edge records and options; the page itself comes from our own
template because pyvis's (v0.3.2) pulls Bootstrap from a CDN, switches tooltips to ``innerHTML``
when a title contains ``href`` and inserts the heading unescaped. Here:

* the vis-network JavaScript and CSS bundled inside the pyvis package are inlined, so the file
  works offline and has no remote ``src``/``href``;
* all document text (names, quotes, URLs) travels as JSON inside a
  ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and is put on the
  page only through ``textContent`` or plain-text vis tooltips -- never as HTML;
* links to sources are only made for ``http``/``https`` URLs;
* entities are coloured by type (legend with per-type filters), sized by degree or centrality;
  claim edges run speaker -> target labelled with the cue; filters for entity type, speaker and
  minimum degree, and a search box; the ``top_n`` most central entities are kept; physics
  stabilises and is then switched off so large graphs settle.
"""

from __future__ import annotations

import html
import json
import logging
import os
from collections import Counter
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from ._io import atomic_output

log = logging.getLogger(__name__)

SIZE_MEASURES = ("degree", "pagerank", "betweenness")

#: Colours by entity type (colour-blind-safe Okabe-Ito order first).
TYPE_COLOURS: dict[str, str] = {
    "PERSON": "#0072B2",
    "ORGANIZATION": "#E69F00",
    "PLACE": "#009E73",
    "THING": "#CC79A7",
    "ORG": "#E69F00",
    "GPE": "#009E73",
    "LOC": "#56B4E9",
    "NORP": "#CC79A7",
    "FAC": "#D55E00",
    "EVENT": "#F0E442",
    "WORK_OF_ART": "#882255",
    "PRODUCT": "#44AA99",
    "LAW": "#999933",
}
_FALLBACK_COLOURS = ("#AA4499", "#332288", "#117733", "#88CCEE", "#DDCC77", "#661100")
UNKNOWN_TYPE = "OTHER"
UNKNOWN_COLOUR = "#888888"

#: Claim-edge attributes shown on the page (the view's schema:
#: :data:`claimgraph.graph.network.EDGE_ATTRIBUTES`).
EDGE_FIELDS = ("claim", "cue", "text", "outlet", "date", "url", "doc", "kind", "confidence")


def _vis_lib() -> tuple[str, str]:
    """The vis-network JS and CSS shipped inside the pyvis package."""
    base = resources.files("pyvis") / "templates" / "lib"
    for version in ("vis-9.1.2", "vis-9.0.4"):
        js, css = base / version / "vis-network.min.js", base / version / "vis-network.css"
        if js.is_file() and css.is_file():
            return js.read_text(encoding="utf-8"), css.read_text(encoding="utf-8")
    raise FileNotFoundError(
        "vis-network files not found in the pyvis package (pyvis 0.3.x expected)"
    )


def _json_for_script(data: Any) -> str:
    """JSON that is inert inside a ``<script>`` element whatever strings it holds."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _centrality(graph: nx.MultiDiGraph, measure: str) -> dict[Any, float]:
    if measure == "degree":
        return {n: float(d) for n, d in graph.degree()}
    simple = nx.DiGraph(graph)
    if measure == "pagerank":
        return (
            nx.pagerank(simple.reverse(copy=False))
            if simple.number_of_edges()
            else {n: 0.0 for n in simple}
        )
    k = min(simple.number_of_nodes(), 500) or None
    return nx.betweenness_centrality(simple, k=k, seed=0)


def _is_claim(attrs: Mapping[str, Any]) -> bool:
    """Edges are claims unless they say otherwise (``relation="standsFor"`` and the like)."""
    return attrs.get("relation", "claim") == "claim"


def _is_web_url(value: Any) -> bool:
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def _tooltip(lines: list[tuple[str, Any]]) -> str:
    """A plain-text tooltip (vis-network 9 renders string titles as text, never as HTML)."""
    return "\n".join(f"{k}: {v}" for k, v in lines if v is not None and v != "")


def network_page_data(
    graph: nx.MultiDiGraph,
    *,
    top_n: int = 500,
    size_by: str = "degree",
) -> dict[str, Any]:
    """The nodes, edges, legend and options the HTML page draws, as plain JSON-able data.

    Keeps the ``top_n`` entities ranked by ``size_by`` (``degree``, ``pagerank`` or
    ``betweenness``) and the claims among them. The input graph is not modified.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="Jane", type="PERSON"); g.add_node("b", label="Acme", type="ORG")
    >>> _ = g.add_edge("a", "b", cue="said", text="Acme lied.")
    >>> data = network_page_data(g)
    >>> [n["label"] for n in data["nodes"]], data["edges"][0]["label"]
    (['Jane', 'Acme'], 'said')
    """
    if not isinstance(graph, nx.Graph):
        raise ValueError(f"graph must be a networkx graph, not {type(graph).__name__}")
    if size_by not in SIZE_MEASURES:
        raise ValueError(f"size_by must be one of {SIZE_MEASURES}, not {size_by!r}")
    if top_n < 1:
        raise ValueError(f"top_n must be >= 1, not {top_n}")
    from pyvis.network import Network

    score = _centrality(graph, size_by) if graph.number_of_nodes() else {}
    ranked = sorted(graph.nodes, key=lambda n: (-score.get(n, 0.0), str(n)))
    keep = set(ranked[:top_n])
    view = graph.subgraph(keep)
    degree = dict(view.degree())
    ids = {n: f"n{i}" for i, n in enumerate(ranked[:top_n])}
    edges = [
        (u, v, k, d)
        for u, v, k, d in (
            view.edges(keys=True, data=True)
            if view.is_multigraph()
            else ((u, v, None, d) for u, v, d in view.edges(data=True))
        )
    ]
    made: Counter[Any] = Counter(u for u, _, _, d in edges if _is_claim(d))
    received: Counter[Any] = Counter(v for _, v, _, d in edges if _is_claim(d))

    types: Counter[str] = Counter()
    colours: dict[str, str] = {}
    fallback = iter(_FALLBACK_COLOURS * 10)
    net = Network(directed=True, cdn_resources="in_line")
    for n in ids:
        attrs = view.nodes[n]
        label = str(attrs.get("label") or n)
        etype = str(attrs.get("type") or UNKNOWN_TYPE).upper()
        types[etype] += 1
        if etype not in colours:
            colours[etype] = TYPE_COLOURS.get(etype) or next(fallback, UNKNOWN_COLOUR)
        title = _tooltip(
            [
                ("entity", label),
                ("type", etype),
                ("claims made", made[n]),
                ("claims about", received[n]),
                (size_by, round(score.get(n, 0.0), 4)),
            ]
        )
        net.add_node(
            ids[n],
            label=label,
            title=title,
            color=colours[etype],
            shape="dot",
            value=max(score.get(n, 0.0), 0.0) + (1.0 if size_by == "degree" else 1e-3),
        )
        node = net.nodes[-1]
        node.update({"etype": etype, "degree": degree[n], "speaker": made[n] > 0})
    for u, v, k, attrs in edges:
        speaker = net.get_node(ids[u])["label"]
        target = net.get_node(ids[v])["label"]
        if not _is_claim(attrs):
            relation = str(attrs.get("relation"))
            net.add_edge(
                ids[u],
                ids[v],
                label=relation,
                arrows="to",
                dashes=True,
                title=_tooltip([(relation, f"{speaker} -> {target}")]),
            )
            net.edges[-1].update(
                {"relation": relation, "speakerLabel": speaker, "targetLabel": target}
            )
            continue
        f = {name: attrs.get(name) for name in EDGE_FIELDS}
        f["url"] = f["url"] or f["doc"]  # where the claim was read: its URL, else its file
        title = _tooltip(
            [
                ("claim", f["text"]),
                ("speaker", speaker),
                ("cue", f["cue"]),
                ("about", target),
                ("outlet", f["outlet"]),
                ("date", f["date"]),
                ("source", f["url"]),
                ("kind", f["kind"]),
                ("confidence", f["confidence"]),
            ]
        )
        net.add_edge(ids[u], ids[v], label=str(f["cue"] or ""), title=title, arrows="to")
        net.edges[-1].update(
            {
                "relation": "claim",
                "claim": str(k if f["claim"] is None else f["claim"]),
                "text": None if f["text"] is None else str(f["text"]),
                "speakerLabel": speaker,
                "targetLabel": target,
                "outlet": None if f["outlet"] is None else str(f["outlet"]),
                "date": None if f["date"] is None else str(f["date"]),
                "url": f["url"] if _is_web_url(f["url"]) else None,
                "source": None if f["url"] is None else str(f["url"]),
            }
        )
    big = len(ids) > 300
    options = {
        "nodes": {
            "scaling": {"min": 8, "max": 48, "label": {"enabled": True, "min": 10, "max": 28}},
            "font": {"size": 12},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"size": 9, "align": "middle"},
            "smooth": {"type": "continuous"},
            "color": {"inherit": "from", "opacity": 0.6},
        },
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120},
            "stabilization": {
                "enabled": True,
                "iterations": max(100, min(1000, 200_000 // max(len(ids), 1))),
                "updateInterval": 50,
                "fit": True,
            },
            "maxVelocity": 50,
            "minVelocity": 1.0,
            "timestep": 0.5,
        },
        "layout": {"improvedLayout": not big, "randomSeed": 7},
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": big,
            "navigationButtons": False,
        },
    }
    net.set_options(json.dumps(options))
    nodes, vis_edges, _heading, _h, _w, options_json = net.get_network_data()
    legend = [
        {"type": t, "colour": colours[t], "count": c}
        for t, c in sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    return {
        "nodes": nodes,
        "edges": vis_edges,
        "options": json.loads(options_json),
        "legend": legend,
        "sizeBy": size_by,
        "totalNodes": graph.number_of_nodes(),
        "totalEdges": graph.number_of_edges(),
    }


def render_html(data: Mapping[str, Any], *, title: str = "claimgraph") -> str:
    """The complete, self-contained HTML page for :func:`network_page_data` output."""
    js, css = _vis_lib()
    template = resources.files(__package__).joinpath("templates", "network.html").read_text("utf-8")
    return (
        template.replace("/*VIS_CSS*/", css)
        .replace("/*VIS_JS*/", js)
        .replace("{{TITLE}}", html.escape(title, quote=True))
        .replace("/*DATA*/", _json_for_script(data))
    )


def write_html(
    graph: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    *,
    top_n: int = 500,
    size_by: str = "degree",
    title: str = "claimgraph",
) -> dict[str, Any]:
    """Write the interactive claim network of ``graph`` to ``path`` (atomically, UTF-8).

    Returns the counts drawn and the totals before top-N filtering.

    >>> import tempfile, pathlib
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", cue="said", text="<script>alert(1)</script>")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "g.html"
    >>> write_html(g, out)["edges"]
    1
    >>> "<script>alert(1)" in out.read_text(encoding="utf-8")
    False
    """
    data = network_page_data(graph, top_n=top_n, size_by=size_by)
    page = render_html(data, title=title)
    with atomic_output(path, "w") as fh:
        fh.write(page)
    log.info("wrote %d nodes and %d edges to %s", len(data["nodes"]), len(data["edges"]), path)
    return {
        "format": "html",
        "path": str(Path(path)),
        "nodes": len(data["nodes"]),
        "edges": len(data["edges"]),
        "total_nodes": data["totalNodes"],
        "total_edges": data["totalEdges"],
    }
