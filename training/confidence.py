"""Fit and check the claim confidence model (:mod:`claimgraph.extract.confidence`).

Each claim extracted from PolNeAR dev is labelled right or wrong by the shared scorer's
who-said-what rule (:func:`label_claims`), and a logistic model over the claim's features is
fitted to those labels, one model per span tagger. The figures reported are from 5-fold
cross-validation over dev documents (each claim scored by a model that never saw its
article): expected calibration error over 10 equal-width bins, and the precision of the more
and of the less confident half. The shipped weights are then fitted on all of dev. PolNeAR
train is not used: the span taggers were trained on it, so their errors there are not the
errors they make on new text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy
from spacy.language import Language

from claimgraph.exports._io import atomic_output
from claimgraph.extract.confidence import FEATURES, ConfidenceModel
from claimgraph.extract.pipeline import TextUnit, extract_grouped
from claimgraph.extract.records import Claim

from .polnear import GoldAttribution, read_split

WORD = re.compile(r"\w+")
#: Content token Jaccard at which a claim matches a gold attribution (the scorer's).
MATCH_JACCARD = 0.5
FOLDS = 5
BINS = 10
#: L2 penalty of the logistic fit (on weights, not the bias).
L2 = 1.0


def _tokens(starts: Sequence[int], spans: Iterable[tuple[int, int]]) -> frozenset[int]:
    found = numpy.asarray(starts)
    out: set[int] = set()
    for start, end in spans:
        lo, hi = numpy.searchsorted(found, [start, end])
        out.update(int(s) for s in found[lo:hi])
    return frozenset(out)


def label_claims(text: str, claims: Sequence[Claim], gold: Sequence[GoldAttribution]) -> list[int]:
    """1 for each claim that the scorer's who-said-what counts right, else 0.

    Claims and gold attributions are matched one to one, best content token Jaccard first
    (at least :data:`MATCH_JACCARD`); a matched claim is right when its speaker span and the
    gold source share a token, or neither has one.
    """
    starts = [m.start() for m in WORD.finditer(text)]
    pred = [
        (
            _tokens(starts, [(s.start, s.end) for s in c.content]),
            _tokens(starts, [(c.speaker.start, c.speaker.end)]) if c.speaker else frozenset(),
        )
        for c in claims
    ]
    wanted = [(_tokens(starts, g.content), _tokens(starts, g.source)) for g in gold]
    pairs = []
    for i, (content, _) in enumerate(pred):
        for j, (gold_content, _) in enumerate(wanted):
            shared = len(content & gold_content)
            if shared and shared / len(content | gold_content) >= MATCH_JACCARD:
                pairs.append((shared / len(content | gold_content), i, j))
    labels = [0] * len(claims)
    used_p: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in sorted(pairs, reverse=True):
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        source, gold_source = pred[i][1], wanted[j][1]
        labels[i] = int((not source and not gold_source) or bool(source & gold_source))
    return labels


def labelled_dev(
    nlp: Language, root: Path, *, split: str = "dev"
) -> list[tuple[str, list[float], int]]:
    """(article, feature vector, label) for every claim extracted from PolNeAR ``split``."""
    articles = {f"{a.name}.txt": a for a in read_split(root, split)}
    units = [TextUnit(name, 0, 0, a.text) for name, a in articles.items()]
    rows = []
    for unit, claims in extract_grouped(nlp, units, features=True):
        article = articles[unit.doc]
        labels = label_claims(article.text, claims, article.attributions)
        for claim, label in zip(claims, labels, strict=True):
            facts = claim.meta["features"]
            rows.append((article.name, [facts[n] for n in FEATURES], label))
    return rows


def fit(x: numpy.ndarray, y: numpy.ndarray, *, l2: float = L2, steps: int = 50) -> ConfidenceModel:
    """The confidence model fitted by :func:`logistic`."""
    beta = logistic(x, y, l2=l2, steps=steps)
    return ConfidenceModel(float(beta[0]), tuple(float(b) for b in beta[1:]))


def logistic(
    x: numpy.ndarray, y: numpy.ndarray, *, l2: float = L2, steps: int = 50
) -> numpy.ndarray:
    """Logistic regression by Newton's method with an L2 penalty on the weights: the bias,
    then one weight per column of ``x``.

    >>> x = numpy.array([[0.0], [0.0], [1.0], [1.0]])
    >>> beta = logistic(x, numpy.array([0.0, 0.0, 1.0, 1.0]), l2=1.0)
    >>> bool(beta[1] > 0 > beta[0])
    True
    """
    n, k = x.shape
    design = numpy.hstack([numpy.ones((n, 1)), x])
    beta = numpy.zeros(k + 1)
    penalty = numpy.eye(k + 1) * l2
    penalty[0, 0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + numpy.exp(-design @ beta))
        grad = design.T @ (p - y) + penalty @ beta
        hess = (design * (p * (1 - p))[:, None]).T @ design + penalty
        step = numpy.linalg.solve(hess, grad)
        beta -= step
        if numpy.abs(step).max() < 1e-8:
            break
    return beta


def calibration(p: numpy.ndarray, y: numpy.ndarray, *, bins: int = BINS) -> dict[str, float]:
    """Expected calibration error (equal-width bins) and the precision of each half, by
    confidence."""
    edges = numpy.minimum((p * bins).astype(int), bins - 1)
    ece = sum(
        abs(p[edges == b].mean() - y[edges == b].mean()) * (edges == b).sum()
        for b in range(bins)
        if (edges == b).any()
    ) / len(p)
    order = numpy.argsort(-p, kind="stable")
    half = len(p) // 2
    return {
        "ece": round(float(ece), 4),
        "precision_confident_half": round(float(y[order[:half]].mean()), 4),
        "precision_other_half": round(float(y[order[half:]].mean()), 4),
        "claims": len(p),
        "right": int(y.sum()),
    }


def cross_validated(
    rows: Sequence[tuple[str, list[float], int]], *, folds: int = FOLDS
) -> dict[str, float]:
    """:func:`calibration` of probabilities each given by a model fitted without the claim's
    article (articles dealt to ``folds`` folds in sorted order)."""
    articles = sorted({a for a, _, _ in rows})
    fold_of = {a: n % folds for n, a in enumerate(articles)}
    x = numpy.array([f for _, f, _ in rows], dtype=float)
    y = numpy.array([label for _, _, label in rows], dtype=float)
    fold = numpy.array([fold_of[a] for a, _, _ in rows])
    p = numpy.zeros(len(rows))
    for k in range(folds):
        model = fit(x[fold != k], y[fold != k])
        p[fold == k] = [
            model.probability(dict(zip(FEATURES, row, strict=True))) for row in x[fold == k]
        ]
    return calibration(p, y)


def train_confidence(
    pipelines: dict[str, Language], root: Path, output: Path
) -> dict[str, dict[str, object]]:
    """Fit one model per span tagger (``pipelines``: tagger name -> pipeline running it) on
    PolNeAR dev, write them to ``output`` (JSON, atomically) and return per tagger the
    cross-validated and the in-sample :func:`calibration` figures."""
    models, report = {}, {}
    for name, nlp in pipelines.items():
        rows = labelled_dev(nlp, root)
        x = numpy.array([f for _, f, _ in rows], dtype=float)
        y = numpy.array([label for _, _, label in rows], dtype=float)
        model = fit(x, y)
        fitted = numpy.array([model.probability(dict(zip(FEATURES, r, strict=True))) for r in x])
        models[name] = model.to_dict()
        report[name] = {"cross_validated": cross_validated(rows), "fitted": calibration(fitted, y)}
    data = {"fitted_on": "PolNeAR dev (who-said-what labels)", "models": models}
    with atomic_output(output, "w") as handle:
        handle.write(json.dumps(data, indent=1) + "\n")
    return report
