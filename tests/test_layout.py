"""The layout's rules, checked on the source: dependencies run one way (reference data, then the domain, then
the ways of reading it, then views, API and admin), with no import cycle among the project's modules, lazy
imports inside functions included."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

APPS = ["principles", "catalogue", "config"]
# The layer of each part of the project: a module may import its own layer and those below it, never above.
LAYERS = {
    "principles": 0,
    "catalogue.filters": 2,
    "catalogue.facets": 2,
    "catalogue.selection": 2,
    "catalogue.nearby": 2,
    "catalogue.strict": 2,
    "catalogue.explore": 2,
    "catalogue.pdf": 2,
    "catalogue.opendata": 2,
    "catalogue.views": 3,
    "catalogue.api": 3,
    "catalogue.admin": 3,
    "catalogue.templatetags": 3,
    "catalogue.management": 3,
    "catalogue.urls": 3,
    "catalogue.context_processors": 3,
    "catalogue": 1,  # the domain: models, querysets, services, signals, caching, ...
    "config": 4,
}


def modules(root: Path, packages: list[str]) -> dict[str, Path]:
    found = {}
    for package in packages:
        for path in (root / package).rglob("*.py"):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules `name` imports anywhere in its source (inside functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            candidates = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for candidate in candidates:
            while candidate and candidate not in known:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                found.add(candidate)
    return found


def graph(root: Path, packages: list[str]) -> dict[str, set[str]]:
    found = modules(root, packages)
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every cycle found by a depth-first walk (each reported once, from where the walk met it)."""
    found, state, stack = [], {}, []

    def visit(node: str) -> None:
        state[node] = "open"
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                found.append([*stack[stack.index(target) :], target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node)
    return found


def layer(module: str) -> int:
    return next(rank for prefix, rank in LAYERS.items() if module == prefix or module.startswith(prefix + "."))


def test_no_import_cycle_among_the_projects_modules():
    assert cycles(graph(Path(settings.BASE_DIR), APPS)) == []


def test_the_check_finds_a_cycle_through_a_lazy_import(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "a.py").write_text("from . import b\n")
    (tmp_path / "pkg" / "b.py").write_text("def later():\n    from pkg import a\n")
    assert cycles(graph(tmp_path, ["pkg"])) == [["pkg.a", "pkg.b", "pkg.a"]]


def test_dependencies_run_one_way():
    upward = [
        (module, target)
        for module, targets in graph(Path(settings.BASE_DIR), APPS).items()
        for target in targets
        if layer(target) > layer(module)
    ]
    assert upward == []


def test_the_reference_data_imports_nothing_of_the_catalogue():
    edges = graph(Path(settings.BASE_DIR), APPS)
    assert [
        (m, t) for m, ts in edges.items() if m.startswith("principles") for t in ts if t.startswith("catalogue")
    ] == []
