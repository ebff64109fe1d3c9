"""The instructor's grid in report.html: every learner × assignment with its status, the
at-risk list, a pass rate only where a pass mark applies, and no plot on a few learners."""

import pytest

from peaceops.content import load_certification
from peaceops.report import build_report
from peaceops.report.grid import LABELS, build_grid, grid_frame, read_certified
from tests.factories.cohort import every_status_cohort

EXAM = "certification-exam"


@pytest.fixture(scope="module")
def made():
    results, certified = every_status_cohort()
    return results, build_grid(results, load_certification().rule(), certified)


def test_every_status_is_found_where_the_cohort_put_it(made):
    _, grid = made
    assert grid.statuses() == set(LABELS)
    assert grid.cells[("amina", EXAM)].statuses == ("passed",)
    assert grid.cells[("bo", "mlt-roles")].statuses == ("submitted", "waiting")
    assert "flagged: the answers file is missing" in grid.cells[("chen", "principles-politics")].text
    assert grid.cells[("chen", EXAM)].statuses == ("failed",)
    assert {c.statuses for a, c in grid.cells.items() if a[0] == "dara"} == {("not-submitted",)}
    assert grid.certified == {"amina"}


def test_the_at_risk_list_names_attempts_left(made):
    _, grid = made
    risk = {student: why for student, _, why in grid.at_risk}
    assert set(risk) == {"bo", "chen"}
    assert "1 attempt(s) left" in risk["bo"] and "below 75 %" in risk["bo"]
    assert "no attempts left" in risk["chen"]


def test_the_page_shows_the_grid_no_lesson_pass_rate_and_no_plot_on_four(made, tmp_path):
    results, grid = made
    page = build_report(results, tmp_path, 75.0, grid=grid).read_text(encoding="utf-8")
    assert '<table id="grid" class="sortable">' in page and "Dara Ó Súilleabháin (dara)" in page
    assert page.count('data-status="not-submitted"') == 5  # dara, every assignment
    assert "no pass mark (submission only)" in page and ">33 %<" in page  # the exam: 1 of 3
    assert "<img" not in page and "no score distributions or item plots are drawn" in page
    assert "<script src" not in page and "http" not in page.split("<script>")[1]
    frame = grid_frame(grid)
    assert list(frame.learner) == ["amina", "bo", "chen", "dara"]


def test_certified_is_read_from_the_ledger_under_the_rule(tmp_path):
    (tmp_path / "issued.csv").write_text(
        "certificate_id,student,rule_version,pdf\nc1,amina,2026.1,a.pdf\nc2,bo,2025.9,b.pdf\n")
    assert read_certified(tmp_path, "2026.1") == {"amina"}
    assert read_certified(tmp_path / "none", "2026.1") == set()


def test_the_report_command_lists_waiting_scores_and_who_is_at_risk(monkeypatch, tmp_path,
                                                                     capsys):
    from peaceops.cli import main

    monkeypatch.setattr("peaceops.results.load_results",
                        lambda course_dir: every_status_cohort()[0])
    assert main(["report", "--course", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "1 score(s) wait for manual grading in nbgrader's formgrader (not final): " \
           "bo/mlt-roles" in out
    assert "At risk 2: bo (exam" in out and "chen (exam" in out
    page = (tmp_path / "reports" / "report.html").read_text(encoding="utf-8")
    assert 'data-status="submitted waiting"' in page
    monkeypatch.setattr("peaceops.results.load_results",  # nothing waits: not said
                        lambda course_dir: _none_waiting())
    assert main(["report", "--course", str(tmp_path)]) == 0
    assert "wait for manual grading" not in capsys.readouterr().out


def _none_waiting():
    results, _ = every_status_cohort()
    results.submissions["needs_manual_grade"] = False
    return results
