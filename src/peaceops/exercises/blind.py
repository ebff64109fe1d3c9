"""Blind answers: what answering without reading earns, with a kind's own scoring (pure).

`expected_random` is exact for kinds whose items score independently of each other (every
built-in kind): each item's points averaged over its choices."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .findings import Row
from .model import Exercise, Key
from .scoring import Score

MARGIN = 0.10  # blind answers may earn chance plus this share of the maximum

Scorer = Callable[[Exercise, Key, Mapping[str, Any]], Score]


def points(score: Scorer, exercise: Exercise, key: Key, answers: Mapping[str, Any]) -> float:
    return score(exercise, key, answers).points


def expected_random(score: Scorer, exercise: Exercise, key: Key) -> float:
    """The expected score of answers drawn uniformly from each item's choices, item by
    item (for a select-all item, from its non-empty sets of choices: it earns partial
    credit)."""
    from itertools import combinations

    total = 0.0
    for item in exercise.items:
        values = [v for v, _ in item.choices]
        if item.multiple:
            values = [list(c) for r in range(1, len(values) + 1)
                      for c in combinations(values, r)]
        total += sum(points(score, exercise, key, {item.id: v}) for v in values) / len(values)
    return total


def blind_row(check: str, ids: list[str], shares: list[float], chance: float,
              how: str = "", margin: float = MARGIN, each: bool = False) -> Row:
    """A blind strategy's mean share of the maximum against chance + `margin`, naming the
    items where it scores above that limit; with `each`, every item must stay within it
    too (one doctored item fails the pool)."""
    mean = sum(shares) / len(shares)
    limit = chance + margin
    above = [i for i, s in zip(ids, shares, strict=True) if s > limit + 1e-9]
    ok = mean <= limit + 1e-9 and not (each and above)
    detail = "; ".join(filter(None, [how, "" if ok or not above
                                     else "above the limit: " + ", ".join(above)]))
    return (check, f"{mean:.0%} of the maximum",
            f"<= chance {chance:.0%} + {100 * margin:g} points" + (", each item" if each else ""),
            ok, detail)
