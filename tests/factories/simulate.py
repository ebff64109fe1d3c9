"""Simulated learners for tests and benchmarks: ability-based answers to any item (a test
factory: `from tests.factories.simulate import ...`; a benchmark puts the repository root
on sys.path first, as benchmarks/grade_cohort.py does).

A learner of ability θ *knows* an item of difficulty b and slope a with probability
logistic(a·(θ − b)) and then gives a truly right answer; otherwise they guess uniformly among
the options (for a multiple-select item, a random non-empty subset), drawn to the item's
`lure` (a tempting wrong value), if any, with probability `lure_pull`. "Truly right" is the
item's real key: grade the answers with a deliberately wrong key to see what the report does.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from peaceops.content import Assignment, Course, Keys
    from peaceops.exercises.model import Exercise, Key


@dataclass(frozen=True)
class SimItem:
    """What a simulated learner needs to answer an item."""

    options: tuple[str, ...]  # the values a learner can choose
    accepted: frozenset  # the truly right values (frozensets of values if `multiple`)
    difficulty: float = 0.0
    slope: float = 1.0
    multiple: bool = False
    lure: str = ""  # a tempting wrong value that guessers pick more often
    lure_pull: float = 0.5  # the probability that a guess goes to the lure


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def p_know(theta: float, item: SimItem) -> float:
    """The probability that a learner of ability `theta` knows the item."""
    return logistic(item.slope * (theta - item.difficulty))


def respond(theta: float, item: SimItem, rng: np.random.Generator) -> Any:
    """One answer as the learner's answers file holds it: a value, or a sorted list of values
    for a multiple-select item."""
    if not item.options:
        raise ValueError("an item to simulate needs at least one option")
    if rng.random() < p_know(theta, item):
        right = sorted(item.accepted, key=lambda v: sorted(v) if item.multiple else str(v))
        choice = right[int(rng.integers(len(right)))]
        return sorted(choice) if item.multiple else str(choice)
    if item.lure and not item.multiple and rng.random() < item.lure_pull:
        return item.lure
    if item.multiple:
        picks = rng.random(len(item.options)) < 0.5
        picks[int(rng.integers(len(item.options)))] = True  # never empty
        return sorted(o for o, p in zip(item.options, picks, strict=True) if p)
    return str(item.options[int(rng.integers(len(item.options)))])


def abilities(n: int, seed: int = 0, sd: float = 1.0, prefix: str = "learner") -> dict[str, float]:
    """`n` learners `<prefix>0001`, … with abilities drawn from N(0, sd²)."""
    if n < 0:
        raise ValueError(f"the number of learners must be at least 0, got {n}")
    thetas = np.random.default_rng(seed).normal(0.0, sd, n)
    return {f"{prefix}{i:04d}": float(t) for i, t in enumerate(thetas, start=1)}


def simulate_responses(
    thetas: Mapping[str, float],
    items: Mapping[str, SimItem],
    seed: int = 0,
    drawn: Callable[[str], Iterable[str]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Answers per learner per item. `drawn(learner)` names the items that learner got
    (default: every item)."""
    rng = np.random.default_rng(seed)
    answers: dict[str, dict[str, Any]] = {}
    for learner, theta in thetas.items():
        ids = list(drawn(learner)) if drawn else list(items)
        answers[learner] = {i: respond(theta, items[i], rng) for i in ids}
    return answers


def sim_items(
    exercise: Exercise,
    key: Key,
    difficulty: Callable[[str], float] | None = None,
    slope: float = 1.0,
    lures: Mapping[str, str] | None = None,
) -> dict[str, SimItem]:
    """The items of a built exercise with their true `key`; `difficulty(item id)` (default 0)
    and `lures` (item id -> a tempting wrong value) by the exercise's item ids."""
    lures = lures or {}
    return {
        item.id: SimItem(
            options=tuple(v for v, _ in item.choices),
            accepted=frozenset(key[item.id].accept),
            difficulty=difficulty(item.id) if difficulty else 0.0,
            slope=slope,
            multiple=item.multiple,
            lure=lures.get(item.id, ""),
        )
        for item in exercise.items
    }


def answers_file(
    course: Course,
    assignment: Assignment,
    learner: str,
    theta: float,
    keys: Keys,
    rng: np.random.Generator,
    difficulty: Callable[[str], float] | None = None,
    slope: float = 1.0,
    lures: Mapping[str, str] | None = None,
    saved_at: str = "2026-11-22T10:00:00+00:00",
) -> dict[str, Any]:
    """The content of a simulated learner's `peaceops-answers.json` for one assignment, on
    the learner's own variant, answered from the true `keys`. `difficulty` and `lures` take
    the bank-wide item id (a weighing item is "<scenario>/<principle>"): give the item whose
    key you falsify a lure, and make the false key accept it."""
    from peaceops.exercises import build, kind
    from peaceops.exercises.store import SCHEMA

    records, lures = {}, lures or {}
    for spec in assignment.exercises:
        exercise, key = build(course, spec, learner, keys)
        name = kind(exercise.kind).item_key
        bank = {i.id: name(exercise, i.id) for i in exercise.items}
        items = sim_items(exercise, key,
                          (lambda i, bank=bank: difficulty(bank[i])) if difficulty else None,
                          slope, {i: lures[b] for i, b in bank.items() if b in lures})
        records[spec.id] = {
            "exercise": spec.id,
            "variant": exercise.variant,
            "learner": learner,
            "saved_at": saved_at,
            "answers": {i: respond(theta, item, rng) for i, item in items.items()},
        }
    return {"schema": SCHEMA, "learner": learner, "exercises": records}
