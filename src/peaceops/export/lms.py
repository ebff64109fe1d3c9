"""`peaceops export`: the cohort's gradebook as a file an LMS imports.

- ``canvas``: Canvas's gradebook CSV: Student ("Last, First"), ID, SIS User ID, SIS Login ID,
  Section, then one column per assignment, with a "Points Possible" row under the header, as
  Canvas exports it and documents for import. An assignment column updates the existing
  Canvas assignment whose id its header ends with: "Assignment Name (12345)", the form of
  Canvas's own gradebook export (e.g. "Quiz 1 (87568490)": nemogb's "Detailed Canvas Export
  Info", nemogb-dev.github.io/nemogb-r); a column without an id creates a new assignment
  ("New assignment columns in the Gradebook generate new assignments": Ohio State's "Import
  CSV File for Carmen Grades"). The ids come from the LMS mapping file (`load_ids`). A blank
  cell leaves that grade unchanged.
- ``moodle``: for Moodle's "Import grades from CSV": identity columns (Username, Email
  address, ID number; Moodle's mapping form selects the first header equal to one of its
  user fields), then one column per assignment, headed "<grade item name> (Real)": the form
  of Moodle's grade export, which the import's mapping form maps to the grade item of that
  name by itself (moodle/moodle, grade/import/direct/classes/mapping_form.php, "Auto-map
  matching grade items"). Grade item names come from the mapping file, else the
  assignment's title. Points, or percent with ``percent=True``; flags for review go to a
  feedback column.
- ``csv``: one row per learner, every assignment's score, maximum and percent, and whether
  it waits for manual grading.

Scores waiting for manual grading (a reflection not yet graded in nbgrader's formgrader:
the gradebook's needs_manual_grade) are held back from Canvas and Moodle files (a blank
cell: the LMS keeps what it has) unless ``include_waiting=True``; `waiting` lists them.

Every format is written formula-safe (`cells`): a text cell (a name, an id, an email, a
flag, a header) beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe, so a spreadsheet never evaluates it; scores stay numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..results import Results
from .cells import formula_safe_table

FORMATS = ("canvas", "moodle", "csv")
IDS_FILE = "lms-ids.yaml"  # in the course directory: each LMS's ids of the assignments


@dataclass
class LmsIds:
    """Where each assignment goes in each LMS: Canvas assignment ids (the number in the
    header of Canvas's gradebook export, "Name (12345)") and Moodle grade item names (as
    Moodle's gradebook setup shows them, e.g. "Assignment: MLT roles" for an activity)."""

    canvas: dict[str, str] = field(default_factory=dict)
    moodle: dict[str, str] = field(default_factory=dict)


def load_ids(path: Path | str, assignments: dict | None = None) -> LmsIds:
    """Read the LMS mapping file (YAML)::

        canvas:                     # Canvas assignment ids
          mlt-roles: 48213
        moodle:                     # Moodle grade item names
          mlt-roles: "MLT roles"

    Raises ValueError naming the file, the entry and what to write instead."""
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict) or set(data) - {"canvas", "moodle"}:
        raise ValueError(f"{path}: expected a mapping with the keys 'canvas' and/or 'moodle' "
                         "(each: assignment id -> the LMS's id or grade item name)")
    ids = LmsIds()
    for lms in ("canvas", "moodle"):
        entries = data.get(lms) or {}
        if not isinstance(entries, dict):
            raise ValueError(f"{path}: '{lms}' must map assignment ids to values")
        for assignment, value in entries.items():
            where = f"{path}: {lms}.{assignment}"
            if assignments is not None and assignment not in assignments:
                raise ValueError(f"{where}: no assignment '{assignment}' in "
                                 f"data/assignments.yaml (known: {', '.join(assignments)})")
            text = str(value).strip() if value is not None else ""
            if lms == "canvas" and not (text.isascii() and text.isdigit()):
                raise ValueError(f"{where}: {value!r} is not a Canvas assignment id (the "
                                 "number in the assignment's address, .../assignments/12345)")
            if lms == "moodle" and not text:
                raise ValueError(f"{where}: give the grade item's name as Moodle shows it")
            getattr(ids, lms)[str(assignment)] = text
    return ids


def waiting(results: Results) -> list[tuple[str, str]]:
    """(learner, assignment) of every submission still waiting for manual grading."""
    subs = results.submissions
    rows = subs[subs.needs_manual_grade.astype(bool)]
    return sorted(set(zip(rows.student, rows.assignment, strict=True)))


def _scores(results: Results) -> pd.DataFrame:
    """One row per learner in the gradebook (even with no submission)."""
    learners = results.students.set_index("student")
    learners = learners.reindex(sorted(set(learners.index) | set(results.submissions.student)))
    return learners.fillna("")


def _title(results: Results, assignment: str) -> str:
    found = results.assignments.get(assignment)
    return found.title if found else assignment


def _assignments(results: Results) -> list[str]:
    declared = [a for a in results.assignments if a in set(results.submissions.assignment)]
    return declared + sorted(set(results.submissions.assignment) - set(declared))


