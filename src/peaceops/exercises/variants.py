"""Per-learner variants: a stable subset and order of a pool, and of each question's options,
derived from the learner id and the attempt.

The grader recomputes the same draw from the learner id and the attempt it counts in its
ledger, so a record made for one learner (or attempt) does not fit another's variant. A
later attempt draws items the learner has not had yet, as far as the pool allows.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence


def _seed(exercise_id: str, learner: str, attempt: int = 1) -> int:
    text = f"peaceops:{exercise_id}:{learner}" + (f":attempt{attempt}" if attempt > 1 else "")
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def draw(pool: Sequence[str], exercise_id: str, learner: str | None, size: int | None,
         attempt: int = 1) -> tuple[str, ...]:
    """The learner's items for `attempt`: `size` of `pool` in a learner-specific order (all,
    in order, when there is no learner or no size), preferring items not drawn before."""
    if not learner or size is None:
        return tuple(pool)
    size = min(size, len(pool))
    seen: set[str] = set()
    chosen: list[str] = []
    for k in range(1, max(attempt, 1) + 1):
        rng = random.Random(_seed(exercise_id, learner, k))
        fresh = [i for i in pool if i not in seen]
        if len(fresh) >= size:
            chosen = rng.sample(fresh, size)
        else:  # the pool is spent: all fresh items, topped up from those seen before
            chosen = fresh + rng.sample([i for i in pool if i in seen], size - len(fresh))
            rng.shuffle(chosen)
        seen.update(chosen)
        if len(seen) == len(pool):
            seen = set(chosen)  # a new round over the pool
    return tuple(chosen)


def shuffled(values: Sequence, key: str, learner: str | None, attempt: int = 1) -> tuple:
    """`values` in a stable order for this learner and attempt (as given, with no learner)."""
    if not learner:
        return tuple(values)
    order = list(values)
    random.Random(_seed(f"{key}:options", learner, attempt)).shuffle(order)
    return tuple(order)


def variant_id(items: Sequence[str]) -> str:
    """A short name for a drawn subset and order ("all" is reserved for the whole pool)."""
    return hashlib.sha256("\x1f".join(items).encode()).hexdigest()[:10]
