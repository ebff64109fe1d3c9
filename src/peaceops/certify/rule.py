"""Apply a pass rule to a cohort's results: one decision, with reasons, per learner."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from ..content import PassRule
from ..results import Results


@dataclass(frozen=True)
class Decision:
    """Whether a learner passes, why (plain words), and the exam attempt that passed."""

    student: str
    name: str
    rule_version: str
    passed: bool
    reasons: tuple[str, ...]
    attempt: int | None = None
    score: float | None = None
    max_score: float | None = None


@dataclass(frozen=True)
class Attempt:
    number: int
    score: float
    max_score: float
    flagged: bool = False  # the grader flagged this attempt for review: it cannot pass
    cut: float | None = None  # its draw's own pass mark in points (a per-draw cut rule)

    @property
    def percent(self) -> float:
        return 100 * self.score / self.max_score if self.max_score > 0 else 0.0


def learners(results: Results) -> list[str]:
    """Every learner in the gradebook or with a submission, sorted."""
    ids = set(results.students["student"]) | set(results.submissions["student"])
    return sorted(str(s) for s in ids)


def evaluate(results: Results, rule: PassRule) -> list[Decision]:
    """The decision for every learner (each table is read once, then split by learner)."""
    rows = {name: _by_student(getattr(results, name))
            for name in ("submissions", "attempts", "students")}
    return [_decide(rule, student, *(rows[n].get(student, []) for n in rows),
                    results.assignments)
            for student in learners(results)]


def exam_attempts(results: Results, student: str, exam: str) -> list[Attempt]:
    """The learner's graded exam attempts, in order. With no row in the attempts table, the
    gradebook submission (if any) is attempt 1."""
    return _exam_attempts(_rows(results.submissions, student), _rows(results.attempts, student),
                          exam)


def decide(results: Results, rule: PassRule, student: str) -> Decision:
    """Passes iff one of the first `max_attempts` exam attempts reaches `min_percent`, every
    `require_submitted` assignment has a submission, and the exam needs no review. The
    certificate's score is the best passing attempt's (the earliest among equals)."""
    return _decide(rule, student, _rows(results.submissions, student),
                   _rows(results.attempts, student), _rows(results.students, student),
                   results.assignments)


def _rows(table: pd.DataFrame, student: str) -> list:
    return list(table[table["student"] == student].itertuples(index=False))


def _by_student(table: pd.DataFrame) -> dict[str, list]:
    split: dict[str, list] = {}
    for row in table.itertuples(index=False):
        split.setdefault(row.student, []).append(row)
    return split


def _exam_attempts(subs: list, attempts: list, exam: str) -> list[Attempt]:
    numbered = ([(int(r.attempt), r) for r in attempts if r.assignment == exam]
                or [(1, r) for r in subs if r.assignment == exam])  # the submission is 1
    found = [
        Attempt(number, float(r.score), float(r.max_score),
                bool(getattr(r, "flagged", False)) is True, _cut(r))
        for number, r in numbered
        if not (pd.isna(r.score) or pd.isna(r.max_score))
    ]
    return sorted(found, key=lambda a: a.number)


def _cut(row) -> float | None:
    """The draw's cut recorded with an attempt (None when the ledger has none)."""
    cut = getattr(row, "cut", None)
    return None if cut is None or pd.isna(cut) else float(cut)


def _reaches(a: Attempt, rule: PassRule) -> bool:
    """The attempt reaches the rule's pass mark: its draw's own cut under a per-draw cut
    rule (an attempt graded without one does not), else `min_percent`."""
    if a.max_score <= 0 or not _same_form(a, rule):
        return False
    if rule.cut_ratings:
        return a.cut is not None and round(a.score, 9) >= round(a.cut, 9)
    return round(a.percent, 9) >= rule.min_percent


def _same_form(a: Attempt, rule: PassRule) -> bool:
    """The attempt was graded on the form of the exam the rule was set for (any, if the rule
    names none)."""
    return rule.exam_points is None or round(a.max_score, 9) == round(rule.exam_points, 9)


