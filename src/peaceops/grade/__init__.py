"""`peaceops grade`: grade collected submissions from their answers files, into the gradebook.

The API is in `cohort` (imported on first use, so `peaceops --help` stays quick)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cohort import CohortGrader, Outcome, Submission, Summary, find_submissions, grade

__all__ = ["CohortGrader", "Outcome", "Submission", "Summary", "find_submissions", "grade"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import cohort

        return getattr(cohort, name)
    raise AttributeError(name)
