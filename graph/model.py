"""The RDF model: deterministic IRIs and the quads that one source document contributes.

Layout (the vocabulary is in :mod:`claimgraph.graph.namespaces`; see ``ontology.ttl``):

Default graph (shared across documents)
    entities (``schema:Person``/``Organization``/``Place``/``Thing`` with ``schema:name``,
    ``cg:nameKey``, ``cg:entityType``, ``cg:standsFor``), outlets
    (``schema:NewsMediaOrganization``), source documents (``cg:SourceDocument``, also the
    ``nif:Context`` of offsets, with ``cg:sha256`` and ``schema:hasPart`` its articles), and
    provenance (``prov:Activity`` per document, ``prov:SoftwareAgent`` per claimgraph version).
One named graph per article (graph IRI = article IRI)
    the ``schema:NewsArticle``; each claim it reports (``schema:Claim``, plus
    ``schema:Quotation`` for direct quotes) with ``schema:text``, ``schema:author`` (and
    ``schema:spokenByCharacter`` for quotes), ``schema:about``/``schema:mentions`` (target),
    ``schema:appearance`` (the article) and ``cg:report`` its provenance record: a
    ``cg:Report`` with ``cg:cue``, ``cg:kind``, ``cg:confidence``, ``prov:wasDerivedFrom``,
    ``prov:wasGeneratedBy`` and NIF spans (``<doc#char=b,e>``, ``nif:beginIndex``/``endIndex``
    in Python code points, ``nif:anchorOf``) for content, cue, speaker and target; speaker and
    target spans carry ``itsrdf:taIdentRef`` (the entity), ``cg:mentionName``, and the
    ``cg:role``/``cg:affiliation`` given in this article, which are also stated on the entity
    inside this graph (so the graph is their source), as are ``schema:alternateName`` aliases.

A claim reported by several articles has one IRI and appears in each article's graph.
IRIs are ``{base}{kind}/{hash}`` with a SHA-256 prefix of normalised keys, so they are the same
on every machine and every run.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlsplit

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad
from rdflib.namespace import RDF, XSD

from claimgraph.extract.records import Claim, TextSpan

from .namespaces import V

DEFAULT_BASE = "https://w3id.org/claimgraph/id/"
FORMAT_VERSION = 1
RDF_TYPE = NamedNode(str(RDF.type))
XSD_NS = str(XSD._NS)
# The XSD datatypes the store writes, made once (a NamedNode per literal costs on the hot path).
(
    XSD_BOOLEAN, XSD_INTEGER, XSD_DOUBLE, XSD_DECIMAL, XSD_NON_NEGATIVE, XSD_DATE, XSD_DATETIME,
    XSD_ANY_URI,
) = (
    NamedNode(XSD_NS + name)
    for name in (
        "boolean", "integer", "double", "decimal", "nonNegativeInteger", "date", "dateTime",
        "anyURI",
    )
)  # fmt: skip
_BASE_RE = re.compile(r"^[a-z][a-z0-9+.-]*://[^\s<>\"{}|\\^`]+[/#]$")

KIND_TERMS = {
    "direct": V.cg.Direct,
    "indirect": V.cg.Indirect,
    "mixed": V.cg.Mixed,
    "according_to": V.cg.AccordingTo,
    "belief": V.cg.Belief,
    "headline": V.cg.Headline,
}
CLASS_TERMS = {
    "person": V.schema.Person,
    "org": V.schema.Organization,
    "place": V.schema.Place,
    "thing": V.schema.Thing,
}


def term(uri: str) -> NamedNode:
    """A pyoxigraph ``NamedNode`` for a vocabulary term or IRI string."""
    return NamedNode(str(uri))


def check_base(base: str) -> str:
    """Return ``base`` if it is an absolute IRI ending in ``/`` or ``#``; else ``ValueError``."""
    if not _BASE_RE.match(base):
        raise ValueError(f"base IRI must be absolute and end with '/' or '#': {base!r}")
    NamedNode(base)
    return base


def digest(*parts: object, length: int = 16) -> str:
    """Hex SHA-256 prefix of the parts joined with a unit separator."""
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True)
class ArticleMeta:
    """Metadata of one article: whatever the ingest stage knows (all optional).

    ``language`` must be a well-formed BCP 47 tag (``ValueError`` naming it otherwise): it
    becomes the language of the article's literals in the store.
    """

    title: str | None = None
    outlet: str | None = None
    date: str | None = None
    url: str | None = None
    language: str = "en"
    author: str | None = None

    def __post_init__(self) -> None:
        try:
            Literal("", language=self.language)
        except ValueError as exc:
            raise ValueError(f"language tag {self.language!r} is not valid BCP 47 ({exc})") from exc

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> ArticleMeta:
        """Build from a mapping with keys title/outlet/date (or published)/url/language/author."""

        def get(*names: str) -> str | None:
            for name in names:
                value = data.get(name)
                if value not in (None, ""):
                    return str(value)
            return None

        return cls(
            title=get("title", "headline"),
            outlet=get("outlet", "publisher", "source"),
            date=get("date", "published", "date_published"),
            url=get("url"),
            language=get("language", "lang") or "en",
            author=get("author", "byline"),
        )


@dataclass(frozen=True)
class DocumentInput:
    """One source document for :func:`claimgraph.graph.build`: its claims and article metadata.

    ``sha256`` (hex) identifies the document: a document already in the store is skipped.
    ``articles`` maps article index -> :class:`ArticleMeta`; ``claims`` are the extractor's
    records for the document, with offsets into its decoded text.
    """

    doc: str
    sha256: str
    claims: tuple[Claim, ...]
    articles: Mapping[int, ArticleMeta] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[0-9a-f]{64}", self.sha256):
            raise ValueError(f"sha256 must be 64 lower-case hex digits, not {self.sha256!r}")


