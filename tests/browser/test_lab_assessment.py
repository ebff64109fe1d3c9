"""An assessment notebook in JupyterLab, as a learner uses it: run it, answer with the mouse
and with the keyboard alone, find the answers saved on disk, restart and find them restored,
then submit the folder to nbgrader and get exactly the score the hidden keys give."""

from __future__ import annotations

import json
import shutil
import struct
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from nbgrader.api import Gradebook
from playwright.sync_api import BrowserContext, Page, expect

from peaceops.content import load_course, load_keys
from peaceops.exercises import Exercise, Item, ItemKey, Spec, build, grade_record, kind
from peaceops.exercises.store import FILENAME, SCHEMA, read
from tests.browser.conftest import (
    LEARNER,
    Lab,
    Traffic,
    audit,
    save_screenshot,
    wait_until,
    watch,
)
from tests.browser.labpage import (
    WIDGET,
    Control,
    answer_with_keyboard,
    answer_with_mouse,
    controls,
    exercise_widgets,
    open_in_lab,
    restart_and_run_all,
    run_all,
    wait_for_outputs,
    widget_screenshot,
)
from tests.factories import nbgrader

pytestmark = pytest.mark.browser

EXAM = "certification-exam"
NOTEBOOK = f"exercises/{EXAM}/{EXAM}.ipynb"
QUIZZES = [s.id for s in load_course().assignments[EXAM].exercises if s.kind == "quiz"]
BY_MOUSE = ("exam-roles", QUIZZES[1])  # dropdowns
BY_KEYBOARD = ("exam-weighing-1", "exam-polarities", QUIZZES[0])  # radio groups; a dropdown
#: The one item of each answered exercise that the learner gets wrong (by its position).
WRONG = {"exam-roles": 1, "exam-weighing-1": 6, "exam-polarities": 0, QUIZZES[0]: 0,
         QUIZZES[1]: None}  # None: all right
#: docs/screenshots/<name>.png, one per exercise kind.
SCREENSHOTS = {
    "exam-roles": "role-matching",
    "exam-weighing-1": "principle-weighing",
    "exam-polarities": "polarity-sorting",
    QUIZZES[0]: "quiz",
}


@dataclass
class Planned:
    """One exercise of the exam, built for the learner with its hidden key, and what the
    learner will answer (nothing for exercises left blank)."""

    spec: Spec
    exercise: Exercise
    key: dict[str, ItemKey]
    answers: dict[str, Any]

    @property
    def points(self) -> float:
        """By the kind's own scoring (a scenario's weights score together, by order)."""
        if not self.answers:
            return 0
        return kind(self.exercise.kind).score(self.exercise, self.key, self.answers).points


def _answer(item: Item, key: ItemKey, right: bool) -> Any:
    values = [value for value, _ in item.choices]
    if item.multiple:
        good = sorted(sorted(group) for group in key.accept)[0]
        if right:
            return good
        bad = good[:-1] if len(good) > 1 else [next(v for v in values if v not in good)]
        return sorted(bad)
    return (
        sorted(key.accept, key=str)[0] if right else next(v for v in values if v not in key.accept)
    )


def _plan() -> list[Planned]:
    """Every exercise of the exam in notebook order; the answered ones get one wrong item."""
    course = load_course()
    keys = load_keys(course)
    plan = []
    for spec in course.assignments[EXAM].exercises:
        exercise, key = build(course, spec, LEARNER, keys)
        answers = {}
        if spec.id in WRONG:
            answers = {
                item.id: _answer(item, key[item.id], n != WRONG[spec.id])
                for n, item in enumerate(exercise.items)
            }
        plan.append(Planned(spec, exercise, key, answers))
    return plan


PLAN = _plan()
ANSWERED = {p.spec.id: p for p in PLAN if p.answers}


@dataclass
class Session:
    page: Page
    traffic: Traffic
    folder: Path


def _controls(page: Page) -> dict[str, list[Control]]:
    widgets = exercise_widgets(page)
    expect(widgets).to_have_count(len(PLAN))
    return {p.spec.id: controls(widgets.nth(n), p.exercise) for n, p in enumerate(PLAN)}


def _saved(folder: Path) -> dict:
    path = folder / FILENAME
    return json.loads(path.read_text()) if path.exists() else {}


@pytest.fixture(scope="module")
def session(lab: Lab, lab_context: BrowserContext) -> Iterator[Session]:
    """The exam notebook opened in JupyterLab and run (Run › Run All Cells)."""
    page = lab_context.new_page()
    traffic = watch(page)
    open_in_lab(page, lab, NOTEBOOK)
    run_all(page)
    wait_for_outputs(page, "items answered", len(PLAN))
    yield Session(page, traffic, lab.root / "exercises" / EXAM)
    page.close()


@pytest.fixture(scope="module")
def answered(session: Session) -> dict:
    """Two exercises answered with the mouse and two with the keyboard alone; returns the
    answers file once it holds them all."""
    shown = _controls(session.page)
    for exercise_id in BY_MOUSE:
        answer_with_mouse(shown[exercise_id], ANSWERED[exercise_id].answers)
    for exercise_id in BY_KEYBOARD:
        answer_with_keyboard(session.page, shown[exercise_id], ANSWERED[exercise_id].answers)

    def complete() -> dict:
        saved = _saved(session.folder).get("exercises", {})
        done = all(saved.get(i, {}).get("answers") == p.answers for i, p in ANSWERED.items())
        return _saved(session.folder) if done else {}

    def missing() -> str:
        saved = _saved(session.folder).get("exercises", {})
        return "; ".join(
            f"{i}: saved {saved.get(i, {}).get('answers')}, chosen {p.answers}"
            for i, p in ANSWERED.items()
            if saved.get(i, {}).get("answers") != p.answers
        )

    return wait_until(complete, 30, f"{FILENAME} to hold every answer", missing)


