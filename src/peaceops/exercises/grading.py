"""Score a saved record against the learner's own variant (pure; used by the graders)."""

from __future__ import annotations

from ..content import Course, Keys, Spec
from .kinds import build, kind
from .model import Exercise, Key
from .scoring import Score, reject, shown
from .store import Record


def grade_record(
    course: Course, spec: Spec, record: Record | None, learner: str, keys: Keys | None = None
) -> Score:
    """The score of `record` for `learner`. The variant is recomputed from the learner id, so a
    record for another exercise, variant or learner scores zero, with the reason."""
    exercise, key = build(course, spec, learner, keys)
    return grade_built(exercise, key, record)


def grade_built(exercise: Exercise, key: Key, record: Record | None) -> Score:
    """The score of `record` against an exercise already built for the learner's variant.
    The record's own ids are quoted as `shown` (escaped and bounded): they are learner text,
    and the reason reaches the graded notebook, its feedback and the flags."""
    scorer = kind(exercise.kind).score
    if record is None:
        return scorer(exercise, key, {})
    if record.exercise != exercise.id:
        return reject(exercise, key, f"the record is for exercise {shown(record.exercise)}")
    if record.variant != exercise.variant:
        return reject(exercise, key, f"the record is for variant {shown(record.variant)}, "
                                     f"not this learner's variant '{exercise.variant}'")
    return scorer(exercise, key, record.answers)
