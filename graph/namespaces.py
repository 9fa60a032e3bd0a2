"""RDF vocabularies used by the claimgraph store, one ``DefinedNamespace`` per vocabulary.

A misspelled term (``CG.cuee``) raises ``AttributeError`` instead of minting a stray IRI.

- ``CG``: the claimgraph ontology (``https://w3id.org/claimgraph/ns#``), described with labels
  and comments in the package file ``ontology.ttl`` (:func:`ontology_path`).
- ``SCHEMA``: the schema.org terms we use, in the ``http://schema.org/`` namespace that claim
  graphs (ClaimsKG, CimpleKG, QuoteKG) and triple-store users query. rdflib's own ``SDO`` uses
  ``https://schema.org/``; mixing the two is a common mistake, so this module pins one.
- ``NIF``: NIF 2.0 core, for character offsets (``nif:beginIndex``/``nif:endIndex`` are Python
  code-point offsets into the source document's decoded text).
- ``ITSRDF``: ITS 2.0 RDF terms (``itsrdf:taIdentRef`` links a mention to its entity,
  ``itsrdf:taConfidence`` carries the extractor's confidence).
- PROV-O is rdflib's own ``rdflib.namespace.PROV``.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from pyoxigraph import NamedNode
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, VOID, XSD, DefinedNamespace, Namespace
from rdflib.term import URIRef

__all__ = [
    "CG", "EXPORT_PREFIXES", "ITSRDF", "NIF", "PREFIXES", "PROV", "SCHEMA", "Nodes", "V",
    "ontology_path",
]  # fmt: skip


class CG(DefinedNamespace):
    """The claimgraph ontology: cue, kind, confidence, role, affiliation and friends."""

    _NS = Namespace("https://w3id.org/claimgraph/ns#")
    _fail = True

    # classes
    Report: URIRef  # one report of a claim in one article (the provenance record)
    SourceDocument: URIRef  # an input document, identified by its content hash
    ReportKind: URIRef
    Direct: URIRef
    Indirect: URIRef
    Mixed: URIRef
    AccordingTo: URIRef
    Belief: URIRef
    Headline: URIRef
    # properties
    report: URIRef  # claim -> report
    reportOf: URIRef  # report -> claim
    cue: URIRef  # cue text as printed ("told")
    cueSpan: URIRef
    contentSpan: URIRef
    contextSpan: URIRef  # the sentences that hold the claim, for reading it in context
    speakerMention: URIRef
    targetMention: URIRef
    kind: URIRef  # report -> one of the kind individuals above
    confidence: URIRef
    role: URIRef
    affiliation: URIRef
    anonymous: URIRef
    entityType: URIRef  # the extractor's label (PERSON, ORG, GPE, ...)
    mentionName: URIRef  # the name a mention resolved to within its document
    nameKey: URIRef  # normalised matching key of an entity name
    standsFor: URIRef  # metonymy: the Kremlin standsFor Russia
    sha256: URIRef
    sourcePath: URIRef
    articleIndex: URIRef
    byline: URIRef  # an article's author line, as the source gives it
    baseIri: URIRef
    formatVersion: URIRef
    pendingClaimMerge: URIRef  # internal marker, absent from a consolidated store


class SCHEMA(DefinedNamespace):
    """The schema.org terms claimgraph writes (``http://schema.org/``)."""

    _NS = Namespace("http://schema.org/")
    _fail = True

    Person: URIRef
    Organization: URIRef
    Place: URIRef
    Thing: URIRef
    Claim: URIRef
    Quotation: URIRef
    NewsArticle: URIRef
    NewsMediaOrganization: URIRef
    SoftwareApplication: URIRef
    name: URIRef
    alternateName: URIRef
    text: URIRef
    author: URIRef
    spokenByCharacter: URIRef
    about: URIRef
    mentions: URIRef
    appearance: URIRef
    url: URIRef
    publisher: URIRef
    datePublished: URIRef
    headline: URIRef
    hasPart: URIRef
    isPartOf: URIRef
    softwareVersion: URIRef
    inLanguage: URIRef


class NIF(DefinedNamespace):
    """NIF 2.0 core terms used for offsets."""

    _NS = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
    _fail = True

    Context: URIRef
    OffsetBasedString: URIRef
    Phrase: URIRef
    referenceContext: URIRef
    beginIndex: URIRef
    endIndex: URIRef
    anchorOf: URIRef
    sourceUrl: URIRef


class ITSRDF(DefinedNamespace):
    """ITS 2.0 RDF terms (``http``, not ``https``: the standard namespace)."""

    _NS = Namespace("http://www.w3.org/2005/11/its/rdf#")
    _fail = True

    taIdentRef: URIRef
    taConfidence: URIRef


def ontology_path() -> Path:
    """Path of the shipped Turtle description of the ``CG`` vocabulary."""
    return Path(str(resources.files("claimgraph.graph").joinpath("ontology.ttl")))


class Nodes:
    """The terms of one ``DefinedNamespace`` as pyoxigraph ``NamedNode`` objects, each made once.

    The store writes tens of quads per claim; a ``DefinedNamespace`` attribute is a checked
    ``__getattr__`` call every time. The first read of a name goes through the namespace (so a
    misspelled term still raises ``AttributeError``) and is kept as a plain attribute.

    >>> Nodes(CG).cue.value
    'https://w3id.org/claimgraph/ns#cue'
    """

    def __init__(self, namespace: type[DefinedNamespace]) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("_"):
            raise AttributeError(name)
        node = NamedNode(str(getattr(self._namespace, name)))
        self.__dict__[name] = node
        return node


class _Vocabularies:
    """``V.schema.text``, ``V.cg.cue``, ...: the vocabularies as :class:`Nodes`."""

    def __init__(self) -> None:
        self.cg = Nodes(CG)
        self.schema = Nodes(SCHEMA)
        self.prov = Nodes(PROV)
        self.nif = Nodes(NIF)
        self.itsrdf = Nodes(ITSRDF)


V = _Vocabularies()


#: Prefix -> namespace IRI of the vocabularies the store writes: predeclared in its SPARQL
#: queries and updates.
PREFIXES = {
    "cg": str(CG._NS),
    "schema": str(SCHEMA._NS),
    "prov": str(PROV._NS),
    "nif": str(NIF._NS),
    "itsrdf": str(ITSRDF._NS),
    "rdf": str(RDF._NS),
    "rdfs": str(RDFS._NS),
    "xsd": str(XSD._NS),
    "owl": str(OWL._NS),
}
#: The prefixes of exported RDF headers: :data:`PREFIXES` and the vocabularies exports cite.
EXPORT_PREFIXES = {
    **PREFIXES,
    "oa": "http://www.w3.org/ns/oa#",
    "dcterms": str(DCTERMS._NS),
    "void": str(VOID._NS),
    "wd": "http://www.wikidata.org/entity/",
}
