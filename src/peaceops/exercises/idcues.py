"""Ids against keys: an item's id, or its place among the pool's ids, must not predict its key.

Ids reach candidates (answers file, page, payload), so keys in blocks or in exact
alternation by id, and an id that names its key, give answers away (issue 24)."""

from __future__ import annotations

import re

import numpy as np

from .findings import CuePool, Row
from .words import content_stems, same_word, stem

PERMUTATIONS = 4000  # random orders of the null distribution
SHUFFLES = 200  # id shuffles estimating the chance of an id word
SEED = 24  # every random draw of the audit is seeded: the same figures on every run
TAIL = 0.025  # each tail of the central 95 %
MARGIN = 0.10  # over chance allowed (10 points)


def natural(item_id: str) -> tuple:
    """Sort key that orders x-role-2 before x-role-10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", item_id))


def adjacent_shared(labels: list) -> int:
    """Adjacent pairs of `labels` that are equal."""
    return sum(a == b for a, b in zip(labels, labels[1:], strict=False))


def adjacency(ids: list[str], labels: list, order: str) -> Row:
    """Count neighbours sharing a key in this order of the items, against random orders: the
    count must lie in the central 95 % (fewer means alternation, more means blocks)."""
    codes = {label: n for n, label in enumerate(dict.fromkeys(labels))}
    observed = adjacent_shared(labels)
    coded = np.array([codes[label] for label in labels])
    rng = np.random.default_rng(SEED)
    perms = rng.permuted(np.tile(coded, (PERMUTATIONS, 1)), axis=1)
    counts = (perms[:, 1:] == perms[:, :-1]).sum(axis=1)
    low, high = np.quantile(counts, [TAIL, 1 - TAIL])
    below, above = float(np.mean(counts <= observed)), float(np.mean(counts >= observed))
    ok = below >= TAIL and above >= TAIL
    detail = f"random orders: mean {counts.mean():.1f}"
    if not ok:
        if above < TAIL:
            pairs = [f"{a}+{b}" for a, b, x, y in zip(ids, ids[1:], labels, labels[1:],
                                                      strict=False) if x == y]
            detail += "; keys in blocks: " + ", ".join(pairs)
        else:
            detail += "; keys alternate: " + ", ".join(ids)
    return (f"ids vs keys: neighbours sharing a key, {order}", str(observed),
            f"{low:.0f}-{high:.0f} (central 95 %)", ok, detail)


def adjacency_rows(pool: CuePool) -> list[Row]:
    """The adjacency check by id and by place in the file (none for unordered pools)."""
    if not pool.ordered or len(pool.items) < 3:
        return []
    labels = {i.id: i.key for i in pool.items}
    by_id = sorted(labels, key=natural)
    by_file = [i.id for i in pool.items]
    return [adjacency(by_id, [labels[i] for i in by_id], "ordered by id"),
            adjacency(by_file, [labels[i] for i in by_file], "in file order")]


def id_words(item_id: str) -> set[str]:
    """The words of an id (split on - and _), stemmed; numbers and letters alone dropped."""
    return {stem(w) for w in re.split(r"[-_\s]+", item_id.lower())
            if len(w) > 1 and w.isalpha()}


def _words(candidate: str) -> set[str]:
    return content_stems(candidate) | id_words(candidate)


def telling(words: set[str], keyed: set[str], others: set[str]) -> set[str]:
    """The `words` of an id found in a keyed candidate's words and in no other's."""
    return {w for w in words
            if any(same_word(w, k) for k in keyed) and not any(same_word(w, o) for o in others)}


def id_word_row(pool: CuePool) -> Row:
    """Share of items whose id holds a word of its key and of no distractor, against the
    same share with ids shuffled across the items (chance)."""
    items = pool.items
    ids = [id_words(i.id) for i in items]
    sides = []
    for item in items:
        words = [_words(c) for c in item.candidates]
        sides.append((set().union(*(words[k] for k in item.key)),
                      set().union(*(w for n, w in enumerate(words) if n not in item.key))))
    # tells[j, i]: the id of item j names the key of item i
    tells = np.array([[bool(telling(mine, *side)) for side in sides] for mine in ids])
    named = {i.id: telling(ids[n], *sides[n]) for n, i in enumerate(items)
             if tells[n, n]}
    rate = len(named) / len(items)
    rng = np.random.default_rng(SEED)
    columns = np.arange(len(items))
    chance = float(np.mean([tells[rng.permutation(len(items)), columns].mean()
                            for _ in range(SHUFFLES)]))
    ok = rate <= chance + MARGIN + 1e-9
    detail = "; ".join(f"{i}: {', '.join(sorted(w))}" for i, w in named.items())
    return ("ids vs keys: id words naming the key", f"{rate:.0%} ({len(named)} of {len(items)})",
            f"<= chance {chance:.0%} + 10 points", ok, detail)
