"""What assignment notebooks call: the learner's assessment widget and how much is answered.

The assignments themselves are content (`data/assignments.yaml`, read by `content`)."""

from __future__ import annotations

import os
from pathlib import Path

from .content import Assignment, Course, Spec, load_course
from .content.messages import _


def find_spec(exercise_id: str, course: Course | None = None) -> tuple[Assignment, Spec]:
    for assignment in (course or load_course()).assignments.values():
        for spec in assignment.exercises:
            if spec.id == exercise_id:
                return assignment, spec
    raise KeyError(f"no graded exercise '{exercise_id}' in data/assignments.yaml")


def show(exercise_id: str, lang: str | None = None):
    """In an assignment notebook: the learner's assessment widget for a graded exercise, in
    `lang` (default: the learner's language setting, `content.language.language()`)."""
    from .exercises.assessment_mode import assessment

    return assessment(find_spec(exercise_id)[1], lang=lang)


def answered(exercise_id: str, folder: Path | str = ".") -> None:
    """In the learner's kernel: print how many items of *their* variant are answered (never
    whether they are correct). Printed, not returned, so `nbgrader validate` has no output
    to mistake for a score. Under `nbgrader validate` it raises while anything is missing,
    so a blank fails."""
    from .exercises import build
    from .exercises.assessment_mode import learner_id
    from .exercises.attempt import attempt_in, time_left_text
    from .exercises.store import AnswerStore

    store = AnswerStore(folder)
    spec = find_spec(exercise_id)[1]
    learner = learner_id(store)
    attempt = attempt_in(folder)
    exercise, _key = build(load_course(), spec, learner or None, attempt=attempt)
    record = store.record(exercise_id)
    answers = record.answers if record and record.variant == exercise.variant else {}
    done = sum(1 for item in exercise.items if answers.get(item.id) not in (None, "", []))
    message = (_("{done} of your {n} items answered and saved (attempt {attempt}).")
               if attempt > 1 else _("{done} of your {n} items answered and saved.")).format(
        done=done, n=len(exercise.items), attempt=attempt)
    assignment = find_spec(exercise_id)[0]
    if assignment.certification:
        from .content import load_certification

        rule = load_certification().rule()
        if rule.exam == assignment.id and (clock := time_left_text(rule, folder)):
            message += f" {clock}"
    if done == len(exercise.items):
        print(message)
        return
    message += " " + _("Answer every item before you submit.")
    print(message)
    if os.environ.get("NBGRADER_VALIDATING"):
        raise AssertionError(message)
