"""Exercises: declarative kinds, pure scoring, durable answers and the widget front end.

Importing this package registers the built-in kinds with the content layer. The widget
(ipywidgets) is imported on first use, so graders never load it."""

from typing import Any

from ..content import Spec
from .grading import grade_built, grade_record
from .kinds import KINDS, Kind, build, kind
from .model import Exercise, Item, ItemKey
from .scoring import Score
from .store import AnswerStore

_LAZY = {"ASSESSMENT": "widget", "PRACTICE": "widget", "ExerciseWidget": "widget",
         "assessment": "assessment_mode", "learner_id": "assessment_mode"}

__all__ = ["KINDS", "AnswerStore", "Exercise", "Item", "ItemKey", "Kind", "Score", "Spec", "build",
           "grade_built", "grade_record", "kind", "score", *_LAZY]


def score(exercise: Exercise, key: Any, answers: Any) -> Score:
    """Score one exercise with its kind's scoring (pure): e.g. a scenario's weights by order."""
    return kind(exercise.kind).score(exercise, key, answers)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(name)
