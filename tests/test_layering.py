"""The package's floors: the stages never import what is built on them, and nothing imports in a cycle.

Floors, lowest first (README "How it works"):
  0 the record and its knowledge: records, ontology, eventjson, datafiles, errors, safetext
  1 the stages: ingest, clean, langid, annotate, places, extract, roles, consolidate, pipeline
  2 what stores, shows and measures them: store, export, filters, show, evaluate, train, follow, analyse, readers,
    serve, spark, cli, lazycommands
Imports inside functions count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import kroniek

PACKAGE = Path(kroniek.__file__).parent

FLOOR = {
    **dict.fromkeys(["records", "ontology", "eventjson", "datafiles", "errors", "safetext", "__init__"], 0),
    **dict.fromkeys(
        ["ingest", "clean", "langid", "annotate", "places", "extract", "roles", "consolidate", "pipeline"], 1
    ),
}
HIGH = 2


def _floor(part: str) -> int:
    return FLOOR.get(part, HIGH)


def _imports(path: Path) -> set[str]:
    """The kroniek modules that `path` imports, absolute dotted names."""
    relative = path.relative_to(PACKAGE).with_suffix("")
    own = ["kroniek", *relative.parts]
    package = own if relative.name == "__init__" else own[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            names = [name] + [f"{name}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found.update(n for n in names if n == "kroniek" or n.startswith("kroniek."))
    return found


def _top(module: str) -> str:
    """The package (or top-level module) of kroniek that `module` lies in; a name imported from the package
    itself (``from kroniek import __version__``) is the package's __init__."""
    parts = module.split(".")
    if len(parts) < 2 or not ((PACKAGE / parts[1]).is_dir() or (PACKAGE / f"{parts[1]}.py").is_file()):
        return "__init__"
    return parts[1]


def _modules() -> dict[str, Path]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).with_suffix("")
        parts = list(relative.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(["kroniek", *parts])] = path
    return modules


def test_no_stage_imports_from_a_higher_floor():
    wrong = []
    for module, path in _modules().items():
        own = _top(module)
        for imported in _imports(path):
            other = _top(imported)
            if other != own and _floor(other) > _floor(own):
                wrong.append(f"{module} imports {imported}")
    assert wrong == []


def test_the_floors_are_what_the_readme_says():
    # If a package is added to the stages, it has to be named in FLOOR; a new higher package needs nothing.
    assert _floor("pipeline") == 1 and _floor("records") == 0 and _floor("store") == 2 and _floor("train") == 2


def test_no_import_cycles_between_packages_of_the_stages():
    edges: dict[str, set[str]] = {}
    for module, path in _modules().items():
        own = _top(module)
        if _floor(own) == HIGH:
            continue
        for imported in _imports(path):
            other = _top(imported)
            if other != own and _floor(other) < HIGH:
                edges.setdefault(own, set()).add(other)
    cycles = []

    def visit(node: str, trail: list[str]) -> None:
        for nxt in sorted(edges.get(node, ())):
            if nxt in trail:
                cycles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]))
            elif len(trail) < 12:
                visit(nxt, trail + [nxt])

    for start in sorted(edges):
        visit(start, [start])
    assert cycles == []
