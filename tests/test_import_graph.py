"""Arrows between our top-level packages and modules point one way: no import cycle."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

import horchposten

PACKAGE = Path(horchposten.__file__).parent


def _part(module: str) -> str | None:
    """The top-level package or module of ``horchposten`` a dotted name lies in."""
    parts = module.split(".")
    if parts[0] != "horchposten" or len(parts) < 2:
        return None
    found = parts[1]
    return found if (PACKAGE / found).is_dir() or (PACKAGE / f"{found}.py").is_file() else None


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, package: str) -> Iterator[str]:
    """Every module an import names, except those only type checkers read."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            yield from _imports(ast.Module(body=node.orelse, type_ignores=[]), package)
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)
        else:
            yield from _imports(node, package)


def package_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        package = module.removesuffix(".__init__")
        if path.name != "__init__.py":
            package = package.rsplit(".", 1)[0]
        source = _part(module)
        if source is None:
            continue
        graph.add_node(source)
        for name in _imports(ast.parse(path.read_text(encoding="utf-8")), package):
            target = _part(name)
            if target is not None and target != source:
                graph.add_edge(source, target, where=str(path.relative_to(PACKAGE)))
    return graph


def _steps(cycle: list[str]) -> list[tuple[str, str]]:
    return list(zip(cycle, [*cycle[1:], cycle[0]], strict=True))


def test_no_cycle_between_top_level_packages_and_modules() -> None:
    graph = package_graph()
    cycles = [
        " → ".join(f"{a} ({graph.edges[a, b]['where']})" for a, b in _steps(cycle))
        for cycle in nx.simple_cycles(graph)
    ]
    assert cycles == []


def test_the_check_sees_real_arrows_and_the_broken_cycles_stay_broken() -> None:
    graph = package_graph()
    assert graph.has_edge("pipeline", "store")  # the walk finds imports at all
    assert not graph.has_edge("plugins", "sources")  # TYPE_CHECKING imports are no arrows
    assert not nx.has_path(graph, "store", "config")
    assert not nx.has_path(graph, "sources", "pipeline")
