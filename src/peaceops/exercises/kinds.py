"""One declarative definition per exercise kind: content in, public exercise + key out.

Like learntools' problem classes, a kind says what its items are, how each is asked and
what earns its point; the widget, scoring and feedback follow from that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..content import PRINCIPLES, WEIGHTS, Course
from .model import Exercise, Item, ItemKey
from .variants import draw, variant_id


@dataclass(frozen=True)
class Spec:
    """Where an exercise's content comes from: a practice check or a graded bank entry."""

    id: str
    kind: str
    source: str
    prompt: str = ""
    hint: str = ""
    explanation: str = ""
    options: tuple[str, ...] = ()
    correct: tuple[str, ...] = ()
    items: tuple[str, ...] = ()  # pool of item ids (responsibilities, polarities, scenarios)
    scenario: str = ""
    draw: int | None = None  # per-learner subset size; None: every item, in order
    title: str = ""


class Kind:
    """Base of the exercise kinds; subclasses set `name` and implement `build`."""

    name: ClassVar[str]
    title: ClassVar[str]

    @classmethod
    def build(cls, course: Course, spec: Spec, learner: str | None = None) -> tuple[Exercise, dict]:
        raise NotImplementedError

    @staticmethod
    def _drawn(spec: Spec, learner: str | None) -> tuple[tuple[str, ...], str]:
        items = draw(spec.items, spec.id, learner, spec.draw)
        variant = "all" if spec.draw is None or not learner else variant_id(items)
        return items, variant


class Choice(Kind):
    name = "choice"
    title = "Multiple choice"

    @classmethod
    def build(cls, course, spec, learner=None):
        options = tuple((str(i), text) for i, text in enumerate(spec.options))
        correct = frozenset(str(spec.options.index(c)) for c in spec.correct)
        multiple = cls is MultipleSelect
        item = Item(spec.id, spec.prompt, options, multiple=multiple,
                    label="Choose all that apply" if multiple else "Your answer")
        accept = frozenset({correct}) if multiple else correct
        exercise = Exercise(spec.id, cls.name, spec.title or cls.title, spec.prompt, (item,),
                            spec.source, spec.hint)
        return exercise, {spec.id: ItemKey(accept, spec.explanation, spec.source)}


class MultipleSelect(Choice):
    name = "multi"
    title = "Multiple select"


class RoleMatching(Kind):
    name = "role_matching"
    title = "Match each responsibility to its role"
    prompt = "Choose the member of the mission leadership team who holds each responsibility."

    @classmethod
    def build(cls, course, spec, learner=None):
        roles = course.roles[course.roles["team"] == "core"]
        choices = tuple(zip(roles["id"], roles["name"], strict=True))
        statements = course.responsibilities.set_index("id")
        ids, variant = cls._drawn(spec, learner)
        items, key = [], {}
        for n, rid in enumerate(ids, start=1):
            row = statements.loc[rid]
            items.append(Item(rid, row["statement"], choices, label=f"Role for statement {n}"))
            rationale = f"This is a responsibility of the {course.role_name(row['role'])}."
            key[rid] = ItemKey(frozenset({row["role"]}), rationale, row["source"])
        exercise = Exercise(spec.id, cls.name, spec.title or cls.title, spec.prompt or cls.prompt,
                            tuple(items), spec.source, spec.hint, variant=variant)
        return exercise, key


class PolaritySorting(Kind):
    name = "polarity_sorting"
    title = "Either/or problem or both/and polarity?"
    prompt = ("Sort each leadership challenge: an either/or problem has a technical solution; a "
              "both/and polarity is a lasting tension to manage over time.")
    CHOICES = (("problem", "Either/or problem"), ("polarity", "Both/and polarity"))

    @classmethod
    def build(cls, course, spec, learner=None):
        table = course.polarities.set_index("id")
        ids, variant = cls._drawn(spec, learner)
        items, key = [], {}
        for n, pid in enumerate(ids, start=1):
            row = table.loc[pid]
            items.append(Item(pid, row["challenge"], cls.CHOICES, label=f"Kind of challenge {n}"))
            key[pid] = ItemKey(frozenset({row["kind"]}), row["explanation"], row["source"])
        exercise = Exercise(spec.id, cls.name, spec.title or cls.title, spec.prompt or cls.prompt,
                            tuple(items), spec.source, spec.hint, variant=variant)
        return exercise, key


class PrincipleWeighing(Kind):
    name = "principle_weighing"
    title = "Weigh the principles"
    prompt = ("Give each principle a weight for this decision, then name the decisive one.")
    DECISIVE = "decisive"

    @classmethod
    def build(cls, course, spec, learner=None):
        pool = spec.items or (spec.scenario,)
        if spec.draw:
            ids, variant = cls._drawn(Spec(**{**spec.__dict__, "items": tuple(pool)}), learner)
        else:
            ids, variant = tuple(pool[:1]), "all"
        scenario = course.scenarios[ids[0]]
        names = dict(zip(course.principles["id"], course.principles["name"], strict=True))
        scale = tuple((str(w), f"{w}: {label}") for w, label in WEIGHTS.items())
        items, key = [], {}
        for principle in PRINCIPLES:
            low, high = scenario.key[principle]
            items.append(Item(principle, names[principle], scale, label=f"Weight of {names[principle]}"))
            key[principle] = ItemKey(frozenset(str(w) for w in range(low, high + 1)),
                                     scenario.rationale[principle], scenario.section)
        principle_choices = tuple((p, names[p]) for p in PRINCIPLES)
        items.append(Item(cls.DECISIVE, "Which principle is decisive here?", principle_choices,
                          label="Decisive principle"))
        key[cls.DECISIVE] = ItemKey(frozenset({scenario.decisive}),
                                    scenario.rationale[scenario.decisive], scenario.section)
        exercise = Exercise(spec.id, cls.name, scenario.title, spec.prompt or cls.prompt,
                            tuple(items), spec.source or scenario.section, spec.hint,
                            context=scenario.situation, variant=variant,
                            meta={"scenario": scenario.id})
        return exercise, key


KINDS: dict[str, type[Kind]] = {
    kind.name: kind for kind in (Choice, MultipleSelect, RoleMatching, PolaritySorting, PrincipleWeighing)
}


def build(course: Course, spec: Spec, learner: str | None = None) -> tuple[Exercise, dict]:
    """The public exercise and its key, for one learner's variant."""
    return KINDS[spec.kind].build(course, spec, learner)


def practice_spec(course: Course, check_id: str) -> Spec:
    check = course.checks[check_id]
    return Spec(id=check.id, kind=check.kind, source=check.source, prompt=check.prompt,
                hint=check.hint, explanation=check.explanation, options=check.options,
                correct=check.correct, items=check.items, scenario=check.scenario)


def practice(course: Course, check_id: str) -> tuple[Exercise, dict]:
    return build(course, practice_spec(course, check_id))


__all__: Sequence[str] = ["KINDS", "Spec", "build", "practice", "practice_spec"]
