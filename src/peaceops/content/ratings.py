"""Standard-setting ratings of the exam pool (modified Angoff): for every item, each
panelist's estimate of the probability that a MINIMALLY COMPETENT candidate answers it
correctly (for a scenario, the expected share of its points).

Two sources: a panel's ratings file (written by `peaceops bank standard-setting import`,
kept with the hidden keys), or the item writers' draft `angoff` of the keys file, one
"panelist", always provisional. A pass rule names its source in `cut_ratings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .course import EXAM_BANK, Course, Keys
from .errors import ContentError, ContentIssue
from .yamlfile import read_yaml

DRAFTS = "keys"  # `cut_ratings: keys`: the keys file's draft estimates


@dataclass(frozen=True)
class Ratings:
    panelists: tuple[str, ...]
    items: dict[str, tuple[float, ...]]  # exam bank item id -> one estimate per panelist
    provisional: bool
    source: str  # what they are, as the rule and the credential state it


def exam_items(course: Course) -> list[tuple[str, str]]:
    """(pool, id) of every exam-bank item, in bank order."""
    return [(pool, item_id) for pool, entries in course.pools.items()
            for item_id, entry in entries.items() if entry.bank == EXAM_BANK]


def draft_ratings(course: Course, keys: Keys,
                  floors: dict[str, float] | None = None) -> Ratings:
    """The item writers' draft estimates (`angoff` in the exam keys): provisional. With
    `floors` (item id -> the share of its points that random answers earn, for items with
    partial credit such as scenarios; see `grading.cut.drafts`), an item's estimate is
    floor + (1 - floor) x angoff: the borderline officer knows it with probability `angoff`,
    and otherwise still earns what a guess earns."""
    floors = floors or {}
    items = {}
    for pool, item_id in exam_items(course):
        angoff = keys.get(pool, {}).get(item_id, {}).get("angoff")
        if isinstance(angoff, int | float) and not isinstance(angoff, bool):
            floor = floors.get(item_id, 0.0)
            items[item_id] = (floor + (1 - floor) * float(angoff),)
    return Ratings(("item writers",), items, True,
                   "PROVISIONAL: the item writers' draft estimates, not a panel's")


def read_ratings(path: Path, where: str, course: Course) -> Ratings:
    """A panel's ratings file; ContentError naming the file and the item when bad."""
    issues: list[ContentIssue] = []
    data = read_yaml(path, where, issues, dict)
    if issues:
        raise ContentError(issues)
    panelists = data.get("panelists")
    if not isinstance(panelists, list) or len(panelists) < 2 or \
            not all(isinstance(p, str) and p for p in panelists):
        issues.append(ContentIssue(where, "", "panelists", "list at least two panelists"))
        panelists = []
    ratings = data.get("ratings") if isinstance(data.get("ratings"), dict) else {}
    wanted = {item_id for _, item_id in exam_items(course)}
    items = {}
    for item_id, values in ratings.items():
        if item_id not in wanted:
            issues.append(ContentIssue(where, str(item_id), "", "not an item of the exam bank"))
        elif not isinstance(values, list) or len(values) != len(panelists) or not all(
                isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1
                for v in values):
            issues.append(ContentIssue(where, item_id, "", "give one estimate from 0 to 1 per "
                                       "panelist, in the order of `panelists`"))
        else:
            items[item_id] = tuple(float(v) for v in values)
    for item_id in sorted(wanted - set(ratings)):
        issues.append(ContentIssue(where, item_id, "", "no ratings for this exam item"))
    if issues:
        raise ContentError(issues)
    date = data.get("date", "")
    return Ratings(tuple(panelists), items, bool(data.get("provisional", False)),
                   f"modified Angoff, a panel of {len(panelists)}" + (f", {date}" if date else ""))
