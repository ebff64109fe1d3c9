"""`peaceops export`: the cohort's gradebook as a file an LMS imports.

- ``canvas``: Canvas's gradebook CSV: Student ("Last, First"), ID, SIS User ID, SIS Login ID,
  Section, then one column per assignment, with a "Points Possible" row under the header, as
  Canvas exports it and documents for import. An assignment not submitted is left blank
  (Canvas leaves that grade unchanged).
- ``moodle``: for Moodle's "Import grades from CSV": identity columns to map users by
  (Username, Email address, ID number), then one column per assignment (points, or percent
  with ``percent=True``); the learner's flag for review goes to a feedback column.
- ``csv``: one row per learner, every assignment's score, maximum and percent.

Every format is written formula-safe (`cells`): a text cell (a name, an id, an email, a
flag, a header) beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
leading apostrophe, so a spreadsheet never evaluates it; scores stay numbers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..grading.results import Results
from .cells import formula_safe_table

FORMATS = ("canvas", "moodle", "csv")


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

    def __init__(self, results: Results):
        subs = results.submissions
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
        if row is None:
            return ""
        if percent:
            score, maximum = np.float64(row.score), np.float64(row.max_score)
            return round(100 * score / maximum, 2) if maximum else 0.0
        return round(float(row.score), 2)


def canvas(results: Results) -> pd.DataFrame:
    learners = _scores(results)
    assignments = _assignments(results)
    grades = _Grades(results)
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    header += [_title(results, a) for a in assignments]
    rows = [["Points Possible", "", "", "", ""] + [grades.maximum(a) for a in assignments]]
    for student, last, first, lms_id in zip(learners.index, learners.last_name,
                                            learners.first_name, learners.lms_user_id,
                                            strict=True):
        name = ", ".join(p for p in (last, first) if p) or student
        rows.append([name, lms_id, "", student, ""]
                    + [grades.cell(student, a, False) for a in assignments])
    return pd.DataFrame(rows, columns=header)


def moodle(results: Results, percent: bool = False) -> pd.DataFrame:
    learners = _scores(results)
    assignments = _assignments(results)
    grades = _Grades(results)
    rows = []
    for student, info in zip(learners.index, learners.itertuples(index=False), strict=True):
        mine = grades.by_student.get(student, [])
        review = "; ".join(f"{_title(results, r.assignment)}: {r.flags or 'needs review'}"
                           for r in mine if r.flagged or r.needs_manual_grade)
        row = {"Username": student, "Email address": info.email, "ID number": info.lms_user_id,
               "First name": info.first_name, "Last name": info.last_name}
        for a in assignments:
            row[_title(results, a)] = grades.cell(student, a, percent)
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
        rows.append(row)
    return pd.DataFrame(rows)


def export(results: Results, fmt: str, path: Path | str, percent: bool = False) -> Path:
    """Write the gradebook for `fmt` (canvas, moodle or csv) to `path`: UTF-8 CSV with CRLF
    line ends (RFC 4180: a carriage return in a cell is then quoted, never a row break),
    every text cell formula-safe (`cells.formula_safe`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}': use one of {', '.join(FORMATS)}")
    table = {"canvas": canvas, "moodle": lambda r: moodle(r, percent), "csv": wide}[fmt](results)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    formula_safe_table(table).to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")
    return path


__all__ = ["FORMATS", "canvas", "export", "moodle", "wide"]
