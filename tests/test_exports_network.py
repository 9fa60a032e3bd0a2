"""GraphML, GEXF, node-link JSON and CSV exports of the claim network."""

from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

import networkx as nx
import pytest

from claimgraph.exports.network import (
    sanitize_graph,
    write_csv_tables,
    write_gexf,
    write_graphml,
    write_node_link,
)

HOSTILE = 'Talks "difficult" <script>alert(1)</script> <img src=x onerror=alert(1)> & more'


@pytest.fixture
def network() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(name="test")
    g.add_node(
        "e:peskov",
        label="Dmitry Peskov",
        type="PERSON",
        role="Kremlin spokesman",
        aliases=["Peskov"],
        qid=None,
    )
    g.add_node("e:ukraine", label="Ukraine", type="GPE", aliases=[])
    g.add_node("e:kremlin", label="Kremlin", type="ORG", weight="heavy")
    g.add_node("e:ctrl", label="bad\x00ctl\x0bchars", type="PERSON")
    g.add_edge(
        "e:peskov",
        "e:ukraine",
        key="c1",
        claim="c1",
        cue="told",
        text=HOSTILE,
        outlet="AFP",
        date="2025-07-23",
        url="https://example.org/a",
        doc="seed.txt",
        start=10,
        end=70,
        confidence=1,
        kind="direct",
    )
    g.add_edge(
        "e:peskov",
        "e:ukraine",
        key="c2",
        claim="c2",
        cue="added",
        text='=HYPERLINK("http://evil")',
        outlet=None,
        date=None,
        start=80,
        end=99,
        confidence=0.75,
        kind="direct",
        type="quote",
    )
    g.add_edge(
        "e:kremlin",
        "e:ctrl",
        key="c3",
        claim="c3",
        cue="said",
        text="-5 degrees\x07",
        start=5,
        end=9,
        confidence=0.5,
        kind="indirect",
        id="x",
    )
    return g


@pytest.mark.parametrize(
    ("writer", "reader"),
    [
        (write_graphml, nx.read_graphml),
        (write_gexf, nx.read_gexf),
    ],
)
def test_xml_formats_round_trip(network: nx.MultiDiGraph, tmp_path: Path, writer, reader) -> None:
    before = copy.deepcopy(network)
    path = tmp_path / "g.xml"
    result = writer(network, path)
    assert nx.utils.graphs_equal(network, before), "input graph was mutated"
    back = reader(path)
    assert result["nodes"] == back.number_of_nodes() == 4
    assert result["edges"] == back.number_of_edges() == 3
    assert back.nodes["e:peskov"]["label"] == "Dmitry Peskov"
    assert json.loads(back.nodes["e:peskov"]["aliases"]) == ["Peskov"]
    texts = sorted(d["text"] for *_, d in back.edges(data=True))
    assert HOSTILE in texts
    assert "-5 degrees" in texts  # XML-illegal control character removed
    confidences = sorted(float(d["confidence"]) for *_, d in back.edges(data=True))
    assert confidences == [0.5, 0.75, 1.0]


def test_gexf_keeps_reserved_attribute_names_as_data(
    network: nx.MultiDiGraph, tmp_path: Path
) -> None:
    write_gexf(network, tmp_path / "g.gexf")
    back = nx.read_gexf(tmp_path / "g.gexf")
    edges = {d["claim"]: d for *_, d in back.edges(data=True)}
    assert edges["c1"]["attr_start"] == 10 and edges["c1"]["attr_end"] == 70
    assert edges["c2"]["attr_type"] == "quote"
    assert back.nodes["e:kremlin"]["weight"] == "heavy"


def test_sanitize_graph_types(network: nx.MultiDiGraph) -> None:
    clean = sanitize_graph(network)
    assert "qid" not in clean.nodes["e:peskov"]
    assert clean.nodes["e:ctrl"]["label"] == "badctlchars"
    assert {type(d["confidence"]) for *_, d in clean.edges(data=True)} == {float}
    with pytest.raises(ValueError, match="networkx graph"):
        sanitize_graph({"a": 1})
    g = nx.Graph()
    g.add_nodes_from([1, "1"])
    with pytest.raises(ValueError, match="collide"):
        sanitize_graph(g)


def test_node_link_round_trip(network: nx.MultiDiGraph, tmp_path: Path) -> None:
    write_node_link(network, tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))
    back = nx.node_link_graph(data, edges="links")
    assert back.is_directed() and back.is_multigraph()
    assert sorted(back.edges(keys=True)) == sorted(network.edges(keys=True))
    assert back.edges["e:peskov", "e:ukraine", "c1"]["text"] == HOSTILE


def test_csv_tables(network: nx.MultiDiGraph, tmp_path: Path) -> None:
    result = write_csv_tables(network, tmp_path / "tables")
    assert result["entities"] == 4 and result["claims"] == 3

    def rows(name: str) -> list[dict[str, str]]:
        with (tmp_path / "tables" / name).open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))

    entities = {r["id"]: r for r in rows("entities.csv")}
    assert entities["e:peskov"]["role"] == "Kremlin spokesman"
    assert json.loads(entities["e:peskov"]["aliases"]) == ["Peskov"]
    claims = {r["claim"]: r for r in rows("claims.csv")}
    assert claims["c1"]["speaker_label"] == "Dmitry Peskov"
    assert claims["c1"]["target_label"] == "Ukraine"
    assert claims["c1"]["text"] == HOSTILE
    assert claims["c2"]["text"].startswith("'=HYPERLINK")  # formula neutralised
    assert "url" not in claims["c1"]  # provenance lives in its own table
    prov = {r["claim"]: r for r in rows("provenance.csv")}
    assert prov["c1"]["url"] == "https://example.org/a"
    assert prov["c1"]["start"] == "10" and prov["c3"]["confidence"] == "0.5"
    assert prov["c2"]["outlet"] == ""


def test_csv_without_spreadsheet_guard(network: nx.MultiDiGraph, tmp_path: Path) -> None:
    write_csv_tables(network, tmp_path, spreadsheet_safe=False)
    text = (tmp_path / "claims.csv").read_text(encoding="utf-8")
    assert '"=HYPERLINK(""http://evil"")"' in text
