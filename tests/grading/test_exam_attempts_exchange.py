"""Two exam attempts through a real nbgrader exchange (issue 25, item 1): fetch, answer,
submit, collect, grade, release feedback, fetch feedback; the learner's notebook then shows
attempt 2's draw (other items), attempt 2 is scored on that draw, and attempt 1's answers
resubmitted as attempt 2 score against draw 2, flagged."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.apps.api import NbGraderAPI
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default import ExchangeSubmit
from traitlets.config import Config, PyFileConfigLoader

from peaceops.assignments import find_spec
from peaceops.cli import main
from peaceops.content import CourseDir
from peaceops.exercises.assessment_mode import assessment
from peaceops.exercises.attempt import attempt_in
from peaceops.exercises.store import FILENAME, AnswerStore
from peaceops.grading.attempts import read_ledger
from peaceops.grading.exchange import RecordedFetch, RecordedFetchFeedback
from peaceops.grading.session import SessionLog
from peaceops.grading.submission import grade_submission, grading_context
from tests.factories import answers_for, copy_course
from tests.grading.test_exchange import LEARNER

pytestmark = pytest.mark.slow
EXAM = "certification-exam"


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


class Course:
    """The instructor's and the learner's nbgrader commands, run in this process through
    nbgrader's own API and exchange classes (a subprocess each costs seconds of imports):
    the course's nbgrader_config.py on the instructor's side, the learner servers'
    exchange classes (deploy/nbgrader_config.py) on the learner's."""

    def __init__(self, base: Path):
        self.course = copy_course(base / "peaceops")
        self.home = base / "learner"
        self.home.mkdir()
        self.root = base / "exchange"
        self.root.mkdir()
        exchange = Config()
        exchange.Exchange.root = str(self.root)
        exchange.CourseDirectory.course_id = "peaceops"
        exchange.Exchange.assignment_dir = str(self.home)
        instructor = PyFileConfigLoader("nbgrader_config.py", str(self.course)).load_config()
        instructor.merge(exchange)
        instructor.CourseDirectory.root = str(self.course)
        self.instructor = instructor
        learner = Config(exchange)
        learner.CourseDirectory.root = str(self.home)
        learner.CourseDirectory.assignment_id = EXAM
        self.learner = learner

    def api(self) -> NbGraderAPI:
        return NbGraderAPI(coursedir=CourseDirectory(config=self.instructor),
                           config=self.instructor)

    def teach(self, step: str, *args) -> None:
        result = getattr(self.api(), step)(EXAM, *args)
        assert result["success"], f"{step}: {result.get('error', '')}{result.get('log', '')}"

    def learn(self, exchange_class) -> None:
        coursedir = CourseDirectory(config=self.learner)
        exchange_class(coursedir=coursedir, authenticator=Authenticator(config=self.learner),
                       config=self.learner).start()

    def round(self, feedback: bool = True) -> None:
        """Submit, collect, grade, and hand the feedback back to the learner."""
        self.learn(ExchangeSubmit)
        self.teach("collect")
        assert main(["grade", "--course", str(self.course), "--quiet"]) == 0
        if feedback:
            self.teach("generate_feedback")
            self.teach("release_feedback")
            self.learn(RecordedFetchFeedback)


def test_two_attempts_draw_different_items_and_each_is_scored_on_its_own_draw(tmp_path):
    run = Course(tmp_path)
    course, folder = run.course, run.home / EXAM
    run.teach("generate_assignment")
    run.teach("release_assignment")
    run.learn(RecordedFetch)
    assert attempt_in(folder) == 1
    AnswerStore(folder).set_learner(LEARNER)  # as the learner enters their id once
    first_shown = _shown(folder)
    first, points1 = _answer(folder, 1)
    assert {k: v["variant"] for k, v in first["exercises"].items()} == \
        {k: v[0] for k, v in first_shown.items()}  # the notebook shows draw 1
    run.round()
    assert _score(course) == points1 == 28

    assert attempt_in(folder) == 2  # read from the fetched feedback page
    second_shown = _shown(folder)
    assert second_shown["exam-roles"][1] != first_shown["exam-roles"][1]  # other items
    assert sum(a != b for a, b in zip(first_shown.values(), second_shown.values(),
                                      strict=True)) >= 10
    second, points2 = _answer(folder, 2)
    assert {k: v["variant"] for k, v in second["exercises"].items()} == \
        {k: v[0] for k, v in second_shown.items()}
    run.round(feedback=False)  # attempt 2's feedback is not needed here
    assert _score(course) == points2 == 28
    attempts = sorted((r["attempt"], r["score"]) for r in read_ledger(course /
                      "peaceops-attempts.jsonl"))
    assert attempts == [(1, 28.0), (2, 28.0)]

    # the server's clock: each collected attempt's receipt and the fetches before it
    ledger = {r["attempt"]: r["submission"] for r in read_ledger(course /
              "peaceops-attempts.jsonl")}
    log = SessionLog(course / "peaceops-sessions.jsonl")
    one = log.times(LEARNER, EXAM, ledger[1])
    two = log.times(LEARNER, EXAM, ledger[2], [ledger[1]])
    assert one.started and one.received and one.started <= one.received
    assert two.started and one.received < two.started <= two.received  # fetch_feedback
    assert len(list(run.root.glob("peaceops/peaceops-fetched/*"))) == 2  # fetch, feedback

    # attempt 1's answers file, resubmitted as attempt 2, is scored on draw 2: not 28
    context = grading_context(CourseDir.resolve(course))
    release = nbformat.read(course / "exercises" / EXAM / f"{EXAM}.ipynb", 4)
    regraded = grade_submission(context, EXAM, LEARNER, release, {},
                                answers=json.dumps(first).encode(), attempt=2)
    total = sum(r["points"] for r in regraded.record.results.values())
    assert total < 10 and any("scored on draw 2 only" in f for f in regraded.flags)
    assert (course / "submitted" / LEARNER / EXAM / FILENAME).is_file()
