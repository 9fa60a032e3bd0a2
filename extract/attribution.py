"""Attribution extraction as a chain of small spaCy steps (cue/source/content -> links).

1. ``attribution_spans`` (a trained transition-based tagger, spaCy's ``ner`` factory) marks
   SOURCE, CUE and CONTENT spans; PolNeAR's roles are univocal, so they form one sequence.
2. ``claimgraph_stash_attribution_spans`` moves those spans to ``doc.spans["attribution_spans"]``
   and clears ``doc.ents`` so the entity recogniser that follows starts unconstrained.
3. ``claimgraph_attribution_linker`` groups spans into attributions: every CONTENT span is
   linked to its best CUE, every CUE to its best SOURCE, by a swappable link scorer chosen in
   the config (``claimgraph.learned_link_scorer.v1``, a logistic model fitted on PolNeAR
   train, see :mod:`claimgraph.extract.linking`; or the hand-weighted
   ``claimgraph.syntactic_link_scorer.v2``). Linked spans go to
   ``doc.spans["claim_cues"]``, ``["claim_sources"]`` and ``["claim_contents"]``; spans of one
   attribution share ``span.id_`` ("a0", "a1", ...).

Link rules are data: the dependency roles that tie a cue to its content or source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy
from spacy.attrs import DEP, HEAD, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import registry

from claimgraph.nlp.labels import dep_role

from .recovery import (
    governing_source,
    has_own_subject,
    recover_according_to,
    recover_content,
    recover_cue,
    recover_source,
    shares_subject,
)
from .rules import (
    CONTENT_ROLES,
    OPENING_QUOTES,
    QUOTE_PAIRS,
    SOURCE_ROLES,
)

SPANS_KEY = "attribution_spans"
CUES_KEY = "claim_cues"
SOURCES_KEY = "claim_sources"
CONTENTS_KEY = "claim_contents"

# Labels whose touching spans are one span: the transition-based tagger sometimes ends a
# source and opens another at the next token ("[Clinton spokesman] [Nick Merrill] says").
# PolNeAR's sources and cues are single phrases; contents are not joined (a quote is
# tagged one piece per sentence, and the linker joins its pieces).
JOINED_LABELS = frozenset({"SOURCE", "CUE"})


@dataclass(frozen=True)
class ParseIndex:
    """Per-token facts of one parsed Doc as plain lists, built once for all its links:
    ``sentence[i]`` (index of token i's sentence), ``head[i]`` (its head's index) and
    ``role[i]`` (its dependency role, see :func:`claimgraph.nlp.labels.dep_role`).

    >>> import spacy
    >>> doc = spacy.blank("en")("Peskov said so. Talks stall.")
    >>> doc = Doc(doc.vocab, words=[t.text for t in doc], heads=[1, 1, 1, 1, 5, 5, 5],
    ...           deps=["nsubj", "ROOT", "advmod", "punct", "nsubj", "ROOT", "punct"],
    ...           sent_starts=[True, False, False, False, True, False, False])
    >>> index = ParseIndex.of(doc)
    >>> index.sentence, index.head[:3], index.role[0]
    ([0, 0, 0, 0, 1, 1, 1], [1, 1, 1], 'subj')
    """

    sentence: list[int]
    head: list[int]
    role: list[str]
    #: (start, end) of the tagged spans in ``doc.spans["attribution_spans"]`` by label, sorted.
    tagged: Mapping[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)

    @classmethod
    def of(cls, doc: Doc) -> ParseIndex:
        if not len(doc):
            return cls([], [], [])
        by_label: dict[str, list[tuple[int, int]]] = {}
        for span in doc.spans.get(SPANS_KEY, []):
            by_label.setdefault(span.label_, []).append((span.start, span.end))
        tagged = {label: tuple(sorted(spans)) for label, spans in by_label.items()}
        rows = doc.to_array([HEAD, SENT_START]).astype("int64")  # heads are relative
        starts = rows[:, 1] == 1
        starts[0] = False
        sentence = numpy.cumsum(starts).tolist()
        head = (rows[:, 0] + numpy.arange(len(doc))).tolist()
        deps = doc.to_array(DEP).tolist()
        roles = {dep: dep_role(doc.vocab.strings[dep]) for dep in set(deps)}
        return cls(sentence, head, [roles[dep] for dep in deps], tagged)

    def ancestors(self, i: int, limit: int) -> Iterator[int]:
        """Up to ``limit`` heads above token ``i``, nearest first."""
        for _ in range(limit):
            if self.head[i] == i:
                return
            i = self.head[i]
            yield i


LinkScorer = Callable[[Span, Span, str, ParseIndex], float]


def _syntactic_tie(cue: Span, other: Span, roles: frozenset[str], parse: ParseIndex) -> bool:
    """True when a dependency arc with one of ``roles`` joins the two spans either way."""
    head, role = parse.head, parse.role
    for i in range(other.start, other.end):
        if cue.start <= head[i] < cue.end and role[i] in roles:
            return True
    for i in range(cue.start, cue.end):
        if other.start <= head[i] < other.end and head[i] != i:
            return True
    return any(cue.start <= a < cue.end for a in parse.ancestors(other.root.i, 2))


@registry.misc("claimgraph.syntactic_link_scorer.v2")
def make_syntactic_link_scorer(
    syntax: float = 3.0,
    same_sentence: float = 1.0,
    per_sentence_gap: float = -1.5,
    per_token: float = -0.02,
) -> LinkScorer:
    """Score a (cue, span) pair: dependency ties, same sentence, and distance.

    ``role`` is "source" or "content" and selects the dependency roles that count as a tie;
    ``parse`` is the Doc's :class:`ParseIndex`.
    """

    def score(cue: Span, other: Span, role: str, parse: ParseIndex) -> float:
        roles = SOURCE_ROLES if role == "source" else CONTENT_ROLES
        value = syntax if _syntactic_tie(cue, other, roles, parse) else 0.0
        cue_sent = parse.sentence[cue.start]
        first, last = parse.sentence[other.start], parse.sentence[other.end - 1]
        if first <= cue_sent <= last:
            value += same_sentence
        else:
            gap = cue_sent - last if last < cue_sent else first - cue_sent
            value += per_sentence_gap * gap
        return value + per_token * span_gap(cue, other)

    return score


def span_gap(a: Span, b: Span) -> int:
    """Tokens between two spans (0 when they touch or overlap)."""
    return max(b.start - a.end, a.start - b.end, 0)


def join_content_pieces(
    contents: list[Span], *, max_gap: int = 3, text: str | None = None
) -> list[list[Span]]:
    """Group CONTENT spans separated only by spaces or punctuation (a quote over sentences).

    The tagger predicts one piece per sentence; a quote running on is one content. A piece
    that opens a new quotation starts a new content. ``text`` is the Doc's text, when the
    caller has it already (``Doc.text`` joins every token anew).
    """
    groups: list[list[Span]] = []
    if text is None:
        text = contents[0].doc.text if contents else ""
    for span in sorted(contents, key=lambda s: s.start):
        if groups:
            previous = groups[-1][-1]
            between = span.doc[previous.end : span.start]
            opens_quote = span[0].text in OPENING_QUOTES or (
                span[0].text == '"'
                and (span.start_char == 0 or text[span.start_char - 1].isspace())
            )
            if (
                len(between) <= max_gap
                and all(t.is_space or t.is_punct for t in between)
                and not opens_quote
            ):
                groups[-1].append(span)
                continue
        groups.append([span])
    return groups


def link_attributions(
    doc: Doc,
    spans: Iterable[Span],
    *,
    scorer: LinkScorer,
    max_sentence_gap: int = 1,
    intervening_cue: float = -1.5,
    threshold: float = -2.5,
    recover: bool = True,
) -> list[tuple[Span, Span | None, list[Span]]]:
    """Group labelled spans into (cue, source, contents) triples.

    Contents go to the best-scoring cue within ``max_sentence_gap`` sentences (a cue lying
    between them costs ``intervening_cue``); each cue then takes its best unused source.
    With ``recover``, a cue left without content takes the clause it governs
    (:func:`recover_content`; else it is dropped), a content left without cue its governing
    speech verb (:func:`recover_cue`) and a cue left without source its subject or the
    subject it shares (:func:`recover_source`). A content that opens a quotation but ends
    inside it is extended to the closing mark (:func:`extend_to_quote_end`).
    """
    spans = sorted(spans, key=lambda s: s.start)
    cues = [s for s in spans if s.label_ == "CUE"]
    sources = [s for s in spans if s.label_ == "SOURCE"]
    contents = [s for s in spans if s.label_ == "CONTENT"]
    if not cues and (not contents or not recover):
        return []
    text = doc.text  # Doc.text joins every token anew: once per document
    pieces = join_content_pieces(contents, text=text)
    parse = ParseIndex.of(doc)
    sent_of = parse.sentence
    contents_of: dict[int, list[Span]] = {i: [] for i in range(len(cues))}
    unlinked: list[list[Span]] = []
    for group in pieces:
        content = doc[group[0].start : group[-1].end]
        best, best_score = None, threshold
        c_first, c_last = sent_of[content.start], sent_of[content.end - 1]
        for i, cue in enumerate(cues):
            cue_sent = sent_of[cue.start]
            if cue_sent < c_first - max_sentence_gap or cue_sent > c_last + max_sentence_gap:
                continue
            value = scorer(cue, content, "content", parse)
            lo, hi = sorted((cue.start, content.start))
            if any(lo < other.start < hi for other in cues if other is not cue):
                value += intervening_cue
            if value > best_score:
                best, best_score = i, value
        if best is not None:
            contents_of[best].extend(group)
        else:
            unlinked.append(group)
    pairs = sorted(
        (
            (scorer(cue, source, "source", parse), i, j)
            for i, cue in enumerate(cues)
            if contents_of[i]
            for j, source in enumerate(sources)
            if abs(sent_of[cue.start] - sent_of[source.start]) <= max_sentence_gap
        ),
        reverse=True,
    )
    source_of: dict[int, Span] = {}
    linked_content = {t.i for parts in contents_of.values() for p in parts for t in p}
    for i, cue in enumerate(cues):
        if contents_of[i] and shares_subject(cue.root):
            own = {t.i for p in contents_of[i] for t in p}
            shared = governing_source(cue, sources, passed_over=linked_content - own)
            if shared is not None:
                source_of[i] = shared
    used: set[int] = set()
    for value, i, j in pairs:
        if value <= threshold or i in source_of or j in used:
            continue
        source_of[i] = sources[j]
        used.add(j)
    triples = [
        (cue, source_of.get(i), contents_of[i]) for i, cue in enumerate(cues) if contents_of[i]
    ]
    if recover:
        triples = _recover(doc, triples, unlinked, spans)
        triples = _free_sources_to_recovered(
            triples, sources, lambda cue, source: scorer(cue, source, "source", parse),
            threshold=threshold, max_sentence_gap=max_sentence_gap, sent_of=sent_of,
        )  # fmt: skip
    cue_starts = [cue.start_char for cue, _, _ in triples]
    return [
        (cue, source, extend_to_quote_end(parts, cue_starts, text=text))
        for cue, source, parts in triples
    ]


def _opening_quote(text: str, start: int) -> tuple[str, int] | None:
    """The opening quotation mark at or just before ``start`` and where it ends."""
    for mark in QUOTE_PAIRS:
        if text.startswith(mark, start):
            return mark, start + len(mark)
        if start >= len(mark) and text.startswith(mark, start - len(mark)):
            return mark, start
    return None


def extend_to_quote_end(
    parts: list[Span], stops: Iterable[int] = (), *, text: str | None = None
) -> list[Span]:
    """Extend a content that opens a quotation but stops inside it to the closing mark.

    The tagger ends some long quotes early (one sentence of several); a quotation is one
    content. Only within the paragraph, and not over a character offset in ``stops`` (other
    attributions' cues). ``text`` is the Doc's text, when the caller has it already.
    """
    first, last = parts[0], parts[-1]
    doc = first.doc
    text = doc.text if text is None else text
    opening = _opening_quote(text, first.start_char)
    if opening is None:
        return parts
    mark, inner = opening
    close = text.find(QUOTE_PAIRS[mark], max(inner, last.end_char - len(mark)))
    if close < 0 or close < last.end_char:
        return parts
    if "\n" in text[last.end_char : close] or any(last.end_char <= s < close for s in stops):
        return parts
    tail = doc.char_span(last.start_char, close, alignment_mode="expand")
    if tail is None:
        return parts
    return [*parts[:-1], doc[last.start : tail.end]]


def _recover(
    doc: Doc,
    triples: list[tuple[Span, Span | None, list[Span]]],
    unlinked: list[list[Span]],
    spans: list[Span],
) -> list[tuple[Span, Span | None, list[Span]]]:
    """Fallback steps: "according to" clauses, contents for cues left without one, cues for
    unlinked contents, subjects for cues without source."""
    taken = {t.i for span in spans for t in span}
    linked = {cue.start for cue, _, _ in triples}
    used = {t.i for triple in triples for t in _triple_tokens(triple)}
    for cue in (s for s in spans if s.label_ == "CUE" and s.start not in linked):
        found = recover_according_to(cue)
        if found is not None:
            triples.append((cue, found[0], [found[1]]))
        else:
            content = recover_content(cue, used)
            if content is None:
                continue
            triples.append((cue, None, [content]))
        used.update(t.i for t in _triple_tokens(triples[-1]))
    for group in unlinked:
        cue = recover_cue(doc[group[0].start : group[-1].end])
        if cue is not None and cue.start not in taken:
            taken.add(cue.start)
            triples.append((cue, None, group))
    sources = [s for s in spans if s.label_ == "SOURCE"]
    contents = {t.i for triple in triples for p in triple[2] for t in p}
    out = []
    speaker_of: dict[int, Span] = {}  # content token -> source of an attribution in ``out``
    for cue, source, parts in sorted(triples, key=lambda t: t[0].start):
        if source is None:
            own = {t.i for p in parts for t in p}
            source = recover_source(
                cue, taken | own, sources=sources, other_contents=contents - own
            )
            if source is not None:
                taken.update(range(source.start, source.end))
                sources.append(source)  # shared like a tagged one: "X said ..., arguing ..."
            else:
                source = enclosing_source(cue, speaker_of)
        out.append((cue, source, parts))
        if source is not None:
            speaker_of.update((t.i, source) for part in parts for t in part)
    return out


def enclosing_source(cue: Span, speaker_of: Mapping[int, Span], *, depth: int = 3) -> Span | None:
    """For a cue verb without subject of its own that the parser hung inside an earlier
    attribution's content ("Trump attacked Clinton for her support of the war, saying ..."
    with *saying* under *support*), that attribution's source; else None. ``speaker_of`` maps
    the content tokens of earlier attributions to their sources."""
    if has_own_subject(cue.root):
        return None
    token = cue.root
    for _ in range(depth):
        if token.head.i == token.i:
            return None
        token = token.head
        if token.i in speaker_of:
            return speaker_of[token.i]
    return None


def _free_sources_to_recovered(
    triples: list[tuple[Span, Span | None, list[Span]]],
    sources: list[Span],
    score: Callable[[Span, Span], float],
    *,
    threshold: float,
    max_sentence_gap: int,
    sent_of: Sequence[int],
) -> list[tuple[Span, Span | None, list[Span]]]:
    """Cues still without source after recovery (their content was recovered from the parse,
    and the parse gave no subject: "..., said one GOP source in the room" with *source* as a
    complement) take the best-scoring tagged source no attribution uses, as linked cues do."""
    used = {(s.start, s.end) for _, s, _ in triples if s is not None}
    free = [s for s in sources if (s.start, s.end) not in used]
    out = []
    for cue, source, parts in triples:
        if source is None and free:
            inside = {t.i for t in cue} | {t.i for p in parts for t in p}
            scored = [
                (score(cue, s), n)
                for n, s in enumerate(free)
                if abs(sent_of[cue.start] - sent_of[s.start]) <= max_sentence_gap
                and not any(t.i in inside for t in s)
            ]
            if scored:
                value, n = max(scored)
                if value > threshold:
                    source = free.pop(n)
        out.append((cue, source, parts))
    return out


def _triple_tokens(triple: tuple[Span, Span | None, list[Span]]) -> Iterator[Token]:
    cue, source, parts = triple
    yield from cue
    if source is not None:
        yield from source
    for part in parts:
        yield from part


@Language.component(
    "claimgraph_stash_attribution_spans", requires=["doc.ents"], assigns=["doc.spans"]
)
def stash_attribution_spans(doc: Doc) -> Doc:
    """Move the attribution tagger's spans from ``doc.ents`` to ``doc.spans``, joining
    touching spans of a label in :data:`JOINED_LABELS` (see :func:`join_touching`)."""
    doc.spans[SPANS_KEY] = join_touching(doc.ents, JOINED_LABELS)
    doc.set_ents([], default="missing")
    return doc


def join_touching(spans: Iterable[Span], labels: frozenset[str]) -> list[Span]:
    """``spans`` in order, each run of touching spans (no token between) with the same label
    in ``labels`` replaced by one span.

    >>> import spacy
    >>> doc = spacy.blank("en")("Clinton spokesman Nick Merrill says")
    >>> parts = [Span(doc, 0, 2, "SOURCE"), Span(doc, 2, 4, "SOURCE"), Span(doc, 4, 5, "CUE")]
    >>> [(s.text, s.label_) for s in join_touching(parts, frozenset({"SOURCE"}))]
    [('Clinton spokesman Nick Merrill', 'SOURCE'), ('says', 'CUE')]
    """
    out: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        prev = out[-1] if out else None
        if (
            prev is not None
            and span.label_ == prev.label_
            and span.label_ in labels
            and span.start == prev.end
        ):
            out[-1] = Span(span.doc, prev.start, span.end, label=prev.label)
        else:
            out.append(span)
    return out


class AttributionLinker:
    """Pipeline component writing linked attribution spans (see the module docstring)."""

    def __init__(
        self,
        name: str,
        *,
        scorer: LinkScorer,
        max_sentence_gap: int,
        intervening_cue: float,
        threshold: float,
        recover: bool = True,
    ) -> None:
        if max_sentence_gap < 0:
            raise ValueError(f"max_sentence_gap must be >= 0, not {max_sentence_gap}")
        self.name = name
        self.scorer = scorer
        self.max_sentence_gap = max_sentence_gap
        self.intervening_cue = intervening_cue
        self.threshold = threshold
        self.recover = recover

    def __call__(self, doc: Doc) -> Doc:
        cues: list[Span] = []
        sources: list[Span] = []
        contents: list[Span] = []
        triples = link_attributions(
            doc,
            doc.spans.get(SPANS_KEY, []),
            scorer=self.scorer,
            max_sentence_gap=self.max_sentence_gap,
            intervening_cue=self.intervening_cue,
            threshold=self.threshold,
            recover=self.recover,
        )
        for n, (cue, source, parts) in enumerate(triples):
            ident = f"a{n}"
            cues.append(Span(doc, cue.start, cue.end, label="CUE", span_id=ident))
            if source is not None:
                sources.append(Span(doc, source.start, source.end, label="SOURCE", span_id=ident))
            contents.extend(
                Span(doc, p.start, p.end, label="CONTENT", span_id=ident) for p in parts
            )
        doc.spans[CUES_KEY] = cues
        doc.spans[SOURCES_KEY] = sources
        doc.spans[CONTENTS_KEY] = contents
        return doc


@Language.factory(
    "claimgraph_attribution_linker",
    default_config={
        "scorer": {"@misc": "claimgraph.learned_link_scorer.v1"},
        "max_sentence_gap": 1,
        "intervening_cue": 0.0,
        "threshold": -1.0,
        "recover": True,
    },
    requires=["doc.spans", "token.dep", "token.head", "token.is_sent_start"],
    assigns=["doc.spans"],
)
def make_attribution_linker(
    nlp: Language,
    name: str,
    scorer: LinkScorer,
    max_sentence_gap: int,
    intervening_cue: float,
    threshold: float,
    recover: bool,
) -> AttributionLinker:
    return AttributionLinker(
        name,
        scorer=scorer,
        max_sentence_gap=max_sentence_gap,
        intervening_cue=intervening_cue,
        threshold=threshold,
        recover=recover,
    )
