"""claimgraph: who claims what about whom, from news text to a queryable knowledge graph.

Subpackages: :mod:`claimgraph.nlp` (spaCy pipelines), :mod:`claimgraph.extract`
(mentions, entities, attributions), :mod:`claimgraph.graph` (merge, store, query),
:mod:`claimgraph.exports` (RDF, HTML, tables), :mod:`claimgraph.training` (rebuilding and
evaluating the bundled models) and :mod:`claimgraph.bench` (speed benchmarks).
"""

from importlib.metadata import PackageNotFoundError, version

from claimgraph.nlp import PipelineNotFoundError, load_pipeline

try:
    __version__ = version("claimgraph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["PipelineNotFoundError", "__version__", "load_pipeline"]
