"""The runnable examples in the graph modules' docstrings."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["names", "resolve", "claims", "stance", "store", "query"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(f"claimgraph.graph.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0
