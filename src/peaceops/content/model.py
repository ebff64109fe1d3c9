"""Typed records for the YAML content: scenarios and practice checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from .bank import Bank


@dataclass(frozen=True)
class Scenario:
    """A fictional situation in which the learner weighs the peacekeeping principles."""

    id: str
    title: str
    section: str
    situation: str
    at_stake: tuple[str, ...]
    decisive: str
    key: dict[str, tuple[int, int]]  # principle -> inclusive (low, high) weight range
    rationale: dict[str, str]
    fictional: bool = True


@dataclass(frozen=True)
class Check:
    """A practice exercise of one lesson ("check your understanding")."""

    id: str
    lesson: str
    kind: str
    source: str
    hint: str = ""
    explanation: str = ""
    prompt: str = ""
    options: tuple[str, ...] = ()
    correct: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    scenario: str = ""


@dataclass(frozen=True)
class Course:
    """All course content, validated. Tables are pandas DataFrames of strings."""

    tables: dict[str, pd.DataFrame]
    scenarios: dict[str, Scenario]
    checks: dict[str, Check] = field(default_factory=dict)
    bank: Bank | Any = None  # the public part of the graded item bank

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    def role_name(self, role_id: str) -> str:
        names = self.__dict__.get("_role_names")
        if names is None:  # a dict once, not a pandas lookup per item (grading calls this a lot)
            roles = self.tables["roles"]
            names = dict(zip(roles["id"], roles["name"].astype(str), strict=True))
            object.__setattr__(self, "_role_names", names)
        return names[role_id]
