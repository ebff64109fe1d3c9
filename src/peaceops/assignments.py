"""The graded assignments (data/assignments.yaml): which exercises, drawn from which pool."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from .content import ContentError, ContentIssue, Course, data_dir, load_course
from .content.yamlload import SafeLoader
from .exercises.kinds import Spec

POOLS = {
    "role_matching": "roles",
    "polarity_sorting": "polarities",
    "principle_weighing": "scenarios",
    "quiz": "questions",
}


@dataclass(frozen=True)
class Assignment:
    id: str
    title: str
    lessons: tuple[str, ...]
    exercises: tuple[Spec, ...]
    reflection: str = ""  # prompt of a manually graded reflection, if any
    certification: bool = False

    def spec(self, exercise_id: str) -> Spec:
        for spec in self.exercises:
            if spec.id == exercise_id:
                return spec
        raise KeyError(f"assignment '{self.id}' has no exercise '{exercise_id}'")


def load_assignments(
    course: Course | None = None, path: Path | None = None
) -> dict[str, Assignment]:
    """Read data/assignments.yaml; item patterns (e.g. "b-role-*") expand over the bank."""
    course = course or load_course()
    path = path or data_dir() / "assignments.yaml"
    where = "data/assignments.yaml"
    issues: list[ContentIssue] = []
    entries = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader) or []
    result: dict[str, Assignment] = {}
    seen_exercises: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        row = f"entry {n} (id '{entry.get('id')}')"
        specs = []
        for m, ex in enumerate(entry.get("exercises", []), start=1):
            kind = ex.get("kind")
            if kind not in POOLS:
                issues.append(
                    ContentIssue(
                        where, row, f"exercises[{m}].kind", f"use one of {', '.join(POOLS)}"
                    )
                )
                continue
            if ex.get("id") in seen_exercises:
                issues.append(
                    ContentIssue(where, row, f"exercises[{m}].id", "duplicate exercise id")
                )
            seen_exercises.add(ex.get("id"))
            pool = list(getattr(course.bank, POOLS[kind]))
            patterns = ex.get("items", ["*"])
            patterns = [patterns] if isinstance(patterns, str) else patterns
            items = tuple(i for i in pool if any(fnmatch.fnmatch(i, p) for p in patterns))
            if not items:
                issues.append(
                    ContentIssue(where, row, f"exercises[{m}].items", "matches no bank item")
                )
            draw = ex.get("draw")
            if draw is not None and not 1 <= draw <= len(items):
                issues.append(
                    ContentIssue(
                        where, row, f"exercises[{m}].draw", f"must be between 1 and {len(items)}"
                    )
                )
            specs.append(
                Spec(
                    id=ex["id"],
                    kind=kind,
                    source=str(ex.get("source", "")),
                    items=items,
                    draw=draw,
                    title=str(ex.get("title", "")),
                    prompt=str(ex.get("prompt", "")),
                )
            )
        result[entry["id"]] = Assignment(
            entry["id"],
            entry["title"],
            tuple(entry.get("lessons", [])),
            tuple(specs),
            entry.get("reflection", ""),
            bool(entry.get("certification", False)),
        )
    if issues:
        raise ContentError(issues)
    return result


def find_spec(
    exercise_id: str, assignments: dict[str, Assignment] | None = None
) -> tuple[Assignment, Spec]:
    for assignment in (assignments or load_assignments()).values():
        for spec in assignment.exercises:
            if spec.id == exercise_id:
                return assignment, spec
    raise KeyError(f"no graded exercise '{exercise_id}' in data/assignments.yaml")


def show(exercise_id: str):
    """In an assignment notebook: the learner's assessment widget for a graded exercise."""
    from .exercises.assessment import assessment

    return assessment(find_spec(exercise_id)[1])


def answered(exercise_id: str, folder: Path | str = ".") -> str:
    """In the learner's kernel: how many items are answered (never whether they are correct).
    Under `nbgrader validate` it raises while any item is unanswered, so a blank fails."""
    from .exercises import build
    from .exercises.assessment import learner_id
    from .exercises.store import AnswerStore

    store = AnswerStore(folder)
    exercise, _ = build(load_course(), find_spec(exercise_id)[1], learner_id(store) or None)
    record = store.record(exercise_id)
    answers = record.answers if record else {}
    done = sum(1 for item in exercise.items if answers.get(item.id) not in (None, "", []))
    message = f"{done} of {len(exercise.items)} items answered and saved."
    if done < len(exercise.items):
        message += " Answer every item before you submit."
        if os.environ.get("NBGRADER_VALIDATING"):
            raise AssertionError(message)
    return message
