"""claimgraph.graph: merge claim records into a persistent, queryable knowledge graph.

Entry points: :class:`GraphStore` (``GraphStore.open(path)``; ``.build(documents)``,
``.quads()``, ``.graphs()``, ``.query(sparql, bindings)``, ``.entities()``, ``.counts()``),
:func:`build`, the input records :class:`DocumentInput` / :class:`ArticleMeta`, and
:func:`read_claim_files` for claim JSONL. Query helpers are in :mod:`claimgraph.graph.query`,
the networkx view (``to_networkx``, ``stats``, ``path``) in :mod:`claimgraph.graph.network`.
"""

from .aliases import AliasTable
from .jsonl import read_claim_files
from .model import DEFAULT_BASE, ArticleMeta, DocumentInput
from .namespaces import CG, ITSRDF, NIF, PROV, SCHEMA, ontology_path
from .store import BuildReport, GraphStore, StoreError, build

__all__ = [
    "CG",
    "DEFAULT_BASE",
    "ITSRDF",
    "NIF",
    "PROV",
    "SCHEMA",
    "AliasTable",
    "ArticleMeta",
    "BuildReport",
    "DocumentInput",
    "GraphStore",
    "StoreError",
    "build",
    "ontology_path",
    "read_claim_files",
]
