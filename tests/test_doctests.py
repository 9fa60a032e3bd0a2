"""The runnable examples in the package's docstrings, every module of every subpackage."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = (
    "claimgraph",
    "claimgraph.commands",
    "claimgraph.nlp",
    "claimgraph.extract",
    "claimgraph.graph",
    "claimgraph.exports",
    "claimgraph.training",
    "claimgraph.bench",
    "claimgraph.ingest",
)


def package_modules() -> list[str]:
    names = []
    for package in PACKAGES:
        names.append(package)
        path = importlib.import_module(package).__path__
        names += [m.name for m in pkgutil.iter_modules(path, f"{package}.") if not m.ispkg]
    return sorted(names)


MODULES = package_modules()


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    result = doctest.testmod(module, optionflags=flags, report=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_the_examples_are_there() -> None:
    finder = doctest.DocTestFinder()
    examples = sum(
        len(test.examples)
        for name in MODULES
        for test in finder.find(importlib.import_module(name))
    )
    assert examples >= 150


def test_vocabulary_nodes_are_checked_and_made_once() -> None:
    from pyoxigraph import NamedNode

    from claimgraph.graph.namespaces import V

    assert V.schema.text == NamedNode("http://schema.org/text")
    assert V.schema.text is V.schema.text
    with pytest.raises(AttributeError):
        _ = V.cg.cuee  # misspelled terms fail, as with the DefinedNamespace itself
