"""Errors raised for bad course content: each names the file, the row and the field."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContentIssue:
    """One problem in one place of one content file."""

    file: str
    row: str  # "line 7" for CSV, "entry 3 (id 'x')" for YAML, "" for the whole file
    field: str
    message: str

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.file, self.row) if part)
        field = f", field '{self.field}'" if self.field else ""
        return f"{where}{field}: {self.message}"


class ContentError(ValueError):
    """Course content failed validation; `issues` lists every problem found."""

    def __init__(self, issues: list[ContentIssue]):
        self.issues = list(issues)
        lines = "\n".join(f"  - {issue}" for issue in self.issues)
        super().__init__(f"{len(self.issues)} problem(s) in the course content:\n{lines}")
