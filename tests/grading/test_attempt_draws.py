"""Attempt k of the exam is scored on draw k only (issue 25, item 1): a resubmission that
answers an earlier draw is scored against its own attempt's draw and flagged; the learner's
kernel learns its attempt from the fetched feedback of the last one. Lesson-group
assignments still score an honest resubmission on the earlier draw it answers."""

from __future__ import annotations

import json

import nbformat
import pytest

from peaceops.content import CourseDir
from peaceops.exercises.attempt import attempt_in, marker
from peaceops.grading.submission import grade_submission, grading_context
from tests.conftest import ROOT
from tests.factories import answers_for

EXAM = "certification-exam"


def _graded(answered_attempt: int, counted_attempt: int, assignment: str = EXAM):
    context = grading_context(CourseDir.resolve(ROOT))
    release = nbformat.read(ROOT / "exercises" / assignment / f"{assignment}.ipynb", 4)
    answers, points = answers_for(assignment, "amina", 1.0, attempt=answered_attempt)
    graded = grade_submission(context, assignment, "amina", release, {}, "", assignment,
                              json.dumps(answers).encode(), counted_attempt)
    return graded, points


def _total(graded) -> float:
    return sum(r["points"] for r in graded.record.results.values())


def test_the_attempts_own_draw_is_scored():
    graded, points = _graded(answered_attempt=2, counted_attempt=2)
    assert _total(graded) == points == 28 and not graded.flags


@pytest.mark.parametrize("answered", [1, 3])
def test_another_attempts_draw_is_scored_against_this_attempts_draw(answered):
    graded, _ = _graded(answered_attempt=answered, counted_attempt=2)
    assert _total(graded) < 10
    assert any("scored on draw 2 only" in flag for flag in graded.flags)


def test_the_graded_exam_tells_the_kernel_the_next_attempt(tmp_path):
    graded, _ = _graded(answered_attempt=2, counted_attempt=2)
    page = "".join(o["data"]["text/html"] for c in graded.notebook.cells
                   for o in c.get("outputs", []) if "text/html" in o.get("data", {}))
    assert marker(3) in page
    folder = tmp_path / EXAM
    assert attempt_in(folder) == 1  # nothing fetched yet
    (folder / "feedback" / "2026-12-07 10:00:00.000000 UTC").mkdir(parents=True)
    (folder / "feedback" / "2026-12-07 10:00:00.000000 UTC" / f"{EXAM}.html").write_text(page)
    (folder / "feedback" / "older").mkdir()
    (folder / "feedback" / "older" / f"{EXAM}.html").write_text(marker(2))
    assert attempt_in(folder) == 3  # the latest attempt's feedback wins


def test_a_lesson_assignment_resubmission_is_scored_on_the_draw_it_answers():
    assignment = "mlt-roles"
    graded, points = _graded(answered_attempt=1, counted_attempt=2, assignment=assignment)
    assert _total(graded) == points > 0 and not graded.flags