def _name(students: list, student: str) -> str:
    """The learner's name as the gradebook has it, or the id (as `Results.name`)."""
    if not students:
        return student
    first, last = students[0].first_name, students[0].last_name
    return " ".join(p for p in (first, last) if p) or student


def _decide(rule: PassRule, student: str, subs: list, attempt_rows: list, students: list,
            assignments: dict) -> Decision:
    submitted = {r.assignment for r in subs}
    reasons: list[str] = []
    exam_ok = False
    best: Attempt | None = None
    attempts = _exam_attempts(subs, attempt_rows, rule.exam)
    if not attempts:
        reasons.append(
            f"has not submitted the exam ({rule.exam})"
            if rule.exam not in submitted
            else "the exam has no score yet: grade it, then run certify again"
        )
    for a in attempts:
        what = f"exam attempt {a.number}: {_num(a.score)}/{_num(a.max_score)} ({_pct(a.percent)} %)"
        reaches = _reaches(a, rule)
        if a.number > rule.max_attempts:
            if reaches:
                reasons.append(
                    f"{what}, not counted: only the first {rule.max_attempts} attempt(s) count"
                )
            continue
        if reaches and a.flagged:
            reasons.append(f"{what}, not counted: the grader flagged this attempt for review "
                           "(see peaceops-attempts.jsonl and the grading report)")
            continue
        if reaches:
            exam_ok = True
            if best is None or a.score / a.max_score > best.score / best.max_score:
                best = a
        else:
            if not _same_form(a, rule):
                reasons.append(f"{what}, not judged: rule {rule.version} is for the "
                               f"{_num(rule.exam_points)}-point form of the exam; use the "
                               "rule of the form it was graded on")
                continue
            mark = (f"its draw's cut of {_num(a.cut)}" if rule.cut_ratings and a.cut is not None
                    else "no per-draw cut recorded: grade it again under this rule"
                    if rule.cut_ratings else f"the {rule.min_percent:g} % required")
            reasons.append(f"{what}, below {mark}")
    if best:
        reasons.insert(
            0,
            f"exam attempt {best.number}: {_num(best.score)}/"
            f"{_num(best.max_score)} ({_pct(best.percent)} %), at least "
            + (f"its draw's cut of {_num(best.cut)} required" if rule.cut_ratings
               and best.cut is not None else f"{rule.min_percent:g} % required"),
        )
    elif attempts and not reasons:
        reasons.append(f"no exam attempt among the first {rule.max_attempts} was graded")
    missing = [a for a in rule.require_submitted if a not in submitted]
    for a in missing:
        title = assignments[a].title if a in assignments else a
        reasons.append(f"has not submitted {a} ({title})")
    if rule.require_submitted and not missing:
        reasons.append(f"submitted all {len(rule.require_submitted)} required assignments")
    review = _review([r for r in subs if r.assignment == rule.exam])
    if review:
        reasons.append(
            f"the exam submission needs review ({review}): resolve it in "
            "formgrader, then run certify again"
        )
    passed = exam_ok and not missing and not review
    return Decision(
        student=student,
        name=_name(students, student),
        rule_version=rule.version,
        passed=passed,
        reasons=tuple(reasons),
        attempt=best.number if passed and best else None,
        score=_num(best.score) if passed and best else None,
        max_score=_num(best.max_score) if passed and best else None,
    )


def _review(exam: list) -> str:
    why = []
    for row in exam:
        if bool(row.needs_manual_grade):
            why.append("needs manual grading")
        if bool(row.flagged):
            why.append(f"flagged: {row.flags}" if row.flags else "flagged")
    return "; ".join(why)


def _num(x: float) -> float | int:
    """A score as a certificate shows it: whole numbers without decimals."""
    return int(x) if float(x).is_integer() else round(float(x), 2)


def _pct(x: float) -> str:
    """A percentage rounded down to one decimal, so 74.96 never reads as 75."""
    return f"{math.floor(x * 10) / 10:g}"
