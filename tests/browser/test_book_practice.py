"""Interactive practice in the built book, opened from file:// as the README says (and from a
local web server): every kind answered by mouse and by keyboard alone, right and wrong
feedback in the words Python gives, Hint / Try again / Show answer, progress kept across a
reload and shown on "My progress", whose export `peaceops progress` reads. No request leaves
the page's origin, no console error, and axe finds no serious or critical violation with the
checks unanswered, answered and checked."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from peaceops.content import load_course
from peaceops.exercises import PRACTICE, Exercise, ExerciseWidget, build, kind
from peaceops.exercises.practice_log import FILENAME as PRACTICE_LOG
from peaceops.progress.learner import progress
from tests.browser.conftest import Site, audit, save_screenshot
from tests.browser.labpage import (
    answer_with_keyboard,
    answer_with_mouse,
    as_shown,
    controls,
    order_shown,
)

pytestmark = pytest.mark.browser

COURSE = load_course()
#: One practice check of each kind, on its lesson's page.
KINDS = {
    "role_matching": "mlt-roles",
    "principle_weighing": "weighing-stones",
    "polarity_sorting": "polarity-sort",
    "choice": "welcome-peacekeeping",
    "multi": "essence-characteristics",
}
LESSONS_WITH_CHECKS = sorted({spec.lesson for spec in COURSE.checks.values()})
SERIOUS = ("serious", "critical")
SCREENSHOTS = {"mlt-roles": "book-role-matching", "weighing-stones": "book-principle-weighing",
               "essence-characteristics": "book-practice-feedback"}


def built(check_id: str) -> tuple[Exercise, dict]:
    return build(COURSE, COURSE.checks[check_id])


def right(exercise: Exercise, key: dict) -> dict[str, Any]:
    return {item.id: (sorted(sorted(g) for g in key[item.id].accept)[0] if item.multiple
                      else sorted(key[item.id].accept)[0]) for item in exercise.items}


def one_wrong(exercise: Exercise, key: dict) -> dict[str, Any]:
    """Right answers but the last item, which is wrong (and, for a weight, not close)."""
    answers = right(exercise, key)
    item = exercise.items[-1]
    values = [value for value, _ in item.choices]
    if item.multiple:
        answers[item.id] = sorted(set(values) - set(answers[item.id]))[:1]
    else:
        answers[item.id] = next(v for v in values if v not in key[item.id].accept)
    return answers


def python_feedback(exercise: Exercise, key: dict, answers: dict) -> str:
    widget = ExerciseWidget(exercise, key, mode=PRACTICE)
    widget.set_answers(answers)
    widget.check()
    return widget.feedback


def squash(text: str) -> str:
    return "".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


class Origin:
    """Where the book is opened: file:// (the README's way) or a local web server."""

    def __init__(self, html_dir: Path, base: str | None = None):
        self.html_dir, self.base = html_dir, base

    def url(self, page: str) -> str:
        return (self.base + page) if self.base else (self.html_dir / page).as_uri()


@pytest.fixture(scope="module")
def book(built_book: Path) -> Origin:
    return Origin(built_book / "_build" / "html")


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    """A fresh profile per test (its own, empty localStorage)."""
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(20_000)
    yield context
    context.close()


class Watched:
    """A page with every request and every console or page error recorded."""

    def __init__(self, context: BrowserContext, origin: Origin):
        self.page = context.new_page()
        self.origin = origin
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, page: str) -> Page:
        self.page.goto(self.origin.url(page))
        self.page.wait_for_load_state("load")
        return self.page

    def exercise(self, check_id: str):
        return self.page.locator(f"#exercise-{check_id} .po-root")

    def assert_clean(self) -> None:
        own = urlsplit(self.origin.url("x"))
        foreign = [u for u in self.requests
                   if not u.startswith(("data:", "blob:"))
                   and (urlsplit(u).scheme, urlsplit(u).netloc) != (own.scheme, own.netloc)]
        assert foreign == [], "requests outside the page's origin:\n" + "\n".join(foreign)
        assert self.errors == [], "console errors:\n" + "\n".join(self.errors)


