"""Questions researchers ask of the claim graph, from Python (lists of dict rows).

Names are looked up by their normalised key (:func:`find_entities`): "Peskov", "Dmitry
Peskov" and "Kremlin spokesman Dmitry Peskov" find the same entity; a bare surname shared by
several entities ("Clinton") finds all of them. With ``metonymy=True`` a name also finds the
entities that stand for it (Russia -> the Kremlin, Moscow).

>>> from claimgraph.graph import GraphStore
>>> with GraphStore.open() as store:
...     said_by(store, "Nobody")
[]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .entities import is_subname, parse_key
from .names import PERSON, THING, name_key
from .stance import is_negated, stance
from .store import GraphStore

#: One row per (report, content span); :func:`reports` folds the spans.
REPORTS = """
SELECT ?report ?claim ?text ?speaker ?target ?cue ?kind ?confidence ?path ?article
       ?article_iri ?outlet ?date ?url ?b ?e ?context ?cb WHERE {
  GRAPH ?article_iri {
    ?claim cg:report ?report ; schema:text ?text .
    ?report cg:kind ?k ; cg:confidence ?confidence ; cg:contentSpan ?span .
    ?span nif:beginIndex ?b ; nif:endIndex ?e .
    OPTIONAL { ?report cg:speakerMention/itsrdf:taIdentRef ?speaker }
    OPTIONAL { ?report cg:targetMention/itsrdf:taIdentRef ?target }
    OPTIONAL { ?report cg:cue ?cue }
    OPTIONAL { ?report cg:contextSpan ?cs . ?cs nif:anchorOf ?context ; nif:beginIndex ?cb }
    ?article_iri cg:articleIndex ?article ; schema:isPartOf ?docnode .
    OPTIONAL { ?article_iri schema:datePublished ?date }
    OPTIONAL { ?article_iri schema:url ?url }
  }
  OPTIONAL { GRAPH ?article_iri { ?article_iri schema:publisher ?o } ?o schema:name ?outlet }
  ?docnode cg:sourcePath ?path .
  BIND(LCASE(STRAFTER(STR(?k), "#")) AS ?kind)
}"""


def _names(store: GraphStore) -> dict[str, str]:
    return {row["iri"]: row["name"] for row in store.entities()}


def _check_confidence(min_confidence: float) -> None:
    if not 0.0 <= min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be between 0 and 1, not {min_confidence!r}")


def reports(store: GraphStore, *, min_confidence: float = 0.0) -> list[dict[str, Any]]:
    """Every report with its claim, speaker/target (IRI and name), cue, kind, confidence,
    source path (``doc``), article index, outlet, date, URL, content offsets and the
    sentences around it (``context``, starting at ``context_start``), sorted by
    document and offset; with ``min_confidence``, only reports at least that confident."""
    _check_confidence(min_confidence)
    names = _names(store)
    folded: dict[str, dict[str, Any]] = {}
    for row in store.query(REPORTS):
        assert isinstance(row, dict)
        if float(row["confidence"]) < min_confidence:
            continue
        rec = folded.get(row["report"])
        if rec is None:
            date = row["date"]
            rec = folded[row["report"]] = {
                "report": row["report"],
                "claim": row["claim"],
                "text": row["text"],
                "speaker": row["speaker"],
                "speaker_name": names.get(row["speaker"]),
                "target": row["target"],
                "target_name": names.get(row["target"]),
                "cue": row["cue"],
                "kind": row["kind"].replace("accordingto", "according_to"),
                "confidence": row["confidence"],
                "doc": row["path"],
                "article": row["article"],
                "article_iri": row["article_iri"],
                "outlet": row["outlet"],
                "date": str(date)[:10] if date else None,
                "url": row["url"],
                "start": row["b"],
                "end": row["e"],
                "context": row["context"],
                "context_start": row["cb"],
            }
        rec["start"] = min(rec["start"], row["b"])
        rec["end"] = max(rec["end"], row["e"])
    return sorted(folded.values(), key=lambda r: (r["doc"], r["article"], r["start"], r["report"]))


def find_entities(store: GraphStore, name: str, *, metonymy: bool = False) -> list[str]:
    """IRIs of the entities ``name`` refers to (see the module docstring), sorted."""
    if not name.strip():
        raise ValueError(f"name must not be empty: {name!r}")
    wanted = {name_key(name, PERSON), name_key(name, THING)}
    keys: dict[str, set[str]] = defaultdict(set)
    for row in store.query("SELECT ?e ?k WHERE { ?e cg:nameKey ?k }"):
        assert isinstance(row, dict)
        keys[row["e"]].add(row["k"])
    wanted_keys = {w.key for w in wanted}
    hits = {e for e, ks in keys.items() if ks & wanted_keys}
    if not hits:
        hits = {
            e
            for e, ks in keys.items()
            if any(is_subname(w, parse_key(k)) for w in wanted for k in ks)
        }
    if metonymy and hits:
        for row in store.query("SELECT ?m ?e WHERE { ?m cg:standsFor ?e }"):
            assert isinstance(row, dict)
            if row["e"] in hits:
                hits.add(row["m"])
    return sorted(hits)


def said_by(
    store: GraphStore, name: str, *, metonymy: bool = False, min_confidence: float = 0.0
) -> list[dict[str, Any]]:
    """Reports of claims whose speaker is ``name`` (at least ``min_confidence`` confident)."""
    ids = set(find_entities(store, name, metonymy=metonymy))
    return [r for r in reports(store, min_confidence=min_confidence) if r["speaker"] in ids]


def about(
    store: GraphStore, name: str, *, metonymy: bool = False, min_confidence: float = 0.0
) -> list[dict[str, Any]]:
    """Reports of claims whose target is ``name`` (at least ``min_confidence`` confident)."""
    ids = set(find_entities(store, name, metonymy=metonymy))
    return [r for r in reports(store, min_confidence=min_confidence) if r["target"] in ids]


def _rank(rows: Iterable[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    claims: dict[str, set[str]] = defaultdict(set)
    count: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    for row in rows:
        if row[key] is None:
            continue
        claims[row[key]].add(row["claim"])
        count[row[key]] += 1
        names[row[key]] = row[key + "_name"]
    ranked = sorted(claims, key=lambda e: (-len(claims[e]), -count[e], names[e] or "", e))
    return [
        {"name": names[e], "iri": e, "claims": len(claims[e]), "reports": count[e]} for e in ranked
    ]


def who_spoke_about(
    store: GraphStore, name: str, *, metonymy: bool = False, min_confidence: float = 0.0
) -> list[dict[str, Any]]:
    """Speakers of claims about ``name``, ranked by number of distinct claims."""
    return _rank(about(store, name, metonymy=metonymy, min_confidence=min_confidence), "speaker")


def top_speakers(
    store: GraphStore, limit: int = 10, *, min_confidence: float = 0.0
) -> list[dict[str, Any]]:
    """Speakers ranked by distinct claims (then reports)."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    return _rank(reports(store, min_confidence=min_confidence), "speaker")[:limit]


