"""Standard setting as a workflow (issue 25, item 4): rating sheets out, three panelists'
sheets in (doctored ones rejected, naming the file and the row), the modified-Angoff cut of
each draw with its standard error, a new rule version; every attempt judged against its own
draw's cut, so every draw's cut is within 2 points of what a minimally competent candidate
is expected to score on it (500 learners x 2 attempts), which one flat cut is not."""

from __future__ import annotations

import csv
import json
import random
import statistics
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

from peaceops.bank.standard_setting import SheetError, panel, read_sheets, sample_cuts
from peaceops.certify.rule import Attempt, _reaches
from peaceops.cli import main
from peaceops.content import CourseDir
from peaceops.content.ratings import draft_ratings, exam_items
from peaceops.grading.cut import drafts, draw_cut, floors, weights
from peaceops.grading.submission import Context, grade_submission, grading_context
from tests.conftest import ROOT
from tests.factories import answers_for, copy_course

EXAM = "certification-exam"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    return copy_course(tmp_path_factory.mktemp("standard") / "peaceops")


@pytest.fixture(scope="module")
def sheets(course, tmp_path_factory) -> Path:
    """Three panelists' sheets, filled in around the item writers' drafts."""
    folder = tmp_path_factory.mktemp("sheets")
    assert main(["bank", "standard-setting", "sheets", "--course", str(course), "--folder",
                 str(folder), "--panelists", "p1,p2,p3"]) == 0
    course_dir = CourseDir.resolve(course)
    drafts = draft_ratings(course_dir.content(), course_dir.keys())
    for n, name in enumerate(["p1", "p2", "p3"]):
        rows = list(csv.DictReader((folder / f"{name}.csv").open(encoding="utf-8")))
        assert {r["item"] for r in rows} == set(drafts.items) and not any(r["estimate"]
                                                                          for r in rows)
        rng = random.Random(n)
        for row in rows:
            row["estimate"] = f"{min(1, max(0, drafts.items[row['item']][0] + rng.uniform(-0.1, 0.1))):.2f}"
        _write(folder / f"{name}.csv", rows)
    return folder


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _doctored(sheets: Path, tmp_path: Path, edit) -> Path:
    folder = tmp_path / "doctored"
    folder.mkdir()
    for name in ("p1", "p2", "p3"):
        rows = list(csv.DictReader((sheets / f"{name}.csv").open(encoding="utf-8")))
        if name == "p2":
            rows = edit(rows)
        _write(folder / f"{name}.csv", rows)
    return folder


def test_round_trip_three_panelists_give_the_cut_its_standard_error_and_a_new_rule(
        course, sheets, capsys):
    course_dir = CourseDir.resolve(course)
    content = course_dir.content()
    ratings = panel(read_sheets(content, sorted(sheets.glob("*.csv"))), "2026-12-07")
    assert ratings.panelists == ("p1", "p2", "p3")
    # one draw by hand: each panelist's summed expected points, their mean and its SE
    scored = _draw(course_dir, "amina", 1)
    items = weights(scored)
    sums = [sum(p * ratings.items[i][k] for i, p in items.items()) for k in range(3)]
    cut = draw_cut(items, ratings)
    assert cut.points == pytest.approx(statistics.fmean(sums))
    assert cut.se == pytest.approx(statistics.stdev(sums) / 3 ** 0.5) and cut.se > 0
    assert cut.max_points == 28
    before = (course / "data" / "certification.yaml").read_text()
    assert main(["bank", "standard-setting", "import", "--course", str(course), "--folder",
                 str(sheets), "--version", "2027.1", "--date", "2026-12-07"]) == 0
    out = capsys.readouterr().out
    assert "a panel of 3" in out and "standard error" in out and "1000 draws" in out
    after = (course / "data" / "certification.yaml").read_text()
    assert after.startswith(before.replace('current: "2026.1"', 'current: "2027.1"').rstrip())
    rule = CourseDir.resolve(course).certification().rule()
    assert rule.version == "2027.1"
    assert rule.cut_ratings == "solutions/keys/standard-setting-2027.1.yaml"
    assert "cut of its own draw" in rule.describe() and "PROVISIONAL" not in rule.describe()
    # the rule that may have issued certificates is unchanged; the version cannot be reused
    assert CourseDir.resolve(course).certification().rule("2026.1").min_percent == 75
    assert main(["bank", "standard-setting", "import", "--course", str(course), "--folder",
                 str(sheets), "--version", "2027.1"]) == 1
    assert "exists already" in capsys.readouterr().err


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda rows: [{**r, "estimate": "65"} if n == 3 else r for n, r in enumerate(rows)],
     "p2.csv, row 5 (x-"),
    (lambda rows: [{**r, "estimate": "often"} if n == 0 else r for n, r in enumerate(rows)],
     "p2.csv, row 2 (x-"),
    (lambda rows: rows[:10] + rows[11:], "p2.csv: no row for item"),
    (lambda rows: rows + [rows[0]], "is rated twice"),
    (lambda rows: rows + [{**rows[0], "item": "x-role-nonsense"}], "not an item of the exam pool"),
    (lambda rows: [{k: v for k, v in r.items() if k != "estimate"} for r in rows],
     "p2.csv, row 1 (header): no column estimate"),
])
def test_a_doctored_sheet_is_rejected_naming_the_file_and_the_row(
        course, sheets, tmp_path, capsys, edit, expected):
    folder = _doctored(sheets, tmp_path, edit)
    with pytest.raises(SheetError) as error:
        read_sheets(CourseDir.resolve(course).content(), sorted(folder.glob("*.csv")))
    assert any(expected in p for p in error.value.problems), error.value.problems
    assert all("p2.csv" in p for p in error.value.problems)  # only the doctored sheet
    rules = (course / "data" / "certification.yaml").read_text()
    assert main(["bank", "standard-setting", "import", "--course", str(course), "--folder",
                 str(folder), "--version", "2099.1"]) == 1
    err = capsys.readouterr().err
    assert expected in err and "nothing was written" in err
    assert (course / "data" / "certification.yaml").read_text() == rules


