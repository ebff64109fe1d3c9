"""Per-learner variants: a stable subset and order of a pool, derived from the learner id.

The grader recomputes the same draw from the learner id, so a record made for one learner
does not fit another learner's variant.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Sequence


def _seed(exercise_id: str, learner: str) -> int:
    digest = hashlib.sha256(f"peaceops:{exercise_id}:{learner}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def draw(pool: Sequence[str], exercise_id: str, learner: str | None, size: int | None) -> tuple[str, ...]:
    """The learner's items: `size` of `pool` in a learner-specific order (all, in order, when
    there is no learner or no size)."""
    if not learner or size is None:
        return tuple(pool)
    rng = random.Random(_seed(exercise_id, learner))
    return tuple(rng.sample(list(pool), min(size, len(pool))))


def variant_id(items: Sequence[str]) -> str:
    """A short name for a drawn subset and order ("all" is reserved for the whole pool)."""
    return hashlib.sha256("\x1f".join(items).encode()).hexdigest()[:10]
