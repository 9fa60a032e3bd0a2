"""Merging in the store: one entity or claim IRI rewritten into another, and the order of
entity merges that the resolution rules call for."""

from __future__ import annotations

from collections.abc import Iterator

from pyoxigraph import Store

from .entities import EntityIndex
from .namespaces import PREFIXES

#: At most this many rounds of entity merges per consolidation.
MERGE_ROUNDS = 5
#: Characters that never occur in an IRI the store mints (so none can break an update).
_UNSAFE = '<>"{}|\\^` \n'


def rewrite(store: Store, base: str, old: str, new: str, *, mark: str | None = None) -> None:
    """Replace IRI ``old`` by ``new`` everywhere in ``store``, in one atomic update; ``old``'s
    names become ``new``'s alternate names. With ``mark``, that IRI is marked as having claims
    to merge (``cg:pendingClaimMerge``). Only IRIs under ``base`` (checked) are written into
    the update; no document text is.

    >>> rewrite(Store(), "https://e/", "https://e/a", "http://other/b")
    Traceback (most recent call last):
    ...
    ValueError: refusing to rewrite a non-store IRI: 'http://other/b'
    """
    for iri in (old, new, mark or new):
        if not iri.startswith(base) or any(ch in iri for ch in _UNSAFE):
            raise ValueError(f"refusing to rewrite a non-store IRI: {iri!r}")
    o, n = f"<{old}>", f"<{new}>"
    marker = f"INSERT DATA {{ <{mark}> cg:pendingClaimMerge true }} ;" if mark else ""
    store.update(
        f"""{marker}
        DELETE {{ GRAPH ?g {{ {o} ?p ?x }} }} INSERT {{ GRAPH ?g {{ {n} ?p ?x }} }}
          WHERE {{ GRAPH ?g {{ {o} ?p ?x }} }} ;
        DELETE {{ GRAPH ?g {{ ?s ?p {o} }} }} INSERT {{ GRAPH ?g {{ ?s ?p {n} }} }}
          WHERE {{ GRAPH ?g {{ ?s ?p {o} }} }} ;
        DELETE {{ {o} schema:name ?x }} INSERT {{ {n} schema:alternateName ?x }}
          WHERE {{ {o} schema:name ?x }} ;
        DELETE WHERE {{ {o} a ?t }} ;
        DELETE {{ {o} ?p ?x }} INSERT {{ {n} ?p ?x }} WHERE {{ {o} ?p ?x }} ;
        DELETE {{ ?s ?p {o} }} INSERT {{ ?s ?p {n} }} WHERE {{ ?s ?p {o} }}""",
        prefixes=PREFIXES,
    )


def merge_plan(index: EntityIndex) -> Iterator[tuple[str, str]]:
    """The entity merges to apply, round after round: one merge can enable another (an
    untyped "Trump" joins the person once the ORG-tagged "Trump" has joined it). The caller
    applies each pair to ``index`` (``index.merge``) before taking the next."""
    for _ in range(MERGE_ROUNDS):
        pairs = index.merges()
        if not pairs:
            return
        for absorbed, survivor in pairs:
            if absorbed in index.records and survivor in index.records:
                yield absorbed, survivor
