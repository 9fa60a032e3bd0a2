"""Fit the learned link scorer (:mod:`claimgraph.extract.linking`) on PolNeAR train.

Each train article runs through the pipeline with each span tagger; the candidate pairs are
the ones the linker weighs (a content, its quote pieces joined, with every cue within one
sentence; a tagged cue with every source within one sentence). A (cue, content) pair is
linked when one gold attribution's cue overlaps the cue and holds at least half of the
content's characters; a (cue, source) pair when one gold attribution's cue overlaps the cue
and its source overlaps the source. One logistic model per role is fitted to the pairs of
both taggers, so the one scorer serves either.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy
from spacy.language import Language
from spacy.tokens import Doc, Span

from claimgraph.exports._io import atomic_output
from claimgraph.extract.attribution import SPANS_KEY, ParseIndex, join_content_pieces
from claimgraph.extract.linking import LINK_FEATURES, ROLES, LinkModel, link_features

from .confidence import logistic
from .polnear import GoldAttribution, PolnearArticle, read_split

#: Sentences between a cue and a span the linker considers (the linker's default).
MAX_SENTENCE_GAP = 1
L2 = 1.0


def _chars(span: Span) -> tuple[int, int]:
    return span.start_char, span.end_char


def _overlap(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> int:
    return sum(max(0, min(a[1], e) - max(a[0], s)) for s, e in spans)


def _linked(cue: Span, other: Span, role: str, gold: Sequence[GoldAttribution]) -> bool:
    c, o = _chars(cue), _chars(other)
    for attribution in gold:
        if not _overlap(c, attribution.cue):
            continue
        if role == "source" and _overlap(o, attribution.source):
            return True
        if role == "content" and 2 * _overlap(o, attribution.content) >= o[1] - o[0]:
            return True
    return False


def candidate_pairs(doc: Doc, parse: ParseIndex) -> Iterator[tuple[Span, Span, str]]:
    """``(cue, span, role)`` for every pair the linker weighs in ``doc``'s tagged spans
    (``parse``: the Doc's index)."""
    spans = sorted(doc.spans.get(SPANS_KEY, []), key=lambda s: s.start)
    cues = [s for s in spans if s.label_ == "CUE"]
    sources = [s for s in spans if s.label_ == "SOURCE"]
    contents = [s for s in spans if s.label_ == "CONTENT"]
    sent = parse.sentence
    for group in join_content_pieces(contents, text=doc.text):
        content = doc[group[0].start : group[-1].end]
        for cue in cues:
            if (
                sent[content.start] - MAX_SENTENCE_GAP
                <= sent[cue.start]
                <= (sent[content.end - 1] + MAX_SENTENCE_GAP)
            ):
                yield cue, content, "content"
    for cue in cues:
        for source in sources:
            if abs(sent[cue.start] - sent[source.start]) <= MAX_SENTENCE_GAP:
                yield cue, source, "source"


def labelled_pairs(
    docs: Iterable[Doc], articles: Sequence[PolnearArticle]
) -> dict[str, tuple[list[list[float]], list[int]]]:
    """Per role, the feature rows and link labels of every candidate pair in ``docs`` (the
    parsed ``articles``, in order)."""
    rows: dict[str, tuple[list[list[float]], list[int]]] = {r: ([], []) for r in ROLES}
    for article, doc in zip(articles, docs, strict=True):
        parse = ParseIndex.of(doc)
        for cue, other, role in candidate_pairs(doc, parse):
            facts = link_features(cue, other, role, parse)
            rows[role][0].append([facts[n] for n in LINK_FEATURES])
            rows[role][1].append(int(_linked(cue, other, role, article.attributions)))
    return rows


def fit_linker(
    rows: dict[str, tuple[list[list[float]], list[int]]],
) -> tuple[LinkModel, dict[str, dict[str, float]]]:
    """The link model fitted to ``rows`` (see :func:`labelled_pairs`) and, per role, the
    number of pairs, the share linked and the in-sample accuracy."""
    bias, weights, report = {}, {}, {}
    for role in ROLES:
        xs = numpy.array(rows[role][0], dtype=float).reshape(-1, len(LINK_FEATURES))
        ys = numpy.array(rows[role][1], dtype=float)
        beta = logistic(xs, ys, l2=L2)
        bias[role], weights[role] = float(beta[0]), tuple(float(b) for b in beta[1:])
        predicted = (numpy.hstack([numpy.ones((len(xs), 1)), xs]) @ beta) > 0
        report[role] = {
            "pairs": len(ys),
            "linked": round(float(ys.mean()), 4) if len(ys) else 0.0,
            "accuracy": round(float((predicted == (ys > 0.5)).mean()), 4) if len(ys) else 0.0,
        }
    return LinkModel(bias, weights), report


def train_linker(
    pipelines: dict[str, Language], root: Path, output: Path, *, limit: int = 0
) -> dict[str, dict[str, float]]:
    """Fit the link model on PolNeAR train pairs from every pipeline in ``pipelines`` (tagger
    name -> pipeline), write it to ``output`` (JSON, atomically) and return
    :func:`fit_linker`'s report."""
    articles = list(read_split(root, "train", limit=limit))
    rows: dict[str, tuple[list[list[float]], list[int]]] = {r: ([], []) for r in ROLES}
    for nlp in pipelines.values():
        docs = nlp.pipe((a.text for a in articles), batch_size=8)
        for role, (features, labels) in labelled_pairs(docs, articles).items():
            rows[role][0].extend(features)
            rows[role][1].extend(labels)
    model, report = fit_linker(rows)
    taggers = ", ".join(pipelines)
    data = {
        "fitted_on": f"PolNeAR train ({len(articles)} articles; span taggers: {taggers})",
        "model": model.to_dict(),
    }
    with atomic_output(output, "w") as handle:
        handle.write(json.dumps(data, indent=1) + "\n")
    return report
