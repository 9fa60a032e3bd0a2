"""The runnable examples in the graph modules' docstrings."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["names", "namespaces", "resolve", "claims", "stance", "store", "query"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"claimgraph.graph.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_vocabulary_nodes_are_checked_and_made_once() -> None:
    from pyoxigraph import NamedNode

    from claimgraph.graph.namespaces import V

    assert V.schema.text == NamedNode("http://schema.org/text")
    assert V.schema.text is V.schema.text
    with pytest.raises(AttributeError):
        _ = V.cg.cuee  # misspelled terms fail, as with the DefinedNamespace itself
