"""Two exam attempts through a real nbgrader exchange (issue 25, item 1): fetch, answer,
submit, collect, grade, release feedback, fetch feedback; the learner's notebook then shows
attempt 2's draw (other items), attempt 2 is scored on that draw, and attempt 1's answers
resubmitted as attempt 2 score against draw 2, flagged."""

from __future__ import annotations

import json

import nbformat
import pytest
from nbgrader.api import Gradebook

from peaceops.assignments import find_spec
from peaceops.content import CourseDir
from peaceops.exercises.assessment_mode import assessment
from peaceops.exercises.attempt import attempt_in
from peaceops.exercises.store import FILENAME, AnswerStore
from peaceops.grading.attempts import read_ledger
from peaceops.grading.session import SessionLog
from peaceops.grading.submission import grade_submission, grading_context
from tests.factories import answers_for
from tests.grading.test_exchange import LEARNER, Exchange

pytestmark = pytest.mark.slow
EXAM = "certification-exam"
#: The learner's servers' configuration (deploy/nbgrader_config.py): fetches are recorded.
LEARNER_SIDE = ("--ExchangeFactory.fetch_assignment=peaceops.grading.exchange.RecordedFetch",
                "--ExchangeFactory.fetch_feedback=peaceops.grading.exchange.RecordedFetchFeedback")


def _shown(folder) -> dict[str, tuple[str, tuple[str, ...]]]:
    """What the learner's notebook shows: each exercise's variant and items (the widget)."""
    shown = {}
    for spec in find_spec("exam-roles")[0].exercises:
        exercise = assessment(spec, folder=folder).exercise
        shown[spec.id] = (exercise.variant, tuple(i.id for i in exercise.items))
    return shown


def _answer(folder, attempt: int) -> tuple[dict, float]:
    """Answer every item of `attempt`'s draw rightly, saved as the widgets save."""
    content, points = answers_for(EXAM, LEARNER, 1.0, attempt=attempt)
    for exercise_id, record in content["exercises"].items():
        AnswerStore(folder).save(exercise_id, record["variant"], LEARNER, record["answers"])
    return content, points


def _score(course) -> float:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "peaceops") as gradebook:
        return gradebook.find_submission(EXAM, LEARNER).score


def _round(exchange: Exchange) -> None:
    """Submit, collect, grade, and hand the feedback back to the learner."""
    course, home = exchange.course, exchange.home
    exchange.nbgrader(home, "submit", EXAM)
    exchange.nbgrader(course, "collect", "--update", EXAM)
    exchange.run(course, "peaceops", "grade", "--quiet")
    exchange.nbgrader(course, "generate_feedback", EXAM, "--force")
    exchange.nbgrader(course, "release_feedback", EXAM)
    exchange.nbgrader(home, "fetch_feedback", EXAM, *LEARNER_SIDE)


def test_two_attempts_draw_different_items_and_each_is_scored_on_its_own_draw(tmp_path):
    exchange = Exchange(tmp_path)
    course, home = exchange.course, exchange.home
    exchange.nbgrader(course, "generate_assignment", EXAM, "--force")
    exchange.nbgrader(course, "release_assignment", EXAM)
    exchange.nbgrader(home, "fetch_assignment", EXAM, *LEARNER_SIDE)
    folder = home / EXAM
    assert attempt_in(folder) == 1
    AnswerStore(folder).set_learner(LEARNER)  # as the learner enters their id once
    first_shown = _shown(folder)
    first, points1 = _answer(folder, 1)
    assert {k: v["variant"] for k, v in first["exercises"].items()} == \
        {k: v[0] for k, v in first_shown.items()}  # the notebook shows draw 1
    _round(exchange)
    assert _score(course) == points1 == 29

    assert attempt_in(folder) == 2  # read from the fetched feedback page
    second_shown = _shown(folder)
    assert second_shown["exam-roles"][1] != first_shown["exam-roles"][1]  # other items
    assert sum(a != b for a, b in zip(first_shown.values(), second_shown.values(),
                                      strict=True)) >= 10
    second, points2 = _answer(folder, 2)
    assert {k: v["variant"] for k, v in second["exercises"].items()} == \
        {k: v[0] for k, v in second_shown.items()}
    _round(exchange)
    assert _score(course) == points2 == 29
    attempts = sorted((r["attempt"], r["score"]) for r in read_ledger(course /
                      "peaceops-attempts.jsonl"))
    assert attempts == [(1, 29.0), (2, 29.0)]
    assert attempt_in(folder) == 3

    # the server's clock: each collected attempt's receipt and the fetches before it
    ledger = {r["attempt"]: r["submission"] for r in read_ledger(course /
              "peaceops-attempts.jsonl")}
    log = SessionLog(course / "peaceops-sessions.jsonl")
    one = log.times(LEARNER, EXAM, ledger[1])
    two = log.times(LEARNER, EXAM, ledger[2], [ledger[1]])
    assert one.started and one.received and one.started <= one.received
    assert two.started and one.received < two.started <= two.received  # fetch_feedback
    assert not list(exchange.root.glob("peaceops/peaceops-fetched/*"))[0].stat().st_size

    # attempt 1's answers file, resubmitted as attempt 2, is scored on draw 2: not 29
    context = grading_context(CourseDir.resolve(course))
    release = nbformat.read(course / "exercises" / EXAM / f"{EXAM}.ipynb", 4)
    regraded = grade_submission(context, EXAM, LEARNER, release, {},
                                answers=json.dumps(first).encode(), attempt=2)
    total = sum(r["points"] for r in regraded.report.results.values())
    assert total < 10 and any("scored on draw 2 only" in f for f in regraded.flags)
    assert (course / "submitted" / LEARNER / EXAM / FILENAME).is_file()