def _draw(course_dir, learner: str, attempt: int):
    from peaceops.exercises import build, kind

    content, keys = course_dir.content(), course_dir.keys()
    scored = []
    for spec in content.assignments[EXAM].exercises:
        exercise, key = build(content, spec, learner, keys, attempt)
        scored.append((exercise, kind(exercise.kind).score(exercise, key, {})))
    return scored


def test_every_draws_cut_is_within_2_points_of_its_expected_borderline_score(course):
    """500 learners x 2 attempts, with the repository's provisional drafts: the cut each
    attempt is judged by, against the panel's expectation for its draw. A flat cut (rule
    2026.1's 75 %) misses it by more than 2 points on draws this pool holds."""
    course_dir = CourseDir.resolve(course)
    content, keys = course_dir.content(), course_dir.keys()
    ratings = drafts(content, keys)  # with the scenarios' partial-credit floor
    cuts = sample_cuts(content, keys, ratings, EXAM, learners=500, attempts=2)
    assert len(cuts) == 1000
    expected = [c.points for c in cuts]  # the panel's mean summed estimates of each draw
    per_draw = [round(c.points, 4) for c in cuts]  # recorded with the attempt (4 decimals)
    assert max(abs(a - e) for a, e in zip(per_draw, expected, strict=True)) <= 2
    flat = [0.75 * c.max_points for c in cuts]
    assert max(abs(a - e) for a, e in zip(flat, expected, strict=True)) > 2
    assert max(expected) - min(expected) > 1  # the draws do differ in difficulty


def test_the_grader_records_each_draws_cut_and_certify_judges_the_attempt_by_it():
    course_dir = CourseDir.resolve(ROOT)
    base = grading_context(course_dir)
    context = Context(course_dir, base.course, base.keys, base.keys_digest)  # not the cached
    context.__dict__["certification"] = replace(course_dir.certification(), current="2026.3")
    rule = context.certification.rule()
    assert rule.cut_ratings == "keys" and "PROVISIONAL" in rule.describe()
    assert rule.exam_points == 28 and "of 28 points" in rule.describe()
    release = nbformat.read(ROOT / "exercises" / EXAM / f"{EXAM}.ipynb", 4)
    answers, _ = answers_for(EXAM, "amina", 0.7)
    graded = grade_submission(context, EXAM, "amina", release, {}, "", EXAM,
                              json.dumps(answers).encode(), 1)
    cut = draw_cut(weights(_draw(course_dir, "amina", 1)), drafts(context.course,
                                                                    context.keys))
    assert graded.record.cut == pytest.approx(cut.points, abs=1e-4)
    page = "".join(o["data"]["text/html"] for c in graded.notebook.cells
                   for o in c.get("outputs", []) if "text/html" in o.get("data", {}))
    assert f"The pass mark is {round(cut.percent, 1):g} %" in page
    at_cut = Attempt(1, cut.points, 28, cut=cut.points)
    assert _reaches(at_cut, rule) and not _reaches(replace(at_cut, score=cut.points - 0.5), rule)
    assert not _reaches(replace(at_cut, cut=None), rule)  # graded without a per-draw cut
    assert _reaches(Attempt(1, 22, 29), course_dir.certification().rule("2026.1"))
    assert _reaches(Attempt(1, 21, 28), course_dir.certification().rule("2026.1"))


def test_a_rule_set_for_one_form_of_the_exam_does_not_judge_another():
    """Rule 2026.3 is for the 28-point form (two 3-point scenarios): an attempt graded on the
    29-point form (one 7-point scenario) does not reach it, whatever its score, and the
    decision says why; on its own form it does."""
    from types import SimpleNamespace

    from peaceops.certify.rule import _decide

    rule = CourseDir.resolve(ROOT).certification().rule("2026.3")
    assert _reaches(Attempt(1, 20, 28, cut=18.0), rule)
    assert not _reaches(Attempt(1, 29, 29, cut=18.0), rule)
    row = SimpleNamespace(assignment=EXAM, attempt=1, score=29.0, max_score=29.0, cut=18.0,
                          flagged=False)
    decision = _decide(replace(rule, require_submitted=()), "amina", [], [row], [], {})
    assert not decision.passed
    assert any("for the 28-point form" in r for r in decision.reasons), decision.reasons


def test_the_draft_cut_adds_each_scenarios_partial_credit_floor():
    """A scenario's draft is the probability of ranking and deciding as the key does; the
    cut uses floor + (1 - floor) x draft, the floor being what random answers earn under the
    scenario scoring (31-36 % of its 3 points); other items keep their drafts."""
    course_dir = CourseDir.resolve(ROOT)
    content, keys = course_dir.content(), course_dir.keys()
    raw, floored, chance = draft_ratings(content, keys), drafts(content, keys), \
        floors(content, keys)
    assert set(chance) == {i for p, i in exam_items(content) if p == "scenarios"}
    assert len(chance) == 6
    for item, (estimate,) in raw.items.items():
        if item in chance:
            assert 0.3 < chance[item] < 0.37
            assert floored.items[item][0] == pytest.approx(
                chance[item] + (1 - chance[item]) * estimate)
            assert floored.items[item][0] > estimate
        else:
            assert floored.items[item] == (estimate,)
