"""The quads of one document, and the entities its mentions resolve to.

:class:`QuadBuilder` turns a :class:`~claimgraph.graph.model.DocumentInput` into quads: the
document and its provenance in the default graph, each article's statements in its own
named graph; each speaker or target mention is resolved within its article
(:func:`~claimgraph.graph.entities.resolve_article`) and then against the store's entities
(:class:`~claimgraph.graph.entities.EntityIndex`), minting a new entity when none matches.
Claims of one speaker with the same words reuse the claim node (:class:`ClaimIndex`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad

from claimgraph import __version__
from claimgraph.extract.records import Claim, EntityRef

from .aliases import AliasTable
from .claims import ClaimIndex, claim_tokens
from .entities import EntityIndex, EntityRecord, Mention, resolve_article
from .model import (
    CLASS_TERMS,
    KIND_TERMS,
    RDF_TYPE,
    DocumentInput,
    Iris,
    date_literal,
    decimal_literal,
    default_graph_quads,
    span_quads,
    text_literal,
    to_term,
    url_node,
)
from .names import PERSON, is_pronoun, name_key
from .namespaces import V

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocumentContext:
    """What every claim of one document needs while its quads are built.

    ``sha256`` is the document's content hash, ``document`` its node and ``activity`` the
    extraction activity that generated its reports. ``default`` collects the document's
    default-graph quads (entities, outlets, provenance). ``counted`` holds the (mention node,
    entity) pairs counted in the index's weights, once each, as the store counts them when
    the index is loaded again.
    """

    sha256: str
    document: NamedNode
    activity: NamedNode
    default: list[Quad] = field(default_factory=list)
    counted: set[tuple[str, str]] = field(default_factory=set)


class QuadBuilder:
    """Builds documents' quads against the store's entity index (see the module docstring).

    ``claim_index(speaker)`` gives the claims known for a speaker IRI (``None``: claims
    without speaker); ``fresh`` collects the IRIs of entities minted here, whose claims the
    store need not look up.
    """

    def __init__(
        self,
        iris: Iris,
        aliases: AliasTable,
        index: EntityIndex,
        claim_index: Callable[[str | None], ClaimIndex],
        fresh: set[str],
    ) -> None:
        self.iris = iris
        self.aliases = aliases
        self.index = index
        self.claim_index = claim_index
        self.fresh = fresh

    def _entity(self, mention: Mention, context: DocumentContext, article: int) -> str:
        g = DefaultGraph()
        sha, default = context.sha256, context.default
        index = self.index
        if mention.anonymous:
            iri = self.iris.anonymous(sha, article, mention.key.key)
            node = NamedNode(iri)
            default.extend(
                [
                    Quad(node, RDF_TYPE, CLASS_TERMS[mention.cls], g),
                    Quad(node, V.schema.name, text_literal(mention.name), g),
                    Quad(node, V.cg.anonymous, to_term(True), g),
                ]
            )
            if mention.label:
                default.append(Quad(node, V.cg.entityType, Literal(mention.label), g))
            return iri
        key = mention.key
        iri = index.lookup(mention.cls, key)
        if iri is None:
            iri = self.iris.entity(mention.cls, key.key)
            index.add(EntityRecord(iri, mention.cls, mention.name, {key.key}))
            self.fresh.add(iri)
            node = NamedNode(iri)
            default.extend(
                [
                    Quad(node, RDF_TYPE, CLASS_TERMS[mention.cls], g),
                    Quad(node, V.schema.name, text_literal(mention.name), g),
                    Quad(node, V.cg.nameKey, Literal(key.key), g),
                ]
            )
            if mention.label:
                default.append(Quad(node, V.cg.entityType, Literal(mention.label), g))
            rule = self.aliases.metonym_target(mention.name)
            if rule is not None and name_key(rule.target, PERSON).key != key.key:
                target_cls = self.aliases.target_class(rule)
                target = self._entity(
                    Mention(rule.target, target_cls, rule.label, name_key(rule.target, target_cls)),
                    context,
                    article,
                )
                default.append(Quad(node, V.cg.standsFor, NamedNode(target), g))
        elif key.key not in index.records[iri].keys:
            index.add_key(iri, key.key)
            default.append(Quad(NamedNode(iri), V.cg.nameKey, Literal(key.key), g))
        return iri

    def document(self, doc: DocumentInput) -> list[Quad]:
        """Every quad of ``doc``: its default-graph quads, then its articles' graphs."""
        sha = doc.sha256
        iris = self.iris
        context = DocumentContext(
            sha256=sha,
            document=NamedNode(iris.document(sha)),
            activity=NamedNode(iris.activity(__version__, sha)),
        )
        default = context.default
        quads: list[Quad] = []
        d = context.document
        by_article: dict[int, list[Claim]] = {}
        for claim in doc.claims:
            by_article.setdefault(claim.article, []).append(claim)
        outlets = {i: m.outlet for i, m in doc.articles.items() if m.outlet}
        default.extend(default_graph_quads(iris, doc, __version__, outlets))
        for index in sorted(set(by_article) | set(doc.articles)):
            a = NamedNode(iris.article(sha, index))
            g = a
            meta = doc.articles.get(index)
            lang = meta.language if meta else "en"  # ArticleMeta checked the tag
            default.append(Quad(d, V.schema.hasPart, a, DefaultGraph()))
            quads += [
                Quad(a, RDF_TYPE, V.schema.NewsArticle, g),
                Quad(a, V.schema.isPartOf, d, g),
                Quad(a, V.cg.articleIndex, to_term(index), g),
                Quad(a, V.schema.inLanguage, Literal(lang), g),
            ]
            if meta is not None:
                quads += self._article_meta_quads(a, meta, doc.doc)
            claims = by_article.get(index, [])
            refs = [r for c in claims for r in (c.speaker, c.target) if r is not None]
            mentions = resolve_article(refs, self.aliases)
            for claim in claims:
                quads += self._claim_quads(claim, context, a, lang, mentions)
        return default + quads

    def _article_meta_quads(self, a: NamedNode, meta: Any, doc: str) -> list[Quad]:
        out = []
        if meta.title:
            out.append(Quad(a, V.schema.headline, text_literal(meta.title, meta.language), a))
        if meta.outlet:
            out.append(Quad(a, V.schema.publisher, NamedNode(self.iris.outlet(meta.outlet)), a))
        if meta.date:
            lit = date_literal(meta.date)
            if lit is None:
                log.warning("%s: unparseable date %r left out", doc, meta.date)
            else:
                out.append(Quad(a, V.schema.datePublished, lit, a))
        if meta.author:
            out.append(Quad(a, V.cg.byline, text_literal(meta.author, meta.language), a))
        if meta.url:
            node = url_node(meta.url)
            if node is None:
                log.warning("%s: unusable URL %r left out", doc, meta.url)
            else:
                out.append(Quad(a, V.schema.url, node, a))
        return out

    def _mention_quads(
        self,
        ref: EntityRef,
        mention: Mention | None,
        entity: str | None,
        d: NamedNode,
        g: NamedNode,
    ) -> tuple[NamedNode, list[Quad]]:
        node, quads = span_quads(self.iris, ref, g, d)
        if mention is not None and entity is not None:
            e = NamedNode(entity)
            quads.append(Quad(node, V.itsrdf.taIdentRef, e, g))
            quads.append(Quad(node, V.cg.mentionName, Literal(mention.name), g))
            surface = " ".join(ref.text.split())
            names = {surface, (ref.entity or "").strip()} - {"", mention.name}
            for alias in sorted(names):
                if not is_pronoun(alias):
                    quads.append(Quad(e, V.schema.alternateName, text_literal(alias), g))
            if ref.role:
                quads.append(Quad(node, V.cg.role, text_literal(ref.role), g))
                quads.append(Quad(e, V.cg.role, text_literal(ref.role), g))
            if ref.affiliation:
                quads.append(Quad(node, V.cg.affiliation, text_literal(ref.affiliation), g))
                quads.append(Quad(e, V.cg.affiliation, text_literal(ref.affiliation), g))
        if ref.type:
            quads.append(Quad(node, V.cg.entityType, Literal(ref.type), g))
        return node, quads

    def _claim_quads(
        self,
        claim: Claim,
        context: DocumentContext,
        a: NamedNode,
        lang: str,
        mentions: Mapping[tuple[int, int, str], Mention],
    ) -> list[Quad]:
        g = a
        sha, d, counted = context.sha256, context.document, context.counted
        quads: list[Quad] = []
        resolved: dict[str, tuple[str | None, NamedNode | None]] = {}
        for role, ref in (("speaker", claim.speaker), ("target", claim.target)):
            if ref is None:
                resolved[role] = (None, None)
                continue
            mention = mentions.get((ref.start, ref.end, ref.text))
            entity = self._entity(mention, context, claim.article) if mention else None
            node, mq = self._mention_quads(ref, mention, entity, d, g)
            if entity is not None and (node.value, entity) not in counted:
                counted.add((node.value, entity))
                self.index.count(entity)
            quads += mq
            resolved[role] = (entity, node)
        speaker, speaker_node = resolved["speaker"]
        target, target_node = resolved["target"]
        tokens = claim_tokens(claim.text)
        index = self.claim_index(speaker)
        c_iri = index.match(tokens) or self.iris.claim(speaker, " ".join(tokens))
        index.add(c_iri, tokens)
        c = NamedNode(c_iri)
        r = NamedNode(self.iris.report(sha, claim))
        confidence = decimal_literal(claim.confidence)
        quads += [
            Quad(c, RDF_TYPE, V.schema.Claim, g),
            Quad(c, V.schema.text, text_literal(claim.text, lang), g),
            Quad(c, V.schema.appearance, a, g),
            Quad(c, V.cg.report, r, g),
            Quad(r, RDF_TYPE, V.cg.Report, g),
            Quad(r, RDF_TYPE, V.prov.Entity, g),
            Quad(r, V.cg.reportOf, c, g),
            Quad(r, V.prov.wasDerivedFrom, a, g),
            Quad(r, V.prov.wasGeneratedBy, context.activity, g),
            Quad(r, V.cg.kind, KIND_TERMS[claim.kind], g),
            Quad(r, V.cg.confidence, confidence, g),
            Quad(r, V.itsrdf.taConfidence, confidence, g),
        ]
        if speaker is not None:
            quads.append(Quad(c, V.schema.author, NamedNode(speaker), g))
            if claim.kind == "direct":
                quads.append(Quad(c, RDF_TYPE, V.schema.Quotation, g))
                quads.append(Quad(c, V.schema.spokenByCharacter, NamedNode(speaker), g))
        if target is not None:
            quads.append(Quad(c, V.schema.about, NamedNode(target), g))
            quads.append(Quad(c, V.schema.mentions, NamedNode(target), g))
        if speaker_node is not None:
            quads.append(Quad(r, V.cg.speakerMention, speaker_node, g))
        if target_node is not None:
            quads.append(Quad(r, V.cg.targetMention, target_node, g))
        for span in claim.content:
            node, sq = span_quads(self.iris, span, g, d)
            quads += sq
            quads.append(Quad(r, V.cg.contentSpan, node, g))
        if claim.context is not None:
            node, sq = span_quads(self.iris, claim.context, g, d)
            quads += sq
            quads.append(Quad(r, V.cg.contextSpan, node, g))
        if claim.cue is not None:
            node, sq = span_quads(self.iris, claim.cue, g, d)
            quads += sq
            quads += [
                Quad(r, V.cg.cueSpan, node, g),
                Quad(r, V.cg.cue, text_literal(claim.cue.text, lang), g),
            ]
        return quads
