"""Stem overlap: does the key echo the stem's wording more often than chance?

For each item, count the content words (stemmed, function words removed) each candidate
shares with the stem; the item is cued when a keyed candidate shares more than every
distractor. Chance is the mean share of keyed candidates, 1/#options for one key."""

from __future__ import annotations

from .audit import CueItem, CuePool, Row
from .words import content_stems, same_word

MARGIN = 0.10


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
