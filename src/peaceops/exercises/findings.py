"""What a kind's `audit` hook reports, and the statistics the hooks share (pure, no SciPy).

A graded item must not give its answer away by its form: the key's position, its length, a
word that only one class of items uses, too few options, "all/none of the above". A kind
also describes its items as `CueItem`s (`Kind.cues`), on which the bank-level checks of
`cues` look for keys given away by ids, form or wording shared with the stem."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

#: Limits of the bank audit.
P_UNIFORM = 0.05  # key position: chi-square p below this fails
MAX_LONGEST = 0.40  # share of single-choice keys that are the longest option
MIN_OPTIONS = 4  # options of a single-choice question
ABOVE = re.compile(r"\b(all|none) of the (above|options|answers)\b", re.I)


#: One audited figure as a hook reports it: (check, value, limit, ok, detail).
Row = tuple[str, str, str, bool, str]


@dataclass(frozen=True)
class CueItem:
    """An item as the form audits see it: the text a candidate reads, the answers offered
    (a role's names, a principle's name, an option) and which of them are keyed."""

    id: str
    stem: str
    candidates: tuple[str, ...]
    key: frozenset[int]  # indices of the keyed candidates


@dataclass(frozen=True)
class CuePool:
    """One pool's items in file order. `fixed`: every item offers the same candidates (a
    class label: role, kind, principle), else each item has its own options. `ordered`:
    neighbouring items sharing a key means something (not for options shuffled per
    learner). `lexicon`: extra cue words per fixed candidate, for the stem-overlap check.
    `story`: each stem is a situation to weigh, not an answer's wording (scenarios)."""

    items: tuple[CueItem, ...]
    fixed: bool
    ordered: bool = True
    lexicon: tuple[str, ...] = ()
    story: bool = False


@dataclass(frozen=True)
class Finding:
    """One audited figure of one pool of one bank."""

    bank: str
    pool: str
    check: str
    value: str
    limit: str = ""
    ok: bool = True
    detail: str = ""
    enforced: bool = True  # False: a failure only warns (see bank.policy)

    @property
    def status(self) -> str:
        return "ok" if self.ok else ("FAIL" if self.enforced else "warn")


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z][a-z'-]*", text.lower()))


def class_words(texts_by_class: dict[str, list[str]]) -> dict[str, set[str]]:
    """Words that appear in every text of one class and in none of another class."""
    sets = {c: [words(t) for t in texts] for c, texts in texts_by_class.items() if texts}
    cues = {}
    for c, mine in sets.items():
        common = set.intersection(*mine)
        others = set().union(*(w for o, ws in sets.items() if o != c for w in ws))
        if found := common - others:
            cues[c] = found
    return cues


def share(flags: Iterable[bool]) -> float:
    flags = list(flags)
    return sum(flags) / len(flags) if flags else 0.0


def chi2_sf(x: float, df: int) -> float:
    """P(X >= x) for a chi-square variable with `df` degrees of freedom (regularized upper
    incomplete gamma function, by its power series)."""
    if df <= 0:
        return 1.0
    if x <= 0:
        return 1.0
    a, half = df / 2, x / 2
    term = total = 1 / a
    n = 1
    while n < 10_000:
        term *= half / (a + n)
        total += term
        if term < total * 1e-15:
            break
        n += 1
    lower = math.exp(a * math.log(half) - half - math.lgamma(a)) * total
    return min(1.0, max(0.0, 1 - lower))


def uniform_positions(keys: list[tuple[int, int]]) -> tuple[float, float, list[int]]:
    """Is the key's position uniform over the options? `keys`: (key position, number of
    options) per item. Returns (chi-square, p-value, observed counts per position)."""
    if not keys:
        return 0.0, 1.0, []
    width = max(k for _, k in keys)
    observed = [0] * width
    expected = [0.0] * width
    for position, options in keys:
        observed[position] += 1
        for j in range(options):
            expected[j] += 1 / options
    cells = [(o, e) for o, e in zip(observed, expected, strict=True) if e > 0]
    chi2 = sum((o - e) ** 2 / e for o, e in cells)
    return chi2, chi2_sf(chi2, len(cells) - 1), observed
