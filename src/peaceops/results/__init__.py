"""A cohort's graded results, read: the room `report`, `export` and `certify` read from,
which needs nothing of `peaceops.grading` (the room that writes them).

- `tables`: `load_results` (the gradebook, each submission's record and the attempts ledger
  as tidy tables: `Results`) and `read_attempts`;
- `record`: the submission record (`peaceops-grading.json`, `SubmissionRecord`), the one
  typed format both graders write and the tables read;
- `attempt_ledger`: the attempts ledger's lines, read (`peaceops.grading.attempts` appends them);
- `gradebook_tables`: nbgrader's gradebook read with SQLAlchemy Core, without nbgrader.

The API is imported on first use (pandas only when a table is asked for)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .record import SubmissionRecord
    from .tables import (
        ATTEMPT_COLUMNS,
        ITEM_COLUMNS,
        STUDENT_COLUMNS,
        SUBMISSION_COLUMNS,
        Results,
        load_results,
        read_attempts,
    )

_WHERE = {"Results": "tables", "load_results": "tables", "read_attempts": "tables",
          "ATTEMPT_COLUMNS": "tables", "ITEM_COLUMNS": "tables", "STUDENT_COLUMNS": "tables",
          "SUBMISSION_COLUMNS": "tables", "SubmissionRecord": "record"}
__all__ = ["ATTEMPT_COLUMNS", "ITEM_COLUMNS", "STUDENT_COLUMNS", "SUBMISSION_COLUMNS",
           "Results", "SubmissionRecord", "load_results", "read_attempts"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        from importlib import import_module

        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(name)
