"""One declarative definition per exercise kind: content in, public exercise + key out.

Like learntools' problem classes, a kind says what its items are, how each is asked and
what earns its point; the widget, scoring and feedback follow from that.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

from ..content import PRINCIPLES, WEIGHTS, Course, Keys
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
    def build(cls, course: Course, spec: Spec, learner: str | None = None,
              keys: Keys | None = None) -> tuple[Exercise, dict]:
        """The public exercise, and the key of every item whose key is known (practice
        content always; graded bank items only when the hidden `keys` are given)."""
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
    def build(cls, course, spec, learner=None, keys=None):
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


class PoolKind(Kind):
    """A kind whose items are drawn from a pool: practice rows of data/ (keys public) or graded
    bank items (keys only when the hidden `keys` are given). Subclasses say how to look an
    item up; drawing, labelling and assembling are shared."""

    label: ClassVar[str]

    @classmethod
    def choices(cls, course: Course) -> tuple[tuple[str, str], ...]:
        raise NotImplementedError

    @classmethod
    def lookup(cls, course: Course, item_id: str, keys: Keys | None) -> tuple[str, ItemKey | None]:
        """The item's prompt and its key (None when the key is not known here)."""
        raise NotImplementedError

    @classmethod
    def build(cls, course, spec, learner=None, keys=None):
        choices = cls.choices(course)
        ids, variant = cls._drawn(spec, learner)
        items, key = [], {}
        for n, item_id in enumerate(ids, start=1):
            prompt, item_key = cls.lookup(course, item_id, keys)
            items.append(Item(item_id, prompt, choices, label=f"{cls.label} {n}"))
            if item_key is not None:
                key[item_id] = item_key
        exercise = Exercise(spec.id, cls.name, spec.title or cls.title, spec.prompt or cls.prompt,
                            tuple(items), spec.source, spec.hint, variant=variant)
        return exercise, key


class RoleMatching(PoolKind):
    name = "role_matching"
    title = "Match each responsibility to its role"
    prompt = "Choose the member of the mission leadership team who holds each responsibility."
    label = "Role for statement"

    @classmethod
    def choices(cls, course):
        roles = course.roles[course.roles["team"] == "core"]
        return tuple(zip(roles["id"], roles["name"], strict=True))

    @classmethod
    def lookup(cls, course, item_id, keys):
        if item_id in course.bank.roles:
            if not keys:
                return course.bank.roles[item_id], None
            statement, (role, source) = course.bank.roles[item_id], keys.roles[item_id]
        else:
            row = course.responsibilities.set_index("id").loc[item_id]
            statement, role, source = row["statement"], row["role"], row["source"]
        rationale = f"This is a responsibility of the {course.role_name(role)}."
        return statement, ItemKey(frozenset({role}), rationale, source)


class PolaritySorting(PoolKind):
    name = "polarity_sorting"
    title = "Either/or problem or both/and polarity?"
    prompt = ("Sort each leadership challenge: an either/or problem has a technical solution; a "
              "both/and polarity is a lasting tension to manage over time.")
    label = "Kind of challenge"

    @classmethod
    def choices(cls, course):
        return (("problem", "Either/or problem"), ("polarity", "Both/and polarity"))

    @classmethod
    def lookup(cls, course, item_id, keys):
        if item_id in course.bank.polarities:
            if not keys:
                return course.bank.polarities[item_id], None
            challenge = course.bank.polarities[item_id]
            kind, explanation, source = keys.polarities[item_id]
        else:
            row = course.polarities.set_index("id").loc[item_id]
            challenge, kind = row["challenge"], row["kind"]
            explanation, source = row["explanation"], row["source"]
        return challenge, ItemKey(frozenset({kind}), explanation, source)


class PrincipleWeighing(Kind):
    name = "principle_weighing"
    title = "Weigh the principles"
    prompt = "Give each principle a weight for this decision, then name the decisive one."
    DECISIVE = "decisive"

    @classmethod
    def build(cls, course, spec, learner=None, keys=None):
        pool = tuple(spec.items or (spec.scenario,))
        if spec.draw:
            ids, variant = cls._drawn(replace(spec, items=pool), learner)
        else:
            ids, variant = pool[:1], "all"
        sid = ids[0]
        if sid in course.bank.scenarios:
            public = course.bank.scenarios[sid]
            scenario = keys.scenarios[sid] if keys else None
        else:
            scenario = course.scenarios[sid]
            public = {"title": scenario.title, "situation": scenario.situation,
                      "section": scenario.section}
        names = dict(zip(course.principles["id"], course.principles["name"], strict=True))
        scale = tuple((str(w), f"{w}: {label}") for w, label in WEIGHTS.items())
        items = [Item(p, names[p], scale, label=f"Weight of {names[p]}") for p in PRINCIPLES]
        items.append(Item(cls.DECISIVE, "Which principle is decisive here?",
                          tuple((p, names[p]) for p in PRINCIPLES), label="Decisive principle"))
        key = {}
        if scenario is not None:
            for principle in PRINCIPLES:
                low, high = scenario.key[principle]
                key[principle] = ItemKey(frozenset(str(w) for w in range(low, high + 1)),
                                         scenario.rationale[principle], scenario.section)
            key[cls.DECISIVE] = ItemKey(frozenset({scenario.decisive}),
                                        scenario.rationale[scenario.decisive], scenario.section)
        exercise = Exercise(spec.id, cls.name, public["title"], spec.prompt or cls.prompt,
                            tuple(items), spec.source or public["section"], spec.hint,
                            context=public["situation"], variant=variant, meta={"scenario": sid})
        return exercise, key


class Quiz(Kind):
    """Several multiple-choice / multiple-select questions from the graded bank."""

    name = "quiz"
    title = "Questions"
    prompt = "Answer each question."

    @classmethod
    def build(cls, course, spec, learner=None, keys=None):
        ids, variant = cls._drawn(spec, learner)
        items, key = [], {}
        for n, qid in enumerate(ids, start=1):
            question = course.bank.questions[qid]
            choices = tuple((str(i), text) for i, text in enumerate(question.options))
            multiple = question.kind == "multi"
            label = f"Answer to question {n}" + (" (all that apply)" if multiple else "")
            items.append(Item(qid, question.prompt, choices, multiple=multiple, label=label))
            if keys:
                correct, explanation, source = keys.questions[qid]
                values = frozenset(str(question.options.index(c)) for c in correct)
                key[qid] = ItemKey(frozenset({values}) if multiple else values, explanation, source)
        exercise = Exercise(spec.id, cls.name, spec.title or cls.title, spec.prompt or cls.prompt,
                            tuple(items), spec.source, spec.hint, variant=variant)
        return exercise, key


KINDS: dict[str, type[Kind]] = {
    kind.name: kind
    for kind in (Choice, MultipleSelect, RoleMatching, PolaritySorting, PrincipleWeighing, Quiz)
}


def build(course: Course, spec: Spec, learner: str | None = None,
          keys: Keys | None = None) -> tuple[Exercise, dict]:
    """The public exercise for one learner's variant, and the keys known for its items."""
    return KINDS[spec.kind].build(course, spec, learner, keys)


def practice_spec(course: Course, check_id: str) -> Spec:
    check = course.checks[check_id]
    return Spec(id=check.id, kind=check.kind, source=check.source, prompt=check.prompt,
                hint=check.hint, explanation=check.explanation, options=check.options,
                correct=check.correct, items=check.items, scenario=check.scenario)


__all__: Sequence[str] = ["KINDS", "Spec", "build", "practice_spec"]
