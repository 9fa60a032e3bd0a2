"""Loading spaCy pipelines: claimgraph's bundled English pipeline or any installed one."""

from __future__ import annotations

import logging
from pathlib import Path

import spacy
from spacy.language import Language

logger = logging.getLogger(__name__)

BUNDLED_NAME = "claimgraph_en"
BUNDLED_PATH = Path(__file__).parent / "models" / BUNDLED_NAME


class PipelineNotFoundError(LookupError):
    """The requested spaCy pipeline is neither installed nor a pipeline directory."""


def load_pipeline(name: str | Path | None = None, *, exclude: tuple[str, ...] = ()) -> Language:
    """Return a spaCy ``Language``: the bundled pipeline by default, else ``name``.

    ``name`` is an installed spaCy pipeline package (``en_core_web_sm``) or a path to a
    pipeline directory. Loading never touches the network.

    >>> nlp = load_pipeline()  # doctest: +SKIP
    >>> [(e.text, e.label_) for e in nlp("Dmitry Peskov spoke in Moscow.").ents]  # doctest: +SKIP
    [('Dmitry Peskov', 'PERSON'), ('Moscow', 'GPE')]
    """
    return spacy.load(locate_pipeline(name), exclude=list(exclude))


def locate_pipeline(name: str | Path | None = None) -> str | Path:
    """What :func:`load_pipeline` would load for ``name`` (a directory or a package name),
    checked without loading it; raises :class:`PipelineNotFoundError` saying how to get it."""
    if name is None or str(name) == BUNDLED_NAME:
        if not (BUNDLED_PATH / "config.cfg").exists():
            raise PipelineNotFoundError(
                f"the bundled pipeline is missing at {BUNDLED_PATH}: rebuild it with "
                "`claimgraph pipeline train --corpora ../shared/corpora`"
            )
        return BUNDLED_PATH
    path = Path(name)
    if path.exists():
        if not (path / "config.cfg").exists():
            raise PipelineNotFoundError(f"{path}: not a spaCy pipeline directory (no config.cfg)")
        return path
    if not spacy.util.is_package(str(name)):
        raise PipelineNotFoundError(
            f"spaCy pipeline {str(name)!r} is not installed: install its package "
            f"(`pip install {name}` or `python -m spacy download {name}` where a network "
            "exists), or pass the path of a pipeline directory"
        )
    return str(name)
