"""The researcher's view of the claim graph: one offline, interactive HTML page (pyvis).

The page starts from who talks about whom: one edge per (speaker, target) pair, as wide as
the number of claims behind it, and nodes sized by the claims each entity made and received.
The first screen is a cut: the most active speakers, each with the targets it talks about
most, up to ``max_nodes`` entities; a control widens it up to ``widen_to``. Clicking an
entity lists its claims (speaker, cue, the claim highlighted in its sentence, target, kind,
confidence, document, outlet, date) and the names merged into it; clicking an edge lists the
claims behind it. Filters: one speaker's claims, outlet, date range, claim kind, minimum
confidence, entity type, and the ego network (one or two hops) of one entity; a search box
centres a name.

What the page holds grows with what it shows, not with the corpus: only the claims of the
entities within ``widen_to`` are embedded (a claim with either end among them), at most
``max_claims`` reports (the most confident first, one report of each claim before a second
report of any). Safety:

* pyvis (v0.3.2) makes the vis-network node records and options, and the page draws the
  (speaker, target) links from the claims; the page is our own template, with the
  vis-network JavaScript and CSS that pyvis ships inlined (no CDN, no remote
  ``src``/``href``);
* all document text (names, quotes, sentences, URLs) travels as JSON inside a
  ``<script type="application/json">`` block with ``<``, ``>`` and ``&`` escaped, and reaches
  the page only through ``textContent`` or plain-text vis tooltips, never as HTML;
* links to sources are made only for ``http``/``https`` URLs.

The input is the networkx view of the store (:func:`claimgraph.graph.network.to_networkx`);
its attribute names are a fixed schema (:data:`claimgraph.graph.network.EDGE_ATTRIBUTES`).
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
from collections import Counter
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx

from claimgraph.graph.focus import chosen_entities

from ._io import atomic_output

log = logging.getLogger(__name__)

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
}
_FALLBACK_COLOURS = ("#AA4499", "#332288", "#117733", "#88CCEE", "#DDCC77", "#661100")
UNKNOWN_TYPE = "OTHER"
UNKNOWN_COLOUR = "#888888"
#: Smallest label size (px at zoom 1); the page zooms so that it is drawn at least 11 px.
LABEL_MIN_PX = 14
#: Report fields a claim carries onto the page (the view's provenance, plus the claim's own).
CLAIM_FIELDS = ("cue", "kind", "doc", "outlet", "date", "url", "start", "context")


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


def _is_claim(attrs: Mapping[str, Any]) -> bool:
    """Edges are claims unless they say otherwise (``relation="standsFor"``)."""
    return attrs.get("relation", "claim") == "claim"


def _web_url(value: Any) -> str | None:
    ok = isinstance(value, str) and value.lower().startswith(("http://", "https://"))
    return value if ok else None


def _reports(graph: nx.MultiDiGraph) -> list[dict[str, Any]]:
    """One record per report of each claim edge (a claim reported twice is two rows)."""
    rows = []
    edges = (
        graph.edges(keys=True, data=True)
        if graph.is_multigraph()
        else ((u, v, None, d) for u, v, d in graph.edges(data=True))
    )
    for number, (u, v, key, d) in enumerate(edges):
        if not _is_claim(d):
            continue
        claim = str(d.get("claim") or (key if key is not None else f"claim-{number}"))
        reports = d.get("provenance") or [d]
        for n, report in enumerate(reports):
            row = {f: report.get(f, d.get(f)) for f in CLAIM_FIELDS}
            text = str(d.get("text") or "")
            context = row["context"] or text
            row.update(
                id=f"{claim}#{n}",
                claim=claim,
                speaker=u,
                target=v,
                text=text,
                context=context,
                at=_highlight(context, text, row.pop("start"), report, row["context"] is None),
                confidence=float(d.get("confidence") or 0.0),
                url=_web_url(row["url"]),
            )
            rows.append(row)
    return rows


def _highlight(
    context: str, text: str, start: Any, report: Mapping[str, Any], bare: bool
) -> list[int]:
    """Where the claim lies in its context, in UTF-16 code units (JavaScript's string
    indices): from its first to its last content piece by the report's offsets, else where
    its text occurs, else nowhere (``[0, 0]``)."""
    at = [0, len(context)] if bare else None
    begin, end = report.get("context_start"), report.get("end")
    if at is None and isinstance(start, int) and isinstance(begin, int) and isinstance(end, int):
        at = [start - begin, end - begin]
        if not 0 <= at[0] <= at[1] <= len(context) or context[at[0] : at[1]][:1] != text[:1]:
            at = None
    if at is None:
        found = context.find(text)
        at = [found, found + len(text)] if found >= 0 else [0, 0]
    return [_utf16(context[: at[0]]), _utf16(context[: at[1]])]


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _cut(graph: nx.MultiDiGraph, reports: list[dict[str, Any]], limit: int) -> dict[Any, int]:
    """Entities in the order the page adds them (at most ``limit``), with their rank: see
    :func:`claimgraph.graph.focus.chosen_entities`; "everyone" is every node, by the claims
    it made and received in the store."""
    claims = {(r["speaker"], r["claim"]): r["target"] for r in reports}
    pairs = Counter((speaker, target) for (speaker, _), target in claims.items())
    made = Counter(speaker for speaker, _ in claims)
    activity = {n: d.get("n_claims", 0) + d.get("n_about", 0) for n, d in graph.nodes(data=True)}
    return {node: i for i, node in enumerate(chosen_entities(pairs, made, activity, limit))}


def network_page_data(
    graph: nx.MultiDiGraph,
    *,
    max_nodes: int = 150,
    widen_to: int = 400,
    max_claims: int = 5000,
) -> dict[str, Any]:
    """What the page draws and lists, as plain JSON-able data (see the module docstring).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", label="Jane", type="Person")
    >>> g.add_node("b", label="Acme", type="Organization")
    >>> _ = g.add_edge("a", "b", claim="c1", cue="said", text="it works", outlet="Post")
    >>> data = network_page_data(g)
    >>> [n["label"] for n in data["nodes"]], [c["text"] for c in data["claims"]]
    (['Jane', 'Acme'], ['it works'])
    """
    if not isinstance(graph, nx.Graph):
        raise ValueError(f"graph must be a networkx graph, not {type(graph).__name__}")
    for name, value in (("max_nodes", max_nodes), ("widen_to", widen_to),
                        ("max_claims", max_claims)):  # fmt: skip
        if value < 1:
            raise ValueError(f"{name} must be >= 1, not {value}")
    widen_to = max(widen_to, max_nodes)
    from pyvis.network import Network

    every = _reports(graph)
    rank = _cut(graph, every, widen_to)
    ids = {node: f"n{i}" for node, i in rank.items()}
    kept = [r for r in every if r["speaker"] in ids or r["target"] in ids]
    kept.sort(key=lambda r: (-r["confidence"], r["date"] or "", r["id"]))
    # one report of each claim first (the most confident), further reports of a claim after
    first = {r["claim"]: r["id"] for r in reversed(kept)}
    kept.sort(key=lambda r: first[r["claim"]] != r["id"])
    kept = kept[:max_claims]
    claims = [
        {**r, "speaker": ids.get(r["speaker"]), "target": ids.get(r["target"]),
         "speakerLabel": graph.nodes[r["speaker"]].get("label") if r["speaker"] in graph else None,
         "targetLabel": graph.nodes[r["target"]].get("label") if r["target"] in graph else None}
        for r in kept
    ]  # fmt: skip
    colours: dict[str, str] = {}
    fallback = iter(_FALLBACK_COLOURS * 10)
    types: Counter[str] = Counter()
    net = Network(directed=True, cdn_resources="in_line")
    for node, i in sorted(rank.items(), key=lambda kv: kv[1]):
        attrs = graph.nodes[node]
        etype = str(attrs.get("type") or UNKNOWN_TYPE).upper()
        types[etype] += 1
        if etype not in colours:
            colours[etype] = TYPE_COLOURS.get(etype) or next(fallback, UNKNOWN_COLOUR)
        label = str(attrs.get("label") or node)
        net.add_node(ids[node], label=label, title=label, color=colours[etype], shape="dot")
        net.nodes[-1].update(
            {
                "etype": etype,
                "rank": i,
                "aliases": list(attrs.get("aliases") or []),
                "roles": list(attrs.get("roles") or []),
            }
        )
    net.set_options(json.dumps(_options(len(rank))))
    nodes, _edges, _heading, _h, _w, options_json = net.get_network_data()
    return {
        "nodes": nodes,
        "claims": claims,
        "options": json.loads(options_json),
        "legend": [
            {"type": t, "colour": colours[t], "count": c}
            for t, c in sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "maxNodes": min(max_nodes, len(rank)),
        "labelMinPx": LABEL_MIN_PX,
        "outlets": sorted({c["outlet"] for c in claims if c["outlet"]}),
        "kinds": sorted({c["kind"] for c in claims if c["kind"]}),
        # a focused view (claimgraph.graph.focus) says what the whole store holds
        "totalNodes": graph.graph.get("total_entities", graph.number_of_nodes()),
        "totalClaims": graph.graph.get("total_claims", len({r["claim"] for r in every})),
        "totalReports": len(every),
    }


def _options(n: int) -> dict[str, Any]:
    big = n > 300
    return {
        "nodes": {
            "scaling": {
                "min": 10, "max": 48,
                "label": {"enabled": True, "min": LABEL_MIN_PX, "max": 30, "drawThreshold": 1},
            },
            "font": {"size": LABEL_MIN_PX, "strokeWidth": 3, "strokeColor": "#ffffff"},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "scaling": {"min": 1, "max": 10},
            "smooth": {"type": "continuous"},
            "color": {"inherit": "from", "opacity": 0.5},
        },
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 140},
            "stabilization": {
                "enabled": True,
                "iterations": max(100, min(600, 100_000 // max(n, 1))),
                "updateInterval": 50,
                "fit": True,
            },
            "minVelocity": 1.0,
        },
        "layout": {"improvedLayout": not big, "randomSeed": 7},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big},
    }  # fmt: skip


def render_html(data: Mapping[str, Any], *, title: str = "claimgraph") -> str:
    """The complete, self-contained HTML page for :func:`network_page_data` output."""
    js, css = _vis_lib()
    template = resources.files(__package__).joinpath("templates", "network.html").read_text("utf-8")
    fills = {
        "/*VIS_CSS*/": css,
        "/*VIS_JS*/": js,
        "{{TITLE}}": html.escape(title, quote=True),
        "/*DATA*/": _json_for_script(data),
    }
    # one pass, so that no filled-in text is searched for the next placeholder
    return re.sub("|".join(map(re.escape, fills)), lambda m: fills[m.group(0)], template)


def write_html(
    graph: nx.MultiDiGraph,
    path: str | os.PathLike[str],
    *,
    max_nodes: int = 150,
    widen_to: int = 400,
    max_claims: int = 5000,
    title: str = "claimgraph",
) -> dict[str, Any]:
    """Write the researcher's view of ``graph`` to ``path`` (atomically, UTF-8) and say what
    it holds: entities and claims embedded, the first screen's cut, and the totals.

    >>> import tempfile, pathlib
    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", cue="said", text="<script>alert(1)</script>")
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "g.html"
    >>> write_html(g, out)["claims"]
    1
    >>> "<script>alert(1)" in out.read_text(encoding="utf-8")
    False
    """
    data = network_page_data(graph, max_nodes=max_nodes, widen_to=widen_to, max_claims=max_claims)
    page = render_html(data, title=title)
    with atomic_output(path, "w") as fh:
        fh.write(page)
    result = {
        "format": "html",
        "path": str(Path(path)),
        "entities": len(data["nodes"]),
        "first_screen": data["maxNodes"],
        "claims": len({c["claim"] for c in data["claims"]}),
        "reports": len(data["claims"]),
        "total_entities": data["totalNodes"],
        "total_claims": data["totalClaims"],
        "bytes": len(page.encode("utf-8")),
    }
    log.info("wrote %s: %s", path, result)
    return result
