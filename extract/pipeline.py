"""Running attribution extraction over texts with any spaCy pipeline.

The bundled pipeline already contains the attribution steps. For another pipeline (an
installed ``en_core_web_*`` or a path), :func:`add_attribution_pipes` sources the trained
span tagger from the bundled pipeline and appends the linker, so the same code path runs.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

import spacy
from spacy.language import Language

from claimgraph.ingest import Article, Document

from . import attribution, linking  # noqa: F401  (register the spaCy factories used below)
from .claims import extract_claims
from .confidence import ConfidenceModel, bundled_models
from .pieces import blank_controls, split_text, squeeze_blanks, unblank
from .records import Claim, EntityRef, TextSpan
from .taggers import DEFAULT_TAGGER, TAGGERS

logger = logging.getLogger(__name__)

TAGGER = "attribution_spans"
STASH = "claimgraph_stash_attribution_spans"
LINKER = "claimgraph_attribution_linker"
ATTRIBUTION_PIPES = (TAGGER, STASH, LINKER)
ACCURATE_FACTORY = "claimgraph_transformer_spans"


@dataclass(frozen=True)
class TextUnit:
    """A stretch of an input file to process: ``text`` starts at ``offset`` in the file."""

    doc: str
    article: int
    offset: int
    text: str
    title: tuple[int, int] | None = None  # the headline's (start, end) within ``text``


def masked_article_text(
    text: str, start: int, end: int, segments: Iterable[tuple[int, int]]
) -> str:
    r"""``text[start:end]`` with everything outside ``segments`` blanked (newlines kept).

    The result has the same length as the slice, so offsets found in it, plus ``start``,
    index ``text``; header lines and in-article chrome are invisible to the pipeline.

    >>> masked_article_text("ABC News\nTalks stall.", 0, 21, [(9, 21)])
    '        \nTalks stall.'
    """
    chars = [c if c == "\n" else " " for c in text[start:end]]
    for seg_start, seg_end in segments:
        chars[seg_start - start : seg_end - start] = text[seg_start:seg_end]
    return "".join(chars)


def article_unit(document: Document, article: Article) -> TextUnit:
    """The unit the pipeline reads for one ingested article: its masked text, offset by its
    start in the document (see :func:`masked_article_text`)."""
    text = masked_article_text(document.text, article.start, article.end, article.segments)
    title = None
    if article.title_span is not None:
        title = (article.title_span[0] - article.start, article.title_span[1] - article.start)
    return TextUnit(document.source, article.index, article.start, text, title)


def has_attribution_pipes(nlp: Language) -> bool:
    return all(name in nlp.pipe_names for name in ATTRIBUTION_PIPES)


def add_attribution_pipes(nlp: Language, tagger_source: Path | str) -> Language:
    """Add the attribution tagger (sourced from ``tagger_source``), stash and linker to ``nlp``.

    The tagger goes before any entity recogniser so it runs unconstrained; a pipeline that
    sets no sentence boundaries gets a sentencizer. ``nlp`` is changed in place and returned.
    """
    if has_attribution_pipes(nlp):
        return nlp
    source = spacy.load(tagger_source)
    if TAGGER not in source.pipe_names:
        raise ValueError(f"{tagger_source}: has no {TAGGER!r} component to source")
    _own_tok2vec(source, TAGGER)
    assigned = {attr for name in nlp.pipe_names for attr in nlp.get_pipe_meta(name).assigns}
    if "token.is_sent_start" not in assigned:  # the linker works sentence by sentence
        nlp.add_pipe("sentencizer", first=True)
        logger.info("no sentence boundaries in %s: added a sentencizer", nlp.meta.get("name"))
    before = "ner" if "ner" in nlp.pipe_names else None
    nlp.add_pipe(TAGGER, source=source, before=before)
    nlp.add_pipe(STASH, after=TAGGER)
    nlp.add_pipe(LINKER, last=True)
    logger.info("added attribution steps to %s", nlp.meta.get("name"))
    return nlp


def check_tagger(tagger: str, *, model: Path | str | None = None) -> None:
    """Raise unless ``tagger`` can run here: ``ValueError`` for a name not in :data:`TAGGERS`;
    for ``"accurate"``, ``FileNotFoundError`` for an incomplete model folder (``model``, by
    default the bundled one) and ``ImportError`` when its run-time libraries are missing.
    Checked before worker processes start, so that they never fail on it one by one."""
    if tagger not in TAGGERS:
        raise ValueError(f"unknown tagger {tagger!r}; choose from {', '.join(TAGGERS)}")
    if tagger == "accurate":
        from .transformer_spans import bundled_model_dir, check_model

        check_model(Path(model) if model is not None else bundled_model_dir())


def use_tagger(nlp: Language, tagger: str, *, model: Path | str | None = None) -> Language:
    """Run the attribution span tagger ``tagger`` (one of :data:`TAGGERS`) in ``nlp``.

    ``"fast"`` leaves ``nlp`` as it is; ``"accurate"`` puts the transformer tagger
    (:mod:`claimgraph.extract.transformer_spans`, read from the model folder ``model``, by
    default the one bundled) in place of the trained CNN, keeping the component's name, so
    the linker and everything after it run unchanged. ``nlp`` must hold the attribution
    steps (see :func:`add_attribution_pipes`); it is changed in place and returned.
    """
    check_tagger(tagger, model=model)
    if not has_attribution_pipes(nlp):
        raise ValueError(f"pipeline {nlp.meta.get('name')!r} lacks the attribution steps")
    if tagger == "accurate" and nlp.get_pipe_meta(TAGGER).factory != ACCURATE_FACTORY:
        from . import transformer_spans  # noqa: F401  (registers the factory)

        config = {"model": None if model is None else str(model)}
        nlp.replace_pipe(TAGGER, ACCURATE_FACTORY, config=config)
        logger.info("attribution spans from the accurate tagger")
    return nlp


@dataclass(frozen=True)
class PipelineSpec:
    """Which extraction pipeline to run: a spaCy pipeline name or path (``None``: the bundled
    one) and the attribution span tagger (one of :data:`TAGGERS`)."""

    model: str | None = None
    tagger: str = DEFAULT_TAGGER


#: The bundled pipeline with the default span tagger.
BUNDLED = PipelineSpec()
_LOADED: dict[PipelineSpec, Language] = {}
_LOADING = threading.Lock()


def extraction_pipeline(spec: PipelineSpec = BUNDLED) -> Language:
    """The extraction pipeline ``spec`` names, loaded once per process and kept.

    Another pipeline than the bundled one gets the bundled attribution steps added (see
    :func:`add_attribution_pipes`), then the span tagger is chosen (:func:`use_tagger`).
    Raises :class:`~claimgraph.nlp.PipelineNotFoundError` for a pipeline that is not there,
    ``ValueError``/``OSError`` when the attribution steps cannot be added, and
    ``ImportError`` when the accurate tagger's libraries are missing. Safe to call from
    several threads (a Dask worker runs tasks in threads).
    """
    from claimgraph.nlp import BUNDLED_PATH, load_pipeline

    with _LOADING:
        nlp = _LOADED.get(spec)
        if nlp is None:
            nlp = load_pipeline(spec.model)
            if spec.model is not None:
                add_attribution_pipes(nlp, BUNDLED_PATH)
            nlp = _LOADED[spec] = use_tagger(nlp, spec.tagger)
    return nlp


def _own_tok2vec(nlp: Language, name: str) -> None:
    """Give component ``name`` its own copy of the shared tok2vec layer it listens to.

    A tagger trained on its pipeline's shared token vectors (a spaCy ``Tok2VecListener``)
    would otherwise attach to whatever ``tok2vec`` the receiving pipeline has, or to none;
    the bundled tagger has its own layers, and then this does nothing.
    """
    paths = list(_listener_paths(nlp.get_pipe_config(name)["model"], "model"))
    if not paths:
        return
    for tok2vec_name, proc in nlp.pipeline:
        if name in getattr(proc, "listening_components", ()):
            nlp.replace_listeners(tok2vec_name, name, paths)


def _listener_paths(cfg: dict, prefix: str) -> Iterator[str]:
    """The config path of each ``spacy.Tok2VecListener`` block in ``cfg``."""
    if str(cfg.get("@architectures", "")).startswith("spacy.Tok2VecListener"):
        yield prefix
        return
    for key, value in cfg.items():
        if isinstance(value, dict):
            yield from _listener_paths(value, f"{prefix}.{key}")


#: Longest text read as one Doc; longer units are read in pieces (see :func:`extract_grouped`).
MAX_CHARS = 100_000


class _Piece(NamedTuple):
    """One stretch of a unit as the pipeline reads it: ``part`` is the unit's text there (its
    offset and headline shifted to the piece), ``blanked`` that text as :func:`blank_controls`
    leaves it; ``last`` marks the unit's final piece."""

    unit: TextUnit
    part: TextUnit
    blanked: str
    last: bool


