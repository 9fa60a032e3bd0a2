"""Entity resolution: keys, in-article merges, cross-document merges, alias file, metonymy."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from claimgraph.extract.records import Claim, EntityRef, TextSpan
from claimgraph.graph import AliasTable, DocumentInput, GraphStore
from claimgraph.graph import query as q
from claimgraph.graph.entities import resolve_article
from claimgraph.graph.names import PERSON, name_key
from claimgraph.graph.network import to_networkx


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Zelensky", "Zelenskyy", True),
        ("Zelenskiy", "Zelenskyy", True),
        ("Volodymyr Zelensky", "Ukrainian President Volodymyr Zelenskyy", True),
        ("US President Donald Trump", "Donald Trump", True),
        ("Donald J. Trump", "Donald Trump", True),
        ("Recep Tayyip Erdoğan", "Recep Tayyip Erdogan", True),
        ("Kremlin spokesman Dmitry Peskov", "Dmitry Peskov", True),
        ("Donald Trump Jr.", "Donald Trump", False),
        ("Bill Clinton", "Hillary Clinton", False),
        ("Charles de Gaulle", "Gaulle", False),
    ],
)
def test_name_keys(a: str, b: str, same: bool) -> None:
    assert (name_key(a, PERSON).key == name_key(b, PERSON).key) is same


def _doc(
    name: str, people: list[str | tuple[str, str | None]], typ: str = "PERSON"
) -> DocumentInput:
    """One article in which each of ``people`` says one thing (offsets into a made-up text).

    A person given as ``(name, label)`` carries that NER label instead of ``typ``."""
    text = ""
    claims = []
    for i, entry in enumerate(people):
        person, label = entry if isinstance(entry, tuple) else (entry, typ)
        quote = f"Statement number {i} from document {name} is here"
        line = f'"{quote}," {person} said.\n'
        base = len(text)
        text += line
        q_start = base + 1
        p_start = base + line.index(person, len(quote) + 2)
        cue_start = p_start + len(person) + 1
        claims.append(
            Claim(
                name,
                0,
                (TextSpan(quote, q_start, q_start + len(quote)),),
                speaker=EntityRef(person, p_start, p_start + len(person), type=label),
                cue=TextSpan("said", cue_start, cue_start + 4),
                kind="direct",
            )
        )
    sha = hashlib.sha256(text.encode()).hexdigest()
    return DocumentInput(name, sha, tuple(claims))


def _speaker_iris(store: GraphStore) -> dict[str, str]:
    """Surface text of each speaker mention -> entity IRI."""
    rows = store.query(
        "SELECT ?a ?e WHERE { GRAPH ?g { ?r cg:speakerMention ?m . ?m nif:anchorOf ?a ;"
        " itsrdf:taIdentRef ?e } }"
    )
    return {row["a"]: row["e"] for row in rows}


@pytest.mark.parametrize(
    ("docs", "same", "different"),
    [
        # cross-document: a bare surname joins the only full name with that surname
        ([["US President Donald Trump"], ["Trump"]], [("US President Donald Trump", "Trump")], []),
        # spelling variants
        (
            [["Volodymyr Zelensky"], ["Zelenskyy"], ["Zelenskiy"]],
            [("Volodymyr Zelensky", "Zelenskyy"), ("Zelenskyy", "Zelenskiy")],
            [],
        ),
        # generational suffix: never merged with the father, "Trump Jr." joins the son
        (
            [["Donald Trump"], ["Donald Trump Jr."], ["Trump Jr."], ["Trump"]],
            [("Donald Trump Jr.", "Trump Jr."), ("Donald Trump", "Trump")],
            [("Donald Trump", "Donald Trump Jr.")],
        ),
        # two Clintons: bare "Clinton" merges only when unambiguous in its document
        (
            [["Bill Clinton", "Hillary Clinton"], ["Hillary Rodham Clinton", "Clinton"]],
            [("Hillary Clinton", "Hillary Rodham Clinton"), ("Hillary Clinton", "Clinton")],
            [("Bill Clinton", "Hillary Clinton"), ("Bill Clinton", "Clinton")],
        ),
        (
            [["Bill Clinton", "Hillary Clinton", "Clinton"]],
            [],
            [("Clinton", "Bill Clinton"), ("Clinton", "Hillary Clinton")],
        ),
        # a surname seen before the full name is merged when the full name arrives
        ([["Peskov"], ["Dmitry Peskov"]], [("Peskov", "Dmitry Peskov")], []),
        # different first names are different people
        ([["Ivanka Trump"], ["Donald Trump"]], [], [("Ivanka Trump", "Donald Trump")]),
        # several full names: a bare surname joins only a dominant one (>= 3x the mentions)
        (
            [["Donald Trump"]] * 4 + [["Ivanka Trump"], ["Trump"]],
            [("Donald Trump", "Trump")],
            [("Ivanka Trump", "Trump")],
        ),
        (
            [["Donald Trump"], ["Ivanka Trump"], ["Trump"]],
            [],
            [("Donald Trump", "Trump"), ("Ivanka Trump", "Trump")],
        ),
        # a two-word name tagged in two classes is one entity, whichever class comes first
        (
            [[("Donald Trump", "ORG")]] + [["Donald Trump"]] * 2,
            [("Donald Trump", "Donald Trump")],
            [],
        ),
        # a one-word name crosses classes only into a dominant entity
        (
            [["Donald Trump"]] * 4 + [[("Trump", "ORG")]],
            [("Donald Trump", "Trump")],
            [],
        ),
        (
            [["Washington"], ["Washington"], [("Washington", "GPE")], [("Washington", "GPE")]],
            [],
            [],
        ),
        # an untyped, clipped "Jersey Gov. Chris Christie" is the person Chris Christie
        (
            [["Chris Christie"], [("Jersey Gov. Chris Christie", None)]],
            [("Chris Christie", "Jersey Gov. Chris Christie")],
            [],
        ),
        # organisations: a shorter name in another article is not the longer one
        (
            [[("Clinton campaign", "ORG")], [("campaign", "ORG")]],
            [],
            [("Clinton campaign", "campaign")],
        ),
    ],
)
def test_resolution_cases(
    docs: list[list[str]], same: list[tuple[str, str]], different: list[tuple[str, str]]
) -> None:
    with GraphStore.open() as store:
        store.build([_doc(f"d{i}", people) for i, people in enumerate(docs)])
        iris = _speaker_iris(store)
    for a, b in same:
        assert iris[a] == iris[b], (a, b)
    for a, b in different:
        assert iris[a] != iris[b], (a, b)


@pytest.mark.parametrize("org_first", [True, False])
def test_class_of_a_merged_name_is_the_majority_class(org_first: bool) -> None:
    people = [_doc(f"p{i}", ["Donald Trump"]) for i in range(3)]
    org = _doc("o", [("Donald Trump", "ORG")])
    with GraphStore.open() as store:
        store.build([org, *people] if org_first else [*people, org])
        rows = [r for r in store.entities() if r["name"] == "Donald Trump"]
        labels = store.query("SELECT ?l WHERE { ?e cg:nameKey ?k ; cg:entityType ?l }")
    assert [r["type"] for r in rows] == ["Person"]
    assert {row["l"] for row in labels} == {"PERSON"}


def test_one_word_name_in_two_classes_stays_apart_without_dominance() -> None:
    docs = [_doc("a", ["Washington"]), _doc("b", [("Washington", "GPE")])]
    with GraphStore.open() as store:
        store.build(docs)
        types = sorted(r["type"] for r in store.entities() if r["name"] == "Washington")
    assert types == ["Person", "Place"]


def test_resolution_does_not_depend_on_document_order() -> None:
    docs = [
        _doc("a", ["Peskov"]),
        _doc("b", ["Kremlin spokesman Dmitry Peskov", "Putin"]),
        _doc("c", ["Vladimir Putin"]),
    ]
    results = []
    for order in (docs, docs[::-1]):
        with GraphStore.open() as store:
            store.build(order)
            results.append(sorted((r["iri"], r["name"]) for r in store.entities()))
    assert results[0] == results[1]
    assert [name for _, name in results[0]] == ["Dmitry Peskov", "Vladimir Putin"]


@pytest.mark.parametrize(("entity", "expected"), [(None, "Bill Clinton"), ("Clinton", "Clinton")])
def test_in_article_resolution_keeps_what_the_extractor_settled(entity, expected) -> None:
    """Claims show only some of an article's names: a surname the extractor left unexpanded
    (it saw Hillary and Bill Clinton in the text) is not expanded by the claims it is in."""
    refs = [
        EntityRef("Bill Clinton", 0, 12, type="PERSON", entity="Bill Clinton"),
        EntityRef("Clinton", 40, 47, type="PERSON", entity=entity),
    ]
    assert resolve_article(refs, AliasTable())[(40, 47, "Clinton")].name == expected


def test_in_article_resolution_merges_surname_and_pronoun_chain() -> None:
    refs = [
        EntityRef("Kremlin spokesman Dmitry Peskov", 0, 31, type="PERSON"),
        EntityRef("Peskov", 50, 56, type="PERSON"),
        EntityRef("he", 70, 72, type="PERSON", entity="Dmitry Peskov"),
        EntityRef("he", 90, 92, type="PERSON"),
    ]
    mentions = resolve_article(refs, AliasTable())
    assert {m.name for m in mentions.values()} == {"Dmitry Peskov"}
    assert (90, 92, "he") not in mentions  # an unresolved pronoun names nobody


def test_alias_file_overrides(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(
        "action,name,target,type\n"
        "# comments are allowed\n"
        "alias,The Donald,Donald Trump,PERSON\n"
        "distinct,Clinton,Hillary Clinton,\n",
        encoding="utf-8",
    )
    docs = [_doc("a", ["Donald Trump", "Hillary Clinton"]), _doc("b", ["The Donald", "Clinton"])]
    with GraphStore.open(aliases=aliases) as store:
        store.build(docs)
        iris = _speaker_iris(store)
    assert iris["The Donald"] == iris["Donald Trump"]
    assert iris["Clinton"] != iris["Hillary Clinton"]
    with GraphStore.open() as store:  # without the file "Clinton" is unambiguous
        store.build(docs)
        assert _speaker_iris(store)["Clinton"] == _speaker_iris(store)["Hillary Clinton"]


def test_alias_added_later_merges_existing_entities(tmp_path: Path) -> None:
    path = tmp_path / "db"
    with GraphStore.open(path) as store:
        store.build([_doc("a", ["Donald Trump"]), _doc("b", ["The Donald"])])
        assert len(store.entities()) == 2
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,The Donald,Donald Trump,PERSON\n", encoding="utf-8")
    with GraphStore.open(path, aliases=aliases) as store:
        report = store.build([])
        assert report.entity_merges == 1
        assert [e["name"] for e in store.entities()] == ["Donald Trump"]


@pytest.mark.parametrize("row", ["bogus,a,b,", "alias,,Donald Trump,", "alias"])
def test_bad_alias_rows_name_file_and_line(tmp_path: Path, row: str) -> None:
    path = tmp_path / "aliases.csv"
    path.write_text("action,name,target,type\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"aliases\.csv:2"):
        AliasTable.load(path)


def test_metonyms_stay_distinct_but_linked() -> None:
    docs = [_doc("a", ["the Kremlin"], typ="ORG"), _doc("b", ["Russia", "Moscow"], typ="GPE")]
    with GraphStore.open() as store:
        store.build(docs)
        names = {e["name"] for e in store.entities()}
        assert {"Kremlin", "Russia", "Moscow"} <= names
        plain = {r["speaker_name"] for r in q.said_by(store, "Russia")}
        wide = {r["speaker_name"] for r in q.said_by(store, "Russia", metonymy=True)}
        graph = to_networkx(store)
    assert plain == {"Russia"}
    assert wide == {"Russia", "Kremlin", "Moscow"}
    relations = {d["relation"] for _, _, d in graph.edges(data=True)}
    assert relations == {"standsFor"}
