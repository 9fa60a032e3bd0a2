"""The graph store: seed acceptance, idempotent and incremental builds, interruption safety,
claim de-duplication, deterministic IRIs, the RDF layout."""

from __future__ import annotations

import dataclasses
import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import rdflib
from graph_support import SEED, seed_claims, seed_document
from pyoxigraph import NamedNode, Quad

from claimgraph.extract.records import Claim, EntityRef, TextSpan
from claimgraph.graph import CG, ArticleMeta, DocumentInput, GraphStore, StoreError, ontology_path
from claimgraph.graph import query as q
from claimgraph.graph.network import to_networkx
from claimgraph.graph.quads import QuadBuilder


@pytest.fixture(scope="module")
def seed_store():
    with GraphStore.open() as store:
        store.build([seed_document()])
        yield store


def test_seed_one_node_per_person(seed_store: GraphStore) -> None:
    names = [e["name"] for e in seed_store.entities()]
    for person in (
        "Dmitry Peskov",
        "Volodymyr Zelensky",
        "Putin",
        "Trump",
        "Vladimir Medinsky",
        "Rustem Umerov",
        "Recep Tayyip Erdogan",
    ):
        assert names.count(person) == 1, person
    assert not {"Peskov", "Zelensky", "Medinsky", "Erdogan"} & set(names)


def test_said_by_peskov_lists_both_quotes_with_offsets(seed_store: GraphStore) -> None:
    text = SEED.read_text(encoding="utf-8")
    rows = q.said_by(seed_store, "Peskov")
    assert [r["text"] for r in rows] == ["No one expects an easy road", "It will be very difficult"]
    assert {r["speaker_name"] for r in rows} == {"Dmitry Peskov"}
    for row in rows:
        assert text[row["start"] : row["end"]] == row["text"]
        assert row["doc"] == "examples/seed_page.txt"
        assert row["outlet"] == "Daily8" and row["date"] == "2025-07-23"
    assert q.said_by(seed_store, "Kremlin spokesman Dmitry Peskov") == rows


def test_roles_affiliations_and_aliases_recorded_with_source(seed_store: GraphStore) -> None:
    rows = seed_store.query(
        "SELECT ?g ?role ?aff ?alt WHERE { GRAPH ?g { ?e cg:role ?role ; cg:affiliation ?aff ;"
        ' schema:alternateName ?alt } ?e schema:name "Dmitry Peskov"@en }'
    )
    assert {(r["role"], r["aff"]) for r in rows} == {("Kremlin spokesman", "Kremlin")}
    assert {r["alt"] for r in rows} == {"Kremlin spokesman Dmitry Peskov"}
    assert all(r["g"] in seed_store.graphs() for r in rows)


def test_each_article_in_its_own_named_graph(seed_store: GraphStore) -> None:
    assert len(seed_store.graphs()) == 3
    for graph in seed_store.graphs():
        types = {
            qd.object.value
            for qd in seed_store.quads(graph)
            if qd.predicate.value.endswith("#type") and qd.subject.value == graph
        }
        assert types == {"http://schema.org/NewsArticle"}
    assert not any(qd.subject.__class__.__name__ == "BlankNode" for qd in seed_store.quads())


def test_rebuild_adds_nothing(tmp_path: Path) -> None:
    with GraphStore.open(tmp_path / "db") as store:
        first = store.build([seed_document()])
        before = (store.counts(), set(map(str, store.quads())))
        assert first.added == 1
    with GraphStore.open(tmp_path / "db") as store:
        again = store.build([seed_document()])
        assert (again.added, again.skipped) == (0, 1)
        assert (store.counts(), set(map(str, store.quads()))) == before


def test_a_document_repeated_within_one_build_is_added_once(tmp_path: Path) -> None:
    """The repeat is caught while the first copy waits for the writer or after it is written."""
    with GraphStore.open(tmp_path / "db") as store:
        report = store.build([seed_document()] * 3 + [_other_document("x")] + [seed_document()])
        assert (report.added, report.skipped) == (2, 3)
        assert store.counts()["documents"] == 2


