"""The instructor's view: every learner × assignment with its status, and who is at risk.

Statuses of a cell (several may hold at once, e.g. a flagged exam that failed):
``not-submitted``, ``submitted`` (a lesson assignment: the rule asks only that it be
submitted), ``waiting`` (waiting for manual grading in nbgrader's formgrader: the score is
not final), ``flagged`` (with the grader's reason), ``passed`` / ``failed`` (the exam,
against the pass rule's mark within its counted attempts). A learner is ``certified`` when
the certificate ledger holds a certificate under the current rule.

At risk: a learner whose exam is below the mark, with the attempts left (none left: failed).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..credentials.certificate_ledger import LEDGER as CERTIFICATE_LEDGER
from ..results import Results

#: CERTIFICATE_LEDGER: the certificate ledger `peaceops certify` writes in the certificates
#: folder (credentials.certificate_ledger, a lower layer, names it).

LABELS = {"not-submitted": "not submitted", "submitted": "submitted",
          "waiting": "waiting for manual grading", "flagged": "flagged",
          "passed": "exam passed", "failed": "exam failed", "certified": "certified"}


@dataclass(frozen=True)
class Rule:
    """What the grid needs of the pass rule (`content.PassRule` has these fields)."""

    exam: str
    min_percent: float
    max_attempts: int
    version: str = ""


@dataclass
class Cell:
    statuses: tuple[str, ...]
    text: str  # what the cell shows, e.g. "12/16 · waiting for manual grading"
    sort: float  # a sort key: the percent, -1 when not submitted


@dataclass
class Grid:
    learners: list[tuple[str, str]]  # (id, name), sorted by name then id
    assignments: list[tuple[str, str, bool]]  # (id, title, is the exam)
    cells: dict[tuple[str, str], Cell]
    certified: set[str]
    at_risk: list[tuple[str, str, str]] = field(default_factory=list)  # id, name, why

    def statuses(self) -> set[str]:
        found = {s for cell in self.cells.values() for s in cell.statuses}
        return found | ({"certified"} if self.certified else set())


def read_certified(certificates: Path, rule_version: str) -> set[str]:
    """The learners the certificate ledger holds a certificate for under `rule_version`."""
    path = Path(certificates) / CERTIFICATE_LEDGER
    if not path.is_file():
        return set()
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["student"] for row in csv.DictReader(handle)
                if row.get("student") and row.get("rule_version") == rule_version}


def _num(x: float) -> str:
    return f"{x:g}" if float(x).is_integer() else f"{x:.1f}"


def build_grid(results: Results, rule: Rule | Any | None = None,
               certified: set[str] | None = None) -> Grid:
    """The grid of `results`; `rule` (a PassRule) decides the exam's passed/failed and the
    attempts left; `certified`: learners holding a certificate under it."""
    subs = results.submissions
    learners = sorted({*results.students["student"], *subs["student"]},
                      key=lambda s: (results.name(s).casefold(), s))
    declared = [a for a in results.assignments if a in set(subs["assignment"])
                or (rule is not None and a == rule.exam)]
    extra = sorted(set(subs["assignment"]) - set(declared))
    assignments = [(a, results.assignments[a].title if a in results.assignments else a,
                    rule is not None and a == rule.exam) for a in declared + extra]
    first = {}
    for row in subs.itertuples(index=False):
        first.setdefault((row.student, row.assignment), row)
    attempts: dict[str, list[tuple[int, float, float]]] = {}
    if rule is not None:
        rows = results.attempts[results.attempts["assignment"] == rule.exam]
        for row in rows.itertuples(index=False):
            attempts.setdefault(row.student, []).append(
                (int(row.attempt), float(row.score), float(row.max_score)))
    grid = Grid([(s, results.name(s)) for s in learners], assignments, {}, set(certified or ()))
    for student, name in grid.learners:
        for assignment, _, is_exam in assignments:
            row = first.get((student, assignment))
            if row is None:
                grid.cells[(student, assignment)] = Cell(("not-submitted",), "not submitted", -1)
                continue
            percent = 100 * row.score / row.max_score if row.max_score else 0.0
            statuses, parts = [], [f"{_num(row.score)}/{_num(row.max_score)}"]
            if is_exam:
                tried = sorted(attempts.get(student) or [(1, row.score, row.max_score)])
                counted = [t for t in tried if t[0] <= rule.max_attempts]
                passed = any(m and 100 * s / m >= rule.min_percent for _, s, m in counted)
                statuses.append("passed" if passed else "failed")
                parts.append(f"{LABELS[statuses[-1]]} (attempt {tried[-1][0]} of "
                             f"{rule.max_attempts})")
                if not passed:
                    left = rule.max_attempts - len(counted)
                    why = (f"exam {_num(percent)} %, below {rule.min_percent:g} %: "
                           + (f"{left} attempt(s) left" if left > 0 else "no attempts left"))
                    grid.at_risk.append((student, name, why))
            else:
                statuses.append("submitted")
            if row.needs_manual_grade:
                statuses.append("waiting")
                parts.append(LABELS["waiting"])
            if row.flagged:
                statuses.append("flagged")
                parts.append(f"flagged: {row.flags or 'needs review'}")
            grid.cells[(student, assignment)] = Cell(tuple(statuses), " · ".join(parts), percent)
    return grid


def grid_frame(grid: Grid) -> pd.DataFrame:
    """The grid as a table (learner, name, one column per assignment, certified)."""
    rows = []
    for student, name in grid.learners:
        row = {"learner": student, "name": name}
        for assignment, _, _ in grid.assignments:
            row[assignment] = grid.cells[(student, assignment)].text
        row["certified"] = "certified" if student in grid.certified else ""
        rows.append(row)
    return pd.DataFrame(rows, columns=["learner", "name",
                                       *(a for a, _, _ in grid.assignments), "certified"])
