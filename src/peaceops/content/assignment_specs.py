"""The graded assignments (data/assignments.yaml): which exercises, drawn from which pool."""

from __future__ import annotations

import fnmatch
from dataclasses import replace
from pathlib import Path
from typing import Any

from .course import Assignment, Entry, Spec
from .errors import ContentIssue, Say
from .kinds import REGISTRY
from .yamlfile import entries, read_yaml

FIELDS = ("id", "title", "lessons", "exercises", "reflection", "certification")
EXERCISE_FIELDS = ("id", "kind", "items", "lesson", "draw", "source", "title", "prompt", "bank",
                   "draw_group")


def read_assignments(path: Path, where: str, ctx: dict[str, Any],
                     pools: dict[str, dict[str, Entry]],
                     issues: list[ContentIssue]) -> dict[str, Assignment]:
    """Read and validate the assignments; item patterns (e.g. "b-role-*") expand over the
    graded entries of the exercise kind's pool (of one `bank`, when the exercise names it)."""
    result: dict[str, Assignment] = {}
    seen_exercises: set[str] = set()
    for say, entry in entries(read_yaml(path, where, issues, list), where, issues):
        for name in entry:
            if name not in FIELDS:
                say(name, f"unknown field; use {', '.join(FIELDS)}")
        title = say.text(entry, "title")
        lessons = entry.get("lessons", [])
        if not isinstance(lessons, list):
            say("lessons", "must be a list of lesson ids")
            lessons = []
        for lesson in lessons:
            say.one_of(lesson, ctx["lessons"], "lessons", "lesson")
        certification = entry.get("certification", False)
        if not isinstance(certification, bool):
            say("certification", "must be true or false")
        exercises = entry.get("exercises")
        if not isinstance(exercises, list) or not exercises:
            say("exercises", "list the assignment's exercises")
            exercises = []
        specs = []
        for m, ex in enumerate(exercises, start=1):
            spec = _exercise(say, m, ex, pools, seen_exercises)
            if spec is not None:
                specs.append(spec)
        specs = _grouped(say, specs)
        if say.ok:
            result[entry["id"]] = Assignment(entry["id"], title, tuple(lessons), tuple(specs),
                                             say.optional_text(entry, "reflection"),
                                             bool(certification))
    return result


def _exercise(say: Say, m: int, ex: Any, pools: dict[str, dict[str, Entry]],
              seen: set[str]) -> Spec | None:
    field = f"exercises[{m}]"
    if not isinstance(ex, dict):
        say(field, "must be a mapping")
        return None
    for name in ex:
        if name not in EXERCISE_FIELDS:
            say(f"{field}.{name}", f"unknown field; use {', '.join(EXERCISE_FIELDS)}")
    exercise_id = str(ex.get("id", "") or "")
    if not exercise_id:
        say(f"{field}.id", "missing id")
        return None
    if exercise_id in seen:
        say(f"{field}.id", f"duplicate exercise id '{exercise_id}'")
    seen.add(exercise_id)
    graded = {name for name, cls in REGISTRY.items() if cls.owns_pool}
    kind = ex.get("kind")
    if not say.one_of(kind, graded, f"{field}.kind", "graded kind"):
        return None
    bank = ex.get("bank")
    lesson = ex.get("lesson")
    if lesson is not None and not isinstance(lesson, str):
        say(f"{field}.lesson", "must be one lesson id (the items' `lesson`)")
        lesson = None
    pool = [i for i, e in pools.get(REGISTRY[kind].pool, {}).items()
            if e.graded and (bank is None or e.bank == bank)
            and (lesson is None or e.lesson == lesson)]
    patterns = ex.get("items", ["*"])
    patterns = [patterns] if isinstance(patterns, str) else patterns
    if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
        say(f"{field}.items", "must be an id pattern or a list of them")
        return None
    items = tuple(i for i in pool if any(fnmatch.fnmatch(i, p) for p in patterns))
    if not items:
        say(f"{field}.items", "matches no graded item of the bank"
            + (f" of lesson '{lesson}'" if lesson else ""))
    draw = ex.get("draw")
    if draw is not None and (isinstance(draw, bool) or not isinstance(draw, int)
                             or not 1 <= draw <= max(len(items), 1)):
        say(f"{field}.draw", f"must be a whole number between 1 and {len(items)}")
    group = ex.get("draw_group", "")
    if not isinstance(group, str):
        say(f"{field}.draw_group", "must be a name shared by the exercises drawn together")
        group = ""
    return Spec(id=exercise_id, kind=kind, source=str(ex.get("source", "") or ""),
                items=items, draw=draw, title=str(ex.get("title", "") or ""),
                prompt=str(ex.get("prompt", "") or ""), group=group)


def _grouped(say: Say, specs: list[Spec]) -> list[Spec]:
    """Give each exercise of a `draw_group` its slot and the group's size; the group's
    exercises must share kind, items and draw, and the pool must hold the joint draw."""
    groups: dict[str, list[Spec]] = {}
    for spec in specs:
        if spec.group:
            groups.setdefault(spec.group, []).append(spec)
    slots: dict[str, Spec] = {}
    for name, members in groups.items():
        first = members[0]
        if any((s.kind, s.items, s.draw) != (first.kind, first.items, first.draw)
               for s in members) or first.draw is None:
            say("exercises", f"the exercises of draw_group '{name}' must share kind, items "
                "and draw (a number)")
            continue
        if len(members) * first.draw > len(first.items):
            say("exercises", f"draw_group '{name}' draws {len(members) * first.draw} items "
                f"from a pool of {len(first.items)}")
            continue
        for n, spec in enumerate(members):
            slots[spec.id] = replace(spec, slot=n, parts=len(members))
    return [slots.get(spec.id, spec) for spec in specs]