def _pieces(unit: TextUnit, max_chars: int) -> Iterator[_Piece]:
    blanked = blank_controls(unit.text)
    if len(unit.text) <= max_chars:
        yield _Piece(unit, unit, blanked, True)
        return
    spans = split_text(blanked, max_chars)
    logger.info(
        "%s article %d: %d characters, read in %d pieces",
        unit.doc, unit.article, len(unit.text), len(spans),
    )  # fmt: skip
    for n, (start, end) in enumerate(spans):
        title = None
        if unit.title is not None and start <= unit.title[0] < end:
            title = (unit.title[0] - start, min(unit.title[1], end) - start)
        part = TextUnit(unit.doc, unit.article, unit.offset + start, unit.text[start:end], title)
        yield _Piece(unit, part, blanked[start:end], n == len(spans) - 1)


def _span(span: TextSpan, piece: _Piece) -> TextSpan:
    offset = piece.part.offset
    original, blanked = piece.part.text, piece.blanked
    text, start, end = unblank(original, blanked, span.start - offset, span.end - offset)
    return TextSpan(text, start + offset, end + offset)


def _ref(ref: EntityRef | None, piece: _Piece) -> EntityRef | None:
    if ref is None:
        return None
    span = _span(TextSpan(ref.text, ref.start, ref.end), piece)
    return replace(
        ref,
        text=span.text,
        start=span.start,
        end=span.end,
        entity=None if ref.entity is None else squeeze_blanks(ref.entity),
        role=None if ref.role is None else squeeze_blanks(ref.role),
        affiliation=None if ref.affiliation is None else squeeze_blanks(ref.affiliation),
    )


