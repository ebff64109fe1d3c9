"""No module outside a kind's own class names a kind: behaviour that differs by kind is a
hook or an attribute of the kind's class (DEVELOPERS.md, principle 5), so a new kind needs
no edit elsewhere."""

from __future__ import annotations

import ast
from pathlib import Path

from peaceops.exercises.kinds import KINDS
from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "peaceops"
KIND_HOME = PACKAGE / "exercises" / "kinds"


def named_kinds(path: Path, names: set[str]) -> list[str]:
    """`file:line name` for every string constant in `path` that is a kind's name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    where = path.relative_to(ROOT) if ROOT in path.parents else path.name
    return [f"{where}:{node.lineno} {node.value}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and node.value in names]


def test_no_module_outside_the_kinds_names_a_kind():
    names = set(KINDS)
    found = [hit for path in sorted(PACKAGE.rglob("*.py")) if KIND_HOME not in path.parents
             for hit in named_kinds(path, names)]
    assert not found, ("branch on a hook or attribute of the kind's class, not its name: "
                       + "; ".join(found))


def test_the_check_finds_a_named_kind(tmp_path):
    doctored = tmp_path / "doctored.py"
    doctored.write_text('def sheet(exercise):\n    return exercise.kind == "principle_weighing"\n'
                        'TITLE = "Weigh the principles"\n')
    assert named_kinds(doctored, set(KINDS)) == ["doctored.py:2 principle_weighing"]
