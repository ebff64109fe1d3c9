"""End to end with stock nbgrader: generate, submit (honest and hostile learners), autograde,
generate_feedback, export. Scores come from the answers files; nothing a learner's notebook
does changes them, and broken submissions are flagged without affecting the others."""

import csv
import json

import nbformat
import pytest
from nbgrader.api import Gradebook

from peaceops.grading.nbgrader import RECORD
from tests.factories import answers_for, nbgrader, submit
from tests.grading.test_release import leaks

pytestmark = pytest.mark.slow
EXAM = "certification-exam"
SENTINEL = "/tmp/peaceops-shadow-module-ran"


def _release(course):
    return nbformat.read(course / "exercises" / EXAM / f"{EXAM}.ipynb", as_version=4)


def _with_cells(course, *sources: str, edit=None) -> str:
    nb = _release(course)
    nb.cells[2:2] = [nbformat.v4.new_code_cell(s) for s in sources]
    if edit:
        edit(nb)
    return nbformat.writes(nb)


def _edit_grade_cells(nb):
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = "1000"
            cell.outputs = [
                nbformat.v4.new_output(
                    "execute_result", data={"text/plain": "1000"}, execution_count=1
                )
            ]


def _stderr_outputs(nb):
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text="Warning!\n")]


def _delete_grade_cells(nb):
    nb.cells = [c for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")]


@pytest.fixture(scope="module")
def graded(course_dir):
    """Generate, fabricate every submission, autograde, feedback, export (once)."""
    course = course_dir
    result = nbgrader(course, "generate_assignment", EXAM, "--force")
    assert result.returncode == 0, result.stderr[-3000:]
    expected = {}
    for student, fraction in [
        ("perfect", 1.0),
        ("partial", 0.5),
        ("variant-a", 1.0),
        ("variant-b", 1.0),
    ]:
        answers, points = answers_for(EXAM, student, fraction)
        submit(course, student, EXAM, answers)
        expected[student] = points
    submit(course, "blank", EXAM, None)
    expected["blank"] = 0
    partial, partial_points = answers_for(EXAM, "x", 0.5)
    hostile = {
        "monkeypatch": _with_cells(
            course,
            "import peaceops.exercises.scoring as s\n"
            "s.score = lambda *a, **k: 10**6\n"
            "import peaceops.grading.nbgrader as g\ng.TrustedGrade = None",
        ),
        "transformer": _with_cells(
            course, "get_ipython().input_transformers_cleanup.append(lambda lines: ['42\\n'])"
        ),
        "builtins": _with_cells(
            course,
            "import builtins\nbuiltins.int = lambda *a: 999\nbuiltins.float = lambda *a: 999.0",
        ),
        "printed": _with_cells(course, "print(1000)\n1000", edit=_edit_grade_cells),
        "deleted": _with_cells(course, edit=_delete_grade_cells),
        "loop": _with_cells(course, "while True:\n    pass"),
        "shadow": _with_cells(course, "import peaceops, json, nbformat"),
        "stderr": _with_cells(
            course,
            "import sys, warnings\nwarnings.warn('deprecated')\nprint('noise', file=sys.stderr)",
            edit=_stderr_outputs,
        ),
    }
    for student, notebook in hostile.items():
        answers, points = answers_for(EXAM, student, 0.5)
        folder = submit(course, student, EXAM, answers, notebook)
        expected[student] = points
        if student == "shadow":
            for name in (
                "peaceops.py",
                "json.py",
                "nbformat.py",
                "nbgrader.py",
                "sitecustomize.py",
            ):
                (folder / name).write_text(
                    f"open({SENTINEL!r}, 'w').write('ran')\nraise SystemExit('shadowed')\n"
                )
            (folder / "peaceops").mkdir()
            (folder / "peaceops" / "__init__.py").write_text(
                f"open({SENTINEL!r}, 'w').write('ran')\n"
            )
    answers, _ = answers_for(EXAM, "corrupt-answers", 1.0)
    submit(course, "corrupt-answers", EXAM, json.dumps(answers)[:-40])
    answers, _ = answers_for(EXAM, "corrupt-notebook", 1.0)
    submit(course, "corrupt-notebook", EXAM, answers, notebook='{"cells": [ not json')
    answers, _ = answers_for(EXAM, "missing-notebook", 1.0)
    submit(course, "missing-notebook", EXAM, answers, notebook=False)
    autograde = nbgrader(course, "autograde", EXAM, "--force")
    feedback = nbgrader(course, "generate_feedback", EXAM, "--force")
    export = nbgrader(course, "export")
    return {
        "course": course,
        "expected": expected,
        "autograde": autograde,
        "feedback": feedback,
        "export": export,
        "partial_points": partial_points,
    }


def _score(course, student):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return gb.find_submission(EXAM, student).score


def _report(course, student):
    return json.loads((course / "autograded" / student / EXAM / RECORD).read_text())


@pytest.mark.parametrize("student", ["perfect", "partial", "blank", "variant-a", "variant-b"])
def test_honest_learners_get_exactly_the_expected_score(graded, student):
    assert _score(graded["course"], student) == graded["expected"][student]


def test_perfect_is_the_maximum_and_partial_is_in_between(graded):
    course, expected = graded["course"], graded["expected"]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        assert gb.find_submission(EXAM, "perfect").max_score == expected["perfect"] == 28
    assert 0 < expected["partial"] < expected["perfect"]


def test_two_learners_have_different_variants(graded):
    course = graded["course"]
    a = json.loads(
        (course / "submitted" / "variant-a" / EXAM / "peaceops-answers.json").read_text()
    )
    b = json.loads(
        (course / "submitted" / "variant-b" / EXAM / "peaceops-answers.json").read_text()
    )
    assert a["exercises"]["exam-roles"]["variant"] != b["exercises"]["exam-roles"]["variant"]


@pytest.mark.parametrize(
    "student", ["monkeypatch", "transformer", "builtins", "printed", "deleted", "loop", "shadow"]
)
def test_hostile_submission_scores_exactly_what_its_answers_earn(graded, student):
    assert _score(graded["course"], student) == graded["expected"][student]


def test_shadow_modules_never_ran():
    import os

    assert not os.path.exists(SENTINEL)


def test_broken_submissions_are_flagged_not_silent(graded):
    course, log = graded["course"], graded["autograde"].stdout + graded["autograde"].stderr
    flags = _report(course, "corrupt-answers")["flags"]
    assert any("unreadable" in f for f in flags)
    assert _score(course, "corrupt-answers") == 0
    assert "FLAG corrupt-answers/" in log
    assert "corrupt-notebook" in log and "error" in log.lower()  # nbgrader reports it
    assert "No notebooks were matched" in log and "missing-notebook" in log
    assert any("peaceops-answers.json" in f and "unanswered" in f
               for f in _report(course, "blank")["flags"])
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        review = {s.student.id for s in gb.assignment_submissions(EXAM) if s.needs_manual_grade}
    assert {"corrupt-answers", "blank", "corrupt-notebook"} <= review
    assert not review & {"perfect", "partial", "variant-a", "variant-b", "monkeypatch", "shadow"}


def test_exam_feedback_gives_the_result_and_bands_and_never_a_key(graded):
    assert graded["feedback"].returncode in (0, 1), graded["feedback"].stderr[-2000:]
    page = (graded["course"] / "feedback" / "partial" / EXAM / f"{EXAM}.html").read_text()
    assert "Exam result:" in page and "The pass mark is" in page and "Re-read" in page
    assert "never single questions" in page
    # the course's template (nbgrader_config.py): no per-cell score, nothing off-site
    assert "Test cell" not in page and "Score: 0.0 / 1.0" not in page and "cdnjs" not in page
    for revealing in ("✔ Correct", "✘ Not correct", "you chose", "the key is", "(Source: "):
        assert revealing not in page
    assert not leaks(page)


def test_export_has_every_learner_with_the_gradebook_score(graded):
    assert graded["export"].returncode == 0, graded["export"].stderr[-2000:]
    rows = list(csv.DictReader((graded["course"] / "grades.csv").open()))
    scores = {r["student_id"]: float(r["score"]) for r in rows if r["assignment"] == EXAM}
    for student, points in graded["expected"].items():
        assert scores[student] == points, student


def test_validate_passes_a_complete_submission_and_fails_a_blank(graded):
    course = graded["course"]
    done = nbgrader(course, "validate", f"submitted/perfect/{EXAM}/{EXAM}.ipynb")
    assert "Success! Your notebook passes all the tests." in done.stdout, done.stdout[-2000:]
    assert "converted to a float" not in done.stdout + done.stderr  # no confusing warning
    blank = nbgrader(course, "validate", f"submitted/blank/{EXAM}/{EXAM}.ipynb")
    assert "VALIDATION FAILED" in blank.stdout
    assert "items answered" in blank.stdout or "learner id is not set" in blank.stdout


def test_reflection_is_kept_for_manual_grading(course_dir):
    course, assignment = course_dir, "mlt-roles"
    assert nbgrader(course, "generate_assignment", assignment, "--force").returncode == 0
    nb = nbformat.read(course / "exercises" / assignment / f"{assignment}.ipynb", as_version=4)
    (cell,) = [
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "reflection"
    ]
    cell.source = "I would hold a short stand-up with the team every morning."
    answers, points = answers_for(assignment, "writer", 1.0)
    submit(course, "writer", assignment, answers, nbformat.writes(nb))
    result = nbgrader(course, "autograde", assignment, "--student", "writer", "--force")
    assert result.returncode == 0, result.stderr[-2000:]
    graded = (course / "autograded" / "writer" / assignment / f"{assignment}.ipynb").read_text()
    assert "stand-up with the team" in graded
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        submission = gb.find_submission(assignment, "writer")
        assert submission.score == points and submission.max_score == points + 2
        assert submission.needs_manual_grade  # the reflection waits for the instructor
