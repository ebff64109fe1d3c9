"""`peaceops verify` imports only what verification needs, read from the source (no
subprocess): the credentials room, and everything it imports, imports none of the course's
heavy libraries; and building the `peaceops` parser (what every verb, verify included, does
first) imports none of them at module level either."""

from __future__ import annotations

import ast
import functools

from tests.architecture.test_layers import GRAPH, PACKAGE, module_name

HEAVY = {"ipywidgets", "pandas", "matplotlib", "fpdf", "nbgrader", "nbformat", "numpy"}
FILES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def _import_nodes(tree: ast.AST, top_level: bool) -> list[ast.Import | ast.ImportFrom]:
    """The import statements of a module: all of them, or only those run when it is imported
    (not in a function, nor under `if TYPE_CHECKING`)."""
    if not top_level:
        return [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    found, todo = [], list(ast.iter_child_nodes(tree))
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) \
                and not _type_checking(node):
            todo.extend(ast.iter_child_nodes(node))
    return found


def _resolve(module: str, node: ast.ImportFrom) -> str:
    package = module if FILES[module].name == "__init__.py" else module.rpartition(".")[0]
    if not node.level:
        return node.module or ""
    base = package.split(".")[: len(package.split(".")) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


@functools.cache
def _edges(module: str, top_level: bool) -> tuple[frozenset[str], frozenset[str]]:
    """(peaceops modules, other top-level packages) that `module` imports."""
    tree = ast.parse(FILES[module].read_text(encoding="utf-8"))
    ours, theirs = set(), set()
    for node in _import_nodes(tree, top_level):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        else:
            target = _resolve(module, node)
            names = [f"{target}.{a.name}" for a in node.names] + [target]
        for name in names:
            if name.split(".")[0] == "peaceops":
                while name not in FILES and "." in name:  # `from . import x`: x may be a name
                    name = name.rpartition(".")[0]
                ours.add(name)
            elif name:
                theirs.add(name.split(".")[0])
    return frozenset(ours), frozenset(theirs)


def reached(start: set[str], top_level: bool = False) -> tuple[set[str], set[str]]:
    """(peaceops modules, other packages) loaded by importing `start`, following peaceops'
    own imports (and each module's parent packages, which Python imports first)."""
    seen, outside, todo = set(), set(), list(start)
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        ours, theirs = _edges(module, top_level)
        outside |= theirs
        parents = {module.rsplit(".", n)[0] for n in range(1, module.count(".") + 1)}
        todo.extend((ours | parents) - seen)
    return seen, outside


CREDENTIALS = {m for m in GRAPH if m.split(".")[:2] == ["peaceops", "credentials"]}


def test_credentials_import_nothing_heavy():
    """Every import of the room's own modules counts, inside functions too (keys init reads
    the issuer's name through content/, which is the content layer's business; its verbs
    take the shared options of peaceops.options, which imports nothing but argparse)."""
    for module in sorted(CREDENTIALS):
        ours, theirs = _edges(module, top_level=False)
        assert not theirs & HEAVY, f"{module} imports {sorted(theirs & HEAVY)}"
        assert not {m for m in ours if not m.startswith(("peaceops.credentials",
                                                            "peaceops.content"))
                    and m != "peaceops.options"}, module


def test_verify_imports_nothing_heavy():
    """`peaceops verify` builds the whole parser first (every verb's cli module and its
    package are imported), then runs peaceops.credentials.verify: nothing heavy on the way."""
    tree = ast.parse(FILES["peaceops.cli"].read_text(encoding="utf-8"))
    parser = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)
                  and n.name == "parser")
    clis = {_resolve("peaceops.cli", n) for n in ast.walk(parser) if isinstance(n, ast.ImportFrom)}
    assert "peaceops.credentials.cli" in clis and "peaceops.certify.cli" in clis
    _, outside = reached(clis | {"peaceops.cli"}, top_level=True)
    assert not outside & HEAVY, f"building the parser loads {sorted(outside & HEAVY)}"
    modules, outside = reached({"peaceops.credentials.verify"})
    assert not outside & HEAVY, f"verifying loads {sorted(outside & HEAVY)}"
    assert all(m.startswith("peaceops.credentials") or m == "peaceops" for m in modules)
    _, theirs = _edges("peaceops.options", top_level=False)
    assert theirs == {"argparse", "__future__"} and not _edges("peaceops.options", False)[0]


def test_the_checker_sees_heavy_imports():
    """The other direction: certification decides with pandas and draws with matplotlib, and
    a module-level import that one verb's cli gained would be seen."""
    _, outside = reached({"peaceops.certify.issue"})
    assert {"pandas", "matplotlib"} <= outside
    _, theirs = _edges("peaceops.certify.rule", top_level=False)
    assert "pandas" in theirs
    _, outside = reached({"peaceops.report.cli", "peaceops.grading.cli"})
    assert {"pandas", "nbgrader"} <= outside
    assert _import_nodes(ast.parse("import pandas"), top_level=True)
    assert not _import_nodes(ast.parse("def f():\n    import pandas"), top_level=True)
    assert not _import_nodes(ast.parse("if TYPE_CHECKING:\n    import pandas"), top_level=True)

