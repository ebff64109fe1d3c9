"""A script in a learner's reflection is shown in the feedback page, never run (issue 26, item
2: "A browser test opens the feedback and sees no script run").

The feedback that `nbgrader generate_feedback` writes for a learner whose reflection holds
script payloads is opened in headless Chromium: no dialog opens, no marker is set, the title
is unchanged, and each payload is visible as text. The same checks on a page where the
payloads are raw HTML do see every one of them run (the detector works). Nothing leaves the
machine: every request that is neither file:// nor localhost is aborted (the feedback
template's MathJax is on a CDN), without failing the test.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Route

from peaceops.cli import main
from tests.browser.conftest import LOCAL_HOSTS
from tests.factories import answers_for, nbgrader, submit
from tests.grading.test_hostile_cohort import MLT, with_reflection

pytestmark = pytest.mark.browser

#: Each payload, if run, leaves its own mark: a dialog, a window global, the title, the console.
PAYLOADS = {
    "script": "</script><script>window.__pwned=1</script>",
    "img": "<img src=x onerror=\"document.title='pwned'\">",
    "svg": "<svg onload=\"alert('pwned')\"></svg>",
    "markdown link": "[notes](javascript:console.log('pwned-link'))",
    "html link": "<a href=\"javascript:console.log('pwned-link')\">notes</a>",
}
REFLECTION = "My plan.\n\n" + "\n\n".join(PAYLOADS.values())


@dataclass
class Seen:
    """What a page did once loaded (and once each javascript: link on it was clicked)."""

    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    pwned: str = "undefined"  # `typeof window.__pwned`
    title: str = ""
    text: str = ""
    javascript_links: int = 0

    @property
    def ran(self) -> list[str]:
        """Every sign that learner script ran."""
        return [*(f"dialog: {d}" for d in self.dialogs),
                *(f"console: {c}" for c in self.console if "pwned" in c),
                *([f"window.__pwned is {self.pwned}"] if self.pwned != "undefined" else []),
                *([f"title: {self.title}"] if "pwned" in self.title else [])]


def open_and_watch(browser: Browser, path: Path) -> Seen:
    """Open `path` (file://) in a fresh context that reaches nothing but files and localhost,
    with a dialog handler and console / page-error listeners; wait for the load, click every
    javascript: link, and report what happened."""
    seen = Seen()
    context = browser.new_context()
    context.set_default_timeout(15_000)

    def offline(route: Route) -> None:
        url = urlsplit(route.request.url)
        if url.scheme in ("file", "data", "about") or url.hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            seen.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", offline)
    page = context.new_page()

    def on_dialog(dialog) -> None:
        seen.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda message: seen.console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    try:
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_timeout(300)  # a late onload/onerror handler would have run by now
        links = page.locator("a[href^='javascript:' i]")
        seen.javascript_links = links.count()
        for n in range(seen.javascript_links):
            links.nth(n).click()
        page.wait_for_timeout(100)
        seen.pwned = page.evaluate("typeof window.__pwned")
        seen.title = page.title()
        seen.text = page.inner_text("body")
    finally:
        context.close()
    return seen


@pytest.fixture
def feedback(tmp_path, course_dir_factory) -> Path:
    """The feedback page of "mallory", whose MLT reflection holds every payload: the course
    copied, MLT released, her submission graded by `peaceops grade`, `nbgrader
    generate_feedback` run (as in tests/grading/test_hostile_cohort.py)."""
    course = course_dir_factory(tmp_path / "course")
    assert nbgrader(course, "generate_assignment", MLT, "--force").returncode == 0
    answers, _ = answers_for(MLT, "mallory", 1.0)
    submit(course, "mallory", MLT, answers,
           with_reflection(course, json.dumps(REFLECTION)[1:-1]))
    assert main(["grade", "--course", str(course), "--quiet"]) == 0
    run = nbgrader(course, "generate_feedback", MLT)
    assert run.returncode == 0, run.stderr[-3000:]
    return course / "feedback" / "mallory" / MLT / f"{MLT}.html"


@pytest.mark.slow
def test_the_feedback_shows_the_reflections_scripts_as_text_and_runs_none(browser, feedback):
    title = html.unescape(re.search(r"<title>(.*?)</title>", feedback.read_text(), re.S)[1])
    seen = open_and_watch(browser, feedback)
    assert seen.ran == [], seen
    assert seen.pwned == "undefined"
    assert seen.title == title.strip() and "pwned" not in seen.title
    assert seen.javascript_links == 0
    assert seen.errors == [], seen.errors
    assert "My plan." in seen.text  # the learner's words are shown ...
    for name, payload in PAYLOADS.items():  # ... verbatim, as text
        assert payload in seen.text, f"the {name} payload is not shown as text"


def test_the_same_checks_see_the_payloads_run_when_they_are_raw_html(browser, tmp_path):
    raw = tmp_path / "raw.html"
    raw.write_text("<!doctype html><html><head><meta charset=utf-8><title>raw</title></head>"
                   f"<body><main>{REFLECTION}</main></body></html>")
    seen = open_and_watch(browser, raw)
    assert seen.dialogs == ["alert: pwned"]  # svg onload
    assert seen.pwned == "number"  # the script
    assert seen.title == "pwned"  # img onerror
    assert seen.javascript_links == 1 and "log: pwned-link" in seen.console  # the html link
    assert sorted(seen.ran) == sorted(["dialog: alert: pwned", "console: log: pwned-link",
                                       "window.__pwned is number", "title: pwned"])
    assert PAYLOADS["script"] not in seen.text  # run, not shown
