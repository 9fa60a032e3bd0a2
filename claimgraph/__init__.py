"""claimgraph: who claims what about whom, from news text to a queryable knowledge graph.

Subpackages: :mod:`claimgraph.nlp` (spaCy pipelines), :mod:`claimgraph.extract`
(mentions, entities, attributions), :mod:`claimgraph.graph` (merge, store, query),
:mod:`claimgraph.exports` (RDF, HTML, tables), :mod:`claimgraph.training` (rebuilding and
evaluating the bundled models) and :mod:`claimgraph.bench` (speed benchmarks).

Importing the package imports nothing heavy: ``load_pipeline`` and
``PipelineNotFoundError`` load spaCy the first time they are used.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("claimgraph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["PipelineNotFoundError", "__version__", "load_pipeline"]


def __getattr__(name: str) -> Any:
    if name in ("PipelineNotFoundError", "load_pipeline"):
        from claimgraph import nlp

        return getattr(nlp, name)
    raise AttributeError(f"module 'claimgraph' has no attribute {name!r}")
