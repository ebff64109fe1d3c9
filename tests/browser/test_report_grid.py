"""report.html's instructor grid in Debian's Chromium (issue 28: "A browser test of report.html
shows the grid with every status, on a cohort made to have each"): every status is shown in
its cell, the at-risk list names who and why, a header sorts the learners (both ways), the
page runs no error and fetches nothing, and printed (print media) the grid is whole with the
sort buttons' arrows and the navigation hidden."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from peaceops.content import load_certification
from peaceops.report import build_report
from peaceops.report.grid import LABELS, build_grid
from tests.factories.cohort import every_status_cohort

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    results, certified = every_status_cohort()
    grid = build_grid(results, load_certification().rule(), certified)
    return build_report(results, tmp_path_factory.mktemp("report"), 75.0, grid=grid)


def test_the_grid_shows_every_status_sorts_and_prints(browser, report):
    context = browser.new_context()
    context.set_default_timeout(15_000)
    fetched, errors = [], []

    def offline(route):
        if urlsplit(route.request.url).scheme not in ("file", "data", "about"):
            fetched.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", offline)
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(report.as_uri(), wait_until="load")
        grid = page.locator("#grid")
        statuses = set(" ".join(grid.locator("td[data-status]").evaluate_all(
            "cells => cells.map(c => c.dataset.status)")).split())
        assert statuses | {"certified"} == set(LABELS)
        assert grid.locator("td.st-certified").inner_text() == "certified"
        text = grid.inner_text()
        for words in ("not submitted", "waiting for manual grading", "flagged: the answers "
                      "file is missing", "exam passed", "exam failed"):
            assert words in text, words
        at_risk = page.locator("ul.at-risk").inner_text()
        assert "Bo Lindqvist (bo)" in at_risk and "1 attempt(s) left" in at_risk
        assert "Chen Wei (chen)" in at_risk and "no attempts left" in at_risk

        def learners():
            return grid.locator("tbody th").all_inner_texts()

        assert learners()[0].startswith("Amina")
        exam = grid.locator("thead th button", has_text="Certification exam")
        exam.click()  # ascending by the exam's percent: dara (not submitted) first
        assert learners()[0].startswith("Dara") and learners()[-1].startswith("Amina")
        assert grid.locator("thead th[aria-sort=ascending]").inner_text().startswith("Certif")
        exam.click()
        assert learners()[0].startswith("Amina") and learners()[-1].startswith("Dara")
        grid.locator("thead th button", has_text="Learner").click()
        assert learners() == sorted(learners(), key=str.lower)

        page.emulate_media(media="print")
        assert page.locator("nav").is_hidden()
        assert grid.locator("tbody tr").count() == 4 and grid.is_visible()
        assert page.evaluate("getComputedStyle(document.querySelector('#grid th button'),"
                             " '::after').display") == "none"
        pdf = page.pdf()  # the page prints
        assert pdf.startswith(b"%PDF")
    finally:
        context.close()
    assert errors == [] and fetched == []
