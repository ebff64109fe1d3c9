"""The gradebook read without nbgrader (`gradebook_tables`): the same SQL as nbgrader's ORM
properties, the same numbers, and no nbgrader imported by `report` and `export`."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from nbgrader.api import (
    Assignment,
    Gradebook,
    SubmittedAssignment,
)
from sqlalchemy import case, func, select
from sqlalchemy.dialects import postgresql, sqlite

from peaceops.content import CourseDir
from peaceops.results import gradebook_tables, load_results
from tests.conftest import ROOT
from tests.factories import BIN


def _orm_submissions_query():
    """The query as it was written on nbgrader's ORM classes (before `gradebook_tables`;
    the maximum scores since read apart, `_orm_max_scores_query`)."""
    from nbgrader.api import Grade, SubmittedNotebook

    def any_of(column):
        return func.coalesce(func.max(case((column, 1), else_=0)), 0)

    return (
        select(SubmittedAssignment.student_id, Assignment.name,
               func.coalesce(func.sum(Grade.score), 0.0),
               SubmittedAssignment.timestamp, any_of(Grade.needs_manual_grade),
               any_of(SubmittedNotebook.flagged))
        .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id)
        .outerjoin(SubmittedNotebook, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
        .outerjoin(Grade, Grade.notebook_id == SubmittedNotebook.id)
        .group_by(SubmittedAssignment.id, SubmittedAssignment.student_id, Assignment.name,
                  Assignment.duedate, SubmittedAssignment.timestamp)
        .order_by(Assignment.duedate, Assignment.name, SubmittedAssignment.student_id)
    )


@pytest.mark.parametrize("dialect", [sqlite.dialect(), postgresql.dialect()],
                         ids=["sqlite", "postgresql"])
def test_the_queries_are_the_sql_of_nbgraders_own_properties(dialect):
    from nbgrader.api import Student

    ours = str(gradebook_tables.submissions_query().compile(dialect=dialect))
    assert ours == str(_orm_submissions_query().compile(dialect=dialect))
    assert str(gradebook_tables.max_scores_query().compile(dialect=dialect)) == str(
        select(Assignment.name, Assignment.max_score).compile(dialect=dialect))
    theirs = (select(Student.id, Student.first_name, Student.last_name, Student.email,
                     Student.lms_user_id).order_by(Student.last_name, Student.first_name,
                                                   Student.id))
    assert str(gradebook_tables.students_query().compile(dialect=dialect)) == str(
        theirs.compile(dialect=dialect))
    # and the check fails when the SQL differs
    assert ours != str(_orm_submissions_query().order_by(None).compile(dialect=dialect))


@pytest.fixture
def gradebook(tmp_path, monkeypatch):
    """Three students, an assignment with a grade cell and a task cell; one submission with
    a manual score and extra credit, one autograded and flagged, one student without any."""
    monkeypatch.setenv("PATH", f"{BIN}:{os.environ.get('PATH', '')}")  # nbgrader runs alembic
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url, "peaceops") as gb:
        gb.add_assignment("mlt-roles", duedate=datetime(2026, 11, 1))
        gb.add_notebook("mlt-roles", "mlt-roles")
        gb.add_grade_cell("q1", "mlt-roles", "mlt-roles", max_score=10, cell_type="code")
        gb.add_task_cell("t1", "mlt-roles", "mlt-roles", max_score=4, cell_type="markdown")
        gb.add_source_cell("q1", "mlt-roles", "mlt-roles", cell_type="code", source="")
        gb.add_source_cell("t1", "mlt-roles", "mlt-roles", cell_type="markdown", source="")
        gb.add_student("amina", first_name="Amina", last_name="Diallo", lms_user_id="1001")
        gb.add_student("bo")
        gb.add_student("carla", first_name="Carla", email="carla@example.org")
        for student, when in (("amina", datetime(2026, 10, 30, 9, 15, 1, 250000)), ("bo", None)):
            gb.add_submission("mlt-roles", student, timestamp=when)
        amina = gb.find_grade("q1", "mlt-roles", "mlt-roles", "amina")
        amina.auto_score, amina.manual_score, amina.extra_credit = 6.0, 8.5, 0.5
        amina.needs_manual_grade = False
        gb.find_grade("t1", "mlt-roles", "mlt-roles", "amina").manual_score = 3.0
        bo = gb.find_grade("q1", "mlt-roles", "mlt-roles", "bo")
        bo.auto_score, bo.needs_manual_grade = 7.0, False
        gb.find_submission_notebook("mlt-roles", "mlt-roles", "bo").flagged = True
        gb.db.commit()
        expected = {s.student.id: (s.score, s.max_score, s.needs_manual_grade, s.timestamp)
                    for s in gb.db.query(SubmittedAssignment)}
        expected["students"] = [s.id for s in gb.students]  # nbgrader's order
    return tmp_path, url, expected


@pytest.mark.slow
def test_scores_are_what_nbgrader_computes(gradebook):
    course, url, expected = gradebook
    students, rows = gradebook_tables.read_gradebook(url)
    got = {r[0]: (r[2], r[3], bool(r[5]), r[4]) for r in rows}
    got["students"] = [s[0] for s in students]
    assert got == expected
    assert got["amina"][0] == 8.5 + 0.5 + 3.0 and got["bo"][0] == 7.0  # manual wins, + extra
    assert {r[0]: bool(r[6]) for r in rows} == {"amina": False, "bo": True}


@pytest.mark.slow
def test_load_results_reads_the_gradebook_without_importing_nbgrader(gradebook):
    """... nor anything of `peaceops.grading`: the read side is a room of its own."""
    course, _, expected = gradebook
    code = (
        "import sys\n"
        "from peaceops.content import CourseDir\n"
        "from peaceops.results import load_results\n"
        f"r = load_results(CourseDir.resolve({str(course)!r}))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'nbgrader'\n"
        "             or m.startswith('peaceops.grading')))\n"
        "print(r.submissions.to_json(orient='records'))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    imported, _ = run.stdout.splitlines()
    assert imported == "[]", run.stdout
    results = load_results(CourseDir.resolve(course))
    amina = results.submissions.set_index("student").loc["amina"]
    assert (amina.score, amina.max_score, amina.needs_manual_grade) == (12.0, 14.0, True)
    assert amina.timestamp == expected["amina"][3].isoformat() == "2026-10-30T09:15:01.250000"
    assert results.submissions.set_index("student").loc["bo"].timestamp == ""
    assert list(results.students.student) == expected["students"]
    assert results.students.set_index("student").loc["bo"].tolist() == ["", "", "", ""]


def test_a_gradebook_nbgrader_has_not_set_up_reads_as_empty(tmp_path):
    (tmp_path / "gradebook.db").write_bytes(b"")  # e.g. touched by hand
    results = load_results(CourseDir.resolve(tmp_path))
    assert results.submissions.empty and results.students.empty


@pytest.mark.slow
def test_the_course_configuration_imports_no_nbgrader():
    """Every verb reads nbgrader_config.py (its folders, the gradebook's URL): it must stay
    cheap."""
    code = ("import sys\nfrom peaceops.content import CourseDir\n"
            f"assert CourseDir.resolve({str(ROOT)!r}).release.name == 'exercises'\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('nbgrader', 'nbconvert')))\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert run.stdout.strip() == "[]"


@pytest.mark.slow
def test_export_can_skip_the_item_table(gradebook):
    from peaceops.results import ITEM_COLUMNS, SubmissionRecord

    course, _, _ = gradebook
    folder = course / "autograded" / "amina" / "mlt-roles"
    folder.mkdir(parents=True)
    item = {"points": 1, "max_points": 1, "status": "correct", "answer": "fc",
            "accepted": ["fc"]}
    SubmissionRecord("amina", "mlt-roles", results={
        "mlt-roles-1": {"kind": "role_matching", "items": {"b-role-1": item}}},
        flags=["odd"]).write(folder)
    full = load_results(CourseDir.resolve(course))
    grades = load_results(CourseDir.resolve(course), items=False)
    assert len(full.items) == 1 and full.items.iloc[0].answer == '"fc"'
    assert grades.items.empty and list(grades.items.columns) == ITEM_COLUMNS
    assert grades.submissions.equals(full.submissions)
    assert full.submissions.set_index("student").loc["amina", "flags"] == "odd"  # kept


@pytest.mark.parametrize("value", [
    "fc", "", "Núñez \"q\"", ["2", "3"], [], [["a", "b"], ["c"]], {"b": 1, "a": [2, "x"]},
    1, 0.5, None, True, ["a", 1], [None],
])
def test_answers_are_json_text_as_json_dumps_writes_them(value):
    import json

    from peaceops.results.tables import _JsonText

    text = _JsonText()
    assert text(value) == text(value) == json.dumps(value, sort_keys=True)
    assert text(["2", "3"]) == '["2", "3"]' and text("2") == '"2"'  # cached apart


@pytest.mark.slow
def test_of_two_reports_for_one_submission_the_later_one_counts(gradebook):
    """A report filed in another learner's folder (sorted later) replaces that learner's
    own: its flags and its items, in the place of the first."""
    from peaceops.results import SubmissionRecord

    course, _, _ = gradebook

    def item(answer):
        return {"points": 1, "max_points": 1, "status": "correct", "answer": answer,
                "accepted": [answer]}

    for folder, answer, flags in (("amina", "fc", []), ("zed", "pc", ["copied"])):
        path = course / "autograded" / folder / "mlt-roles"
        path.mkdir(parents=True)
        SubmissionRecord("amina", "mlt-roles", flags=flags, results={
            "mlt-roles-1": {"kind": "role_matching", "items": {"b-role-1": item(answer)}},
        }).write(path)
    results = load_results(CourseDir.resolve(course))
    assert results.items["answer"].tolist() == ['"pc"']
    assert results.submissions.set_index("student").loc["amina", "flags"] == "copied"


def test_the_reports_are_found_as_the_sorted_glob_finds_them(tmp_path):
    from peaceops.results.record import FILENAME
    from peaceops.results.tables import _record_files

    root = tmp_path / "autograded"
    for student, assignment in (("b", "x"), ("a", "y"), ("a", "x"), (".hidden", "x"),
                                ("a-b", "x"), ("a", "z-no-report")):
        (root / student / assignment).mkdir(parents=True)
        if assignment != "z-no-report":
            (root / student / assignment / FILENAME).write_text("{}")
    (root / "stray.txt").write_text("")
    (root / "b" / "stray.txt").write_text("")
    (root / "c").mkdir()
    (root / "c" / "x").symlink_to(root / "a" / "x")
    found = [p for p in _record_files(root) if Path(p).is_file()]
    assert found == [str(p) for p in sorted(root.glob(f"*/*/{FILENAME}"))]
    assert len(found) == 6
    assert list(_record_files(tmp_path / "absent")) == []


@pytest.mark.slow
def test_an_exercise_without_items_adds_no_rows(gradebook):
    from peaceops.results import SubmissionRecord

    course, _, _ = gradebook
    folder = course / "autograded" / "amina" / "mlt-roles"
    folder.mkdir(parents=True)
    item = {"points": 0.5, "max_points": 1, "status": "partial", "answer": ["a", "b"],
            "accepted": [["a"], ["b"]]}
    SubmissionRecord("amina", "mlt-roles", results={
        "mlt-roles-0": {"reason": "no answers file"},  # neither kind nor items
        "mlt-roles-1": {"kind": "quiz", "items": {"q-1": item, "q-2": dict(item)}}}).write(folder)
    items = load_results(CourseDir.resolve(course)).items
    assert items[["exercise", "kind", "item", "points", "answer", "accepted"]].values.tolist() == [
        ["mlt-roles-1", "quiz", f"q-{n}", 0.5, '["a", "b"]', '[["a"], ["b"]]'] for n in (1, 2)]
    assert set(items["student"]) == {"amina"} and set(items["assignment"]) == {"mlt-roles"}
