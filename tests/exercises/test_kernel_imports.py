"""The learner's kernel stays light: showing an exam exercise (the assignment notebook's
`from peaceops.assignments import answered, show`, then `show(...)` and `answered(...)`)
imports neither pandas nor matplotlib. Instructor tools (report, export, grading) may."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("pandas", "matplotlib", "scipy", "nbgrader", "fpdf")
PROBE = """
import sys
{code}
print("LOADED", json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)))
"""
#: The cells of the certification exam's notebook (exercises/certification-exam/).
EXAM = """
import json
import peaceops.exercises
from peaceops.assignments import answered, show
widget = show("exam-roles")
assert widget is not None
answered("exam-roles")
"""


def _loaded(code: str, cwd) -> set[str]:
    env = {**os.environ, "PEACEOPS_STUDENT_ID": "dara"}
    result = subprocess.run([sys.executable, "-c", PROBE.format(code=code, heavy=HEAVY)],
                            capture_output=True, text=True, timeout=120, cwd=cwd, env=env)
    lines = [line for line in result.stdout.splitlines() if line.startswith("LOADED ")]
    assert lines, result.stderr[-2000:]
    return set(json.loads(lines[-1].removeprefix("LOADED ")))


def test_showing_an_exam_exercise_imports_no_pandas_or_matplotlib(tmp_path):
    loaded = _loaded(EXAM, tmp_path)
    assert loaded == set(), f"showing an exam exercise imported {sorted(loaded)}"


def test_the_probe_sees_heavy_modules(tmp_path):
    """The other direction: the course as DataFrames (what a lesson's rendered table and the
    instructor's tools read) is seen importing pandas."""
    code = EXAM + "\nfrom peaceops.content import load_course\nload_course().roles\n"
    assert "pandas" in _loaded(code, tmp_path)
