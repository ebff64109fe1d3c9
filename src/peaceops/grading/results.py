"""A cohort's graded results as tidy tables: what `report`, `export` and `certify` read.

Sources (all in the course directory, all written by grading, never by the learner's kernel):
the nbgrader gradebook (scores, manual grades included, and the students), each submission's
`autograded/<student>/<assignment>/peaceops-grading.json` (per-item results), and the
attempts ledger `peaceops-attempts.jsonl` that `peaceops grade` appends to.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..content import Assignment, CourseDir
from .attempts import read_ledger
from .report import FILENAME as REPORT
from .report import GradingReport

SUBMISSION_COLUMNS = ["student", "assignment", "score", "max_score", "timestamp",
                      "needs_manual_grade", "flagged", "flags"]
ITEM_COLUMNS = ["student", "assignment", "exercise", "kind", "item", "points", "max_points",
                "status", "answer", "accepted"]
ATTEMPT_COLUMNS = ["student", "assignment", "attempt", "timestamp", "score", "max_score"]
STUDENT_COLUMNS = ["student", "first_name", "last_name", "email", "lms_user_id"]


@dataclass
class Results:
    """One cohort's results.

    - ``submissions``: one row per graded submission: student, assignment, score (float,
      manual grades included), max_score, timestamp (ISO text or ""), needs_manual_grade
      (bool), flagged (bool), flags ("; "-joined reasons).
    - ``items``: one row per item answered or not: student, assignment, exercise, kind
      (role_matching, polarity_sorting, principle_weighing, quiz), item (a bank-wide id; a
      weighing item is "<scenario>/<principle>"), points, max_points, status (correct,
      incorrect, unanswered, invalid), answer (JSON text), accepted (JSON text: list of the
      accepted values; for a multiple-select item, a list of lists).
    - ``attempts``: student, assignment, attempt (1, 2, ...), timestamp, score, max_score:
      one row per distinct submission graded (a resubmission is a new attempt).
    - ``students``: student, first_name, last_name, email, lms_user_id ("" when unknown).
    - ``assignments``: the assignments of data/assignments.yaml, by id.
    """

    submissions: pd.DataFrame
    items: pd.DataFrame
    attempts: pd.DataFrame
    students: pd.DataFrame
    assignments: dict[str, Assignment]

    def name(self, student: str) -> str:
        """The learner's name as the gradebook has it, or the id."""
        rows = self.students[self.students["student"] == student]
        if rows.empty:
            return student
        first, last = rows.iloc[0]["first_name"], rows.iloc[0]["last_name"]
        return " ".join(p for p in (first, last) if p) or student


def load_results(course_dir: CourseDir | Path | str = ".", db_url: str | None = None) -> Results:
    """Read the results of every graded submission in `course_dir`."""
    from nbgrader.api import Gradebook  # imported here: `peaceops verify` needs no nbgrader

    if not isinstance(course_dir, CourseDir):
        course_dir = CourseDir.resolve(course_dir, db_url=db_url)
    db_url = course_dir.gradebook_url
    if (file := course_dir.gradebook_file) is not None and not file.exists():
        raise FileNotFoundError(
            f"no gradebook at {file}: run `peaceops grade` (or "
            "`nbgrader autograde`) in the course directory first"
        )
    assignments = course_dir.content().assignments
    reports = {}
    for path in sorted(course_dir.autograded.glob(f"*/*/{REPORT}")):
        try:
            report = GradingReport.read(path.parent)
            reports[(report.student, report.assignment)] = report
        except (OSError, ValueError, TypeError):
            continue  # counted as missing below
    with Gradebook(db_url, "peaceops") as gradebook:
        students = [dict(zip(STUDENT_COLUMNS, (sid, *(v or "" for v in rest)), strict=True))
                    for sid, *rest in gradebook.db.execute(_students_query())]
        rows = gradebook.db.execute(_submissions_query()).all()
    submissions = []
    for student, assignment, score, max_score, timestamp, manual, flagged_nb in rows:
        report = reports.get((student, assignment))
        flags = report.flags if report else [f"{REPORT} is missing or unreadable"]
        submissions.append({
            "student": student,
            "assignment": assignment,
            "score": float(score),
            "max_score": float(max_score),
            "timestamp": timestamp.isoformat() if timestamp else "",
            "needs_manual_grade": bool(manual),
            "flagged": bool(flags) or bool(flagged_nb),
            "flags": "; ".join(flags),
        })
    items = []
    for report in reports.values():
        for exercise, result in report.results.items():
            for item, r in result.get("items", {}).items():
                items.append({
                    "student": report.student,
                    "assignment": report.assignment,
                    "exercise": exercise,
                    "kind": result["kind"],
                    "item": item,
                    "points": r["points"],
                    "max_points": r["max_points"],
                    "status": r["status"],
                    "answer": json.dumps(r["answer"], sort_keys=True),
                    "accepted": json.dumps(r["accepted"], sort_keys=True),
                })
    return Results(
        pd.DataFrame(submissions, columns=SUBMISSION_COLUMNS),
        pd.DataFrame(items, columns=ITEM_COLUMNS),
        read_attempts(course_dir.attempts),
        pd.DataFrame(students, columns=STUDENT_COLUMNS),
        assignments,
    )


def _students_query():
    """The students, in the gradebook's order (`Gradebook.students`), ties by id."""
    from nbgrader.api import Student
    from sqlalchemy import select

    return (select(Student.id, Student.first_name, Student.last_name, Student.email,
                   Student.lms_user_id).order_by(Student.last_name, Student.first_name, Student.id))


def _submissions_query():
    """Every submission with its scores, in one query: what the gradebook's
    `SubmittedAssignment.score` (the sum of its grades' `Grade.score`), `.max_score`,
    `.needs_manual_grade` and its notebooks' `flagged` say, aggregated by a join instead of
    per-row lazy loads (assignments in the gradebook's order, then by student)."""
    from nbgrader.api import Assignment, Grade, SubmittedAssignment, SubmittedNotebook
    from sqlalchemy import case, func, select

    def any_of(column):
        return func.coalesce(func.max(case((column, 1), else_=0)), 0)

    maximum = (select(Assignment.id.label("id"), Assignment.max_score.label("max_score"))
               .subquery())
    return (
        select(SubmittedAssignment.student_id, Assignment.name,
               func.coalesce(func.sum(Grade.score), 0.0), func.max(maximum.c.max_score),
               SubmittedAssignment.timestamp, any_of(Grade.needs_manual_grade),
               any_of(SubmittedNotebook.flagged))
        .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id)
        .join(maximum, maximum.c.id == Assignment.id)
        .outerjoin(SubmittedNotebook, SubmittedNotebook.assignment_id == SubmittedAssignment.id)
        .outerjoin(Grade, Grade.notebook_id == SubmittedNotebook.id)
        .group_by(SubmittedAssignment.id, SubmittedAssignment.student_id, Assignment.name,
                  Assignment.duedate, SubmittedAssignment.timestamp)
        .order_by(Assignment.duedate, Assignment.name, SubmittedAssignment.student_id)
    )


def read_attempts(path: Path) -> pd.DataFrame:
    """The attempts ledger as a table (see `attempts.read_ledger`)."""
    frame = pd.DataFrame(read_ledger(path), columns=[*ATTEMPT_COLUMNS, "flagged"])
    frame["flagged"] = frame["flagged"].fillna(False).astype(bool)  # per attempt
    return frame.sort_values(["student", "assignment", "attempt"], ignore_index=True)


__all__ = ["Results", "load_results", "read_attempts"]