class Iris:
    """Mints the IRIs of one store (``base`` + kind + hash of normalised keys)."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = check_base(base)

    def _mint(self, kind: str, *parts: object) -> str:
        return f"{self.base}{kind}/{digest(*parts)}"

    def document(self, sha256: str) -> str:
        return f"{self.base}doc/{sha256}"

    def article(self, sha256: str, index: int) -> str:
        return self._mint("article", sha256, index)

    def span(self, document: str, start: int, end: int) -> str:
        """The IRI of characters ``start`` to ``end`` of the document IRI ``document``."""
        return f"{document}#char={start},{end}"

    def entity(self, cls: str, key: str) -> str:
        return self._mint("entity", cls, key)

    def anonymous(self, sha256: str, article: int, key: str) -> str:
        return self._mint("entity", "anonymous", sha256, article, key)

    def claim(self, speaker: str | None, normalized: str) -> str:
        return self._mint("claim", speaker or "", normalized)

    def report(self, sha256: str, claim: Claim) -> str:
        spans = ",".join(f"{s.start}-{s.end}" for s in claim.content)
        speaker = f"{claim.speaker.start}-{claim.speaker.end}" if claim.speaker else ""
        return self._mint("report", sha256, claim.article, spans, speaker)

    def outlet(self, name: str) -> str:
        return self._mint("outlet", " ".join(name.lower().split()))

    def activity(self, version: str, sha256: str) -> str:
        return self._mint("activity", version, sha256)

    def agent(self, version: str) -> str:
        return f"{self.base}agent/claimgraph-{quote(version, safe='')}"


def text_literal(text: str, language: str = "en") -> Literal:
    return Literal(text, language=language) if language else Literal(text)


def date_literal(value: str) -> Literal | None:
    """An ``xsd:date``/``xsd:dateTime`` literal for an ISO date, or ``None`` if unparseable."""
    value = value.strip()
    try:
        if len(value) == 10:
            return Literal(date.fromisoformat(value).isoformat(), datatype=XSD_DATE)
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return Literal(parsed.isoformat(), datatype=XSD_DATETIME)


def url_node(value: str) -> NamedNode | None:
    """A valid IRI for a source URL (illegal characters percent-encoded), or ``None``."""
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    try:
        return NamedNode(quote(value, safe=":/?#[]@!$&'()*+,;=%~"))
    except ValueError:
        return None


def span_quads(
    iris: Iris, span: TextSpan, graph: NamedNode, context: NamedNode
) -> tuple[NamedNode, list[Quad]]:
    """The NIF string node of ``span`` in the document node ``context`` and its quads in
    ``graph``."""
    node = NamedNode(iris.span(context.value, span.start, span.end))
    nif = V.nif
    return node, [
        Quad(node, RDF_TYPE, nif.OffsetBasedString, graph),
        Quad(node, RDF_TYPE, nif.Phrase, graph),
        Quad(node, nif.referenceContext, context, graph),
        Quad(node, nif.beginIndex, offset_literal(span.start), graph),
        Quad(node, nif.endIndex, offset_literal(span.end), graph),
        Quad(node, nif.anchorOf, Literal(span.text), graph),
    ]


@lru_cache(maxsize=1 << 16)
def offset_literal(offset: int) -> Literal:
    """An ``xsd:nonNegativeInteger`` literal for a character offset (the common ones are
    made once: every document has offsets 0 to a few thousand)."""
    return Literal(str(offset), datatype=XSD_NON_NEGATIVE)


def decimal_literal(value: float) -> Literal:
    return Literal(str(Decimal(str(round(value, 4)))), datatype=XSD_DECIMAL)


def default_graph_quads(
    iris: Iris, doc: DocumentInput, version: str, outlets: Mapping[int, str]
) -> Iterator[Quad]:
    """Document, outlet and provenance quads of ``doc`` (default graph)."""
    g = DefaultGraph()
    d = NamedNode(iris.document(doc.sha256))
    yield Quad(d, RDF_TYPE, V.cg.SourceDocument, g)
    yield Quad(d, RDF_TYPE, V.nif.Context, g)
    yield Quad(d, V.cg.sha256, Literal(doc.sha256), g)
    yield Quad(d, V.cg.sourcePath, Literal(doc.doc), g)
    agent = NamedNode(iris.agent(version))
    activity = NamedNode(iris.activity(version, doc.sha256))
    yield Quad(agent, RDF_TYPE, V.prov.SoftwareAgent, g)
    yield Quad(agent, RDF_TYPE, V.schema.SoftwareApplication, g)
    yield Quad(agent, V.schema.name, Literal("claimgraph"), g)
    yield Quad(agent, V.schema.softwareVersion, Literal(version), g)
    yield Quad(activity, RDF_TYPE, V.prov.Activity, g)
    yield Quad(activity, V.prov.used, d, g)
    yield Quad(activity, V.prov.wasAssociatedWith, agent, g)
    for name in sorted(set(outlets.values())):
        o = NamedNode(iris.outlet(name))
        yield Quad(o, RDF_TYPE, V.schema.NewsMediaOrganization, g)
        yield Quad(o, V.schema.name, Literal(name), g)


_LANG_LITERAL = re.compile(r'"(.*)"@([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)', re.DOTALL)


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


def term_value(node: Any) -> Any:
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
