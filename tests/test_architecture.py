"""The layout keeps its promises: no module imports another that (however indirectly)
imports it back, the extension never imports the CLI package, and every subpackage
says in its docstring what lives there.

The graph counts every import, including those inside functions and under
``TYPE_CHECKING``: an import moved into a function to dodge a cycle is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import handover_kit
import sphinx_handover

PACKAGES = {
    "sphinx_handover": Path(sphinx_handover.__file__).parent,
    "handover_kit": Path(handover_kit.__file__).parent,
}


def modules(packages: dict[str, Path]) -> dict[str, Path]:
    found = {}
    for top, root in packages.items():
        for path in root.rglob("*.py"):
            if "docs_template" in path.relative_to(root).parts:
                continue
            parts = [top, *path.relative_to(root).with_suffix("").parts]
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def import_graph(packages: dict[str, Path] = PACKAGES) -> dict[str, set[str]]:
    known = modules(packages)
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    submodule = f"{target}.{alias.name}"
                    edges.add(submodule if submodule in known else target)
            elif isinstance(node, ast.Import):
                edges.update(alias.name for alias in node.names)
        graph[name] = {target for target in edges if target in known and target != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_imports_itself_back():
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle_through_three_modules():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_extension_does_not_import_the_cli():
    graph = import_graph()
    crossing = sorted(
        (module, target)
        for module, targets in graph.items()
        if module.startswith("sphinx_handover")
        for target in targets
        if target.startswith("handover_kit")
    )
    assert crossing == []


def test_imports_inside_functions_and_for_type_checking_count(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("", "utf-8")
    (package / "sub" / "__init__.py").write_text("", "utf-8")
    (package / "a.py").write_text("from .sub import b\n", "utf-8")
    (package / "sub" / "b.py").write_text("def f():\n    from ..a import x\n", "utf-8")
    (package / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import a\n", "utf-8")
    graph = import_graph({"pkg": package})
    assert graph["pkg.sub.b"] == {"pkg.a"} and graph["pkg.c"] == {"pkg.a"}
    assert cycles(graph) == [["pkg.a", "pkg.sub.b"]]


def test_every_subpackage_says_what_lives_there():
    for top, root in PACKAGES.items():
        for init in root.glob("*/__init__.py"):
            if init.parent.name == "docs_template":
                continue
            doc = ast.get_docstring(ast.parse(init.read_text("utf-8")))
            assert doc and len(doc.splitlines()) <= 3, init


def test_module_names_are_unique_within_the_extension():
    """The scan cache finds a scanner's imports by module name (scan_cache.module_paths)."""
    names = [path.stem for path in PACKAGES["sphinx_handover"].rglob("*.py") if path.name != "__init__.py"]
    assert sorted(name for name in set(names) if names.count(name) > 1) == []
