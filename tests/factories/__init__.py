"""Shared test factories, in one place: a copy of the course directory, a learner's answers
file and submission, and nbgrader run as an instructor would (the cohort of simulated
results for reports is in `tests.factories.cohort`)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from peaceops.content import CourseDir, load_course, load_keys
from peaceops.exercises import build, kind
from peaceops.exercises.store import FILENAME, SCHEMA
from tests.conftest import ROOT

BIN = str(Path(sys.executable).parent)


def answers_for(assignment_id: str, learner: str, fraction: float = 1.0,
                data: Path | None = None, bank: Path | None = None,
                keys: Path | None = None, attempt: int = 1) -> tuple[dict, int]:
    """A learner's answers file for an assignment, answering the first `fraction` of each
    exercise's items correctly and the rest wrongly; returns (file content, expected points).
    `data`: the content folder of the course (default: the repository's); `bank` and `keys`:
    a private exam bank and its keys; `attempt`: which attempt's variant to answer."""
    if data or bank or keys:
        course_dir = CourseDir.resolve(data.parent if data else ROOT, bank=bank, keys=keys)
        course, keys = course_dir.content(), course_dir.keys()
    else:
        course = load_course()
        keys = load_keys(course)
    exercises, expected = {}, 0
    for spec in course.assignments[assignment_id].exercises:
        exercise, key = build(course, spec, learner, keys, attempt)
        n_right = round(len(exercise.items) * fraction)
        answers = {}
        for n, item in enumerate(exercise.items):
            accepted = sorted(key[item.id].accept, key=str)
            good = sorted(accepted[0]) if item.multiple else accepted[0]
            if n < n_right:
                answers[item.id] = good
            else:
                wrong = [v for v, _ in item.choices if v not in key[item.id].accept]
                answers[item.id] = (
                    [wrong[0]] if item.multiple and wrong else (wrong[0] if wrong else None)
                )
        expected += kind(exercise.kind).score(exercise, key, answers).points  # partial credit too
        exercises[spec.id] = {
            "exercise": spec.id,
            "variant": exercise.variant,
            "learner": learner,
            "saved_at": "2026-11-22T10:00:00+00:00",
            "answers": answers,
        }
    return {"schema": SCHEMA, "learner": learner, "exercises": exercises}, expected


def nbgrader(course: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}
    return subprocess.run(
        [f"{BIN}/nbgrader", *args],
        cwd=course,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=check,
    )


#: What a copy of the course leaves out: builds, caches, learners' files, grading output.
COPY_IGNORE = shutil.ignore_patterns(
    "_build", ".git", ".venv", "node_modules", ".*cache", ".ipynb_checkpoints", "gradebook.db",
    "submitted", "autograded", "feedback", "reports", "certificates", "exports",
    "peaceops-answers*.json", "peaceops-grading.json",
)


def copy_course(course: Path) -> Path:
    """A copy of the course directory (no build output, no learner data) at `course`."""
    shutil.copytree(ROOT, course, ignore=COPY_IGNORE)
    return course


def submit(
    course: Path,
    student: str,
    assignment: str,
    answers: dict | str | None,
    notebook: str | None = None,
) -> Path:
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    if notebook is not False:
        release = course / "exercises" / assignment / f"{assignment}.ipynb"
        (folder / f"{assignment}.ipynb").write_text(notebook or release.read_text())
    if answers is not None:
        text = answers if isinstance(answers, str) else json.dumps(answers)
        (folder / FILENAME).write_text(text)
    (folder / "timestamp.txt").write_text("2026-11-22 10:00:00.000000 UTC")
    return folder