def claims(
    store: GraphStore,
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    outlet: str | None = None,
    min_confidence: float = 0.0,
) -> list[dict[str, Any]]:
    """Reports published between ``date_from`` and ``date_to`` (ISO dates, inclusive) and/or
    by an outlet whose name contains ``outlet`` (case-insensitive), at least
    ``min_confidence`` confident. Reports without a date are left out when a date bound is
    given."""
    for label, value in (("date_from", date_from), ("date_to", date_to)):
        if value is not None and not (len(value) >= 10 and value[4] == "-" and value[7] == "-"):
            raise ValueError(f"{label} must be an ISO date (YYYY-MM-DD), not {value!r}")
    out = []
    for row in reports(store, min_confidence=min_confidence):
        if (date_from or date_to) and not row["date"]:
            continue
        if date_from and row["date"] < date_from[:10]:
            continue
        if date_to and row["date"] > date_to[:10]:
            continue
        if outlet and outlet.casefold() not in (row["outlet"] or "").casefold():
            continue
        out.append(row)
    return out


def disagreements(store: GraphStore) -> list[dict[str, Any]]:
    """Candidate disagreements: pairs of claims by different speakers about the same target
    with opposite stance (+1 vs -1 from :func:`claimgraph.graph.stance.stance`), or with the
    same content words where exactly one is negated. Each row names both speakers, both
    texts, the target and both sources."""
    by_target: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in reports(store):
        if row["target"] and row["speaker"]:
            by_target[row["target"]].setdefault(row["claim"], row)
    out = []
    for target in sorted(by_target):
        rows = sorted(by_target[target].values(), key=lambda r: r["claim"])
        scored = [(r, stance(r["text"], r["cue"]), is_negated(r["text"])) for r in rows]
        for i, (a, sa, na) in enumerate(scored):
            for b, sb, nb in scored[i + 1 :]:
                if a["speaker"] == b["speaker"]:
                    continue
                words_a = set(a["text"].lower().split()) - {"not", "no", "never"}
                words_b = set(b["text"].lower().split()) - {"not", "no", "never"}
                contradict = na != nb and len(words_a & words_b) >= 0.6 * min(
                    len(words_a), len(words_b)
                )
                if sa * sb < 0 or contradict:
                    out.append(
                        {
                            "target_name": a["target_name"],
                            "reason": "opposite stance" if sa * sb < 0 else "negation",
                            "speaker_a": a["speaker_name"],
                            "stance_a": sa,
                            "text_a": a["text"],
                            "doc_a": a["doc"],
                            "start_a": a["start"],
                            "speaker_b": b["speaker_name"],
                            "stance_b": sb,
                            "text_b": b["text"],
                            "doc_b": b["doc"],
                            "start_b": b["start"],
                        }
                    )
    return out
