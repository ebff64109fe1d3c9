"""Read and validate the CSV tables of data/ with the standard library's csv module.

The learner's kernel loads the course to show an exercise, so this reads no pandas: a table
is `Rows` (strings, stripped); `Rows.frame()` gives it as a pandas DataFrame to the tools
that analyse it (lessons' rendered tables, reports, figures)."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import ContentIssue
from .schema import PRINCIPLES, TABLES, Table
from .sources import bad_citation

if TYPE_CHECKING:
    import pandas as pd


class Rows(Sequence[dict[str, str]]):
    """A table read from CSV: its header and its rows, each a {column: stripped string}.
    `rows["id"]` is a column's values, in order (as a pandas column would give them)."""

    def __init__(self, columns: Sequence[str], rows: Sequence[dict[str, str]] = ()):
        self.columns = tuple(columns)
        self._rows = tuple(rows)

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[dict[str, str]]:
        return iter(self._rows)

    def __getitem__(self, key):  # a column's values by name, else a row (or rows) by position
        if isinstance(key, str):
            if key not in self.columns:
                raise KeyError(key)
            return [row[key] for row in self._rows]
        return self._rows[key]

    def __contains__(self, column: object) -> bool:  # as for a DataFrame: a column name
        return column in self.columns

    def frame(self) -> pd.DataFrame:
        """The table as pandas reads it (`read_csv(dtype=str, keep_default_na=False)`,
        stripped): a column of strings each, index 0..n-1. Imports pandas."""
        import pandas as pd

        return pd.DataFrame({c: pd.Series([row[c] for row in self._rows], dtype=str)
                             for c in self.columns}, columns=list(self.columns))


def _read_csv(path: Path) -> Rows:
    """Rows of a CSV file (utf-8, a byte-order mark allowed); blank lines are skipped, a
    short row is padded with empty values; ValueError names a line with too many fields."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = [row for row in csv.reader(handle, skipinitialspace=True, strict=True)
                 if row and (len(row) > 1 or row[0].strip())]
    if not lines:
        return Rows(())
    header, body = lines[0], lines[1:]
    rows = []
    for n, values in enumerate(body, start=2):
        if len(values) > len(header):
            raise ValueError(f"line {n} has {len(values)} fields, the header {len(header)}")
        values = [v.strip() for v in values] + [""] * (len(header) - len(values))
        rows.append(dict(zip(header, values, strict=True)))
    return Rows(header, rows)


# --- CSV tables ---------------------------------------------------------------------------


def read_table(directory: Path, table: Table, issues: list[ContentIssue]) -> Rows:
    path = directory / table.filename
    where = f"data/{table.filename}"
    empty = Rows([c.name for c in table.columns])
    if not path.is_file():
        issues.append(ContentIssue(where, "", "", "file not found; restore it from git"))
        return empty
    try:
        frame = _read_csv(path)
    except (csv.Error, ValueError, UnicodeDecodeError) as exc:
        issues.append(ContentIssue(where, "", "", f"not valid CSV ({exc}); check quoting"))
        return empty
    missing = [c.name for c in table.columns if c.name not in frame.columns]
    if missing:
        issues.append(
            ContentIssue(where, "line 1", missing[0], f"missing column(s) {missing} in the header")
        )
        return empty
    if len(frame) < table.min_rows:
        issues.append(
            ContentIssue(where, "", "", f"needs at least {table.min_rows} rows, has {len(frame)}")
        )
    seen: dict[str, int] = {}
    for index, row in enumerate(frame):
        line = f"line {int(index) + 2}"  # header is line 1
        for column in table.columns:
            value = row[column.name]
            if not value and not column.optional:
                message = (
                    bad_citation(value)
                    if column.name == "source"
                    else "empty; every row needs a value here"
                )
                issues.append(ContentIssue(where, line, column.name, str(message)))
                continue
            if column.allowed and value not in column.allowed:
                issues.append(
                    ContentIssue(
                        where,
                        line,
                        column.name,
                        f"'{value}' is not allowed; use one of {', '.join(column.allowed)}",
                    )
                )
            if column.name == "source" and value and (problem := bad_citation(value)):
                issues.append(ContentIssue(where, line, "source", problem))
        key = row[table.key]
        if key in seen:
            issues.append(
                ContentIssue(
                    where,
                    line,
                    table.key,
                    f"duplicate {table.key} '{key}' (first on line {seen[key]}); make ids unique",
                )
            )
        elif key:
            seen[key] = int(index) + 2
    return frame


def check_references(tables: dict[str, Rows], issues: list[ContentIssue]) -> None:
    for table in TABLES:
        for column in table.columns:
            if not column.ref:
                continue
            target_table, target_column = column.ref.split(".")
            known = set(tables[target_table][target_column])
            for index, value in enumerate(tables[table.name][column.name]):
                if value and value not in known:
                    issues.append(
                        ContentIssue(
                            f"data/{table.filename}",
                            f"line {int(index) + 2}",
                            column.name,
                            f"unknown {target_table[:-1]} '{value}'; use one of "
                            f"{', '.join(sorted(known))} or add it to data/{target_table}.csv",
                        )
                    )
    principles = set(tables["principles"]["id"])
    if principles and principles != set(PRINCIPLES):
        issues.append(
            ContentIssue(
                "data/principles.csv",
                "",
                "id",
                f"the principles must be exactly {', '.join(PRINCIPLES)}; found "
                f"{', '.join(sorted(principles))}",
            )
        )


def read_tables(directory: Path, issues: list[ContentIssue]) -> dict[str, Rows]:
    """Every CSV table of `directory`, validated, with cross-table references checked."""
    tables = {table.name: read_table(directory, table, issues) for table in TABLES}
    check_references(tables, issues)
    return tables
