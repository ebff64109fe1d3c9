"""`peaceops export`: Canvas's and Moodle's CSV grade import formats, and a wide CSV."""

import csv
import re

import pandas as pd
import pytest

from peaceops.cli import main
from peaceops.content import load_course
from peaceops.export import export, load_ids, waiting
from peaceops.results import (
    ATTEMPT_COLUMNS,
    ITEM_COLUMNS,
    STUDENT_COLUMNS,
    SUBMISSION_COLUMNS,
    Results,
)


@pytest.fixture
def results() -> Results:
    subs = pd.DataFrame(
        [
            ["amina", "mlt-roles", 12.0, 16.0, "", True, False, ""],
            ["amina", "certification-exam", 25.0, 29.0, "", False, False, ""],
            ["bo", "certification-exam", 10.0, 29.0, "", True, True, "exam-roles: unreadable"],
        ],
        columns=SUBMISSION_COLUMNS,
    )
    students = pd.DataFrame(
        [
            ["amina", "Amina", "Diallo", "amina@example.org", "1001"],
            ["bo", "", "", "", ""],
            ["carla", "Carla", "Núñez", "carla@example.org", "1003"],
        ],
        columns=STUDENT_COLUMNS,
    )
    return Results(subs, pd.DataFrame(columns=ITEM_COLUMNS),
                   pd.DataFrame(columns=ATTEMPT_COLUMNS), students, load_course().assignments)


def _rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_canvas_has_its_columns_a_points_possible_row_and_blank_for_missing(results, tmp_path):
    rows = _rows(export(results, "canvas", tmp_path / "canvas.csv"))
    titles = [load_course().assignments[a].title for a in ("mlt-roles", "certification-exam")]
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *titles]
    assert rows[1][0] == "Points Possible" and rows[1][5:] == ["16.0", "29.0"]
    by_login = {r[3]: r for r in rows[2:]}
    assert by_login["amina"][:2] == ["Diallo, Amina", "1001"]
    assert by_login["amina"][5:] == ["", "25.0"]  # mlt-roles waits for manual grading: held back
    assert by_login["bo"][0] == "bo" and by_login["bo"][5:] == ["", ""]  # (so does bo's exam)
    assert by_login["carla"][0] == "Núñez, Carla" and by_login["carla"][5:] == ["", ""]


def test_moodle_has_user_mapping_columns_grades_and_review_feedback(results, tmp_path):
    rows = _rows(export(results, "moodle", tmp_path / "moodle.csv"))
    header = rows[0]
    assert header[:5] == ["Username", "Email address", "ID number", "First name", "Last name"]
    data = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    exam = load_course().assignments["certification-exam"].title + " (Real)"
    assert data["amina"][exam] == "25.0" and data["amina"]["Email address"] == "amina@example.org"
    assert "unreadable" in data["bo"]["Feedback: needs review"]
    assert "waiting for manual grading" in data["bo"]["Feedback: needs review"]
    percent = _rows(export(results, "moodle", tmp_path / "p.csv", percent=True))
    assert dict(zip(percent[0], percent[1], strict=True))[exam] == str(round(2500 / 29, 2))


def test_plain_csv_is_wide_with_score_max_percent(results, tmp_path):
    frame = pd.read_csv(export(results, "csv", tmp_path / "grades.csv"))
    amina = frame.set_index("student").loc["amina"]
    assert amina["mlt-roles_score"] == 12 and amina["mlt-roles_percent"] == 75.0
    assert amina["mlt-roles_waiting_manual_grading"]  # marked, not held back
    assert not amina["certification-exam_waiting_manual_grading"]
    assert pd.isna(frame.set_index("student").loc["carla"]["certification-exam_score"])


def test_unknown_format_is_refused(results, tmp_path):
    with pytest.raises(ValueError, match="unknown format 'xls'"):
        export(results, "xls", tmp_path / "x")


