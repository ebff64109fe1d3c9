"""The values cue: is the option that widens most keyed more, or less, often than chance?

A reader who never took the course, or who decodes a form-only sheet (a consistent
substitution of the content words), finds keys by generic values rather than by what the
course teaches: the keyed option brings more people in, consults first, shares the
responsibility, reaches every level; the distractors hand the matter to one office, wait or
keep things as they are (issue 24's third review: 44 of 48 questions solved that way). The
family is semantic, so it is measured by meaning: each option's place on a WIDE-NARROW axis
is the mean cosine of its sentence embedding (all-MiniLM-L6-v2, `bank.embed`) to the WIDE
anchor sentences minus that to the NARROW ones. Among the items of a pool whose candidates
are their own options (single-choice and select-all questions), the number whose widest
option is keyed, and the number whose narrowest option is keyed, must each lie in the
central 95 % of what chance gives (`exercises.overlap.keyed_as_chance`): a key that is
always the widest gives it away, and so does one that is never the narrowest."""

from __future__ import annotations

import numpy as np

from ..exercises.findings import CueItem, CuePool, Finding, Row
from ..exercises.overlap import MIN_SINGLED, keyed_as_chance
from .embed import ModelMissing, embed

#: Generic sentences for the two ends of the axis; never an item's wording.
WIDE = (
    "involve everyone concerned and decide together as a whole team",
    "consult all components, partners and communities before acting",
    "make it a shared responsibility of the whole leadership team at every level",
    "widen participation so that women, civil society and local people take part",
    "assess the risks and weigh the principles carefully before deciding",
)
NARROW = (
    "leave it to one office to handle on its own",
    "the head decides alone without consulting anyone",
    "hand the matter over to headquarters or the Security Council",
    "keep things as they are and wait",
    "apply the existing rule as written, with no exceptions",
)
WIDEST = "the widest option (most inclusive, joint, consultative) is keyed as often as chance"
NARROWEST = "the narrowest option (one office, alone, wait) is keyed as often as chance"


def axis() -> np.ndarray:
    """The WIDE-NARROW direction in embedding space."""
    vectors = embed([*WIDE, *NARROW])
    return vectors[:len(WIDE)].mean(axis=0) - vectors[len(WIDE):].mean(axis=0)


def widths(items: tuple[CueItem, ...], direction: np.ndarray) -> list[np.ndarray]:
    """Each item's options placed on the axis (one embedding run for the whole pool)."""
    flat = [c for item in items for c in item.candidates]
    scores = embed(flat) @ direction
    out, at = [], 0
    for item in items:
        out.append(scores[at:at + len(item.candidates)])
        at += len(item.candidates)
    return out


def _row(check: str, singled: list[tuple[CueItem, bool]]) -> Row:
    if len(singled) < MIN_SINGLED:
        return (check, f"{len(singled)} items", f">= {MIN_SINGLED} to judge", True,
                "too few to judge")
    ok, value, band = keyed_as_chance(singled)
    detail = "" if ok else "keyed: " + ", ".join(i.id for i, k in singled if k)
    return (check, value, band, ok, detail)


def value_rows(pool: CuePool, direction: np.ndarray | None = None) -> list[Row]:
    """Both ends of the axis for one pool with per-item options (none for a pool whose
    candidates are fixed labels: roles, kinds, principles)."""
    if pool.fixed or not pool.items:
        return []
    direction = axis() if direction is None else direction
    scored = widths(pool.items, direction)
    widest = [(i, int(np.argmax(s)) in i.key) for i, s in zip(pool.items, scored, strict=True)]
    narrowest = [(i, int(np.argmin(s)) in i.key)
                 for i, s in zip(pool.items, scored, strict=True)]
    return [_row(WIDEST, widest), _row(NARROWEST, narrowest)]


def value_findings(pools: dict[tuple[str, str], CuePool]) -> list[Finding]:
    """The values checks of every (bank, pool) with per-item options; a failing finding
    that says how to get the model when it is missing."""
    chosen = {k: p for k, p in pools.items() if not p.fixed and p.items}
    if not chosen:
        return []
    try:
        direction = axis()
    except ModelMissing as error:
        return [Finding(bank, pool, WIDEST, "not run", ok=False, detail=str(error))
                for bank, pool in chosen]
    return [Finding(bank, pool, *row) for (bank, pool), p in chosen.items()
            for row in value_rows(p, direction)]