def _other_document(
    *quotes: str, doc: str = "other.txt", speaker: str = "Dmitry Peskov"
) -> DocumentInput:
    """One article: each quote is a claim of the same speaker mention (one span)."""
    text = " ".join(f'"{quote}"' for quote in quotes) + f" Kremlin spokesman {speaker} said."
    start = text.rindex(speaker)
    claims = []
    for quote in quotes:
        at = text.index(f'"{quote}"') + 1
        claims.append(
            Claim(
                doc,
                0,
                (TextSpan(quote, at, at + len(quote)),),
                speaker=EntityRef(speaker, start, start + len(speaker), type="PERSON"),
                cue=TextSpan("said", text.rindex("said"), text.rindex("said") + 4),
                kind="direct",
            )
        )
    return DocumentInput(
        doc,
        hashlib.sha256(text.encode()).hexdigest(),
        tuple(claims),
        {0: ArticleMeta(outlet="TASS", date="2025-07-24")},
    )


def test_a_rejected_document_is_reported_and_the_rest_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document whose quads cannot be made fails alone: the documents around it are added,
    and the new person it named is not left behind in the entity index for the next document
    to point at. (Records are checked when made, so the failure is injected.)"""
    bad = _other_document("Talks will fail", doc="bad.txt", speaker="Ivan Petrov")
    # article 0 stages Ivan Petrov in the entity index before article 1 is rejected
    articles = {0: ArticleMeta(outlet="TASS"), 1: ArticleMeta(title="Talks")}
    bad = dataclasses.replace(bad, articles=articles)
    article_meta_quads = QuadBuilder._article_meta_quads

    def failing(builder: QuadBuilder, a: NamedNode, meta: ArticleMeta, doc: str) -> list[Quad]:
        if meta.title == "Talks":
            raise ValueError("the metadata of article 1 cannot be stored")
        return article_meta_quads(builder, a, meta, doc)

    monkeypatch.setattr(QuadBuilder, "_article_meta_quads", failing)
    third = _other_document("Talks will succeed", doc="third.txt", speaker="Ivan Petrov")
    seen: list[tuple[str, str]] = []
    with GraphStore.open(tmp_path / "db") as store:
        report = store.build(
            [seed_document(), bad, third], on_document=lambda d, s: seen.append((d.doc, s))
        )
        assert (report.added, report.skipped) == (2, 0)
        assert [doc for doc, _ in report.failed] == ["bad.txt"]
        assert "article 1 cannot be stored" in report.failed[0][1]
        assert sorted(seen)[0][0] == "bad.txt" and sorted(seen)[0][1].startswith("failed: ")
        assert store.counts()["documents"] == 2
        assert not store.has_document(bad.sha256)
        # Ivan Petrov, first named by the rejected document, is a whole entity of the third
        assert [e["name"] for e in store.entities()].count("Ivan Petrov") == 1
        assert len(q.said_by(store, "Petrov")) == 1


def test_incremental_add_and_same_statement_in_two_documents(tmp_path: Path) -> None:
    with GraphStore.open(tmp_path / "db") as store:
        store.build([seed_document()])
        before = store.counts()
        old = set(map(str, store.quads()))
        # same statement, other punctuation, one word more: Jaccard 6/7 >= 0.8
        report = store.build([_other_document("No one expects an easy road, really!")])
        after = store.counts()
        assert report.added == 1
        assert old <= set(map(str, store.quads()))
        assert after["claims"] == before["claims"]
        assert after["reports"] == before["reports"] + 1
        assert after["documents"] == before["documents"] + 1
        rows = q.said_by(store, "Peskov")
        by_claim = {}
        for row in rows:
            by_claim.setdefault(row["claim"], []).append(row["outlet"])
        assert sorted(map(sorted, by_claim.values())) == [["Daily8"], ["Daily8", "TASS"]]
        # a different statement is a new claim
        store.build([_other_document("Talks will fail", doc="third.txt")])
        assert store.counts()["claims"] == before["claims"] + 1


def test_iris_are_deterministic_and_base_configurable(tmp_path: Path) -> None:
    dumps = []
    for name in ("one", "two"):
        with GraphStore.open(tmp_path / name) as store:
            store.build([seed_document()])
            dumps.append(set(map(str, store.quads())))
    assert dumps[0] == dumps[1]
    with GraphStore.open(tmp_path / "three", base="https://example.org/kg/") as store:
        store.build([seed_document()])
        assert all(e["iri"].startswith("https://example.org/kg/entity/") for e in store.entities())
    with pytest.raises(StoreError, match="base IRI"):
        GraphStore.open(tmp_path / "three", base="https://example.org/other/")
    with pytest.raises(ValueError, match="base IRI"):
        GraphStore.open(tmp_path / "four", base="not an iri")


def test_read_only_open_of_missing_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no graph store"):
        GraphStore.open(tmp_path / "nothing", read_only=True)


def _many_documents(n: int) -> list[DocumentInput]:
    text = SEED.read_text(encoding="utf-8")
    docs = []
    for i in range(n):
        claims = tuple(dataclasses.replace(c, doc=f"copy{i}.txt") for c in seed_claims(text))
        sha = hashlib.sha256(f"{i}\n{text}".encode()).hexdigest()
        docs.append(DocumentInput(f"copy{i}.txt", sha, claims))
    return docs


_KILL_SCRIPT = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {tests!r})
    from test_graph_store import _many_documents
    from claimgraph.graph import GraphStore
    store = GraphStore.open(sys.argv[1])
    def tick(doc, status):
        print(status, flush=True)
        time.sleep(0.05)
    store.build(_many_documents(int(sys.argv[2])), on_document=tick)
    print("done", flush=True)
""")


