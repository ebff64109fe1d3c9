"""A simulated cohort as `Results`, graded with a (possibly wrong) key: the report's test bed.

Reusable: `grade_items` scores simulated answers against any grading key and returns the
rows of `Results.items`; `cohort` builds a whole certification-exam cohort in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peaceops.assignments import Assignment
from peaceops.exercises.kinds import Spec
from peaceops.results import (
    ATTEMPT_COLUMNS,
    ITEM_COLUMNS,
    STUDENT_COLUMNS,
    SUBMISSION_COLUMNS,
    Results,
)
from tests.factories.simulate import SimItem, abilities, answers_file, simulate_responses

CORE_ROLES = ("hom", "dsrsg_pol", "dsrsg_rchc", "fc", "pc", "cos", "dms")
EXAM = "sim-exam"


@dataclass(frozen=True)
class Exercise:
    id: str
    kind: str
    items: dict[str, SimItem]
    draw: int | None = None


def grade_items(
    answers: Mapping[str, Mapping[str, object]],
    assignment: str,
    exercise: Exercise,
    keys: Mapping[str, Iterable[str]],
) -> list[dict]:
    """Rows of `Results.items` for one exercise: each answer scored 1 when the grading `keys`
    (item -> accepted values, possibly wrong) accept it."""
    rows = []
    for student, given in answers.items():
        for item, answer in given.items():
            accepted = sorted(keys[item])
            correct = answer in accepted
            rows.append({
                "student": student, "assignment": assignment, "exercise": exercise.id,
                "kind": exercise.kind, "item": item, "points": int(correct), "max_points": 1,
                "status": "correct" if correct else "incorrect",
                "answer": json.dumps(answer), "accepted": json.dumps(accepted),
            })
    return rows


def exam_exercises(slope: float = 2.5) -> list[Exercise]:
    """14 role items (draw 8, 7 roles, each with a tempting wrong role), 12 quiz questions
    (every learner gets all, 4 options) and 10 polarities (draw 8, 2 options, so guessing
    is easy: twice the slope); difficulties spread evenly."""
    roles = {
        f"b-role-sim-{i:02d}": SimItem(CORE_ROLES, frozenset({CORE_ROLES[i % 7]}), b, slope,
                                       lure=CORE_ROLES[(i + 1) % 7])
        for i, b in enumerate(np.linspace(-0.6, 0.4, 14), start=1)
    }
    quiz = {f"b-q-sim-{i:02d}": SimItem(("0", "1", "2", "3"), frozenset({"0"}), b, slope)
            for i, b in enumerate(np.linspace(-0.5, 0.5, 12), start=1)}
    polarities = {
        f"b-pol-sim-{i:02d}": SimItem(("problem", "polarity"),
                                      frozenset({"polarity" if i % 2 else "problem"}), b,
                                      2 * slope)
        for i, b in enumerate(np.linspace(-0.3, 0.3, 10), start=1)
    }
    return [Exercise("sim-roles", "role_matching", roles, draw=8),
            Exercise("sim-quiz", "quiz", quiz),
            Exercise("sim-polarities", "polarity_sorting", polarities, draw=8)]


def wrong_key(item: SimItem) -> frozenset:
    """A key that accepts a wrong option (the item's lure, if any) instead of the right one."""
    return frozenset({item.lure or next(o for o in item.options if o not in item.accepted)})


def results_from_rows(
    item_rows: list[dict], assignments: Mapping[str, Assignment], flagged: Iterable[str] = ()
) -> Results:
    """`Results` whose submissions are the item rows' totals (`flagged`: these students)."""
    items = pd.DataFrame(item_rows, columns=ITEM_COLUMNS)
    flagged = set(flagged)
    sums = items.groupby(["student", "assignment"], as_index=False)[["points", "max_points"]].sum()
    submissions = pd.DataFrame({
        "student": sums["student"], "assignment": sums["assignment"],
        "score": sums["points"].astype(float), "max_score": sums["max_points"].astype(float),
        "timestamp": "2026-11-22T10:00:00", "needs_manual_grade": False,
        "flagged": sums["student"].isin(flagged),
        "flags": np.where(sums["student"].isin(flagged), "no peaceops-answers.json", ""),
    }, columns=SUBMISSION_COLUMNS)
    students = pd.DataFrame({"student": sorted(items["student"].unique())},
                            columns=STUDENT_COLUMNS).fillna("")
    return Results(submissions, items, pd.DataFrame(columns=ATTEMPT_COLUMNS), students,
                   dict(assignments))


def cohort(n: int = 240, seed: int = 7, wrong: str | None = "b-role-sim-03") -> Results:
    """A simulated certification exam of `n` learners; the grading key of item `wrong`
    accepts a wrong role (None: every key is right)."""
    thetas = abilities(n, seed)
    rng = np.random.default_rng(seed + 1)
    exercises = exam_exercises()
    rows: list[dict] = []
    for number, exercise in enumerate(exercises):
        pool = list(exercise.items)
        draws = {learner: (list(rng.choice(pool, exercise.draw, replace=False))
                           if exercise.draw else pool) for learner in thetas}
        answers = simulate_responses(thetas, exercise.items, seed + 10 + number,
                                     drawn=draws.__getitem__)
        keys = {i: item.accepted for i, item in exercise.items.items()}
        if wrong in keys:
            keys[wrong] = wrong_key(exercise.items[wrong])
        rows += grade_items(answers, EXAM, exercise, keys)
    specs = tuple(Spec(e.id, e.kind, "simulated", items=tuple(e.items), draw=e.draw)
                  for e in exercises)
    exam = Assignment(EXAM, "Simulated certification exam", (), specs, certification=True)
    return results_from_rows(rows, {EXAM: exam})


def bank_results(n: int = 60, seed: int = 2, assignment_ids: Iterable[str] = (),
                 slope: float = 2.0) -> Results:
    """Simulated learners answering the real bank, graded exactly as `peaceops grade`
    records items (the rows `load_results` would read), without nbgrader."""
    from peaceops.content import load_course, load_keys
    from peaceops.exercises import build
    from peaceops.exercises.grading import grade_built
    from peaceops.exercises.store import parse
    from peaceops.grading.submission import _exercise_result

    course = load_course()
    keys = load_keys(course)
    assignments = course.assignments
    chosen = {a: assignments[a] for a in (assignment_ids or assignments)}
    rng = np.random.default_rng(seed)
    rows = []
    for learner, theta in abilities(n, seed).items():
        for aid, assignment in chosen.items():
            loaded = parse(answers_file(course, assignment, learner, theta, keys, rng,
                                        slope=slope))
            for spec in assignment.exercises:
                exercise, key = build(course, spec, learner, keys)
                result = _exercise_result(exercise, key,
                                          grade_built(exercise, key, loaded.records[spec.id]))
                rows += [{"student": learner, "assignment": aid, "exercise": spec.id,
                          "kind": result["kind"], "item": item, "points": r["points"],
                          "max_points": r["max_points"], "status": r["status"],
                          "answer": json.dumps(r["answer"], sort_keys=True),
                          "accepted": json.dumps(r["accepted"], sort_keys=True)}
                         for item, r in result["items"].items()]
    return results_from_rows(rows, chosen)


def every_status_cohort() -> tuple[Results, set[str]]:
    """Four learners on the course's real assignments, made to show every status of the
    instructor's grid under the current pass rule (75 %, two attempts): amina passed and is
    certified; bo's exam is below the mark with an attempt left (at risk) and her reflection
    waits for manual grading; chen's exam failed both attempts and a lesson submission is
    flagged; dara submitted nothing. Returns the results and the certified learners."""
    from peaceops.content import load_course

    course = load_course()
    exam, lessons = "certification-exam", [a for a in course.assignments if a != "certification-exam"]
    subs, attempts = [], []
    for student in ("amina", "bo", "chen"):
        for n, lesson in enumerate(lessons):
            waiting = student == "bo" and n == 0
            flagged = student == "chen" and n == 1
            subs.append([student, lesson, 8.0, 10.0, "2026-11-01T10:00:00", waiting, flagged,
                         "the answers file is missing" if flagged else ""])
    tries = {"amina": [25.0], "bo": [15.0], "chen": [12.0, 18.0]}
    for student, scores in tries.items():
        for n, score in enumerate(scores, start=1):
            attempts.append([student, exam, n, f"2026-11-0{n}T10:00:00", score, 29.0])
        subs.append([student, exam, scores[-1], 29.0, "2026-11-05T10:00:00", False, False, ""])
    students = [["amina", "Amina", "Diallo", "", ""], ["bo", "Bo", "Lindqvist", "", ""],
                ["chen", "Chen", "Wei", "", ""], ["dara", "Dara", "Ó Súilleabháin", "", ""]]
    return Results(pd.DataFrame(subs, columns=SUBMISSION_COLUMNS),
                   pd.DataFrame(columns=ITEM_COLUMNS),
                   pd.DataFrame(attempts, columns=ATTEMPT_COLUMNS),
                   pd.DataFrame(students, columns=STUDENT_COLUMNS),
                   course.assignments), {"amina"}
