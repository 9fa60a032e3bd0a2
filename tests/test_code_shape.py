"""The shape of the package's code: module size, imports, signatures, the cost of starting.

No module over 700 lines; no cycle among module-level imports (``TYPE_CHECKING`` blocks and
imports inside functions left out); no function with more than 8 parameters, except typer
command signatures (their parameters are the command's options); ``claimgraph --version``
and ``--help`` import no NLP library; README and model cards carry no development history.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

REPO = Path(__file__).resolve().parent.parent
#: Source folder -> package name (as pyproject.toml's package-dir maps them).
PACKAGE_DIRS = {
    "claimgraph": "claimgraph",
    "nlp": "claimgraph.nlp",
    "extract": "claimgraph.extract",
    "graph": "claimgraph.graph",
    "exports": "claimgraph.exports",
    "training": "claimgraph.training",
    "bench": "claimgraph.bench",
    "ingest": "claimgraph.ingest",
}
MAX_LINES = 700
MAX_PARAMETERS = 8


def modules() -> dict[str, Path]:
    found = {}
    for folder, package in PACKAGE_DIRS.items():
        for path in sorted((REPO / folder).rglob("*.py")):
            parts = [p for p in path.relative_to(REPO / folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([package, *parts])] = path
    return found


MODULES = modules()


def _is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def module_imports(name: str) -> set[str]:
    """Package modules that module ``name`` imports when it is imported."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if _is_package(name) else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(statements: list[ast.stmt]) -> None:
        for node in statements:
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            if isinstance(node, ast.If | ast.Try):
                visit(node.body)
                visit(getattr(node, "orelse", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)
                continue
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in targets:
                while target and target not in MODULES:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    found.add(target)

    visit(tree.body)
    return found


def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for name in MODULES:
        graph.add_node(name)
        for target in module_imports(name):
            # importing a module first imports the packages above it
            graph.add_edge(name, target)
    for name in MODULES:
        parent = name.rpartition(".")[0]
        if parent in MODULES and not _is_package(name):
            graph.add_edge(name, parent)
    return graph


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_size(name: str) -> None:
    lines = len(MODULES[name].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


def test_no_import_cycles() -> None:
    graph = import_graph()
    assert graph.has_edge("claimgraph.graph.network", "claimgraph.graph.store")  # edges found
    assert not graph.has_edge("claimgraph.graph.store", "claimgraph.graph.query")
    # a package's own __init__ importing its submodules is the normal direction; a cycle is a
    # module that, through its imports, comes back to itself without passing a package root
    cycles = [
        c for c in nx.simple_cycles(graph) if not any(_is_package(m) for m in c) and len(c) > 1
    ]
    assert cycles == []


def _typer_command(function: ast.FunctionDef) -> bool:
    arguments = [*function.args.args, *function.args.kwonlyargs]
    return any(
        a.annotation is not None and re.search(r"(Option|Argument)\b", ast.unparse(a.annotation))
        for a in arguments
    )


def test_no_function_takes_more_than_eight_parameters() -> None:
    wide = []
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                args = node.args
                names = [a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]]
                count = len([n for n in names if n not in ("self", "cls")])
                if count > MAX_PARAMETERS and not _typer_command(node):
                    wide.append(f"{name}.{node.name}: {count}")
    assert wide == []


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_starting_the_cli_imports_no_nlp_library(args: list[str]) -> None:
    code = (
        f"import sys\nsys.argv = ['claimgraph', *{args!r}]\nfrom claimgraph.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in ('spacy', 'thinc', 'torch', 'onnxruntime') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_docs_carry_no_development_history() -> None:
    docs = [REPO / "README.md", *REPO.glob("*/MODEL_CARD.md"), *REPO.glob("nlp/models/**/*.md")]
    pattern = re.compile(r"session|issue [0-9]", re.IGNORECASE)
    hits = [
        f"{path.relative_to(REPO)}:{n}"
        for path in docs
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert hits == []
