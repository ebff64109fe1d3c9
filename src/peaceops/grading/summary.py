"""What one run of `peaceops grade` did (`RunSummary`): counts, mean scores and the flagged
and failed submissions, tallied as each outcome becomes final."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pipeline import Outcome


@dataclass
class RunSummary:
    """What a run did: counts, mean scores and the flagged and failed submissions, tallied
    as each outcome becomes final (a graded one when its batch commits). `outcomes` lists
    every outcome, in submission order, only when `keep` is true (the API's default); the
    CLI keeps none, so grading a cohort holds no state per submission."""

    outcomes: list[Outcome] = field(default_factory=list)
    keep: bool = True
    # what in submitted/ is not a submission the graders read: (path, why), listed
    passed_over: list[tuple[str, str]] = field(default_factory=list)
    flagged: list[Outcome] = field(default_factory=list, init=False)
    errors: list[Outcome] = field(default_factory=list, init=False)
    _counts: Counter = field(default_factory=Counter, init=False, repr=False)
    # assignment -> [graded or unchanged, sum of score shares, number of shares, flagged]
    _tally: dict[str, list] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for outcome in self.outcomes:  # outcomes given already final
            self.tally(outcome)

    def tally(self, outcome: Outcome) -> None:
        """Count a final outcome."""
        self._counts[outcome.status] += 1
        if outcome.status == "error":
            self.errors.append(outcome)
            return
        if outcome.flags:
            self.flagged.append(outcome)
        mine = self._tally.setdefault(outcome.submission.assignment, [0, 0.0, 0, 0])
        mine[0] += 1
        if outcome.max_score:
            mine[1] += outcome.score / outcome.max_score
            mine[2] += 1
        mine[3] += bool(outcome.flags)

    @property
    def total(self) -> int:
        """Submissions seen (graded, unchanged or not graded)."""
        return sum(self._counts.values())

    def count(self, status: str) -> int:
        return self._counts[status]

    def per_assignment(self) -> list[str]:
        """One line per assignment: submissions graded now or unchanged, mean score, flagged."""
        lines = []
        for assignment, (graded, shares, n_shares, flagged) in sorted(self._tally.items()):
            mean = f"{100 * shares / n_shares:.1f} %" if n_shares else "n/a"
            lines.append(f"  {assignment}: {graded} graded, mean {mean}, "
                         f"{flagged} flagged for review")
        return lines
