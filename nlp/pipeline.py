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
    if name is None or str(name) == BUNDLED_NAME:
        if not (BUNDLED_PATH / "config.cfg").exists():
            raise PipelineNotFoundError(
                f"the bundled pipeline is missing at {BUNDLED_PATH}: rebuild it with "
                "`claimgraph pipeline train --corpora ../shared/corpora`"
            )
        return spacy.load(BUNDLED_PATH, exclude=list(exclude))
    path = Path(name)
    if path.exists():
        if not (path / "config.cfg").exists():
            raise PipelineNotFoundError(f"{path}: not a spaCy pipeline directory (no config.cfg)")
        return spacy.load(path, exclude=list(exclude))
    if not spacy.util.is_package(str(name)):
        raise PipelineNotFoundError(
            f"spaCy pipeline {str(name)!r} is not installed: install its package "
            f"(`pip install {name}` or `python -m spacy download {name}` where a network "
            "exists), or pass the path of a pipeline directory"
        )
    return spacy.load(str(name), exclude=list(exclude))
