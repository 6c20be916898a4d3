"""No import cycles between the modules of dashboard/ and statsbridge/.

The graph is built with `ast` from module-level imports only: an import inside a
function runs when the function is called, after every module has loaded, and is how
Django code reaches models lazily (AppConfig.ready, a view's rare path), so it is
allowed. `if TYPE_CHECKING:` imports never run and are left out too. `from p import m`
counts as an import of the module p.m when m is a module. Importing a module also runs
its packages' `__init__`, so an edge to a.b.c is an edge to a, a.b and a.b.c, except to
the importer's own packages, which are initialised before it (a package's `__init__`
re-exporting its submodules is no cycle; a submodule importing from its `__init__` is).
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.test_import_boundaries import ROOT, module_name

PACKAGES = ("dashboard", "statsbridge")


def _module_level_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(body: list[ast.stmt]) -> None:
        for node in body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                found.append(node)
            elif isinstance(node, ast.If) and "TYPE_CHECKING" not in ast.unparse(node.test):
                visit(node.body)
                visit(node.orelse)
            elif isinstance(node, ast.Try):
                visit(node.body)
                for handler in node.handlers:
                    visit(handler.body)
                visit(node.orelse)
                visit(node.finalbody)

    visit(tree.body)
    return found


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    files = {
        module_name(p, root): p for pkg in PACKAGES for p in root.glob(f"{pkg}/**/*.py") if "__pycache__" not in p.parts
    }
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in _module_level_imports(ast.parse(path.read_text(), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = ".".join(package[: len(package) - node.level + 1]) if node.level else ""
                module = ".".join(p for p in (base, node.module or "") if p)
                submodules = [f"{module}.{a.name}" for a in node.names if f"{module}.{a.name}" in files]
                # `from p import m, n` with only modules names no attribute of p itself
                targets = submodules if len(submodules) == len(node.names) else [module, *submodules]
            for target in targets:
                parts = target.split(".")
                for depth in range(1, len(parts) + 1):
                    prefix = ".".join(parts[:depth])
                    # a module's own packages are initialised before it: no edge to them
                    # unless it imports from them by name (then prefix == target)
                    own_package = name.startswith(prefix + ".") and prefix != target
                    if prefix in files and prefix != name and not own_package:
                        graph[name].add(prefix)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected component with more than one module (Tarjan), each
    shown as one cycle through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(_one_cycle(graph, set(component)))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def _one_cycle(graph: dict[str, set[str]], members: set[str]) -> list[str]:
    start = min(members)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & members):
            if nxt == start:
                return paths[node] + [start]
            if nxt not in paths:
                paths[nxt] = paths[node] + [nxt]
                queue.append(nxt)
    return sorted(members)


def test_no_import_cycles() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_a_planted_cycle_is_found(tmp_path: Path) -> None:
    (tmp_path / "dashboard" / "skills").mkdir(parents=True)
    (tmp_path / "statsbridge").mkdir()
    for package in ("dashboard", "dashboard/skills", "statsbridge"):
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "dashboard" / "skills" / "sync.py").write_text("from dashboard.skills.ws import x\n")
    (tmp_path / "dashboard" / "skills" / "ws.py").write_text("from . import sync\n")
    (tmp_path / "dashboard" / "skills" / "job.py").write_text(
        "def run():\n    from dashboard.skills import sync\n"
    )  # inside a function: allowed
    assert cycles(import_graph(tmp_path)) == [["dashboard.skills.sync", "dashboard.skills.ws", "dashboard.skills.sync"]]