def lesson_of(check_id: str) -> str:
    return f"book/{COURSE.checks[check_id].lesson}.html"


@pytest.mark.parametrize("check_id", KINDS.values(), ids=list(KINDS))
def test_answered_by_mouse_right_then_wrong(context: BrowserContext, book: Origin, check_id: str):
    watched = Watched(context, book)
    watched.open(lesson_of(check_id))
    exercise, key = built(check_id)
    widget = watched.exercise(check_id)
    shown = controls(widget, exercise)
    assert [c.shown() for c in shown] == [[] if c.kind == "checkbox" else None for c in shown]
    answers = right(exercise, key)
    answer_with_mouse(shown, answers)
    widget.get_by_role("button", name="Check").click()
    expect(widget.locator(".po-said")).to_have_text("All correct — well done.")
    assert widget.inner_text().count("✔ Correct") == len(exercise.items)
    seen = as_shown(exercise, shown)  # the feedback lists the items in the order shown
    assert squash(python_feedback(seen, key, answers)) in squash(widget.inner_html())
    wrong = one_wrong(exercise, key)
    answer_with_mouse(shown, wrong)
    widget.get_by_role("button", name="Check").click()
    expect(widget.locator(".po-said")).to_contain_text("Not all correct yet")
    text = widget.inner_text()
    assert text.count("✘ Not correct") == 1 and text.count("✔ Correct") == len(exercise.items) - 1
    assert squash(python_feedback(seen, key, wrong)) in squash(widget.inner_html())
    # Try again: the feedback goes, the answers stay, each marked with its last result
    widget.get_by_role("button", name="Try again").click()
    expect(widget.locator(".po-feedback")).to_be_empty()
    assert [c.shown() for c in shown] == [wrong[c.item.id] for c in shown]
    marks = widget.locator(".po-mark")
    expect(marks).to_have_count(len(exercise.items))
    wrong_item = widget.locator(f".po-item[data-item='{exercise.items[-1].id}']")
    expect(wrong_item.locator(".po-mark")).to_have_text("Your last check: ✘ Not correct")
    assert wrong_item.get_attribute("data-last") == "incorrect"
    assert marks.filter(has_text="✔ Correct").count() == len(exercise.items) - 1
    answer_with_mouse(shown, answers)
    widget.get_by_role("button", name="Check").click()
    expect(widget.locator(".po-said")).to_have_text("All correct — well done.")
    expect(marks).to_have_count(0)
    widget.get_by_role("button", name="Hint").click()
    expect(widget.locator(".po-said")).to_have_text(f"Hint: {COURSE.checks[check_id].hint}")
    widget.get_by_role("button", name="Show answer").click()
    for item in exercise.items:
        expect(widget.locator(".po-feedback")).to_contain_text(key[item.id].shows(item))
    watched.assert_clean()


@pytest.mark.parametrize("check_id", KINDS.values(), ids=list(KINDS))
def test_answered_by_keyboard_alone(context: BrowserContext, book: Origin, check_id: str):
    watched = Watched(context, book)
    page = watched.open(lesson_of(check_id))
    exercise, key = built(check_id)
    widget = watched.exercise(check_id)
    shown = controls(widget, exercise)
    answer_with_keyboard(page, shown, one_wrong(exercise, key))  # ends on the Check button
    check = widget.get_by_role("button", name="Check")
    expect(check).to_be_focused()
    outline = check.evaluate("b => getComputedStyle(b).outlineStyle")
    assert outline not in ("none", ""), "no visible focus on the Check button"
    page.keyboard.press("Enter")
    expect(widget.locator(".po-said")).to_contain_text("Not all correct yet")
    assert widget.locator(".po-said").get_attribute("aria-live") == "polite"
    for name in ("Hint", "Try again"):  # every button is reachable with Tab
        page.keyboard.press("Tab")
        expect(widget.get_by_role("button", name=name)).to_be_focused()
    page.keyboard.press("Enter")  # Try again: the answers stay, to be corrected
    assert [c.shown() for c in shown] == [one_wrong(exercise, key)[c.item.id] for c in shown]
    answer_with_keyboard(page, shown, right(exercise, key))
    page.keyboard.press("Enter")
    expect(widget.locator(".po-said")).to_have_text("All correct — well done.")
    watched.assert_clean()


