"""`peaceops bank standard-setting`: a modified-Angoff panel for the exam's cut.

1. `sheets`: one rating sheet per panelist (CSV, every item of the exam pool, with its
   text, lesson and points; the `estimate` column empty).
2. Each panelist writes, per item, the probability (0 to 1) that a MINIMALLY COMPETENT
   candidate answers it correctly (for a scenario: the expected share of its points).
3. `import`: reads the sheets (every bad row reported, naming the file and the row), writes
   the panel's ratings file (kept with the hidden keys) and a new pass rule version whose
   cut is each draw's own: the panel's mean summed estimates of the draw, with its standard
   error (`grading.cut`). It prints the cut over a sample of draws.
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..content import Course, CourseDir
from ..content.ratings import Ratings, exam_items
from ..exercises import build
from ..exercises.kinds import kind, pool_kind
from ..grading.cut import Cut, draw_cut, weights

COLUMNS = ["item", "pool", "lesson", "points", "text", "estimate"]
INSTRUCTIONS = """\
Modified Angoff rating sheet of the peaceops certification exam, one per panelist.
Think of a MINIMALLY COMPETENT officer: one who has worked through the course and just
deserves the certificate. For every row, write in `estimate` the probability (0 to 1, e.g.
0.65) that this officer answers the item correctly; for a scenario (several points), the
share of its points they would earn. Change no other column; keep every row.
"""


class SheetError(ValueError):
    """Bad rating sheets: every problem, each naming the file and the row."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Row:
    item: str
    pool: str
    lesson: str
    points: float
    text: str


def rows(course: Course, keys) -> list[Row]:
    """Every exam-bank item with what a panelist needs to rate it."""
    found = []
    for pool, item_id in exam_items(course):
        entry = course.entry(pool, item_id)
        public = entry.public
        text = " | ".join(str(public[f]) for f in ("title", "situation", "statement",
                                                   "challenge", "prompt") if public.get(f))
        options = public.get("options") or ()
        if options:
            text += " | options: " + " / ".join(map(str, options))
        key = keys.get(pool, {}).get(item_id, {})
        points = pool_kind(pool).entry_points(key)
        found.append(Row(item_id, pool, entry.lesson, float(points), " ".join(text.split())))
    return found


def write_sheets(course_dir: CourseDir, folder: Path, panelists: list[str]) -> list[Path]:
    """One sheet per panelist in `folder` (and the instructions); returns the sheets."""
    names = [p.strip() for p in panelists if p.strip()]
    bad = [p for p in names if not re.fullmatch(r"[A-Za-z0-9._-]+", p)]
    if len(names) < 2 or bad or len(set(names)) != len(names):
        raise ValueError("name at least two panelists, each once, with letters, digits, "
                         f"'.', '_' or '-' only (got {', '.join(panelists)})")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "INSTRUCTIONS.txt").write_text(INSTRUCTIONS, encoding="utf-8")
    items = rows(course_dir.content(), course_dir.keys())
    paths = []
    for name in names:
        path = folder / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as sheet:
            writer = csv.writer(sheet)
            writer.writerow(COLUMNS)
            for row in items:
                writer.writerow([row.item, row.pool, row.lesson, f"{row.points:g}", row.text, ""])
        paths.append(path)
    return paths


def read_sheets(course: Course, paths: list[Path]) -> dict[str, dict[str, float]]:
    """Panelist (the sheet's name) -> item -> estimate; SheetError listing every bad row."""
    wanted = [item for _, item in exam_items(course)]
    problems: list[str] = []
    ratings: dict[str, dict[str, float]] = {}
    if len(paths) < 2:
        problems.append(f"{len(paths)} sheet(s): a panel needs at least two panelists")
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: cannot be read ({exc})")
            continue
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in ("item", "estimate") if c not in (reader.fieldnames or [])]
        if missing:
            problems.append(f"{path}, row 1 (header): no column {', '.join(missing)}: keep the "
                            "sheet's header as written")
            continue
        mine: dict[str, float] = {}
        for n, row in enumerate(reader, start=2):
            item, value = (row.get("item") or "").strip(), (row.get("estimate") or "").strip()
            where = f"{path}, row {n}" + (f" ({item})" if item else "")
            if item not in wanted:
                problems.append(f"{where}: '{item}' is not an item of the exam pool")
                continue
            if item in mine:
                problems.append(f"{where}: the item is rated twice: keep one row")
                continue
            try:
                estimate = float(value.replace(",", "."))
            except ValueError:
                problems.append(f"{where}: estimate '{value}' is not a number: write a "
                                "probability from 0 to 1, e.g. 0.65")
                continue
            if not 0 <= estimate <= 1:
                problems.append(f"{where}: estimate {value} is outside 0 to 1 (a probability, "
                                "e.g. 0.65, not a percentage)")
                continue
            mine[item] = estimate
        for item in wanted:
            if item not in mine and not any(item in p for p in problems if str(path) in p):
                problems.append(f"{path}: no row for item {item}: rate every item")
        ratings[path.stem] = mine
    if problems:
        raise SheetError(problems)
    return ratings


