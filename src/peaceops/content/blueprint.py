"""data/exam-blueprint.yaml: the points every exam variant carries per lesson, pool and level."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .course import Course
from .errors import ContentError, ContentIssue, Say
from .schema import LEVELS
from .yamlfile import read_yaml

FILE = "exam-blueprint.yaml"


#: Fewest points a feedback group may hold: exam feedback gives a band per group, and a
#: group of one or two items would tell a candidate those items' verdicts.
MIN_GROUP_POINTS = 3


@dataclass(frozen=True)
class Blueprint:
    exam: str
    cells: dict[tuple[str, str, str], float]  # (pool, lesson, level) -> points
    #: Exam feedback's groups of lessons: title -> lesson ids (every lesson of a cell in one)
    groups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: Each group's id (its title's translations are data/i18n/<language>/exam-blueprint.yaml
    #: by this id): title -> id
    group_ids: dict[str, str] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(self.cells.values())

    def group_of(self, lesson: str) -> str:
        """The feedback group that holds `lesson` ("" if none)."""
        return next((title for title, lessons in self.groups.items() if lesson in lessons), "")


def read_blueprint(course: Course, path: Path | None = None) -> Blueprint:
    """Read and validate the exam blueprint against the course; ContentError if bad."""
    path = path or course.directory / FILE
    where = f"data/{FILE}"
    issues: list[ContentIssue] = []
    data = read_yaml(path, where, issues, dict)
    say = Say(issues, where, "")
    exam = data.get("exam")
    if exam not in course.assignments or not course.assignments[exam].certification:
        say("exam", f"'{exam}' is not the certification exam of data/assignments.yaml")
    cells: dict[tuple[str, str, str], float] = {}
    entries = data.get("cells")
    if not isinstance(entries, list) or not entries:
        say("cells", "list the cells: pool, lesson, level, points")
        entries = []
    lessons = set(course.rows["lessons"]["id"])
    for n, cell in enumerate(entries, start=1):
        row = Say(issues, where, f"cells entry {n}")
        if not isinstance(cell, dict):
            row("", "must be a mapping of pool, lesson, level, points")
            continue
        row.one_of(cell.get("pool"), set(course.pools), "pool", "pool")
        row.one_of(cell.get("lesson"), lessons, "lesson", "lesson")
        row.one_of(cell.get("level"), set(LEVELS), "level", "level")
        points = cell.get("points")
        if isinstance(points, bool) or not isinstance(points, int | float) or points <= 0:
            row("points", "must be a positive number")
        key = (cell.get("pool"), cell.get("lesson"), cell.get("level"))
        if key in cells:
            row("", "this pool, lesson and level has a cell already")
        if row.ok:
            cells[key] = float(points)
    groups = _groups(data.get("feedback_groups"), cells, lessons, issues, where)
    ids = {e["title"]: str(e["id"]) for e in data.get("feedback_groups") or []
           if isinstance(e, dict) and isinstance(e.get("title"), str) and e.get("id")}
    if issues:
        raise ContentError(issues)
    return Blueprint(exam, cells, groups, ids)


def group_titles(blueprint: Blueprint, directory: Path, language: str) -> dict[str, str]:
    """The feedback groups' titles in `language` by their English title, from the clean
    translations of data/i18n/<language>/exam-blueprint.yaml (a group without one: none)."""
    from .item_translations import clean_translations

    translated = clean_translations(directory, "exam-blueprint", language)
    return {title: " ".join(str(translated[i]["title"]).split())
            for title, i in blueprint.group_ids.items() if translated.get(i, {}).get("title")}


def _groups(entries, cells: dict[tuple[str, str, str], float], lessons: set[str],
            issues: list[ContentIssue], where: str) -> dict[str, tuple[str, ...]]:
    """The feedback groups: each a title and lessons; every lesson of a cell in exactly one
    group, and each group holding at least MIN_GROUP_POINTS points of every variant."""
    say = Say(issues, where, "")
    if not isinstance(entries, list) or not entries:
        say("feedback_groups", "list the groups of lessons exam feedback reports on: "
            "title, lessons")
        return {}
    groups: dict[str, tuple[str, ...]] = {}
    placed: dict[str, str] = {}
    for n, entry in enumerate(entries, start=1):
        row = Say(issues, where, f"feedback_groups entry {n}")
        if not isinstance(entry, dict) or not isinstance(entry.get("title"), str) or \
                not isinstance(entry.get("lessons"), list) or not entry["lessons"]:
            row("", "must be a mapping of title (text) and lessons (a list of lesson ids)")
            continue
        title = entry["title"]
        for lesson in entry["lessons"]:
            row.one_of(lesson, lessons, "lessons", "lesson")
            if lesson in placed:
                row("lessons", f"'{lesson}' is in group '{placed[lesson]}' already")
            placed[lesson] = title
        points = sum(p for (_, lesson, _), p in cells.items() if lesson in entry["lessons"])
        if points < MIN_GROUP_POINTS:
            row("lessons", f"the group holds {points:g} points of a variant, fewer than "
                f"{MIN_GROUP_POINTS}: its band would reveal single items; merge it with another")
        if title in groups:
            row("title", "another group has this title")
        groups[title] = tuple(entry["lessons"])
    for lesson in sorted({lesson for _, lesson, _ in cells} - set(placed)):
        say("feedback_groups", f"lesson '{lesson}' has exam items but no group: add it to one")
    return groups
