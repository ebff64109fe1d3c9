"""`peaceops grade` writes what `nbgrader autograde` (TrustedGrade) writes, faster, resumably,
and grades broken submissions from their answers without stopping the others."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from peaceops.cli import main
from peaceops.content import CourseDir
from peaceops.grading import folders, grade
from peaceops.results import load_results, read_attempts
from peaceops.results.record import FILENAME as RECORD
from tests.factories import answers_for, nbgrader, submit

pytestmark = pytest.mark.slow
EXAM, MLT = "certification-exam", "mlt-roles"


def _edited_grade_cells(course) -> str:
    nb = nbformat.read(course / "exercises" / EXAM / f"{EXAM}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.source = "1000"
    nb.cells.insert(2, nbformat.v4.new_code_cell("print(1000)"))
    return nbformat.writes(nb)


def _reflection(course, text: str) -> str:
    nb = nbformat.read(course / "exercises" / MLT / f"{MLT}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "reflection":
            cell.source = text
    return nbformat.writes(nb)


@pytest.fixture(scope="module")
def courses(tmp_path_factory, course_dir_factory):
    """Two copies of one cohort: one graded by stock nbgrader autograde, one by peaceops."""
    base = course_dir_factory(tmp_path_factory.mktemp("grade") / "base")
    for assignment in (EXAM, MLT):
        assert nbgrader(base, "generate_assignment", assignment, "--force").returncode == 0
    expected = {}
    for student, fraction in [("perfect", 1.0), ("partial", 0.5), ("variant", 0.75)]:
        answers, expected[(student, EXAM)] = answers_for(EXAM, student, fraction)
        submit(base, student, EXAM, answers)
    submit(base, "blank", EXAM, None)
    expected[("blank", EXAM)] = 0
    answers, expected[("printed", EXAM)] = answers_for(EXAM, "printed", 0.5)
    submit(base, "printed", EXAM, answers, _edited_grade_cells(base))
    answers, _ = answers_for(EXAM, "corrupt-answers", 1.0)
    submit(base, "corrupt-answers", EXAM, json.dumps(answers)[:-40])
    expected[("corrupt-answers", EXAM)] = 0
    answers, expected[("writer", MLT)] = answers_for(MLT, "writer", 1.0)
    submit(base, "writer", MLT, answers, _reflection(base, "A short stand-up every morning."))
    answers, expected[("silent", MLT)] = answers_for(MLT, "silent", 0.5)
    submit(base, "silent", MLT, answers)
    stock, ours = base.with_name("stock"), base.with_name("ours")
    shutil.copytree(base, stock)
    shutil.copytree(base, ours)
    for assignment in (EXAM, MLT):
        result = nbgrader(stock, "autograde", assignment)
        assert result.returncode == 0, result.stderr[-3000:]
    assert main(["grade", "--course", str(ours), "--quiet"]) == 0
    return {"stock": stock, "ours": ours, "expected": expected}


def _gradebook(course):
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        rows = {}
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                nb = sub.notebooks[0]
                rows[(sub.student.id, assignment.name)] = {
                    "score": sub.score,
                    "max": sub.max_score,
                    "review": sub.needs_manual_grade,
                    "grades": sorted(
                        (g.name, g.auto_score, g.needs_manual_grade) for g in nb.grades
                    ),
                    "comments": sorted((c.name, c.auto_comment) for c in nb.comments),
                    "timestamp": sub.timestamp,
                    "penalty": nb.late_submission_penalty,
                }
        return rows


def test_the_gradebook_is_exactly_what_nbgrader_autograde_writes(courses):
    stock, ours = _gradebook(courses["stock"]), _gradebook(courses["ours"])
    assert set(stock) == set(ours) == set(courses["expected"])
    for key in stock:
        assert ours[key] == stock[key], key
        assert ours[key]["score"] == courses["expected"][key], key


def test_both_graders_record_the_same_attempts(courses):
    ledgers = {c: read_attempts(courses[c] / "peaceops-attempts.jsonl") for c in ("stock", "ours")}
    assert len(ledgers["stock"]) == len(courses["expected"])
    assert ledgers["stock"].to_dict("records") == ledgers["ours"].to_dict("records")


def test_the_graded_notebooks_and_reports_match_autograde(courses):
    for key in courses["expected"]:
        student, assignment = key
        folder = {c: courses[c] / "autograded" / student / assignment for c in ("stock", "ours")}
        notebooks = {c: nbformat.read(f / f"{assignment}.ipynb", 4) for c, f in folder.items()}
        for a, b in zip(notebooks["stock"].cells, notebooks["ours"].cells, strict=True):
            assert (a.source, a.get("outputs"), a.metadata) == (b.source, b.get("outputs"),
                                                                 b.metadata), key
        reports = {c: json.loads((f / RECORD).read_text()) for c, f in folder.items()}
        assert reports["ours"]["results"] == reports["stock"]["results"]
        assert reports["ours"]["flags"] == reports["stock"]["flags"]


def test_feedback_and_export_work_on_peaceops_grades(courses):
    ours = courses["ours"]
    assert nbgrader(ours, "generate_feedback", EXAM).returncode in (0, 1)
    page = (ours / "feedback" / "partial" / EXAM / f"{EXAM}.html").read_text()
    assert "Exam result:" in page and "✔ Correct" not in page  # exam: result and bands only
    assert "Test cell" not in page and "cdnjs" not in page  # the course's template
    assert nbgrader(ours, "generate_feedback", MLT).returncode in (0, 1)
    page = (ours / "feedback" / "silent" / MLT / f"{MLT}.html").read_text()
    assert "✔ Correct" in page and "(Source: " in page  # lesson groups: full feedback
    assert nbgrader(ours, "export").returncode == 0
    assert "partial" in (ours / "grades.csv").read_text()


def test_results_table_has_every_item(courses):
    results = load_results(CourseDir.resolve(courses["ours"]))
    perfect = results.items[(results.items.student == "perfect")]
    assert len(perfect) == 36 and set(perfect.status) == {"correct"}
    partial = results.submissions.set_index(["student", "assignment"]).loc[("partial", EXAM)]
    assert partial.score == courses["expected"][("partial", EXAM)] and not partial.flagged
    assert results.submissions.set_index(["student", "assignment"]).loc[
        ("corrupt-answers", EXAM)].flagged


def test_a_rerun_grades_nothing_twice_and_a_resubmission_is_a_new_attempt(courses, capsys):
    ours = courses["ours"]
    again = grade(CourseDir.resolve(ours), progress=False)
    assert again.count("graded") == 0 and again.count("skipped") == len(courses["expected"])
    answers, points = answers_for(EXAM, "partial", 1.0, attempt=2)  # a new variant
    folder = submit(ours, "partial", EXAM, answers)
    (folder / "timestamp.txt").write_text("2026-11-23 09:00:00.000000 UTC")
    third = grade(CourseDir.resolve(ours), progress=False)
    assert [(o.submission.student, o.status) for o in third.outcomes if o.status == "graded"] == [
        ("partial", "graded")
    ]
    assert _gradebook(ours)[("partial", EXAM)]["score"] == points
    attempts = read_attempts(ours / "peaceops-attempts.jsonl")
    mine = attempts[(attempts.student == "partial") & (attempts.assignment == EXAM)]
    assert list(mine.attempt) == [1, 2] and list(mine.score) == [
        courses["expected"][("partial", EXAM)], points]


def test_an_interrupted_run_loses_nothing(courses, monkeypatch, tmp_path):
    ours = tmp_path / "ours"
    shutil.copytree(courses["ours"], ours)
    for student in ("perfect", "variant", "blank"):
        answers, _ = answers_for(EXAM, student, 0.25, attempt=2)  # each one's second attempt
        submit(ours, student, EXAM, answers)
    real, calls = folders.swap_in, []

    def crash_on_second(*args):
        calls.append(args)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real(*args)

    monkeypatch.setattr(folders, "swap_in", crash_on_second)
    with pytest.raises(KeyboardInterrupt):
        grade(CourseDir.resolve(ours), progress=False)
    monkeypatch.setattr(folders, "swap_in", real)
    resumed = grade(CourseDir.resolve(ours), progress=False)
    assert sorted(o.submission.student for o in resumed.outcomes if o.status == "graded") == [
        "perfect", "variant"]  # "blank" was finished before the interruption
    rows = _gradebook(ours)
    for student in ("perfect", "variant", "blank"):
        _, points = answers_for(EXAM, student, 0.25, attempt=2)
        assert rows[(student, EXAM)]["score"] == points
    assert not list(ours.glob("autograded/*/.*"))  # no half-written folder left behind


def test_broken_submissions_are_graded_from_answers_flagged_and_never_stop_the_rest(
    courses, tmp_path, capsys
):
    ours = tmp_path / "ours"
    shutil.copytree(courses["ours"], ours)
    answers, full = answers_for(EXAM, "corrupt-notebook", 1.0)
    submit(ours, "corrupt-notebook", EXAM, answers, notebook='{"cells": [ not json')
    answers, _ = answers_for(EXAM, "missing-notebook", 1.0)
    submit(ours, "missing-notebook", EXAM, answers, notebook=False)
    answers, _ = answers_for(EXAM, "bad-time", 1.0)
    (submit(ours, "bad-time", EXAM, answers) / "timestamp.txt").write_text("yesterday-ish")
    (ours / "submitted" / "stray" / "no-such-assignment").mkdir(parents=True)
    code = main(["grade", "--course", str(ours), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "NOT GRADED stray/no-such-assignment" in err and "bad-time" in err
    assert "timestamp.txt" in err
    assert "FLAG corrupt-notebook/certification-exam" in err
    rows = _gradebook(ours)
    assert rows[("corrupt-notebook", EXAM)]["score"] == full
    assert rows[("missing-notebook", EXAM)]["score"] == full
    assert rows[("corrupt-notebook", EXAM)]["review"]
    assert ("bad-time", EXAM) not in rows
    assert rows[("perfect", EXAM)]["score"] == courses["expected"][("perfect", EXAM)]
    assert "Graded 2," in out


def test_named_students_and_a_private_keys_file(courses, tmp_path):
    ours = tmp_path / "ours"
    shutil.copytree(courses["ours"], ours)
    keys = tmp_path / "private" / "exam-keys.yaml"  # an officer's private copy
    keys.parent.mkdir()
    shutil.move(ours / "solutions" / "keys" / "exam-keys.yaml", keys)
    summary = grade(CourseDir.resolve(ours, keys=keys), students=["perfect"], force=True,
                    progress=False)
    assert [o.submission.student for o in summary.outcomes] == ["perfect"]
    assert summary.outcomes[0].score == courses["expected"][("perfect", EXAM)]


def test_help_explains_the_verb(capsys):
    with pytest.raises(SystemExit):
        main(["grade", "--help"])
    text = capsys.readouterr().out
    assert "answers file" in text and "Safe to interrupt" in text and "--answer-keys" in text


def test_autograde_regrades_a_submission_a_killed_run_left_half_written(courses, tmp_path):
    """After `kill -9`, nbgrader would skip the half-written folder as done; the course's
    configuration removes it first, so a plain rerun grades it again."""
    stock = tmp_path / "stock"
    shutil.copytree(courses["stock"], stock)
    graded = stock / "autograded" / "partial" / EXAM / f"{EXAM}.ipynb"
    graded.write_text(graded.read_text()[:500])  # killed while writing the notebook
    run = nbgrader(stock, "autograde", EXAM)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "regrading the half-graded" in run.stderr
    nbformat.read(graded, as_version=4)  # whole again
    assert _gradebook(stock)[("partial", EXAM)]["score"] == courses["expected"][("partial", EXAM)]
