"""Each learner's certificate language: a `language` column of the course roster (the CSV
of `nbgrader db student import`, which ignores a column it does not know), else the
language `peaceops certify --language` gives for everyone else (default: English)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from ..content.language import DEFAULT, LANGUAGES
from ..credentials.errors import CertifyError

#: The roster's columns: nbgrader's student id, and the certificate's language.
ID, LANGUAGE = "id", "language"


@dataclass(frozen=True)
class Languages:
    """Who gets a certificate in which language."""

    default: str = DEFAULT
    #: learner id -> (the roster's value, where it was read: "roster.csv, row 3")
    roster: dict[str, tuple[str, str]] = field(default_factory=dict)

    def __post_init__(self):
        if self.default not in LANGUAGES:
            raise CertifyError(f"--language {self.default!r} is not a language of the "
                               f"certificates: use one of {', '.join(LANGUAGES)}")

    def of(self, student: str) -> str:
        """The learner's language; `CertifyError` (for this learner only) naming the learner
        and the value when the roster gives one the certificates are not issued in."""
        value, where = self.roster.get(student, ("", ""))
        if not value.strip():
            return self.default
        code = value.strip().lower()
        if code not in LANGUAGES:
            raise CertifyError(
                f"{student}'s language is {value!r} ({where}), not a language of the "
                f"certificates: set it to one of {', '.join(LANGUAGES)} (or leave it empty "
                f"for --language, now {self.default}), then run certify again")
        return code


def read_roster(path: Path | str, default: str = DEFAULT) -> Languages:
    """The `language` column of a roster CSV (one row per learner, by nbgrader's `id`);
    `CertifyError` naming the file (and row) when it cannot be read as one."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            columns = [(c or "").strip() for c in reader.fieldnames or []]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise CertifyError(f"cannot read the roster {path}: {error}") from error
    missing = [c for c in (ID, LANGUAGE) if c not in columns]
    if missing:
        raise CertifyError(
            f"the roster {path} has no column {' and no column '.join(missing)}: it needs "
            f"'{ID}' (the learner id, as for `nbgrader db student import`) and '{LANGUAGE}' "
            f"({' or '.join(LANGUAGES)}; empty: --language)")
    roster: dict[str, tuple[str, str]] = {}
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        row = {(k or "").strip(): (v or "") for k, v in row.items()}
        student = row[ID].strip()
        if not student:
            continue
        where = f"{path.name}, row {n}"
        if student in roster and roster[student][0].strip() != row[LANGUAGE].strip():
            raise CertifyError(
                f"the roster {path} gives {student} two languages ({roster[student][1]}: "
                f"{roster[student][0]!r}; {where}: {row[LANGUAGE]!r}): keep one row")
        roster[student] = (row[LANGUAGE], where)
    return Languages(default, roster)