def test_killed_build_leaves_store_usable_and_rerun_completes(tmp_path: Path) -> None:
    n = 40
    script = tmp_path / "build.py"
    script.write_text(_KILL_SCRIPT.format(tests=str(Path(__file__).parent)), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "db"), str(n)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    for _ in range(5):
        assert proc.stdout.readline().strip() == "added"
    proc.kill()
    proc.wait(timeout=30)
    with GraphStore.open(tmp_path / "db") as store:  # usable after the kill
        partial = store.counts()["documents"]
        assert 5 <= partial < n
        report = store.build(_many_documents(n))
        assert report.skipped == partial and report.added == n - partial
        resumed = set(map(str, store.quads()))
    with GraphStore.open(tmp_path / "clean") as store:
        store.build(_many_documents(n))
        clean = set(map(str, store.quads()))
    assert resumed == clean


def test_ontology_file_describes_every_cg_term() -> None:
    graph = rdflib.Graph().parse(ontology_path())
    ns = str(CG._NS)
    described = {str(s)[len(ns) :] for s in graph.subjects() if str(s).startswith(ns)}
    declared = set(CG.__annotations__)
    assert described == declared
    for name in declared:
        assert graph.value(CG[name], rdflib.RDFS.label) is not None, name
        assert graph.value(CG[name], rdflib.RDFS.comment) is not None, name


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_store_dump_parses_with_rdflib(seed_store: GraphStore) -> None:
    import pyoxigraph

    data = seed_store.oxigraph.dump(format=pyoxigraph.RdfFormat.N_QUADS)
    dataset = rdflib.Dataset()
    dataset.parse(data=data.decode(), format="nquads")
    assert sum(1 for _ in dataset.quads((None, None, None, None))) == len(seed_store)
    quotation = rdflib.URIRef("http://schema.org/Quotation")
    assert any(True for _ in dataset.quads((None, rdflib.RDF.type, quotation, None)))


def test_networkx_view_attributes(seed_store: GraphStore) -> None:
    graph = to_networkx(seed_store)
    peskov = next(n for n, d in graph.nodes(data=True) if d["label"] == "Dmitry Peskov")
    data = graph.nodes[peskov]
    assert data["type"] == "Person" and data["n_claims"] == 2
    assert data["roles"] == ["Kremlin spokesman"]
    edges = [d for _, _, d in graph.edges(data=True) if d["relation"] == "claim"]
    assert edges and all(d["provenance"] and d["n_reports"] >= 1 for d in edges)
    before = graph.number_of_nodes()
    graph.remove_node(peskov)  # a fresh view each call; the store is untouched
    assert to_networkx(seed_store).number_of_nodes() == before


