"""Name rules shared by the two resolution stages (mentions within a document,
:mod:`claimgraph.extract.mentions`; entities across the store,
:mod:`claimgraph.graph.entities`). Plain Python: importing it loads no NLP library."""

from __future__ import annotations

from collections.abc import Sequence

#: A name whose longer names belong to several people (maximal names that are not forms of one
#: another) takes the person whose longer names have at least this many times the mentions of
#: every other person's longer names together; otherwise it stays as written. The mentions
#: written as the name itself do not count: they are what is ambiguous. The graph store
#: applies the same ratio across articles (``claimgraph.graph.entities``).
DOMINANCE = 3


def is_name_form(words: Sequence[str], of: Sequence[str]) -> bool:
    """True when ``words`` occur in order in ``of`` and both end in the same word: a form of
    the same person's name ("Lynch" and "Loretta Lynch" of "Loretta E. Lynch"; not "Trump" of
    "Donald Trump Jr."). The graph's cross-document rule uses it too.

    >>> is_name_form(["Loretta", "Lynch"], ["Loretta", "E.", "Lynch"])
    True
    >>> is_name_form(["Trump"], ["Donald", "Trump", "Jr."])
    False
    """
    if not words or len(words) > len(of) or words[-1] != of[-1]:
        return False
    remaining = iter(of)
    return all(word in remaining for word in words)
