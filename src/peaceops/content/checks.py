"""Practice checks (data/checks.yaml): each is a `Spec`, read by its kind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .course import Entry, Spec
from .errors import ContentIssue
from .kinds import REGISTRY
from .sources import bad_citation
from .yamlfile import entries, read_yaml


def read_checks(directory: Path, ctx: dict[str, Any], pools: dict[str, dict[str, Entry]],
                issues: list[ContentIssue]) -> dict[str, Spec]:
    """The practice checks; entries a check defines inline are added to `pools`."""
    where = "data/checks.yaml"
    checks: dict[str, Spec] = {}
    for say, entry in entries(read_yaml(directory / "checks.yaml", where, issues, list), where,
                              issues):
        kind = entry.get("kind")
        if not say.one_of(kind, set(REGISTRY), "kind", "kind"):
            continue
        cls = REGISTRY[kind]
        lesson = entry.get("lesson")
        say.one_of(lesson, ctx["lessons"], "lesson", "lesson (see data/lessons.csv)")
        source = str(entry.get("source", ""))
        if problem := bad_citation(source):
            say("source", problem)
        fields, inline = cls.read_check(entry, {**ctx, "pools": pools}, say)
        for item_id in fields.get("items", ()):
            if item_id in ctx["invalid"]:
                continue  # reported where the item is defined
            if item_id not in pools.get(cls.pool, {}) and not any(
                    p.get("id") == item_id for p, _ in inline):
                say("items", f"unknown item '{item_id}' of pool '{cls.pool}'; use the id of "
                             f"a practice entry ({cls.practice_source or 'data/checks.yaml'})")
        if not say.ok:
            continue
        for public, key in inline:
            item_id = public.pop("id")
            pools[cls.pool][item_id] = Entry(item_id, cls.pool, public, key, lesson, source)
        checks[entry["id"]] = Spec(
            id=entry["id"], kind=kind, source=source, lesson=lesson,
            title=say.optional_text(entry, "title"), prompt=fields.get("prompt", ""),
            hint=say.optional_text(entry, "hint"), items=tuple(fields.get("items", ())))
    return checks
