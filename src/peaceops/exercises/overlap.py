"""Stem overlap: does the key echo the stem's wording more often, or less often, than chance?

For each item, count the content words (stemmed, function words removed) each candidate
shares with the stem; the item is cued when a keyed candidate shares more than every
distractor. Chance is the mean share of keyed candidates, 1/#options for one key.

The cue runs both ways: writers who avoid stem-echoing keys tend to write a distractor that
restates the stem's proposal, and "drop the option that echoes the stem most" then pays.
So among the items with ONE most-echoing candidate, the number whose most-echoing candidate
is keyed must lie in the central 95 % of what chance gives (a Poisson-binomial law over the
items' key shares): never the key is a cue as much as always the key."""

from __future__ import annotations

import numpy as np

from .findings import CueItem, CuePool, Row
from .words import content_stems, same_word

MARGIN = 0.10
TAIL = 0.025  # each tail of the central 95 %
SEED = 24
DRAWS = 20000
MIN_SINGLED = 8  # fewer singled-out items than this: too few to judge


def shared(stem: set[str], candidate: set[str]) -> int:
    """Content words of `candidate` found in `stem`."""
    return sum(any(same_word(c, s) for s in stem) for c in candidate)


def echoes(item: CueItem, lexicon: tuple[str, ...] = ()) -> bool:
    """Does a keyed candidate share more words with the stem than every distractor?"""
    stem = content_stems(item.stem)
    counts = [shared(stem, content_stems(c + " " + (lexicon[n] if lexicon else "")))
              for n, c in enumerate(item.candidates)]
    best_key = max(counts[k] for k in item.key)
    others = [c for n, c in enumerate(counts) if n not in item.key]
    return best_key > max(others, default=0) and best_key > 0


def overlap_row(pool: CuePool) -> Row:
    items = pool.items
    cued = [i.id for i in items if echoes(i, pool.lexicon)]
    rate = len(cued) / len(items)
    chance = sum(len(i.key) / len(i.candidates) for i in items) / len(items)
    return ("key shares more words with the stem than every distractor",
            f"{rate:.0%} ({len(cued)} of {len(items)})", f"<= chance {chance:.0%} + 10 points",
            rate <= chance + MARGIN + 1e-9, ", ".join(cued))


def keyed_as_chance(singled: list[tuple[CueItem, bool]]) -> tuple[bool, str, str]:
    """Is the number of items whose singled-out candidate is keyed inside the central 95 %
    of what chance gives (a Poisson-binomial law over the items' key shares, drawn with a
    fixed seed)? Returns (ok, observed "k of n", the band)."""
    observed = sum(keyed for _, keyed in singled)
    shares = np.array([len(i.key) / len(i.candidates) for i, _ in singled])
    rng = np.random.default_rng(SEED)
    null = (rng.random((DRAWS, len(shares))) < shares).sum(axis=1)
    low, high = np.quantile(null, [TAIL, 1 - TAIL])
    ok = float(np.mean(null <= observed)) >= TAIL and float(np.mean(null >= observed)) >= TAIL
    return (ok, f"{observed} of {len(singled)}",
            f"{low:.0f}-{high:.0f} (central 95 %; chance {shares.mean():.0%})")


def counts(item: CueItem, lexicon: tuple[str, ...] = ()) -> list[int]:
    stem = content_stems(item.stem)
    return [shared(stem, content_stems(c + " " + (lexicon[n] if lexicon else "")))
            for n, c in enumerate(item.candidates)]


def singled_row(check: str, single: list[tuple[CueItem, bool]], what: str) -> Row:
    """The row of a check on one singled-out option per item (`what` names it, e.g.
    "most-echoing"): keyed as often as chance, both ways, once enough items single one out."""
    if len(single) < MIN_SINGLED:
        return (check, f"{len(single)} items with one {what} option",
                f">= {MIN_SINGLED} to judge", True, "too few to judge")
    ok, value, band = keyed_as_chance(single)
    if ok:
        return (check, value, band, True, "")
    keyed = [i.id for i, k in single if k]
    expected = sum(len(i.key) / len(i.candidates) for i, _ in single)
    if len(keyed) < expected:
        return (check, value, band, False, f"the {what} option is a distractor in: "
                + ", ".join(i.id for i, k in single if not k))
    return (check, value, band, False, f"keyed and {what}: " + ", ".join(keyed))


def echo_rank_row(pool: CuePool) -> Row:
    """Is the one most-echoing candidate keyed as often as chance would have it?"""
    single = []
    for item in pool.items:
        shares = counts(item, pool.lexicon)
        top = max(shares)
        if top > 0 and shares.count(top) == 1:
            single.append((item, shares.index(top) in item.key))
    return singled_row("the option echoing the stem most is keyed as often as chance", single,
                       "most-echoing")
