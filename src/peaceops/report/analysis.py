"""Everything the report shows, as tables: `analyse(results)` runs the statistics once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from ..results import Results
from . import stats


@dataclass(frozen=True)
class Thresholds:
    """When an item is flagged (defaults: the named constants of `stats`)."""

    too_easy: float = stats.TOO_EASY
    too_hard: float = stats.TOO_HARD
    low_discrimination: float = stats.LOW_DISCRIMINATION
    min_n: int = stats.MIN_N_DISCRIMINATION
    min_n_facility: int = stats.MIN_N_FACILITY


@dataclass
class Analysis:
    """The report's content. Tables have the columns of `stats.*_COLUMNS`."""

    scores: pd.DataFrame
    assignments: pd.DataFrame
    items: pd.DataFrame
    wrong_roles: pd.DataFrame
    confusion: pd.DataFrame
    role_names: dict[str, str]
    pass_percent: float
    thresholds: Thresholds
    n_learners: int
    generated: str = field(default_factory=lambda: datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))

    @property
    def empty(self) -> bool:
        return self.scores.empty

    @property
    def flagged(self) -> pd.DataFrame:
        """The flagged items, keys to check first, then by assignment and item."""
        rows = self.items[self.items["flags"] != ""]
        return rows.sort_values(["check_key", "assignment", "item"],
                                ascending=[False, True, True], ignore_index=True)


def _course_tables(course: Any) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """Role names, role-item statements and the order of the core roles, from the content."""
    if course is None:
        from ..content import load_course

        course = load_course()
    roles = course.roles
    names = dict(zip(roles["id"], roles["name"], strict=True))
    core = list(roles.loc[roles["team"] == "core", "id"]) if "team" in roles else list(names)
    pools = getattr(course, "pools", {}) or {}
    statements = {i: e.public["statement"] for i, e in pools.get("roles", {}).items()}
    return names, statements, core


def analyse(
    results: Results,
    pass_percent: float = 75.0,
    course: Any = None,
    thresholds: Thresholds | None = None,
) -> Analysis:
    """Compute every table of the report for `results`; `course` (default: `load_course()`)
    supplies role names and the statements of role items."""
    thresholds = thresholds or Thresholds()
    names, statements, core = _course_tables(course)
    assignments = results.assignments or {}
    scored = stats.scorable(results.items)  # each once: several tables are made of them
    answers = stats.role_answers(results.items)
    items = stats.flag_items(
        stats.item_statistics(results.items, scored=scored),
        thresholds.too_easy,
        thresholds.too_hard,
        thresholds.low_discrimination,
        thresholds.min_n,
        thresholds.min_n_facility,
    )
    table = stats.scores(results.submissions, pass_percent)
    summary = stats.assignment_summary(
        results.submissions,
        results.items,
        pass_percent,
        titles={k: a.title for k, a in assignments.items()},
        certification=[k for k, a in assignments.items() if a.certification],
        scored=scored,
    )
    confusion = stats.role_confusion(results.items, core, answers=answers)
    return Analysis(
        scores=table,
        assignments=summary,
        items=items[stats.ITEM_COLUMNS],
        wrong_roles=stats.wrong_roles(results.items, names, statements, answers=answers),
        confusion=confusion if confusion.to_numpy().sum() else confusion.iloc[0:0, 0:0],
        role_names=names,
        pass_percent=pass_percent,
        thresholds=thresholds,
        n_learners=int(table["student"].nunique()),
    )
