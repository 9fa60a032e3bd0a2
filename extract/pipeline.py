"""Running attribution extraction over texts with any spaCy pipeline.

The bundled pipeline already contains the attribution steps. For another pipeline (an
installed ``en_core_web_*`` or a path), :func:`add_attribution_pipes` sources the trained
span tagger from the bundled pipeline and appends the linker, so the same code path runs.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

from claimgraph.ingest import Article, Document

from . import attribution  # noqa: F401  (registers the spaCy factories used below)
from .claims import extract_claims
from .records import Claim

logger = logging.getLogger(__name__)

TAGGER = "attribution_spans"
STASH = "claimgraph_stash_attribution_spans"
LINKER = "claimgraph_attribution_linker"
ATTRIBUTION_PIPES = (TAGGER, STASH, LINKER)
ACCURATE_FACTORY = "claimgraph_transformer_spans"
#: Span taggers to choose from: the bundled CNN (default), or the transformer run by
#: onnxruntime (more attributions found, the pipeline about 1.4 times slower; see
#: ``extract/MODEL_CARD.md``).
TAGGERS = ("fast", "accurate")


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
    """``text[start:end]`` with everything outside ``segments`` blanked (newlines kept).

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


def extract_grouped(
    nlp: Language, units: Iterable[TextUnit], *, batch_size: int = 16, n_process: int = 1
) -> Iterator[tuple[TextUnit, list[Claim]]]:
    """Each unit with its claims, in input order, offsets into the unit's file."""
    if not has_attribution_pipes(nlp):
        raise ValueError(
            f"pipeline {nlp.meta.get('name')!r} lacks the attribution steps "
            f"({TAGGER}, {STASH}, {LINKER}); see add_attribution_pipes()"
        )
    stream = ((unit.text, unit) for unit in units)
    for doc, unit in nlp.pipe(stream, as_tuples=True, batch_size=batch_size, n_process=n_process):
        claims = extract_claims(
            doc,
            doc_name=unit.doc,
            article=unit.article,
            offset=unit.offset,
            title=unit.title,
            text=unit.text,
        )
        yield unit, list(claims)


def extract_units(
    nlp: Language, units: Iterable[TextUnit], *, batch_size: int = 16, n_process: int = 1
) -> Iterator[Claim]:
    """Claims of each unit, in order, with offsets into the unit's file."""
    for _, claims in extract_grouped(nlp, units, batch_size=batch_size, n_process=n_process):
        yield from claims
