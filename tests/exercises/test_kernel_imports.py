"""The learner's kernel stays light: showing an exam exercise (the assignment notebook's
`from peaceops.assignments import answered, show`, then `show(...)` and `answered(...)`)
imports neither pandas nor matplotlib. Instructor tools (report, export, grading) may."""

from __future__ import annotations

import json
import os
import subprocess
import sys

HEAVY = ("pandas", "matplotlib", "scipy", "nbgrader", "fpdf")
#: The cells of the certification exam's notebook (exercises/certification-exam/), then
#: what a lesson's rendered table and the instructor's tools read: the course as DataFrames.
PROBE = f"""
import json, sys

def loaded():
    print("LOADED", json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))

import peaceops.exercises
from peaceops.assignments import answered, show
widget = show("exam-roles")
assert widget is not None
answered("exam-roles")
loaded()
from peaceops.content import load_course
load_course().roles
loaded()
"""


def test_showing_an_exam_exercise_imports_no_pandas_or_matplotlib(tmp_path):
    """In one fresh interpreter: nothing heavy after the exam's cells; then, the other
    direction, the probe sees pandas once the course's tables are read as DataFrames."""
    env = {**os.environ, "PEACEOPS_STUDENT_ID": "dara"}
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            timeout=120, cwd=tmp_path, env=env)
    seen = [set(json.loads(line.removeprefix("LOADED ")))
            for line in result.stdout.splitlines() if line.startswith("LOADED ")]
    assert len(seen) == 2, result.stderr[-2000:]
    assert seen[0] == set(), f"showing an exam exercise imported {sorted(seen[0])}"
    assert "pandas" in seen[1]
