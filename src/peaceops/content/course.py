"""The content model: every item a kind reads is an `Entry`, every exercise a `Spec`.

A practice row (responsibilities.csv), a practice check's question, a practice scenario and a
graded bank item are all entries of a pool; practice entries carry their key, graded ones
get it only from the hidden keys file (`Course.with_keys`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the learner's kernel loads the course without pandas (tables are Rows)
    import pandas as pd

    from .csv_tables import Rows

#: The banks of graded items: the lesson-group pool and the separate certification exam pool.
LESSON_BANK, EXAM_BANK = "lessons", "exam"


@dataclass(frozen=True)
class Entry:
    """One item of a pool (roles, polarities, scenarios, questions)."""

    id: str
    pool: str
    public: Mapping[str, Any]  # what a learner may see, as the pool's kind reads it
    key: Mapping[str, Any] | None = None  # None: a graded item whose key is hidden here
    lesson: str = ""
    source: str = ""
    bank: str = ""  # "" for practice content, else LESSON_BANK or EXAM_BANK
    level: str = ""  # recall | apply | analyse (graded items)
    review: str = ""  # draft | reviewed (graded items)
    meta: Mapping[str, Any] = field(default_factory=dict)  # e.g. an Angoff estimate

    @property
    def graded(self) -> bool:
        return bool(self.bank)


@dataclass(frozen=True)
class Spec:
    """An exercise: a practice check (data/checks.yaml) or a graded one (assignments.yaml)."""

    id: str
    kind: str
    source: str = ""
    lesson: str = ""
    title: str = ""
    prompt: str = ""
    hint: str = ""
    items: tuple[str, ...] = ()  # ids of the entries of the kind's pool
    draw: int | None = None  # per-learner subset size; None: every item, in order
    #: Exercises of one assignment with the same `group` draw their items together from the
    #: same pool, so that they never share one (e.g. two scenarios): this exercise takes
    #: part `slot` (0, 1, ...) of a draw of `parts` x `draw` items, seeded by the group.
    group: str = ""
    slot: int = 0
    parts: int = 1


@dataclass(frozen=True)
class Assignment:
    """A graded assignment of data/assignments.yaml."""

    id: str
    title: str
    lessons: tuple[str, ...]
    exercises: tuple[Spec, ...]
    reflection: str = ""  # prompt of a manually graded reflection, if any
    certification: bool = False

    def spec(self, exercise_id: str) -> Spec:
        for spec in self.exercises:
            if spec.id == exercise_id:
                return spec
        raise KeyError(f"assignment '{self.id}' has no exercise '{exercise_id}'")


#: The hidden keys, by pool and item id.
Keys = dict[str, dict[str, Mapping[str, Any]]]


@dataclass(frozen=True)
class Course:
    """All course content, validated. `rows`: the CSV tables as read (`Rows` of strings, no
    pandas); `tables` and `course.<table>`: the same as pandas DataFrames, built on first use
    (importing pandas), for the tools that analyse them."""

    directory: Path
    rows: dict[str, Rows]
    pools: dict[str, dict[str, Entry]]
    checks: dict[str, Spec] = field(default_factory=dict)
    assignments: dict[str, Assignment] = field(default_factory=dict)
    #: The language of its learner-facing texts ("en": the source) and, for a translation,
    #: the English course it overlays (its keys are read against the English items).
    language: str = "en"
    english: Course | None = field(default=None, repr=False, compare=False)

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return self.memo("tables", lambda: {name: rows.frame() for name, rows in
                                            self.rows.items()})

    def __getattr__(self, name: str) -> pd.DataFrame:
        if name in self.__dict__.get("rows", {}):
            return self.tables[name]
        raise AttributeError(name)

    def entry(self, pool: str, item_id: str) -> Entry:
        return self.pools[pool][item_id]

    def graded(self, pool: str, bank: str | None = None) -> dict[str, Entry]:
        """The graded entries of a pool (of one bank, if given)."""
        return {i: e for i, e in self.pools.get(pool, {}).items()
                if e.graded and (bank is None or e.bank == bank)}

    def with_keys(self, keys: Keys) -> Course:
        """This course with the hidden keys joined to their entries."""
        pools = {pool: {i: (replace(e, key=keys[pool][i]) if i in keys.get(pool, {}) else e)
                        for i, e in entries.items()}
                 for pool, entries in self.pools.items()}
        return replace(self, pools=pools)

    def role_name(self, role_id: str) -> str:
        roles = self.rows["roles"]
        return self.memo("role_names", lambda: dict(zip(
            roles["id"], roles["name"], strict=True)))[role_id]

    def principle_names(self) -> dict[str, str]:
        principles = self.rows["principles"]
        return self.memo("principle_names", lambda: dict(zip(
            principles["id"], principles["name"], strict=True)))

    def memo(self, name: str, compute):
        """A value derived from the (immutable) content, computed once: building exercises
        looks these up for every learner."""
        cache = self.__dict__.setdefault("_memo", {})
        if name not in cache:
            cache[name] = compute()
        return cache[name]