def test_cli_help_and_missing_gradebook(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert "Canvas" in capsys.readouterr().out
    assert main(["export", "--course", str(tmp_path), "--format", "canvas"]) == 1
    assert "no gradebook" in capsys.readouterr().err


def test_a_pair_graded_twice_shows_its_first_row_and_a_zero_maximum_gives_zero_percent(
        results, tmp_path):
    """The tables are built from one lookup of the submissions (not a filter per cell):
    the gradebook's first row of a (learner, assignment) pair is the grade, an assignment's
    maximum the largest of its rows'."""
    extra = pd.DataFrame([["amina", "mlt-roles", 3.0, 20.0, "", False, False, ""],
                          ["bo", "unknown-assignment", 0.0, 0.0, "", False, False, ""]],
                         columns=SUBMISSION_COLUMNS)
    results.submissions = pd.concat([results.submissions, extra], ignore_index=True)
    canvas = _rows(export(results, "canvas", tmp_path / "c.csv", include_waiting=True))
    roles = load_course().assignments["mlt-roles"].title
    assert canvas[0][5:] == [roles, load_course().assignments["certification-exam"].title,
                             "unknown-assignment"]
    assert canvas[1][5:] == ["20.0", "29.0", "0.0"]
    assert {r[3]: r[5:] for r in canvas[2:]} == {
        "amina": ["12.0", "25.0", ""], "bo": ["", "10.0", "0.0"], "carla": ["", "", ""]}
    moodle = _rows(export(results, "moodle", tmp_path / "m.csv", percent=True,
                          include_waiting=True))
    by_user = {r[0]: dict(zip(moodle[0], r, strict=True)) for r in moodle[1:]}
    assert by_user["amina"][f"{roles} (Real)"] == "75.0"
    assert by_user["bo"]["unknown-assignment (Real)"] == "0.0"
    wide = pd.read_csv(export(results, "csv", tmp_path / "w.csv")).set_index("student")
    assert wide.loc["amina", "mlt-roles_score"] == 12 and wide.loc["amina", "mlt-roles_max"] == 20
    assert wide.loc["amina", "mlt-roles_percent"] == 60.0
    assert pd.isna(wide.loc["bo", "unknown-assignment_percent"])


# -- formula injection (OWASP CSV injection: a leading apostrophe) -------------------------

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def hostile() -> Results:
    """Learners whose ids, names, emails, LMS ids and flags begin with a formula trigger;
    one of them with a negative score (a number: never touched)."""
    subs = pd.DataFrame(
        [["=HYPERLINK(\"http://x\")", "mlt-roles", 12.0, 16.0, "", False, False, ""],
         ["+1+1", "mlt-roles", -1.0, 16.0, "", False, True, "-the answers file names @x"],
         ["@SUM(A1)", "mlt-roles", 3.0, 16.0, "", True, True, "=cmd|' /C calc'!A0"]],
        columns=SUBMISSION_COLUMNS)
    students = pd.DataFrame(
        [["=HYPERLINK(\"http://x\")", "=first", "+last", "-mail@x", "@1001"],
         ["+1+1", "\tfirst", "\rlast", "=mail", "-7"],
         ["@SUM(A1)", "", "", "", ""],
         ["-dash", "-first", "=last", "+mail", "\t1"]],
        columns=STUDENT_COLUMNS)
    return Results(subs, pd.DataFrame(columns=ITEM_COLUMNS),
                   pd.DataFrame(columns=ATTEMPT_COLUMNS), students, load_course().assignments)


def _formula_cells(rows: list[list[str]]) -> list[str]:
    return [cell for row in rows for cell in row if cell.startswith(TRIGGERS)]


def test_canvas_cells_never_begin_a_formula(hostile, tmp_path):
    rows = _rows(export(hostile, "canvas", tmp_path / "canvas.csv"))
    text_cells = [row[:5] for row in rows]
    assert _formula_cells(text_cells) == []
    by_login = {r[3]: r for r in rows[2:]}
    assert set(by_login) == {"'=HYPERLINK(\"http://x\")", "'+1+1", "'@SUM(A1)", "'-dash"}
    assert by_login["'+1+1"][:2] == ["'\rlast, \tfirst", "'-7"]
    assert by_login["'-dash"][0] == "'=last, -first"
    assert by_login["'+1+1"][5] == "-1.0"  # a score stays a number


def test_moodle_cells_never_begin_a_formula(hostile, tmp_path):
    rows = _rows(export(hostile, "moodle", tmp_path / "moodle.csv"))
    header = rows[0]
    data = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    roles = load_course().assignments["mlt-roles"].title
    column = roles + " (Real)"
    for row in data.values():
        assert _formula_cells([[v for k, v in row.items() if k != column]]) == []
    assert data["'+1+1"]["First name"] == "'\tfirst" and data["'+1+1"]["ID number"] == "'-7"
    assert data["'@SUM(A1)"]["Feedback: needs review"].startswith(f"{roles}: =cmd")
    assert data["'+1+1"][column] == "-1.0"


def test_plain_csv_cells_never_begin_a_formula(hostile, tmp_path):
    rows = _rows(export(hostile, "csv", tmp_path / "grades.csv"))
    header = rows[0]
    text = [header.index(c) for c in ("student", "first_name", "last_name", "email")]
    assert _formula_cells([[row[i] for i in text] for row in rows]) == []
    data = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert data["'-dash"]["first_name"] == "'-first" and data["'+1+1"]["email"] == "'=mail"
    assert data["'+1+1"]["mlt-roles_score"] == "-1.0"


# -- each LMS's documented import form: columns that update existing grades -------------------

CANVAS_ID = re.compile(r"\((\d+)\)\s*$")  # "Quiz 1 (87568490)": Canvas's own export header


def canvas_targets(header: list[str]) -> dict[str, str | None]:
    """What Canvas's gradebook import does with each assignment column (those after Student,
    ID, SIS User ID, SIS Login ID, Section): the id of the assignment it updates, or None
    where it creates a new assignment (no id in the header)."""
    assert header[:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    return {h: (m[1] if (m := CANVAS_ID.search(h)) else None) for h in header[5:]}


def moodle_targets(header: list[str], grade_items: dict[str, str]) -> tuple[str, dict]:
    """Moodle's CSV import mapping form (moodle/moodle grade/import/direct/classes/
    mapping_form.php): the user identifier is the first header equal to one of its user
    fields; a header "<name> (Real)" is mapped to the grade item whose name is <name>
    ("Auto-map matching grade items"); any other column is left to "ignore"."""
    identifier = next(h for h in header if h in ("User ID", "Username", "ID number",
                                                   "Email address"))
    mapped = {}
    for h in header:
        if "(Real)" in h:
            name = h.split("(Real)")[0].strip()
            mapped[h] = next((key for key, item in grade_items.items() if item == name), None)
    return identifier, mapped


IDS = """\
canvas:
  mlt-roles: 48213
  certification-exam: "48217"
moodle:
  mlt-roles: "Assignment: MLT roles"
"""


def test_canvas_columns_update_the_mapped_assignments_and_say_which_are_new(results, tmp_path):
    (tmp_path / "lms-ids.yaml").write_text(IDS)
    ids = load_ids(tmp_path / "lms-ids.yaml", load_course().assignments)
    rows = _rows(export(results, "canvas", tmp_path / "canvas.csv", ids=ids))
    assert list(canvas_targets(rows[0]).values()) == ["48213", "48217"]
    title = load_course().assignments["mlt-roles"].title
    assert rows[0][5] == f"{title} (48213)"
    # the other way: without the mapping every column would make a new assignment
    plain = _rows(export(results, "canvas", tmp_path / "plain.csv"))
    assert set(canvas_targets(plain[0]).values()) == {None}


def test_moodle_columns_map_themselves_to_the_grade_items(results, tmp_path):
    (tmp_path / "lms-ids.yaml").write_text(IDS)
    ids = load_ids(tmp_path / "lms-ids.yaml", load_course().assignments)
    exam = load_course().assignments["certification-exam"].title
    items = {"11": "Assignment: MLT roles", "12": exam, "13": "Something else"}
    rows = _rows(export(results, "moodle", tmp_path / "moodle.csv", ids=ids))
    identifier, mapped = moodle_targets(rows[0], items)
    assert identifier == "Username"
    assert sorted(mapped.values()) == ["11", "12"]  # the named item, and the title's
    wrong = {"11": "MLT roles quiz", "12": exam}  # a grade item named otherwise: not mapped
    assert None in moodle_targets(rows[0], wrong)[1].values()


def test_waiting_scores_are_held_back_unless_asked_and_listed(results, tmp_path):
    assert waiting(results) == [("amina", "mlt-roles"), ("bo", "certification-exam")]
    held = {r[3]: r[5:] for r in _rows(export(results, "canvas", tmp_path / "a.csv"))[2:]}
    given = {r[3]: r[5:] for r in _rows(export(results, "canvas", tmp_path / "b.csv",
                                                 include_waiting=True))[2:]}
    assert held["amina"] == ["", "25.0"] and given["amina"] == ["12.0", "25.0"]


@pytest.mark.parametrize(("text", "message"), [
    ("canvas: {mlt-roles: abc}", "is not a Canvas assignment id"),
    ("canvas: {no-such-assignment: 1}", "no assignment 'no-such-assignment'"),
    ("moodle: {mlt-roles: ''}", "grade item's name"),
    ("blackboard: {}", "'canvas' and/or 'moodle'"),
    ("canvas: [1, 2]", "must map assignment ids"),
    ("canvas: {a: [", "not valid YAML"),
])
def test_a_bad_mapping_file_is_refused_naming_the_entry(tmp_path, text, message):
    (tmp_path / "lms-ids.yaml").write_text(text)
    with pytest.raises(ValueError, match=re.escape(message)) as error:
        load_ids(tmp_path / "lms-ids.yaml", load_course().assignments)
    assert "lms-ids.yaml" in str(error.value)


def test_the_command_reads_lms_ids_yaml_and_says_what_is_held_back(results, tmp_path,
                                                                    monkeypatch, capsys):
    monkeypatch.setattr("peaceops.results.load_results", lambda *a, **k: results)
    assert main(["export", "--course", str(tmp_path), "--format", "canvas"]) == 0
    out = capsys.readouterr().out
    assert "2 score(s) wait for manual grading" in out and "amina/mlt-roles" in out
    assert "held back" in out and "Canvas makes a new assignment" in out
    (tmp_path / "lms-ids.yaml").write_text(IDS)
    assert main(["export", "--course", str(tmp_path), "--format", "canvas"]) == 0
    out = capsys.readouterr().out
    assert "new assignment" not in out
    header = _rows(tmp_path / "exports" / "canvas-grades.csv")[0]
    assert list(canvas_targets(header).values()) == ["48213", "48217"]
    assert main(["export", "--course", str(tmp_path), "--format", "canvas",
                 "--include-waiting"]) == 0
    assert "exported as they are" in capsys.readouterr().out
    (tmp_path / "lms-ids.yaml").write_text("canvas: {mlt-roles: x}")
    assert main(["export", "--course", str(tmp_path), "--format", "canvas"]) == 1
    assert "canvas.mlt-roles" in capsys.readouterr().err
