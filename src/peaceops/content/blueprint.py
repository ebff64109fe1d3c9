"""data/exam-blueprint.yaml: the points every exam variant carries per lesson, pool and level."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import ContentError, ContentIssue, Say
from .model import Course
from .schema import LEVELS
from .yamlfile import read_yaml

FILE = "exam-blueprint.yaml"


@dataclass(frozen=True)
class Blueprint:
    exam: str
    cells: dict[tuple[str, str, str], float]  # (pool, lesson, level) -> points

    @property
    def total(self) -> float:
        return sum(self.cells.values())


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
    lessons = set(course.lessons["id"])
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
    if issues:
        raise ContentError(issues)
    return Blueprint(exam, cells)
