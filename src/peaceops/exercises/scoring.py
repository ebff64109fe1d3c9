"""Pure scoring: answers + key -> score, maximum and per-item feedback. No widgets, no I/O.

Ill-typed answers (an unknown role, a weight off the scale, a list where one value is
expected) earn zero for that item with a reason; nothing here raises on learner input.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .model import Exercise, Item, ItemKey, Key
from .phrases import FEEDBACK, say


@dataclass(frozen=True)
class ItemResult:
    item: str
    answer: Any
    points: float
    max_points: float
    status: str  # "correct", "partial", "incorrect", "unanswered" or "invalid"
    feedback: str  # text, never colour alone
    rationale: str
    source: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"


@dataclass(frozen=True)
class Score:
    exercise: str
    points: float
    max_points: float
    items: tuple[ItemResult, ...]
    reason: str = ""  # set when the whole record was rejected (wrong exercise or variant)



ECHO = 60  # characters of a learner's answer quoted back, at most


def shown(answer: Any) -> str:
    """A learner's answer as quoted in feedback: bounded, so a huge answer is not echoed."""
    text = repr(answer)
    return text if len(text) <= ECHO else text[:ECHO] + "…"


def normalize(item: Item, answer: Any) -> tuple[Any, str]:
    """Return (value, "") for a well-typed answer, or (None, reason) for an ill-typed one."""
    values = {value for value, _ in item.choices}
    if answer is None or answer == "" or answer == []:
        return None, ""
    if item.multiple:
        if not isinstance(answer, list | tuple | set | frozenset):
            return None, say(FEEDBACK, "want_list", type=type(answer).__name__)
        if any(isinstance(a, bool) or not isinstance(a, int | str) for a in answer):
            return None, say(FEEDBACK, "want_list_values")
        chosen = [str(a) for a in answer]
        unknown = [a for a in chosen if a not in values]
        if unknown:
            return None, say(FEEDBACK, "not_choice", answer=shown(unknown[0]))
        return frozenset(chosen), ""
    if isinstance(answer, bool) or not isinstance(answer, str | int):
        return None, say(FEEDBACK, "want_one", type=type(answer).__name__)
    if str(answer) not in values:
        return None, say(FEEDBACK, "not_choice", answer=shown(answer))
    return str(answer), ""


def score_item(item: Item, key: ItemKey, answer: Any) -> ItemResult:
    value, problem = normalize(item, answer)
    shown = dict(item.choices)
    common = {"item": item.id, "answer": answer, "max_points": key.points,
              "rationale": key.rationale, "source": key.source}
    if problem:
        return ItemResult(points=0, status="invalid", feedback=say(FEEDBACK, "not_scored", problem=problem),
                          **common)
    if value is None:
        return ItemResult(points=0, status="unanswered", feedback="", **common)
    accepted = {str(v) if not isinstance(v, frozenset) else frozenset(map(str, v)) for v in key.accept}
    if value in accepted:
        return ItemResult(points=key.points, status="correct", feedback="", **common)
    given = " + ".join(shown[v] for v in sorted(value)) if item.multiple else shown[value]
    share = selection_credit(item, accepted, value) if item.multiple else 0.0
    if share > 0:
        return ItemResult(points=key.points * share, status="partial",
                          feedback=say(FEEDBACK, "partly", given=given, key=key.shows(item)),
                          **common)
    return ItemResult(
        points=0,
        status="incorrect",
        feedback=say(FEEDBACK, "chose", given=given, key=key.shows(item)),
        **common,
    )


def selection_credit(item: Item, accepted, chosen: frozenset) -> float:
    """A select-all item's share of its point: the share of keyed options chosen minus the
    share of the other options chosen (at least 0), for the nearest keyed set. Blind
    answers earn nothing: choosing every option, or none, scores 0."""
    n = len(item.choices)
    best = 0.0
    for group in accepted:
        k = len(group)
        hits, wrong = len(chosen & group), len(chosen - group)
        share = (hits / k if k else 0.0) - (wrong / (n - k) if n > k else 0.0)
        best = max(best, share)
    return best


def score(exercise: Exercise, key: Key, answers: Mapping[str, Any] | Any) -> Score:
    """Score one exercise. Items missing from `key` are a content bug and do raise."""
    if not isinstance(answers, Mapping):
        answers = {}
        reason = say(FEEDBACK, "not_mapping")
    else:
        reason = ""
    results = tuple(score_item(item, key[item.id], answers.get(item.id)) for item in exercise.items)
    return Score(
        exercise=exercise.id,
        points=sum(r.points for r in results),
        max_points=sum(r.max_points for r in results),
        items=results,
        reason=reason,
    )


def reject(exercise: Exercise, key: Key, reason: str) -> Score:
    """A zero score for a record that belongs to another exercise or variant, with the reason."""
    results = tuple(
        ItemResult(item.id, None, 0, key[item.id].points, "invalid",
                   say(FEEDBACK, "not_scored", problem=reason),
                   key[item.id].rationale, key[item.id].source)
        for item in exercise.items
    )
    return Score(exercise.id, 0, sum(r.max_points for r in results), results, reason)
