"""Trusted grading: scores come from the saved answers, computed outside the learner's kernel.

The public face: `grade` (what `peaceops grade` runs), `CohortGrader`, `find_submissions`,
`Submission`, `Outcome`, `RunSummary`, `grader_lock` and `GraderBusy`. Behind it, one idea
per module:

- `cohort`: one run (`grade`); `discovery`: finding collected submissions; `pipeline`: one
  submission graded up to the gradebook, in steps; `batch`: the batch transaction (gradebook,
  then ledger, then folders); `workers`: the worker pool; `folders`: listing submitted/ and
  swapping autograded folders in whole; `summary`: what a run did; `lock`: one grader at a
  time; `cli`: the `peaceops grade` verb;
- `submission`: grade one submission (shared by both graders); `nbgrader`: the
  `TrustedGrade`, `FlagForReview` and `RecordAttempt` preprocessors `nbgrader autograde` runs;
- `gradebook`: the one module that writes grades as nbgrader's preprocessors do;
  `attempts`: the attempts ledger (written here, read by `peaceops.results`); `intake`: the
  one safe reader of a submission's files; `safe_text`: learner text made safe to show;
- `notebooks`: the nbgrader source notebooks (`peaceops generate-sources`).

The read side (a cohort's results as tables) is `peaceops.results`, which needs none of this.
The API is imported on first use, so `peaceops --help` stays quick."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cohort import CohortGrader, grade
    from .discovery import Submission, find_submissions
    from .lock import GraderBusy, grader_lock
    from .pipeline import Outcome
    from .summary import RunSummary

_WHERE = {"CohortGrader": "cohort", "grade": "cohort", "Submission": "discovery",
          "find_submissions": "discovery", "GraderBusy": "lock", "grader_lock": "lock",
          "Outcome": "pipeline", "RunSummary": "summary"}
__all__ = ["CohortGrader", "GraderBusy", "Outcome", "RunSummary", "Submission",
           "find_submissions", "grade", "grader_lock"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        from importlib import import_module

        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(name)
