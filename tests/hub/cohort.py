"""A scripted cohort on a real hub: what each learner does through their own server, and
what the scores must be, computed from the hidden keys."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from peaceops.assignments import find_spec
from peaceops.content import load_course, load_keys
from peaceops.exercises import build
from peaceops.exercises.grading import grade_built
from peaceops.exercises.store import FILENAME, loads
from tests.factories import answers_for
from tests.hub.learner import COURSE, Kernel
from tests.hub.servers import BIN, ROOT

EXAM = "certification-exam"
LESSONS = ("mlt-roles", "principles-politics", "rights-wps-conduct", "polarities")
ASSIGNMENTS = (EXAM, *LESSONS)

# In the learner's kernel, as the assignment notebook's cells do (`show`, `answered`), in
# the assignment's folder: the widget of each exercise, its controls set as a learner's
# clicks set them (each change is saved by the widget to peaceops-answers.json there), and
# the notebook's "answered" line.
ANSWER = """
import contextlib, io, json, os
os.chdir(os.path.join(os.environ["HOME"], {folder!r}))
from peaceops.assignments import answered, show
_answers = json.loads({answers!r})
for _exercise, _given in _answers.items():
    _widget = show(_exercise)
    _widget.set_answers(_given)
    _said = io.StringIO()
    with contextlib.redirect_stdout(_said):  # `answered` prints its line
        answered(_exercise)
    print(_exercise, _widget.exercise.variant, _said.getvalue().strip(), sep="|")
"""


def ability(n: int) -> float:
    """Different abilities across the cohort: 1.0, 0.9, …, 0.0, then again."""
    return (10 - n % 11) / 10


def answer(kernel: Kernel, learner: str, assignment: str, fraction: float,
           attempt: int = 1) -> dict[str, str]:
    """Answer every exercise of a fetched assignment through its widgets, in the learner's
    kernel (the draw of `attempt`); returns each exercise's variant as the kernel built it."""
    content, _ = answers_for(assignment, learner, fraction, attempt=attempt)
    given = {exercise: record["answers"] for exercise, record in content["exercises"].items()}
    out = kernel.run(ANSWER.format(folder=f"{COURSE}/{assignment}", answers=json.dumps(given)))
    variants = {}
    for line in out.splitlines():
        exercise, variant, said = line.split("|")
        assert "items answered and saved" in said, said
        variants[exercise] = variant
    return variants


def expected_points(course, keys, student: str, assignment: str, answers: bytes,
                    attempt: int = 1) -> float:
    """The score of a submitted answers file on the draw of `attempt`, from the hidden keys
    (not from peaceops grade)."""
    records = loads(answers).records
    return float(sum(
        grade_built(*build(course, spec, student, keys, attempt), records.get(spec.id)).points
        for spec in course.assignments[assignment].exercises))


def course_and_keys():
    course = load_course()
    return course, load_keys(course)


def instructor_env(exchange: Path, db_url: str, key_dir: Path) -> dict[str, str]:
    """The instructor's environment on the hub: deploy/'s nbgrader configuration (course id,
    exchange), the PostgreSQL gradebook, the course's programs on the PATH."""
    return {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "JUPYTER_CONFIG_PATH": str(ROOT / "deploy"),
        "PEACEOPS_EXCHANGE": str(exchange),
        "PEACEOPS_SHARED_UNIX_USER": "1",  # the test hub's learners share one Unix user
        "PEACEOPS_GRADEBOOK_URL": db_url,
        "PEACEOPS_KEY_DIR": str(key_dir),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"),
                                                      os.environ.get("PYTHONPATH")])),
        "PYTHONWARNINGS": "ignore",
    }


def run(command: list[str], course: Path, env: dict[str, str],
        ok: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess:
    program = command[0] if "/" in command[0] else str(BIN / command[0])
    result = subprocess.run([program, *command[1:]], cwd=course, env=env, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode in ok, (command, result.stdout[-3000:], result.stderr[-3000:])
    return result


__all__ = ["ASSIGNMENTS", "EXAM", "FILENAME", "LESSONS", "answer", "course_and_keys",
           "expected_points", "find_spec", "instructor_env", "run"]
