"""`peaceops export`: the cohort's gradebook as a file an LMS imports.

- ``canvas``: Canvas's gradebook CSV: Student ("Last, First"), ID, SIS User ID, SIS Login ID,
  Section, then one column per assignment, with a "Points Possible" row under the header, as
  Canvas exports it and documents for import. An assignment not submitted is left blank
  (Canvas leaves that grade unchanged).
- ``moodle``: for Moodle's "Import grades from CSV": identity columns to map users by
  (Username, Email address, ID number), then one column per assignment (points, or percent
  with ``percent=True``); the learner's flag for review goes to a feedback column.
- ``csv``: one row per learner, every assignment's score, maximum and percent.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..grading.results import Results

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


def _max_points(results: Results, assignment: str) -> float:
    rows = results.submissions[results.submissions.assignment == assignment]
    return float(rows.max_score.max()) if len(rows) else 0.0


def _cell(results: Results, student: str, assignment: str, percent: bool) -> float | str:
    rows = results.submissions[(results.submissions.student == student)
                               & (results.submissions.assignment == assignment)]
    if rows.empty:
        return ""
    row = rows.iloc[0]
    if percent:
        return round(100 * row.score / row.max_score, 2) if row.max_score else 0.0
    return round(float(row.score), 2)


def canvas(results: Results) -> pd.DataFrame:
    learners = _scores(results)
    assignments = _assignments(results)
    header = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    header += [_title(results, a) for a in assignments]
    rows = [["Points Possible", "", "", "", ""]
            + [_max_points(results, a) for a in assignments]]
    for student, info in learners.iterrows():
        name = ", ".join(p for p in (info.last_name, info.first_name) if p) or student
        rows.append([name, info.lms_user_id, "", student, ""]
                    + [_cell(results, student, a, False) for a in assignments])
    return pd.DataFrame(rows, columns=header)


def moodle(results: Results, percent: bool = False) -> pd.DataFrame:
    learners = _scores(results)
    assignments = _assignments(results)
    rows = []
    for student, info in learners.iterrows():
        mine = results.submissions[results.submissions.student == student]
        review = "; ".join(f"{_title(results, r.assignment)}: {r.flags or 'needs review'}"
                           for r in mine.itertuples() if r.flagged or r.needs_manual_grade)
        row = {"Username": student, "Email address": info.email, "ID number": info.lms_user_id,
               "First name": info.first_name, "Last name": info.last_name}
        for a in assignments:
            row[_title(results, a)] = _cell(results, student, a, percent)
        row["Feedback: needs review"] = review
        rows.append(row)
    return pd.DataFrame(rows)


def wide(results: Results) -> pd.DataFrame:
    learners = _scores(results)
    rows = []
    for student, info in learners.iterrows():
        row = {"student": student, "first_name": info.first_name, "last_name": info.last_name,
               "email": info.email}
        for a in _assignments(results):
            got = results.submissions[(results.submissions.student == student)
                                      & (results.submissions.assignment == a)]
            score = float(got.score.iloc[0]) if len(got) else None
            maximum = _max_points(results, a)
            row[f"{a}_score"] = score
            row[f"{a}_max"] = maximum
            row[f"{a}_percent"] = (round(100 * score / maximum, 2)
                                   if score is not None and maximum else None)
        rows.append(row)
    return pd.DataFrame(rows)


def export(results: Results, fmt: str, path: Path | str, percent: bool = False) -> Path:
    """Write the gradebook for `fmt` (canvas, moodle or csv) to `path` (UTF-8 CSV)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}': use one of {', '.join(FORMATS)}")
    table = {"canvas": canvas, "moodle": lambda r: moodle(r, percent), "csv": wide}[fmt](results)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False, encoding="utf-8")
    return path


__all__ = ["FORMATS", "canvas", "export", "moodle", "wide"]
