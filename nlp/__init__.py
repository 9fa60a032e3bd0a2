"""claimgraph.nlp: loading spaCy pipelines and reconciling their label schemes.

The label and title tables (:mod:`~claimgraph.nlp.labels`, :mod:`~claimgraph.nlp.titles`) are
plain Python; the pipeline names below import spaCy when first used.
"""

from __future__ import annotations

from typing import Any

from .labels import dep_role, detect_scheme

__all__ = [
    "BUNDLED_NAME",
    "BUNDLED_PATH",
    "PipelineNotFoundError",
    "dep_role",
    "detect_scheme",
    "load_pipeline",
    "locate_pipeline",
]
_FROM_PIPELINE = ("BUNDLED_NAME", "BUNDLED_PATH", "PipelineNotFoundError", "load_pipeline",
                  "locate_pipeline")  # fmt: skip


def __getattr__(name: str) -> Any:
    if name in _FROM_PIPELINE:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'claimgraph.nlp' has no attribute {name!r}")