def panel(ratings: dict[str, dict[str, float]], date: str) -> Ratings:
    """The panel's ratings, one estimate per panelist per item."""
    names = sorted(ratings)
    items = {item: tuple(ratings[n][item] for n in names) for item in ratings[names[0]]}
    return Ratings(tuple(names), items, False,
                   f"modified Angoff, a panel of {len(names)}" + (f", {date}" if date else ""))


def sample_cuts(course: Course, keys, ratings: Ratings, exam: str, learners: int = 500,
                attempts: int = 2) -> list[Cut]:
    """The cut of the draw of each of `learners` simulated candidates at each attempt."""
    specs = course.assignments[exam].exercises
    cuts = []
    for n in range(learners):
        for attempt in range(1, attempts + 1):
            scored = []
            for spec in specs:
                exercise, key = build(course, spec, f"candidate-{n:04d}", keys, attempt)
                scored.append((exercise, kind(exercise.kind).score(exercise, key, {})))
            cuts.append(draw_cut(weights(scored), ratings))
    return cuts


def write_rule(course_dir: CourseDir, ratings: Ratings, version: str, ratings_path: Path,
               mean_percent: float) -> None:
    """Save the panel's ratings and add pass rule `version` (cut per draw from them) to
    data/certification.yaml, made current; the rules already there stay as they are."""
    certification = course_dir.certification()
    if version in certification.rules:
        raise ValueError(f"rule '{version}' exists already: never change a rule that may "
                         "have issued certificates; choose a new version")
    current = certification.rule()
    ratings_path.parent.mkdir(parents=True, exist_ok=True)
    ratings_path.write_text(
        "# Modified-Angoff ratings of the exam pool by a standard-setting panel "
        "(peaceops bank standard-setting).\n"
        + yaml.safe_dump({"method": "modified Angoff", "date": ratings.source.rsplit(", ", 1)[-1],
                          "panelists": list(ratings.panelists), "provisional": False,
                          "ratings": {i: list(v) for i, v in ratings.items.items()}},
                         sort_keys=False, allow_unicode=True), encoding="utf-8")
    path = course_dir.data / "certification.yaml"
    text = path.read_text(encoding="utf-8")
    relative = ratings_path.resolve().relative_to(course_dir.root)
    entry = (f'  - version: "{version}"\n'
             f"    exam: {current.exam}\n"
             f"    min_percent: {mean_percent:.1f}  # the mean of the draws' cuts (each draw "
             "has its own)\n"
             f"    max_attempts: {current.max_attempts}\n"
             f"    require_submitted: [{', '.join(current.require_submitted)}]\n"
             f"    cut_ratings: {relative}  # {ratings.source}\n"
             f"    exam_points: {course_dir.blueprint().total:g}  # the form it was set for\n")
    before = text
    text = re.sub(r'(?m)^current: .*$', f'current: "{version}"', text, count=1)
    path.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")
    try:
        from ..content import load_certification

        load_certification(path, course=course_dir.content())
    except Exception:
        path.write_text(before, encoding="utf-8")  # lose nothing: the file as it was
        raise


def summary(cuts: list[Cut]) -> str:
    points = [c.points for c in cuts]
    percents = [c.percent for c in cuts]
    se = statistics.fmean(c.se for c in cuts)
    return (f"cut over {len(cuts)} draws: mean {statistics.fmean(points):.2f} points "
            f"({statistics.fmean(percents):.1f} %), from {min(points):.2f} to "
            f"{max(points):.2f}; standard error {se:.2f} points (mean over the draws)")
