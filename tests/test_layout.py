"""The layout of the code: no production module imports tests or tools; no import cycle between modules or
between packages (sibling folders and modules of one package) in portal, replies, search and tools.

Read from the source (an AST walk of every import, those inside functions too: a lazy import is still a
dependency), so nothing is imported to check it.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = ("portal", "replies", "search")
CHECKED = (*PRODUCTION, "tools")
NOT_FOR_PRODUCTION = ("tests", "tools")

def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def python_files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported_names(path: Path) -> set[str]:
    """Every module name an import statement of the file names: ``from a import b`` gives ``a`` and ``a.b``."""
    package = module_name(path).split(".") if path.name == "__init__.py" else module_name(path).split(".")[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the file's package, one level up per extra dot
                base = ".".join([*package[: len(package) - node.level + 1], *([node.module] if node.module else [])])
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of CHECKED it imports (a name that is not a module, e.g. a class, is dropped)."""
    files = {module_name(path): path for package in CHECKED for path in python_files(package)}
    return {module: {name for name in imported_names(path) if name in files and name != module}
            for module, path in files.items()}


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of nodes that reach each other (Tarjan), the groups of more than one node only."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def child_of(package: str, module: str) -> str | None:
    """The direct child of `package` (a module or a sub-package) that holds `module`; None if outside."""
    prefix = f"{package}." if package else ""
    if not module.startswith(prefix) or module == package:
        return None
    return prefix + module[len(prefix):].split(".")[0]


def package_graphs(graph: dict[str, set[str]]) -> dict[str, dict[str, set[str]]]:
    """For each package ("" for the top level), its children and which child imports which."""
    packages = {""} | {module.rsplit(".", 1)[0] for module in graph if "." in module} | set(CHECKED)
    result = {}
    for package in sorted(packages):
        edges: dict[str, set[str]] = {}
        for module, targets in graph.items():
            source = child_of(package, module)
            for target in targets:
                child = child_of(package, target)
                if source and child and child != source:
                    edges.setdefault(source, set()).add(child)
        result[package] = edges
    return result


def test_production_code_imports_neither_tests_nor_tools():
    offences = []
    for package in PRODUCTION:
        for path in python_files(package):
            for name in imported_names(path):
                if name.split(".")[0] in NOT_FOR_PRODUCTION:
                    offences.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offences == []


def test_no_import_cycle_between_modules():
    cycles = [sorted(group) for group in strongly_connected(import_graph())]
    assert cycles == []


def test_no_import_cycle_between_packages():
    cycles = [(package or "(top level)", sorted(group))
              for package, edges in package_graphs(import_graph()).items()
              for group in strongly_connected(edges)]
    assert cycles == []


def test_the_checks_see_a_cycle():
    """The walk itself works: a made-up cycle is found, and imports inside functions are seen."""
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    graph = import_graph()
    assert {"tools.live_server", "tools.load_clients", "tools.stats"} <= graph["tools.loadtest"]
    assert "tools.corpus.build" in graph["tools.management.commands.synth_corpus"]  # an import inside a function