class _Grades:
    """The submissions looked up by (student, assignment), built once per table: the first
    row of a pair is its grade (as the gradebook lists them), each assignment's maximum is the
    largest of its rows' maxima."""

    def __init__(self, results: Results, hold_back: bool = False):
        subs = results.submissions
        self.hold_back = hold_back  # a score waiting for manual grading: a blank cell
        self.rows: dict[tuple[str, str], tuple] = {}
        self.by_student: dict[str, list] = {}
        self.max_points: dict[str, float] = {}
        for row in subs.itertuples(index=False):
            self.rows.setdefault((row.student, row.assignment), row)
            self.by_student.setdefault(row.student, []).append(row)
        if len(subs):
            self.max_points = {a: float(m) for a, m in
                               subs.groupby("assignment", sort=False).max_score.max().items()}

    def maximum(self, assignment: str) -> float:
        return self.max_points.get(assignment, 0.0)

    def score(self, student: str, assignment: str) -> float | None:
        row = self.rows.get((student, assignment))
        return None if row is None else float(row.score)

    def cell(self, student: str, assignment: str, percent: bool) -> float | str:
        row = self.rows.get((student, assignment))
        if row is None or (self.hold_back and row.needs_manual_grade):
            return ""
        if percent:
            score, maximum = np.float64(row.score), np.float64(row.max_score)
            return round(100 * score / maximum, 2) if maximum else 0.0
        return round(float(row.score), 2)


def canvas(results: Results, ids: LmsIds | None = None,
           include_waiting: bool = False) -> pd.DataFrame:
    learners = _scores(results)
    assignments = _assignments(results)
    grades = _Grades(results, hold_back=not include_waiting)
    known = (ids or LmsIds()).canvas
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    header += [f"{_title(results, a)} ({known[a]})" if a in known else _title(results, a)
               for a in assignments]
    rows = [["Points Possible", "", "", "", ""] + [grades.maximum(a) for a in assignments]]
    for student, last, first, lms_id in zip(learners.index, learners.last_name,
                                            learners.first_name, learners.lms_user_id,
                                            strict=True):
        name = ", ".join(p for p in (last, first) if p) or student
        rows.append([name, lms_id, "", student, ""]
                    + [grades.cell(student, a, False) for a in assignments])
    return pd.DataFrame(rows, columns=header)


def moodle(results: Results, percent: bool = False, ids: LmsIds | None = None,
           include_waiting: bool = False) -> pd.DataFrame:
    learners = _scores(results)
    assignments = _assignments(results)
    grades = _Grades(results, hold_back=not include_waiting)
    names = (ids or LmsIds()).moodle
    header = {a: f"{names.get(a, _title(results, a))} (Real)" for a in assignments}
    rows = []
    for student, info in zip(learners.index, learners.itertuples(index=False), strict=True):
        mine = grades.by_student.get(student, [])
        review = "; ".join(
            f"{_title(results, r.assignment)}: "
            + "; ".join(filter(None, [r.flags or ("needs review" if r.flagged else ""),
                                      "waiting for manual grading"
                                      if r.needs_manual_grade else ""]))
            for r in mine if r.flagged or r.needs_manual_grade)
        row = {"Username": student, "Email address": info.email, "ID number": info.lms_user_id,
               "First name": info.first_name, "Last name": info.last_name}
        for a in assignments:
            row[header[a]] = grades.cell(student, a, percent)
        row["Feedback: needs review"] = review
        rows.append(row)
    return pd.DataFrame(rows)


def wide(results: Results) -> pd.DataFrame:
    learners = _scores(results)
    assignments = _assignments(results)
    grades = _Grades(results)
    rows = []
    for student, info in zip(learners.index, learners.itertuples(index=False), strict=True):
        row = {"student": student, "first_name": info.first_name, "last_name": info.last_name,
               "email": info.email}
        for a in assignments:
            score = grades.score(student, a)
            maximum = grades.maximum(a)
            row[f"{a}_score"] = score
            row[f"{a}_max"] = maximum
            row[f"{a}_percent"] = (round(100 * score / maximum, 2)
                                   if score is not None and maximum else None)
            found = grades.rows.get((student, a))
            row[f"{a}_waiting_manual_grading"] = bool(found and found.needs_manual_grade)
        rows.append(row)
    return pd.DataFrame(rows)


def export(results: Results, fmt: str, path: Path | str, percent: bool = False,
           ids: LmsIds | None = None, include_waiting: bool = False) -> Path:
    """Write the gradebook for `fmt` (canvas, moodle or csv) to `path`: UTF-8 CSV with CRLF
    line ends (RFC 4180: a carriage return in a cell is then quoted, never a row break),
    every text cell formula-safe (`cells.formula_safe`). `ids`: each LMS's ids of the
    assignments (`load_ids`); `include_waiting`: export scores still waiting for manual
    grading instead of holding them back."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}': use one of {', '.join(FORMATS)}")
    table = {"canvas": lambda r: canvas(r, ids, include_waiting),
             "moodle": lambda r: moodle(r, percent, ids, include_waiting),
             "csv": wide}[fmt](results)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    formula_safe_table(table).to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")
    return path


__all__ = ["FORMATS", "IDS_FILE", "LmsIds", "canvas", "export", "load_ids", "moodle", "waiting",
           "wide"]
