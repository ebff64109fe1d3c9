"""Errors raised for bad course content: each names the file, the row and the field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


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


class Say:
    """Records the problems of one row of one file: `say(field, message)`. The one
    validation style of the content layer: every reader and every kind reports through it."""

    def __init__(self, issues: list[ContentIssue], where: str, row: str):
        self.issues, self.where, self.row = issues, where, row
        self.start = len(issues)

    def __call__(self, field: str, message: str) -> None:
        self.issues.append(ContentIssue(self.where, self.row, field, message))

    @property
    def ok(self) -> bool:
        """No problem was recorded for this row since the reporter was made."""
        return len(self.issues) == self.start

    def text(self, entry: dict, name: str) -> str:
        """A required text field, whitespace-normalised ("" and a problem if missing)."""
        value = entry.get(name)
        if not isinstance(value, str) or not value.strip():
            self(name, "missing or empty text")
            return ""
        return " ".join(value.split())

    def optional_text(self, entry: dict, name: str) -> str:
        value = entry.get(name, "")
        if value is None:
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self(name, "must be text")
            return ""
        return " ".join(str(value).split())

    def one_of(self, value: Any, allowed: tuple[str, ...] | set[str], name: str,
               what: str = "value") -> bool:
        if value not in allowed:
            self(name, f"unknown {what} '{value}'; use one of {', '.join(sorted(allowed))}")
            return False
        return True
