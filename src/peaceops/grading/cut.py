"""The cut of one draw of the exam (modified Angoff): the panel's mean, over panelists, of
the summed expected points of the draw's items for a minimally competent candidate, with
its standard error (the panelists' standard deviation over the square root of their
number). Each attempt is judged against its own draw's cut, so draws of different
difficulty hold the candidate to the same standard."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from ..content import EXAM_BANK, Course, Keys
from ..content.ratings import Ratings, draft_ratings
from ..exercises.model import Exercise
from ..exercises.scoring import Score


@dataclass(frozen=True)
class Cut:
    points: float  # the pass mark of the draw, in points
    se: float  # its standard error, in points
    max_points: float

    @property
    def percent(self) -> float:
        return 100 * self.points / self.max_points if self.max_points else 0.0


def weights(scored: Iterable[tuple[Exercise, Score]]) -> dict[str, float]:
    """Bank item id -> the points it carries in the draw: a scenario, its exercise's
    maximum; any other item, its own."""
    found: dict[str, float] = {}
    for exercise, result in scored:
        if exercise.meta.get("scenario"):
            found[exercise.meta["scenario"]] = float(result.max_points)
        else:
            found.update({r.item: float(r.max_points) for r in result.items})
    return found


def draw_cut(items: dict[str, float], ratings: Ratings) -> Cut:
    """The cut of a draw whose bank items carry `items` points (see `weights`)."""
    missing = sorted(set(items) - set(ratings.items))
    if missing:
        raise KeyError(f"no ratings for exam item(s) {', '.join(missing[:3])}: rate every "
                       "item of the pool (peaceops bank standard-setting)")
    n = len(ratings.panelists)
    sums = [sum(points * ratings.items[i][p] for i, points in items.items()) for p in range(n)]
    mean = sum(sums) / n
    se = math.sqrt(sum((s - mean) ** 2 for s in sums) / (n - 1)) / math.sqrt(n) if n > 1 else 0.0
    return Cut(mean, se, sum(items.values()))


def floors(course: Course, keys: Keys) -> dict[str, float]:
    """Exam scenario id -> the share of its points that uniformly random answers earn under
    the kind's scoring (exact): the floor of partial credit a borderline officer's guess
    earns."""
    from ..exercises.kinds import pool_kind

    keyed = course.with_keys(keys)
    found = {}
    for pool, entries in keyed.pools.items():
        owner = pool_kind(pool)
        for entry in entries.values():
            if entry.bank == EXAM_BANK and entry.key is not None:
                floor = owner.guessing_floor(keyed, entry)
                if floor is not None:
                    found[entry.id] = floor
    return found


def drafts(course: Course, keys: Keys) -> Ratings:
    """The item writers' draft ratings as a per-draw cut uses them: a scenario's estimate
    raised by its partial-credit floor (`content.ratings.draft_ratings`)."""
    return draft_ratings(course, keys, floors(course, keys))
