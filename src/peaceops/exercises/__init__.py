"""Exercises: declarative kinds, pure scoring, durable answers and the widget front end."""

from .kinds import KINDS, Spec, build, practice_spec
from .model import Exercise, Item, ItemKey
from .scoring import Score, score
from .store import AnswerStore
from .widget import ASSESSMENT, PRACTICE, ExerciseWidget

__all__ = [
    "ASSESSMENT",
    "KINDS",
    "PRACTICE",
    "AnswerStore",
    "Exercise",
    "ExerciseWidget",
    "Item",
    "ItemKey",
    "Score",
    "Spec",
    "build",
    "practice_spec",
    "score",
]

from .assessment import assessment, learner_id  # noqa: E402

__all__ += ["assessment", "learner_id"]

from .grading import grade_record  # noqa: E402

__all__ += ["grade_record"]
