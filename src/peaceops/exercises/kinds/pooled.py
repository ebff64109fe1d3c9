"""Kinds that ask one choice per pool entry: role matching and polarity sorting."""

from __future__ import annotations

from typing import ClassVar

from ...content.messages import N_, _
from ..findings import CueItem, CuePool, class_words
from ..model import Exercise, Item, ItemKey
from .base import Kind


class PoolKind(Kind):
    """Each item is one entry of the pool, answered with one of the kind's `choices`.
    Subclasses say what an entry's text and key are; drawing and assembling are shared."""

    label: ClassVar[str]  # with {n}, the item's number
    text_field: ClassVar[str]  # the public field that is the item's prompt

    @classmethod
    def choices(cls, course) -> tuple[tuple[str, str], ...]:
        raise NotImplementedError

    @classmethod
    def item_key_of(cls, course, key) -> ItemKey:
        raise NotImplementedError

    @classmethod
    def candidate_texts(cls, course) -> tuple[str, ...]:
        """What each choice is called, as a candidate reads it (for the form audits)."""
        return tuple(label for _, label in cls.choices(course))

    @classmethod
    def keyed(cls, key) -> str:
        """The choice value an entry's key names."""
        raise NotImplementedError

    @classmethod
    def cues(cls, entries, course):
        values = [value for value, _ in cls.choices(course)]
        texts = cls.candidate_texts(course)
        return CuePool(tuple(CueItem(e.id, e.public[cls.text_field], texts,
                                     frozenset({values.index(cls.keyed(e.key))}))
                             for e in entries), fixed=True)

    @classmethod
    def read_public(cls, entry, context, say):
        return {cls.text_field: say.text(entry, cls.text_field)}

    @classmethod
    def read_check(cls, entry, context, say):
        items = entry.get("items")
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            say("items", "list the item ids")
            items = []
        return {"items": tuple(items)}, []

    @classmethod
    def build(cls, course, spec, learner=None, keys=None, attempt=1):
        choices = cls.choices(course)
        ids, variant = cls.drawn(spec, learner, attempt)
        items, key = [], {}
        for n, item_id in enumerate(ids, start=1):
            entry = course.entry(cls.pool, item_id)
            items.append(Item(item_id, entry.public[cls.text_field], choices,
                              label=_(cls.label, course.language).format(n=n),
                              lesson=entry.lesson))
            if (entry_key := cls.key_of(entry, keys)) is not None:
                key[item_id] = cls.item_key_of(course, entry_key)
        exercise = Exercise(spec.id, cls.name, spec.title or _(cls.title, course.language),
                            spec.prompt or _(cls.prompt, course.language),
                            tuple(items), spec.source, spec.hint, variant=variant)
        return exercise, key


class RoleMatching(PoolKind):
    name = "role_matching"
    pool = "roles"
    owns_pool = True
    practice_source = "responsibilities"
    title = N_("Match each responsibility to its role")
    prompt = N_("Choose the member of the mission leadership team who holds each "
                "responsibility.")
    label = N_("Role for statement {n}")
    RATIONALE = N_("This is a responsibility of the {role}.")
    text_field = "statement"
    tabulates_wrong_picks = True  # which wrong role learners pick: the report's table

    @classmethod
    def choices(cls, course):
        def core():
            return tuple((r["id"], r["name"]) for r in course.rows["roles"] if r["team"] == "core")

        return course.memo("core_roles", core)

    @classmethod
    def read_key(cls, entry, public, context, say):
        core = {r["id"] for r in context["tables"]["roles"] if r["team"] == "core"}
        role = entry.get("role")
        say.one_of(role, core, "role", "role")  # of the core team (data/roles.csv)
        key = {"role": str(role), "source": cls.citation(entry, say)}
        if rationale := " ".join(str(entry.get("rationale", "") or "").split()):
            key["rationale"] = rationale  # why this role (optional; exam keys give one)
        return key

    @classmethod
    def candidate_texts(cls, course):
        """A role's name, abbreviation and id."""
        abbreviation = {r["id"]: r["abbreviation"] for r in course.rows["roles"]}
        return tuple(f"{name} {abbreviation[i]} {i}" for i, name in cls.choices(course))

    @classmethod
    def keyed(cls, key):
        return key["role"]

    @classmethod
    def item_key_of(cls, course, key):
        rationale = key.get("rationale") or \
            _(cls.RATIONALE, course.language).format(role=course.role_name(key["role"]))
        return ItemKey(frozenset({key["role"]}), rationale, key["source"])


class PolaritySorting(PoolKind):
    name = "polarity_sorting"
    pool = "polarities"
    owns_pool = True
    options_are_task_words = True
    practice_source = "polarities"
    control = "radio"
    title = N_("Either/or problem or both/and polarity?")
    prompt = N_("Sort each leadership challenge: an either/or problem has a technical "
                "solution; a both/and polarity is a lasting tension to manage over time.")
    label = N_("Kind of challenge {n}")
    text_field = "challenge"
    KINDS = (("problem", N_("Either/or problem")), ("polarity", N_("Both/and polarity")))

    @classmethod
    def choices(cls, course):
        return tuple((value, _(label, course.language)) for value, label in cls.KINDS)

    @classmethod
    def read_key(cls, entry, public, context, say):
        kind = entry.get("kind")
        say.one_of(kind, {k for k, _ in cls.KINDS}, "kind", "kind")
        return {"kind": str(kind),
                "explanation": " ".join(str(entry.get("explanation", "") or "").split()),
                "source": cls.citation(entry, say)}

    @classmethod
    def keyed(cls, key):
        return key["kind"]

    @classmethod
    def item_key_of(cls, course, key):
        return ItemKey(frozenset({key["kind"]}), key["explanation"], key["source"])

    @classmethod
    def audit(cls, entries):
        """No word may be in every problem and no polarity, or the other way round."""
        texts = {kind: [e.public[cls.text_field] for e in entries if e.key["kind"] == kind]
                 for kind, _ in cls.KINDS}
        cues = class_words(texts)
        detail = "; ".join(f"{k}: {', '.join(sorted(w))}" for k, w in cues.items())
        return [("words only one class uses", str(sum(map(len, cues.values()))), "0",
                 not cues, detail)]
