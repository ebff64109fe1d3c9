"""Each learner's language, from the course roster: one source shared by grading (the
feedback) and certify (the certificates).

The roster is the CSV an instructor imports with `nbgrader db student import` (which ignores
a column it does not know), with a `language` column: one row per learner, by nbgrader's
`id`. Its place is the course directory's (`CourseDir.roster_file`: roster.csv in the course
folder, kept out of git as learner data); an empty or missing value means the caller's
default (the grader's language, or certify's --language)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from .language import LANGUAGES

#: The roster's file in a course folder, and its columns: nbgrader's student id, the language.
FILE = "roster.csv"
ID, LANGUAGE = "id", "language"


class RosterError(ValueError):
    """A roster that cannot say a learner's language (the message names the file and row)."""


@dataclass(frozen=True)
class Roster:
    """Each learner's language as the roster gives it."""

    #: learner id -> (the roster's value, where it was read: "roster.csv, row 3")
    entries: dict[str, tuple[str, str]] = field(default_factory=dict)

    def language(self, student: str, default: str) -> str:
        """The learner's language, else `default`; `RosterError` (for this learner only)
        naming the learner, the value and its row when it is not a language of the course."""
        value, where = self.entries.get(student, ("", ""))
        if not value.strip():
            return default
        code = value.strip().lower()
        if code not in LANGUAGES:
            raise RosterError(
                f"{student}'s language is {value!r} ({where}), not a language of the "
                f"course: set it to one of {', '.join(LANGUAGES)} (or leave it empty for "
                f"the default, now {default})")
        return code


def read_roster(path: Path | str, required: bool = True) -> Roster:
    """The `language` column of a roster CSV; `RosterError` naming the file (and row) when
    it cannot be read as one. Not `required` (the course's own roster.csv, which may be a
    plain `nbgrader db student import` file): a file without a `language` column gives no
    learner a language."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            columns = [(c or "").strip() for c in reader.fieldnames or []]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise RosterError(f"cannot read the roster {path}: {error}") from error
    if not required and LANGUAGE not in columns:
        return Roster()
    missing = [c for c in (ID, LANGUAGE) if c not in columns]
    if missing:
        raise RosterError(
            f"the roster {path} has no column {' and no column '.join(missing)}: it needs "
            f"'{ID}' (the learner id, as for `nbgrader db student import`) and '{LANGUAGE}' "
            f"({' or '.join(LANGUAGES)}; empty: the default)")
    entries: dict[str, tuple[str, str]] = {}
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        row = {(k or "").strip(): (v or "") for k, v in row.items()}
        student = row[ID].strip()
        if not student:
            continue
        where = f"{path.name}, row {n}"
        if student in entries and entries[student][0].strip() != row[LANGUAGE].strip():
            raise RosterError(
                f"the roster {path} gives {student} two languages ({entries[student][1]}: "
                f"{entries[student][0]!r}; {where}: {row[LANGUAGE]!r}): keep one row")
        entries[student] = (row[LANGUAGE], where)
    return Roster(entries)


__all__ = ["FILE", "Roster", "RosterError", "read_roster"]
