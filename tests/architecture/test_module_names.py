"""One module name, one idea: no two modules of the package share a file name, except each
room's public face (`__init__.py`), its verb (`cli.py`) and its errors (`errors.py`)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "peaceops"
#: File names every room may have: one meaning each, whatever the room.
PER_ROOM = {"__init__.py", "cli.py", "errors.py"}


def repeated(package: Path) -> dict[str, list[str]]:
    """File name -> the modules that share it (outside PER_ROOM)."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(package.rglob("*.py")):
        if path.name not in PER_ROOM:
            found[path.name].append(str(path.relative_to(package)))
    return {name: paths for name, paths in found.items() if len(paths) > 1}


def test_no_two_modules_share_a_name():
    assert repeated(PACKAGE) == {}


def test_the_check_finds_a_shared_name(tmp_path):
    for room in ("content", "exercises"):
        (tmp_path / room).mkdir()
        (tmp_path / room / "model.py").write_text("")
        (tmp_path / room / "cli.py").write_text("")
    assert repeated(tmp_path) == {"model.py": ["content/model.py", "exercises/model.py"]}
