"""claimgraph.exports: the claim graph in standard formats, in triple stores and in a browser.

- :func:`write_rdf` -- Turtle, N-Triples, N-Quads, TriG, JSON-LD, RDF/XML (streamed, atomic;
  dataset formats keep one named graph per article); :func:`write_void` -- a VoID description.
- :func:`validate_graph` -- SHACL validation against the shipped shapes (:func:`shapes_path`).
- :func:`push` -- load into a running triple store (Graph Store Protocol or SPARQL Update).
- :func:`write_html` -- an offline, interactive pyvis/vis-network page.
- :func:`write_graphml`, :func:`write_gexf`, :func:`write_node_link`, :func:`write_csv_tables`
  -- the networkx view for Gephi, spreadsheets and scripts.
"""

from .html import write_html
from .network import write_csv_tables, write_gexf, write_graphml, write_node_link
from .push import PushError, push
from .rdf import PREFIXES, RDF_FORMATS, as_store, write_rdf
from .shacl import shapes_path, validate_graph
from .void import void_counts, void_description, write_void

__all__ = [
    "PREFIXES",
    "RDF_FORMATS",
    "PushError",
    "as_store",
    "push",
    "shapes_path",
    "validate_graph",
    "void_counts",
    "void_description",
    "write_csv_tables",
    "write_gexf",
    "write_graphml",
    "write_html",
    "write_node_link",
    "write_rdf",
    "write_void",
]