@pytest.fixture(scope="module")
def restored(session: Session, answered: dict) -> dict[str, list[Control]]:
    """Kernel › Restart Kernel and Run All Cells…: the widgets as they come back."""
    restart_and_run_all(session.page)
    wait_for_outputs(session.page, "✔ Answers restored", len(ANSWERED))
    done = Counter(
        f"{len(p.exercise.items)} of your {len(p.exercise.items)} items answered"
        for p in ANSWERED.values()
    )
    for message, count in done.items():
        wait_for_outputs(session.page, message, count)
    return _controls(session.page)


@pytest.fixture(scope="module")
def graded(lab: Lab, session: Session, restored: dict) -> float:
    """The learner's folder submitted as is; `nbgrader generate_assignment` and `autograde`."""
    submitted = lab.root / "submitted" / LEARNER / EXAM
    shutil.copytree(session.folder, submitted, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (submitted / "timestamp.txt").write_text("2026-11-22 10:00:00.000000 UTC")
    for step in (("generate_assignment", EXAM, "--force"), ("autograde", EXAM)):
        result = nbgrader(lab.root, *step)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with Gradebook(f"sqlite:///{lab.root / 'gradebook.db'}") as gradebook:
        submission = gradebook.find_submission(EXAM, LEARNER)
        assert submission.max_score == pytest.approx(sum(p.exercise.max_points for p in PLAN))
        return submission.score


def test_the_kernel_is_this_environments_python(lab: Lab, session: Session):
    specs = lab.api("kernelspecs")
    assert specs["kernelspecs"]["python3"]["spec"]["argv"][0] == sys.executable
    sessions = lab.api("sessions")
    assert [s["kernel"]["name"] for s in sessions if s["path"] == NOTEBOOK] == ["python3"]


def test_every_exercise_shows_the_learners_variant(session: Session):
    shown = _controls(session.page)  # titles, prompts, labels and choices of this variant
    assert [len(shown[p.spec.id]) for p in PLAN] == [len(p.exercise.items) for p in PLAN]
    for p in PLAN:
        assert all(control.shown() in (None, []) for control in shown[p.spec.id]), p.spec.id
    assert not (session.folder / FILENAME).exists()  # running saves nothing


def test_exercise_widgets_pass_an_axe_audit(session: Session, axe_script: Path):
    passes, violations = audit(session.page, axe_script, include=WIDGET)
    assert violations == []  # of any impact, in the widgets (JupyterLab itself is not ours)
    assert passes > 5


def test_screenshot_of_each_exercise_kind(session: Session, screenshots: Path):
    """docs/screenshots/<kind>.png, taken before any answer: a picture of a graded exercise
    with answers in it would give away part of its hidden key."""
    widgets = exercise_widgets(session.page)
    shown = _controls(session.page)
    for n, p in enumerate(PLAN):
        if p.spec.id not in SCREENSHOTS:
            continue
        assert all(c.shown() in (None, []) for c in shown[p.spec.id]), "answered already"
        png = widget_screenshot(session.page, widgets.nth(n))
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert width > 500 and height > 100, (p.spec.id, width, height)
        assert len(png) < 300_000, "too big to commit"
        assert save_screenshot(png, SCREENSHOTS[p.spec.id], screenshots).read_bytes() == png


def test_answers_file_holds_exactly_the_answers_given(session: Session, answered: dict):
    assert answered["schema"] == SCHEMA and answered["learner"] == LEARNER
    assert set(answered["exercises"]) == set(ANSWERED)  # untouched exercises: no record
    for exercise_id, record in answered["exercises"].items():
        planned = ANSWERED[exercise_id]
        assert record["answers"] == planned.answers
        assert record["variant"] == planned.exercise.variant
        assert record["learner"] == LEARNER and record["exercise"] == exercise_id
    widgets = exercise_widgets(session.page)
    for n, p in enumerate(PLAN):
        if p.answers:
            expect(widgets.nth(n)).to_contain_text("✔ Saved at")
        else:
            expect(widgets.nth(n)).not_to_contain_text("Saved at")


def test_after_a_restart_the_page_shows_the_saved_answers(
    session: Session, answered: dict, restored: dict[str, list[Control]]
):
    for p in PLAN:
        shown = {control.item.id: control.shown() for control in restored[p.spec.id]}
        blank = {item.id: [] if item.multiple else None for item in p.exercise.items}
        assert shown == (p.answers or blank), p.spec.id
    assert _saved(session.folder) == answered  # restoring re-saves nothing


def test_autograde_gives_the_score_of_the_hidden_keys(lab: Lab, graded: float):
    expected = sum(p.points for p in PLAN)
    assert 0 < expected < sum(len(p.exercise.items) for p in PLAN)  # right and wrong answers
    assert graded == expected
    course, keys = load_course(), load_keys(load_course())
    records = read(lab.root / "submitted" / LEARNER / EXAM / FILENAME).records
    assert graded == sum(
        grade_record(course, p.spec, records.get(p.spec.id), LEARNER, keys).points for p in PLAN
    )


def test_nothing_was_requested_outside_localhost(session: Session):
    """(Last in this file: by then the page has run, been answered and restarted.)"""
    assert session.traffic.remote == []
    assert [e for e in session.traffic.errors if e.startswith("page error")] == []
