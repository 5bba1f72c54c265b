"""No import circle in ``gxgen``: module-level and function-level imports alike.

A circle that only closes through a function-level import still ties two modules into one:
neither can be read, tested or split without the other. Every ``import gxgen.x`` and
``from gxgen(.x) import y`` anywhere in a module is an edge; a package's ``__init__`` counts
as the package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import gxgen

PACKAGE = Path(gxgen.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _targets(node: ast.AST, here: str, is_package: bool, known: set[str]) -> set[str]:
    """The gxgen modules one import statement reaches."""
    if isinstance(node, ast.Import):
        return {alias.name for alias in node.names if alias.name in known}
    if not isinstance(node, ast.ImportFrom):
        return set()
    base = node.module or ""
    if node.level:
        anchor = here.split(".") if is_package else here.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    if base not in known:
        return set()
    found = {base}
    for alias in node.names:
        sub = f"{base}.{alias.name}"
        if sub in known:  # ``from gxgen import x`` where x is a module
            found.add(sub)
    return found


def graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text("utf-8"), str(path))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            edges[name] |= _targets(node, name, is_package, known) - {name}
    return edges


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One circle per strongly connected component of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(edges[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_graph_sees_function_level_and_package_imports() -> None:
    edges = graph()
    assert "gxgen.check" in edges["gxgen.cli"], "function-level imports count"
    assert "gxgen.files" in edges["gxgen.targets"], "from gxgen import files: the module"
    assert "gxgen.writers" in edges["gxgen.writers.docx.errors"], "a package is its __init__"


def test_a_circle_is_found() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle() -> None:
    assert circles(graph()) == []
