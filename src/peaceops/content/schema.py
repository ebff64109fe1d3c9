"""Declarative schemas of the CSV tables in data/ (documented in data/README.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    allowed: tuple[str, ...] = ()  # closed vocabulary, if any
    ref: str = ""  # "table.column" this value must exist in
    optional: bool = False


@dataclass(frozen=True)
class Table:
    name: str  # file stem in data/
    key: str  # unique id column
    columns: tuple[Column, ...]
    min_rows: int = 1
    cited: bool = True  # has a `source` column that must be a valid citation

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


TABLES: tuple[Table, ...] = (
    Table("lessons", "id", (Column("id"), Column("title"), Column("source"))),
    Table(
        "roles",
        "id",
        (
            Column("id"),
            Column("name"),
            Column("abbreviation"),
            Column("component", allowed=("civilian", "uniformed")),
            Column("team", allowed=("core", "reinforcing")),
            Column("source"),
        ),
    ),
    Table(
        "responsibilities",
        "id",
        (Column("id"), Column("statement"), Column("role"), Column("source"),
         Column("rationale")),  # role: see its kind
    ),
    Table(
        "principles", "id", (Column("id"), Column("name"), Column("definition"), Column("source"))
    ),
    Table("considerations", "id", (Column("id"), Column("consideration"), Column("source")), 8),
    Table("political_process", "id", (Column("id"), Column("activity"), Column("source"))),
    Table(
        "leadership_characteristics",
        "id",
        (Column("id"), Column("characteristic"), Column("description"), Column("source")),
        8,
    ),
    Table(
        "glossary",
        "term",
        (Column("term"), Column("expansion"), Column("definition"), Column("source")),
    ),
    Table(
        "polarities",
        "id",
        (
            Column("id"),
            Column("challenge"),
            Column("kind", allowed=("problem", "polarity")),
            Column("explanation"),
            Column("source"),
        ),
    ),
)

#: The principles a leader weighs every decision against (1.1.1; Capstone Doctrine).
PRINCIPLES: tuple[str, ...] = (
    "consent",
    "impartiality",
    "non_use_of_force",
    "legitimacy",
    "credibility",
    "ownership",
)
WEIGHTS: dict[int, str] = {0: "not at stake", 1: "relevant", 2: "important", 3: "decisive"}
#: Levels of a graded item (the exam blueprint) and its review status.
LEVELS: tuple[str, ...] = ("recall", "apply", "analyse")
REVIEW: tuple[str, ...] = ("draft", "reviewed")