def _unblanked(claim: Claim, piece: _Piece) -> Claim:
    """``claim`` of a piece that had control characters blanked: span texts are the input's
    with those characters left out, names have the runs of spaces they left squeezed."""
    return replace(
        claim,
        content=tuple(_span(part, piece) for part in claim.content),
        cue=None if claim.cue is None else _span(claim.cue, piece),
        context=None if claim.context is None else _span(claim.context, piece),
        speaker=_ref(claim.speaker, piece),
        target=_ref(claim.target, piece),
    )


def tagger_name(nlp: Language) -> str:
    """Which span tagger of :data:`TAGGERS` runs in ``nlp`` (a pipeline with attribution
    steps)."""
    return "accurate" if nlp.get_pipe_meta(TAGGER).factory == ACCURATE_FACTORY else "fast"


def confidence_model(nlp: Language) -> ConfidenceModel | None:
    """The confidence model fitted for ``nlp``'s span tagger, or ``None`` when none ships."""
    return bundled_models().get(tagger_name(nlp))


def extract_grouped(
    nlp: Language,
    units: Iterable[TextUnit],
    *,
    batch_size: int = 16,
    n_process: int = 1,
    max_chars: int = MAX_CHARS,
    features: bool = False,
) -> Iterator[tuple[TextUnit, list[Claim]]]:
    """Each unit with its claims, in input order, offsets into the unit's file.

    Terminal escape sequences and control characters are blanked in the text the pipeline
    reads (see :func:`~claimgraph.extract.pieces.blank_controls`); the claims' texts leave
    them out. A unit longer than ``max_chars`` (or the pipeline's ``max_length``) is read in
    pieces cut at paragraph, line or sentence ends (see
    :func:`~claimgraph.extract.pieces.split_text`), names and pronouns resolved within each
    piece; its claims are those of its pieces, in order. Units are read lazily, as the
    pipeline takes its batches of ``batch_size`` pieces. Each claim's confidence comes from
    the model shipped for the pipeline's span tagger (:func:`confidence_model`); with
    ``features`` its ``meta["features"]`` holds that model's inputs.
    """
    if not has_attribution_pipes(nlp):
        raise ValueError(
            f"pipeline {nlp.meta.get('name')!r} lacks the attribution steps "
            f"({TAGGER}, {STASH}, {LINKER}); see add_attribution_pipes()"
        )
    limit = min(max_chars, nlp.max_length)
    if limit < 1:
        raise ValueError(f"max_chars must be at least 1, not {limit}")
    model = confidence_model(nlp)
    stream = ((piece.blanked, piece) for unit in units for piece in _pieces(unit, limit))
    claims: list[Claim] = []
    for doc, piece in nlp.pipe(stream, as_tuples=True, batch_size=batch_size, n_process=n_process):
        part = piece.part
        found = extract_claims(
            doc,
            doc_name=part.doc,
            article=part.article,
            offset=part.offset,
            title=part.title,
            text=piece.blanked,
            confidence=model,
            features=features,
        )
        if piece.blanked == part.text:
            claims.extend(found)
        else:
            claims.extend(_unblanked(claim, piece) for claim in found)
        if piece.last:
            yield piece.unit, claims
            claims = []


def extract_units(
    nlp: Language,
    units: Iterable[TextUnit],
    *,
    batch_size: int = 16,
    n_process: int = 1,
    max_chars: int = MAX_CHARS,
) -> Iterator[Claim]:
    """Claims of each unit, in order, with offsets into the unit's file (see
    :func:`extract_grouped`)."""
    grouped = extract_grouped(
        nlp, units, batch_size=batch_size, n_process=n_process, max_chars=max_chars
    )
    for _, claims in grouped:
        yield from claims
