"""Read and validate the CSV tables of data/ (with pandas)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .errors import ContentIssue
from .schema import PRINCIPLES, TABLES, Table
from .sources import bad_citation

# --- CSV tables ---------------------------------------------------------------------------


def read_table(directory: Path, table: Table, issues: list[ContentIssue]) -> pd.DataFrame:
    path = directory / table.filename
    where = f"data/{table.filename}"
    empty = pd.DataFrame(columns=[c.name for c in table.columns])
    if not path.is_file():
        issues.append(ContentIssue(where, "", "", "file not found; restore it from git"))
        return empty
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        issues.append(ContentIssue(where, "", "", f"not valid CSV ({exc}); check quoting"))
        return empty
    missing = [c.name for c in table.columns if c.name not in frame.columns]
    if missing:
        issues.append(
            ContentIssue(where, "line 1", missing[0], f"missing column(s) {missing} in the header")
        )
        return empty
    frame = frame.map(lambda value: value.strip() if isinstance(value, str) else value)
    if len(frame) < table.min_rows:
        issues.append(
            ContentIssue(where, "", "", f"needs at least {table.min_rows} rows, has {len(frame)}")
        )
    seen: dict[str, int] = {}
    for index, row in frame.iterrows():
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


def check_references(tables: dict[str, pd.DataFrame], issues: list[ContentIssue]) -> None:
    for table in TABLES:
        for column in table.columns:
            if not column.ref:
                continue
            target_table, target_column = column.ref.split(".")
            known = set(tables[target_table][target_column])
            for index, value in tables[table.name][column.name].items():
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


def read_tables(directory: Path, issues: list[ContentIssue]) -> dict[str, pd.DataFrame]:
    """Every CSV table of `directory`, validated, with cross-table references checked."""
    tables = {table.name: read_table(directory, table, issues) for table in TABLES}
    check_references(tables, issues)
    return tables
