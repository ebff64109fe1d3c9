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

from ..assignments import Assignment, load_assignments
from .files import ATTEMPTS, REPORT

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


def load_results(course_dir: Path | str = ".", db_url: str | None = None) -> Results:
    """Read the results of every graded submission in `course_dir`."""
    from nbgrader.api import Gradebook  # imported here: `peaceops verify` needs no nbgrader

    course_dir = Path(course_dir)
    db_url = db_url or f"sqlite:///{(course_dir / 'gradebook.db').resolve()}"
    if db_url.startswith("sqlite:///") and not Path(db_url[len("sqlite:///"):]).exists():
        raise FileNotFoundError(
            f"no gradebook at {db_url[len('sqlite:///'):]}: run `peaceops grade` (or "
            "`nbgrader autograde`) in the course directory first"
        )
    assignments = load_assignments()
    reports = {}
    for path in sorted(course_dir.glob(f"autograded/*/*/{REPORT}")):
        try:
            report = json.loads(path.read_text(encoding="utf-8"))
            reports[(report["student"], report["assignment"])] = report
        except (ValueError, KeyError, TypeError):
            continue  # counted as missing below
    submissions, students = [], []
    with Gradebook(db_url, "peaceops") as gradebook:
        for student in gradebook.students:
            students.append({
                "student": student.id,
                "first_name": student.first_name or "",
                "last_name": student.last_name or "",
                "email": student.email or "",
                "lms_user_id": student.lms_user_id or "",
            })
        for assignment in gradebook.assignments:
            for sub in assignment.submissions:
                report = reports.get((sub.student.id, assignment.name))
                flags = report.get("flags", []) if report else [
                    f"{REPORT} is missing or unreadable"]
                submissions.append({
                    "student": sub.student.id,
                    "assignment": assignment.name,
                    "score": float(sub.score),
                    "max_score": float(sub.max_score),
                    "timestamp": sub.timestamp.isoformat() if sub.timestamp else "",
                    "needs_manual_grade": bool(sub.needs_manual_grade),
                    "flagged": bool(flags) or any(n.flagged for n in sub.notebooks),
                    "flags": "; ".join(flags),
                })
    items = []
    for report in reports.values():
        for exercise, result in report.get("results", {}).items():
            for item, r in result.get("items", {}).items():
                items.append({
                    "student": report["student"],
                    "assignment": report["assignment"],
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
        read_attempts(course_dir),
        pd.DataFrame(students, columns=STUDENT_COLUMNS),
        assignments,
    )


def read_attempts(course_dir: Path) -> pd.DataFrame:
    """The attempts ledger: one JSON object per line, the latest line per attempt wins."""
    path = Path(course_dir) / ATTEMPTS
    rows: dict[tuple, dict] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
                rows[(row["student"], row["assignment"], row["attempt"])] = row
            except (ValueError, KeyError, TypeError):
                continue  # a torn last line after an interruption
    frame = pd.DataFrame(list(rows.values()), columns=ATTEMPT_COLUMNS)
    return frame.sort_values(["student", "assignment", "attempt"], ignore_index=True)


__all__ = ["ATTEMPTS", "Results", "load_results", "read_attempts"]
