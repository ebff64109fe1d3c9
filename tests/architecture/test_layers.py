"""The package's import arrows point down the layers, and no module imports itself back.

Layers, lowest first (DEVELOPERS.md): content -> exercises -> assignments/lessons ->
results (the read side of grading) -> grading/progress -> one subpackage per verb (report,
export, certify, bank, lti, translations) -> cli. Every import in the source counts, top-level or inside a
function: so reading results (report, export, certify) never needs `peaceops.grading`.
credentials (keys, signing, revocation, verification) sits just above content and below
everything else: it may import content only, and certify builds on it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "peaceops"
LAYERS = {
    "peaceops": 0,  # the version only
    "peaceops.content": 1,
    "peaceops.credentials": 1.5,  # content only: never certify, grading, report, export, bank
    "peaceops.exercises": 2,
    "peaceops.assignments": 3,
    "peaceops.lessons": 3,
    "peaceops.figures": 3,
    "peaceops.editions": 3,  # the book's editions (a Sphinx extension and their build)
    "peaceops.results": 4,  # the read side: what grading wrote, as tables
    "peaceops.grading": 5,
    "peaceops.progress": 5,
    "peaceops.report": 6,
    "peaceops.export": 6,
    "peaceops.certify": 6,
    "peaceops.bank": 6,
    "peaceops.lti": 6,
    "peaceops.translations": 6,
    "peaceops.cli": 7,
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> float:
    for prefix in sorted(LAYERS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return LAYERS[prefix]
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


def imports(path: Path) -> set[str]:
    """The peaceops modules `path` imports (resolving relative imports)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("peaceops")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if not target.startswith("peaceops"):
                continue
            for alias in node.names:  # `from . import x` may name a submodule
                sub = f"{target}.{alias.name}"
                found.add(sub if (PACKAGE.parent / Path(*sub.split("."))).exists()
                          or (PACKAGE.parent / (Path(*sub.split(".")).as_posix() + ".py")).exists()
                          else target)
    return found


GRAPH = {module_name(p): imports(p) for p in PACKAGE.rglob("*.py")}


def test_every_module_is_in_a_layer():
    for module in GRAPH:
        layer(module)


def upward(module: str, targets: set[str]) -> list[str]:
    """The modules of `targets` in a higher layer than `module`."""
    return sorted(t for t in targets if layer(t) > layer(module))


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_point_down(module):
    found = upward(module, GRAPH[module])
    assert not found, f"{module} (layer {layer(module)}) imports higher layers: {found}"


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """An import cycle of `graph` (module -> imported modules), or [] (depth-first search;
    a package's __init__ is a module of its own)."""
    def resolve(target: str) -> str:
        while target not in graph and "." in target:
            target = target.rpartition(".")[0]
        return target

    edges = {m: {resolve(t) for t in ts} - {m} for m, ts in graph.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return []

    for module in sorted(edges):
        if module not in state and (cycle := visit(module)):
            return cycle
    return []


def test_no_import_cycle():
    assert find_cycle(GRAPH) == [], "import cycle: " + " -> ".join(find_cycle(GRAPH))


def test_the_checker_sees_a_cycle():
    graph = {"peaceops.content.a": {"peaceops.content.b"},
             "peaceops.content.b": {"peaceops.content.c"},
             "peaceops.content.c": {"peaceops.content.a"}}
    assert find_cycle(graph) == ["peaceops.content.a", "peaceops.content.b",
                                 "peaceops.content.c", "peaceops.content.a"]


def test_the_checker_sees_an_upward_import(tmp_path):
    """Proof in the other direction: a lower module importing a higher one is caught."""
    bad = {"peaceops.content.oops": {"peaceops.grading.cohort"}}
    module, targets = next(iter(bad.items()))
    assert [t for t in targets if layer(t) > layer(module)] == ["peaceops.grading.cohort"]


@pytest.mark.parametrize("target", ["peaceops.certify.rule", "peaceops.certify",
                                    "peaceops.results.tables", "peaceops.report.build",
                                    "peaceops.export.lms", "peaceops.bank.cli",
                                    "peaceops.exercises.store"])
def test_the_checker_keeps_credentials_below(target):
    """A doctored import from credentials into certify (or grading, report, export, bank,
    exercises) is reported; certify importing credentials, and credentials importing
    content, are not."""
    assert upward("peaceops.credentials.verify", {target}) == [target]
    assert upward("peaceops.credentials.verify", {"peaceops.content.course"}) == []
    assert upward("peaceops.certify.issue", {"peaceops.credentials.keys"}) == []


def test_the_read_side_is_below_grading():
    """report, export and certify read results from `peaceops.results`, which imports
    nothing of `peaceops.grading` (and a results module that did would be caught)."""
    assert layer("peaceops.results.tables") < layer("peaceops.grading.cohort")
    readers = {m: ts for m, ts in GRAPH.items() if m.startswith(("peaceops.report",
               "peaceops.export", "peaceops.certify", "peaceops.lti"))}
    assert not [m for m, ts in readers.items() if any(t.startswith("peaceops.grading.results")
                                                      for t in ts)]
    assert not [m for m, ts in GRAPH.items() if m.startswith("peaceops.results")
                and any(t.startswith("peaceops.grading") for t in ts)]
    assert any(t.startswith("peaceops.results") for ts in readers.values() for t in ts)
