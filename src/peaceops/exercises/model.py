"""What an exercise is: public items a learner sees, and a key kept apart from them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    """One scorable question. `choices` are (value, label) pairs; answers are values."""

    id: str
    prompt: str
    choices: tuple[tuple[str, str], ...]
    multiple: bool = False  # True: the answer is a set of values (multiple select)
    label: str = "Answer"  # the visible label of the control
    lesson: str = ""  # the lesson that teaches it (exam feedback names it, never the key)
    points: float = 1  # what the item is worth (public: a candidate may know it)


@dataclass(frozen=True)
class ItemKey:
    """What earns the item's point, why, and where the source says so."""

    accept: frozenset  # accepted values; for a multiple-select item, accepted frozensets
    rationale: str
    source: str
    points: float = 1  # the item's points (its Item's `points`)

    def shows(self, item: Item) -> str:
        """The accepted answer(s) as the learner would read them."""
        labels = dict(item.choices)
        if item.multiple:
            return "; ".join(
                " + ".join(labels.get(v, str(v)) for v in sorted(group)) for group in self.accept
            )
        return " or ".join(labels.get(str(v), str(v)) for v in sorted(self.accept, key=str))


Key = Mapping[str, ItemKey]


@dataclass(frozen=True)
class Exercise:
    """The public side of an exercise: safe to show and to ship to learners."""

    id: str
    kind: str
    title: str
    prompt: str
    items: tuple[Item, ...]
    source: str
    hint: str = ""
    context: str = ""  # e.g. a scenario's situation
    variant: str = "all"  # which subset/order of a pool this is (see variants.py)
    meta: dict[str, str] = field(default_factory=dict)


    @property
    def max_points(self) -> float:
        return round(sum(item.points for item in self.items), 9)
