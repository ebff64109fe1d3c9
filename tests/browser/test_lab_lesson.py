"""A lesson opened live in JupyterLab (right-click › Open With › Notebook, as the README says):
its "check your understanding" gives the right feedback when checked."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from peaceops.content import load_course
from peaceops.exercises import PRACTICE, Exercise, ExerciseWidget, build
from peaceops.exercises.practice_log import FILENAME as PRACTICE_LOG
from peaceops.exercises.practice_log import read_log
from tests.browser.conftest import Lab, Traffic, audit, save_screenshot, wait_until, watch
from tests.browser.labpage import (
    WIDGET,
    answer_with_mouse,
    as_shown,
    controls,
    exercise_widgets,
    run_all,
    wait_for_kernel,
    widget_screenshot,
)

pytestmark = pytest.mark.browser

LESSON, CHECK = "mlt.md", "mlt-roles"  # book/mlt.md: match responsibilities to roles
WRONG = 3  # the item answered wrongly in the incorrect case


@dataclass
class Lesson:
    page: Page
    traffic: Traffic
    widget: Locator
    exercise: Exercise
    key: dict


def _answers(exercise: Exercise, key: dict, wrong: int | None = None) -> dict[str, Any]:
    """Every item right (the keys of practice checks are public), but item `wrong`."""
    answers = {}
    for n, item in enumerate(exercise.items):
        right = sorted(key[item.id].accept)[0]
        answers[item.id] = (
            right
            if n != wrong
            else next(v for v, _ in item.choices if v not in key[item.id].accept)
        )
    return answers


def _feedback_for(answers: dict[str, Any], shown: list) -> str:
    """What the widget says on Check for `answers`, computed here in Python (its items in
    the order the page shows them: a practice check shuffles them on each load)."""
    course = load_course()
    exercise, key = build(course, course.checks[CHECK])
    widget = ExerciseWidget(as_shown(exercise, shown), key, mode=PRACTICE)  # no practice log written here
    widget.set_answers(answers)
    widget.check()
    return widget.feedback


def _squash(text: str) -> str:
    """Text without markup or whitespace, to compare HTML with what the page shows."""
    return "".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


@pytest.fixture(scope="module")
def lesson(lab: Lab, lab_context: BrowserContext) -> Iterator[Lesson]:
    page = lab_context.new_page()
    traffic = watch(page)
    page.goto(lab.url("lab/tree/book", reset=""))
    page.locator(".jp-DirListing-itemText").get_by_text(LESSON, exact=True).click(button="right")
    page.locator(".lm-Menu-item[data-type=submenu]", has_text="Open With").hover()
    page.locator(".lm-Menu").last.locator(".lm-Menu-itemLabel").get_by_text(
        re.compile(r"^Notebook$")
    ).click()
    wait_for_kernel(page)
    run_all(page)
    widget = exercise_widgets(page)
    expect(widget).to_have_count(1)
    expect(widget.get_by_role("button", name="Check")).to_be_visible()
    course = load_course()
    exercise, key = build(course, course.checks[CHECK])
    yield Lesson(page, traffic, widget, exercise, key)
    page.close()


def test_the_lesson_opens_as_a_notebook(lesson: Lesson):
    expect(lesson.page.locator(".jp-NotebookPanel-toolbar")).to_be_visible()
    expect(lesson.page.locator(".lm-TabBar-tab.jp-mod-current")).to_contain_text(LESSON)
    assert len(controls(lesson.widget, lesson.exercise)) == len(lesson.exercise.items)


def test_the_practice_widget_passes_an_axe_audit(lesson: Lesson, axe_script: Path):
    passes, violations = audit(lesson.page, axe_script, include=WIDGET)
    assert violations == []
    assert passes > 5


def test_right_answers_are_all_correct(lesson: Lesson):
    answers = _answers(lesson.exercise, lesson.key)
    shown = controls(lesson.widget, lesson.exercise)
    answer_with_mouse(shown, answers)
    lesson.widget.get_by_role("button", name="Check").click()
    expect(lesson.widget).to_contain_text("All correct — well done.")
    text = lesson.widget.inner_text()
    assert text.count("✔ Correct") == len(lesson.exercise.items)
    assert "✘ Not correct" not in text
    assert _squash(_feedback_for(answers, shown)) in _squash(text)


def test_try_again_keeps_the_answers_and_a_wrong_answer_is_pointed_out(
    lesson: Lesson, screenshots: Path
):
    shown = controls(lesson.widget, lesson.exercise)
    before = [c.shown() for c in shown]
    lesson.widget.get_by_role("button", name="Try again").click()
    expect(lesson.widget.locator(".po-feedback")).to_be_empty()
    assert [c.shown() for c in shown] == before  # kept, each marked with its last result
    expect(lesson.widget.locator(".po-mark", has_text="✔ Correct")).to_have_count(len(shown))
    answers = _answers(lesson.exercise, lesson.key, wrong=WRONG)
    answer_with_mouse(shown, answers)
    lesson.widget.get_by_role("button", name="Check").click()
    expect(lesson.widget).to_contain_text("Not all correct yet")
    text = lesson.widget.inner_text()
    assert text.count("✘ Not correct") == 1
    assert text.count("✔ Correct") == len(lesson.exercise.items) - 1
    wrong = lesson.widget.locator("li", has_text="✘ Not correct")
    expect(wrong).to_contain_text(lesson.exercise.items[WRONG].prompt)
    assert _squash(_feedback_for(answers, shown)) in _squash(text)
    png = widget_screenshot(lesson.page, lesson.widget)  # practice keys are public
    assert save_screenshot(png, "practice-feedback", screenshots).read_bytes() == png


def test_hint_shows_the_checks_hint(lesson: Lesson):
    lesson.widget.get_by_role("button", name="Hint").click()
    hint = load_course().checks[CHECK].hint
    expect(lesson.widget).to_contain_text(f"Hint: {hint}")


def test_each_check_is_scored_and_logged_by_the_kernel(lesson: Lesson, lab: Lab):
    """Check in the browser sends the answers to Python, which scores them itself and writes
    the practice log beside the lesson (what `peaceops progress` reads)."""
    log = lab.root / "book" / PRACTICE_LOG
    wait_until(lambda: log.exists() and read_log(log).get(CHECK, {}).get("attempts", 0) >= 2,
               30, f"{log.name} to record the checks")
    entry = read_log(log)[CHECK]
    assert entry["max"] == len(lesson.exercise.items) and entry["first_correct_at"]
    assert entry["last"] == len(lesson.exercise.items) - 1  # the last check had one wrong


def test_nothing_was_requested_outside_localhost(lesson: Lesson):
    assert lesson.traffic.remote == []
    assert [e for e in lesson.traffic.errors if e.startswith("page error")] == []
