"""A resubmission answers the draw the learner's kernel showed: the grader scores it on that
draw when it is one of the learner's draws up to the attempt it counts, and on no other."""

from __future__ import annotations

import json

import nbformat

from peaceops.content import CourseDir
from peaceops.grading.submission import grade_submission, grading_context
from tests.factories import answers_for, copy_course

EXAM = "certification-exam"


def _graded(tmp_path, answered_attempt: int, counted_attempt: int):
    course = copy_course(tmp_path / "course")
    context = grading_context(CourseDir.resolve(course))
    release = nbformat.read(course / "exercises" / EXAM / f"{EXAM}.ipynb", 4)
    answers, points = answers_for(EXAM, "amina", 1.0, attempt=answered_attempt)
    graded = grade_submission(context, EXAM, "amina", release, {}, "", EXAM,
                              json.dumps(answers).encode(), counted_attempt)
    return graded, points


def test_a_second_attempt_that_answers_the_first_draw_is_scored_on_it(tmp_path):
    graded, points = _graded(tmp_path, answered_attempt=1, counted_attempt=2)
    results = graded.report.results
    assert sum(r["points"] for r in results.values()) == points > 0
    assert not graded.flags


def test_the_attempts_own_draw_is_scored_too(tmp_path):
    graded, points = _graded(tmp_path, answered_attempt=2, counted_attempt=2)
    assert sum(r["points"] for r in graded.report.results.values()) == points > 0


def test_a_draw_of_a_later_attempt_is_not_the_learners_yet(tmp_path):
    graded, points = _graded(tmp_path, answered_attempt=3, counted_attempt=2)
    drawn = [r for r in graded.report.results.values() if r["variant"] != "all"]
    assert drawn and all(r["points"] == 0 for r in drawn)
    assert any("not this learner's variant" in flag for flag in graded.flags)