def test_entity_merge_also_merges_that_speakers_duplicate_claims() -> None:
    # "Peskov" alone first: its own entity and claim; the full name arrives later
    docs = [
        _other_document("No one expects an easy road", doc="a", speaker="Peskov"),
        _other_document("No one expects an easy road, really", doc="b", speaker="Dmitry Peskov"),
    ]
    with GraphStore.open() as store:
        report = store.build(docs)
        assert report.entity_merges == 1 and report.claim_merges == 1
        assert [e["name"] for e in store.entities()] == ["Dmitry Peskov"]
        counts = store.counts()
        assert (counts["claims"], counts["reports"]) == (1, 2)
        assert store.query("ASK { ?s cg:pendingClaimMerge ?v }") is False
        # A later build in the same session sees the merged speaker's claims as they are now
        # in the store, not as its lookup cache held them before the merges.
        # (each repeats the words of one of the two merged claims, whichever was absorbed)
        store.build(
            [
                _other_document("No one expects an easy road!", doc="c", speaker="Dmitry Peskov"),
                _other_document(
                    "Really: no one expects an easy road", doc="d", speaker="Dmitry Peskov"
                ),
            ]
        )
        counts = store.counts()
        assert (counts["claims"], counts["reports"]) == (1, 4)
        (claim,) = {row["claim"] for row in q.said_by(store, "Peskov")}
        assert store.query("ASK { ?c a schema:Claim }", {"c": f"<{claim}>"}) is True


def test_a_build_split_over_two_sessions_resolves_as_one_build(tmp_path: Path) -> None:
    """A mention spoken in three claims is one mention: the weights the build resolves with
    are the ones the store gives when it is opened again. Counting it three times made
    "Ron Paul" dominate "Rand Paul" within the session, so "Paul" joined him there but not
    after a reopen."""
    first = [
        _other_document("Taxes are too high.", "Cut them.", "Now.", doc="a", speaker="Ron Paul"),
        _other_document("The bill fails.", doc="b", speaker="Rand Paul"),
    ]
    later = [_other_document("We will see.", doc="c", speaker="Paul")]

    def entities_of(store: GraphStore) -> set[str]:
        return {row["name"] for row in store.entities()}

    with GraphStore.open(tmp_path / "one") as store:
        store.build(first + later)
        one_session = entities_of(store)
    with GraphStore.open(tmp_path / "two") as store:
        store.build(first)
    with GraphStore.open(tmp_path / "two") as store:
        store.build(later)
        assert entities_of(store) == one_session
    assert one_session == {"Ron Paul", "Rand Paul", "Paul"}  # "Paul" may be either of them


def test_networkx_view_has_its_documented_schema(seed_store: GraphStore) -> None:
    from claimgraph.graph.network import EDGE_ATTRIBUTES, NODE_ATTRIBUTES, PROVENANCE_FIELDS

    graph = to_networkx(seed_store)
    assert graph.number_of_nodes() and graph.number_of_edges()
    for _, data in graph.nodes(data=True):
        assert set(data) == set(NODE_ATTRIBUTES)
    for _, _, key, data in graph.edges(keys=True, data=True):
        if data["relation"] == "claim":
            assert set(data) == set(EDGE_ATTRIBUTES) and key == data["claim"]
            assert all(tuple(p) == PROVENANCE_FIELDS for p in data["provenance"])
        else:
            assert (key, data) == ("standsFor", {"relation": "standsFor"})


def test_focused_view_is_the_full_view_of_its_entities(seed_store: GraphStore) -> None:
    from claimgraph.graph.focus import focused_view

    full = to_networkx(seed_store)
    claims = {(u, v, k): d for u, v, k, d in full.edges(keys=True, data=True)
              if d["relation"] == "claim"}  # fmt: skip
    focused = focused_view(seed_store)
    assert focused.graph["total_claims"] == len(claims)
    got = {(u, v, k): d for u, v, k, d in focused.edges(keys=True, data=True)}
    assert got.keys() == claims.keys()
    for key, data in got.items():
        want = dict(claims[key])
        by_report = sorted(want.pop("provenance"), key=lambda p: p["report"])
        assert sorted(data.pop("provenance"), key=lambda p: p["report"]) == by_report
        assert data == want
    for node, data in focused.nodes(data=True):
        assert data == full.nodes[node]
    small = focused_view(seed_store, size=3, max_reports=2)
    assert small.number_of_nodes() == 3 and small.number_of_edges() <= 2
