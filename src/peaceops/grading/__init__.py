"""Trusted grading: scores come from the saved answers, computed outside the learner's kernel.

- `submission`: grade one submission (shared by both graders);
- `nbgrader`: the `TrustedGrade`, `FlagForReview` and `RecordAttempt` preprocessors that
  `nbgrader autograde` runs;
- `cohort` and `cli`: the `peaceops grade` verb (no kernel, straight into the gradebook);
- `gradebook`: the one module that writes grades as nbgrader's preprocessors do;
- `report`: the per-submission grading report; `attempts`: the attempts ledger;
- `intake`: the one safe reader of a submission's files; `folders`: what in submitted/ is
  graded, and why the rest is not; `safe_text`: learner text made safe to show;
- `results`: a cohort's results as tables (for report, export and certify).

The API is imported on first use, so `peaceops --help` stays quick."""

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