def test_progress_is_kept_across_a_reload_and_shown_on_my_progress(
    context: BrowserContext, book: Origin, tmp_path: Path
):
    watched = Watched(context, book)
    page = watched.open(lesson_of("polarity-sort"))
    exercise, key = built("polarity-sort")
    widget = watched.exercise("polarity-sort")
    answer_with_mouse(controls(widget, exercise), one_wrong(exercise, key))
    widget.get_by_role("button", name="Check").click()
    answer_with_mouse(controls(widget, exercise), right(exercise, key))
    widget.get_by_role("button", name="Check").click()
    n = len(exercise.items)
    expect(widget.locator(".po-status")).to_have_text(
        f"Your progress, kept in this browser: 2 checks, best {n} / {n}; answered correctly.")
    page.reload()
    expect(watched.exercise("polarity-sort").locator(".po-status")).to_contain_text("2 checks")
    watched.open(lesson_of("mlt-roles"))
    roles, roles_key = built("mlt-roles")
    answer_with_mouse(controls(watched.exercise("mlt-roles"), roles), one_wrong(roles, roles_key))
    watched.exercise("mlt-roles").get_by_role("button", name="Check").click()

    watched.open("book/progress.html")
    table = page.locator(".po-progress-table")
    expect(page.locator(".po-progress-summary")).to_have_text(
        f"1 of {len(COURSE.checks)} practice checks answered correctly in this browser.")
    expect(table.locator("tr[data-check='polarity-sort']")).to_contain_text("✔ Answered correctly")
    expect(table.locator("tr[data-check='mlt-roles']")).to_contain_text("◐ Tried, not yet all correct")
    expect(table.locator("tr[data-check='mlt-roles']")).to_contain_text("6 / 7")
    expect(table.locator("tr[data-check='wps-weighing']")).to_contain_text("– Not tried")
    expect(table.locator("tbody tr")).to_have_count(len(COURSE.checks))
    with page.expect_download() as download:
        page.get_by_role("button", name="Export my progress (peaceops-practice.json)").click()
    assert download.value.suggested_filename == PRACTICE_LOG
    folder = tmp_path / "course"
    folder.mkdir()
    download.value.save_as(folder / PRACTICE_LOG)
    exported = json.loads((folder / PRACTICE_LOG).read_text())
    assert exported["schema"] == 1 and set(exported["checks"]) == {"polarity-sort", "mlt-roles"}
    entry = exported["checks"]["polarity-sort"]
    assert (entry["attempts"], entry["best"], entry["max"], entry["last"]) == (2, n, n, n)
    assert entry["first_correct_at"] == entry["last_at"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", entry["last_at"])
    practice = progress(folder).practice.set_index("check")  # what `peaceops progress` shows
    assert practice.at["polarity-sort", "status"] == "correct"
    assert practice.at["mlt-roles", "status"] == "tried"
    assert practice.at["wps-weighing", "status"] == "not tried"
    watched.assert_clean()


def test_the_book_works_from_a_local_web_server(context: BrowserContext, site: Site):
    watched = Watched(context, Origin(site.html, site.base))
    watched.open(lesson_of("essence-characteristics"))
    exercise, key = built("essence-characteristics")
    widget = watched.exercise("essence-characteristics")
    answer_with_mouse(controls(widget, exercise), right(exercise, key))
    widget.get_by_role("button", name="Check").click()
    expect(widget.locator(".po-said")).to_have_text("All correct — well done.")
    watched.open("book/progress.html")
    expect(watched.page.locator(".po-progress-summary")).to_contain_text("1 of ")
    watched.assert_clean()


@pytest.mark.parametrize("lesson", [*LESSONS_WITH_CHECKS, "progress"])
def test_axe_with_checks_unanswered_and_answered(
    context: BrowserContext, site: Site, axe_script: Path, lesson: str
):
    """(Over HTTP: axe reads the style sheets with XMLHttpRequest, which file:// forbids.)"""
    watched = Watched(context, Origin(site.html, site.base))
    if lesson == "progress":  # a table with something in it
        watched.open(lesson_of("polarity-sort"))
        exercise, key = built("polarity-sort")
        answer_with_mouse(controls(watched.exercise("polarity-sort"), exercise), right(exercise, key))
        watched.exercise("polarity-sort").get_by_role("button", name="Check").click()
    page = watched.open(f"book/{lesson}.html")
    _, before = audit(page, axe_script)
    for spec in COURSE.checks.values():
        if spec.lesson != lesson:
            continue
        exercise, key = built(spec.id)
        widget = watched.exercise(spec.id)
        answer_with_mouse(controls(widget, exercise), one_wrong(exercise, key))
        widget.get_by_role("button", name="Check").click()
        expect(widget.locator(".po-said")).to_contain_text("Not all correct yet")
    page.reload()  # axe once more on a fresh page, with progress recorded and answers checked
    for spec in COURSE.checks.values():
        if spec.lesson == lesson:
            exercise, key = built(spec.id)
            widget = watched.exercise(spec.id)
            answer_with_mouse(controls(widget, exercise), one_wrong(exercise, key))
            widget.get_by_role("button", name="Check").click()
    _, after = audit(page, axe_script)
    serious = [v for v in before + after if v.startswith(SERIOUS)]
    assert serious == [], "axe-core:\n" + "\n".join(serious)
    watched.assert_clean()


def test_screenshots_of_the_books_checks(context: BrowserContext, book: Origin,
                                         screenshots: Path):
    """docs/screenshots/book-*.png: practice checks in the book (their keys are public);
    one of them after Check, with its feedback."""
    watched = Watched(context, book)
    for check_id, name in SCREENSHOTS.items():
        page = watched.open(lesson_of(check_id))
        widget = watched.exercise(check_id)
        if check_id == "essence-characteristics":
            exercise, key = built(check_id)
            answer_with_mouse(controls(widget, exercise), one_wrong(exercise, key))
            widget.get_by_role("button", name="Check").click()
        height = widget.bounding_box()["height"]
        page.set_viewport_size({"width": 900, "height": int(height) + 300})
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.mouse.move(0, 0)
        widget.evaluate("w => window.scrollTo(0, w.getBoundingClientRect().top + window.scrollY - 120)")
        png = widget.screenshot(animations="disabled")
        assert len(png) < 300_000
        assert save_screenshot(png, name, screenshots).read_bytes() == png


def test_two_loads_show_different_orders_with_the_same_scoring(
    context: BrowserContext, book: Origin
):
    """Statements and options come in a new order on each load (no key by position: pressing
    the arrow key 1, 2 ... times no longer scores), and the same answers score the same, as
    Python scores them."""
    watched = Watched(context, book)
    exercise, key = built("mlt-roles")
    orders, scores = [], []
    for _ in range(2):
        page = watched.open(lesson_of("mlt-roles"))
        page.evaluate("window.localStorage.clear()")  # a fresh start: nothing restored
        page.reload()
        widget = watched.exercise("mlt-roles")
        shown = controls(widget, exercise)
        orders.append(order_shown(shown))
        answer_with_mouse(shown, one_wrong(exercise, key))
        widget.get_by_role("button", name="Check").click()
        scores.append(widget.locator(".po-feedback p").first.inner_text())
        assert squash(python_feedback(as_shown(exercise, shown), key, one_wrong(exercise, key))) \
            in squash(widget.inner_html())
        # by position: the n-th choice for the n-th statement, as an arrow key pressed n times
        by_position = {c.item.id: c.values[min(n, len(c.values) - 1)] for n, c in enumerate(shown)}
        answer_with_mouse(shown, by_position)
        widget.get_by_role("button", name="Check").click()
        expected = kind(exercise.kind).score(exercise, key, by_position)
        expect(widget.locator(".po-feedback p").first).to_contain_text(
            f"{expected.points:g} / {expected.max_points:g}")
    assert orders[0] != orders[1]
    n = len(exercise.items)
    assert scores == [f"{exercise.title}: {n - 1} / {n}"] * 2
    watched.assert_clean()


def test_a_reload_restores_the_last_attempt(context: BrowserContext, book: Origin):
    watched = Watched(context, book)
    page = watched.open(lesson_of("essence-characteristics"))
    exercise, key = built("essence-characteristics")
    widget = watched.exercise("essence-characteristics")
    wrong = one_wrong(exercise, key)
    answer_with_mouse(controls(widget, exercise), wrong)
    widget.get_by_role("button", name="Check").click()
    expect(widget.locator(".po-said")).to_contain_text("Not all correct yet")
    page.reload()
    widget = watched.exercise("essence-characteristics")
    shown = controls(widget, exercise)
    assert [c.shown() for c in shown] == [wrong[c.item.id] for c in shown]
    expect(widget.locator(".po-said")).to_contain_text("Not all correct yet")
    expect(widget.locator(".po-status")).to_contain_text("Your last attempt is shown.")
    assert squash(python_feedback(as_shown(exercise, shown), key, wrong)) in squash(widget.inner_html())
    # the other direction: a check never made is shown blank
    other = next(s for s in COURSE.checks.values()
                 if s.lesson == COURSE.checks["essence-characteristics"].lesson
                 and s.id != "essence-characteristics")
    blank, _ = built(other.id)
    assert all(c.shown() in (None, []) for c in controls(watched.exercise(other.id), blank))
    expect(watched.exercise(other.id).locator(".po-said")).to_be_empty()
    watched.assert_clean()


def test_a_progress_file_imports_into_another_browser(
    browser: Browser, context: BrowserContext, book: Origin, tmp_path: Path
):
    watched = Watched(context, book)
    watched.open(lesson_of("polarity-sort"))
    exercise, key = built("polarity-sort")
    widget = watched.exercise("polarity-sort")
    answer_with_mouse(controls(widget, exercise), right(exercise, key))
    widget.get_by_role("button", name="Check").click()
    page = watched.open("book/progress.html")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export my progress (peaceops-practice.json)").click()
    exported = tmp_path / PRACTICE_LOG
    download.value.save_as(exported)
    junk = tmp_path / "notes.json"
    junk.write_text('{"schema": 1, "checks": {"polarity-sort": {"attempts": "many"}}}')

    other = browser.new_context(viewport={"width": 1200, "height": 1000})  # another browser
    try:
        there = Watched(other, book)
        page = there.open("book/progress.html")
        summary = page.locator(".po-progress-summary")
        expect(summary).to_contain_text("0 of ")
        picker = page.get_by_label("Import progress from another browser (peaceops-practice.json)")
        picker.set_input_files(str(junk))  # a doctored file is refused, nothing changes
        expect(summary).to_contain_text("Not imported: notes.json")
        expect(page.locator("tr[data-check='polarity-sort']")).to_contain_text("– Not tried")
        picker.set_input_files(str(exported))
        expect(summary).to_have_text(
            f"1 of {len(COURSE.checks)} practice checks answered correctly in this browser. "
            f"Imported 1 check from {PRACTICE_LOG}.")
        expect(page.locator("tr[data-check='polarity-sort']")).to_contain_text("✔ Answered correctly")
        picker.set_input_files(str(exported))  # twice: nothing counted twice
        expect(page.locator("tr[data-check='polarity-sort'] td").nth(2)).to_have_text("1")
        page = there.open(lesson_of("polarity-sort"))  # the last attempt came along
        shown = controls(there.exercise("polarity-sort"), exercise)
        assert [c.shown() for c in shown] == [right(exercise, key)[c.item.id] for c in shown]
        there.assert_clean()
    finally:
        other.close()
    watched.assert_clean()
