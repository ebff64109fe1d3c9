"""Convergence: is the option that shares the most with the other options keyed more, or
less, often than chance?

A test-wise candidate who cannot read the content picks the option that has most in common
with the others (writers build distractors by varying the key, so the key sits at the
centre), or avoids it when writers vary a distractor instead. Both are cues of form. For
each item with its own options, count the content words each option shares with each other
option; among the items with ONE most-shared option, the number where it is keyed must lie
in the central 95 % of what chance gives (as for the stem echo: `overlap.keyed_as_chance`).
Found by round 4's form-only reviewer of the exam (issue 24)."""

from __future__ import annotations

from .findings import CueItem, CuePool, Row
from .overlap import shared, singled_row
from .words import content_stems

CHECK = "the option sharing most words with the other options is keyed as often as chance"


def centrality(item: CueItem) -> list[int]:
    """Per option, the content words it shares with the other options, summed over them."""
    words = [content_stems(c) for c in item.candidates]
    return [sum(shared(other, mine) for m, other in enumerate(words) if m != n)
            for n, mine in enumerate(words)]


def convergence_row(pool: CuePool) -> Row | None:
    """None for pools whose items all offer the same candidates (roles, kinds)."""
    if pool.fixed:
        return None
    single = []
    for item in pool.items:
        scores = centrality(item)
        top = max(scores)
        if top > 0 and scores.count(top) == 1:
            single.append((item, scores.index(top) in item.key))
    return singled_row(CHECK, single, "most-shared")
