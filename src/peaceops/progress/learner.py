"""A self-paced learner's progress, from their own saved files (nothing is graded here).

- practice: each lesson's "check your understanding" exercises, from the practice logs
  (`peaceops-practice.json`) that the practice widgets in JupyterLab write when the learner
  clicks Check, and that the built book's "My progress" page exports from the browser (a
  second download may be named `peaceops-practice (1).json`: every `peaceops-practice*.json`
  counts);
- assignments: for each graded exercise, how many items are answered and saved in the
  assignment folder's `peaceops-answers.json` (never whether they are right: keys of graded
  items are not on the learner's machine).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..content import load_course
from ..exercises import build
from ..exercises.practice_log import FILENAME as PRACTICE_LOG
from ..exercises.practice_log import read_log, record_check
from ..exercises.store import FILENAME, read


@dataclass
class Progress:
    practice: pd.DataFrame  # lesson, check, title, status, attempts, best, max
    assignments: pd.DataFrame  # assignment, exercise, answered, items, status, saved_at

    def summary(self) -> str:
        done = int((self.practice.status == "correct").sum())
        answered = int((self.assignments.status == "all answered").sum())
        return (f"Practice: {done} of {len(self.practice)} checks answered correctly. "
                f"Assignments: {answered} of {len(self.assignments)} graded exercises fully "
                "answered and saved.")


def _find(root: Path, name: str) -> list[Path]:
    return sorted(p for p in root.rglob(name) if ".ipynb_checkpoints" not in p.parts)


def merge_logs(logs: list[dict[str, dict]]) -> dict[str, dict]:
    """Practice logs of several files (JupyterLab's, the book's exports) as one: per check the
    best score, the first time it was right, the latest check, and the largest number of
    checks in one file (two exports of one browser overlap, so counts are not added)."""
    merged: dict[str, dict] = {}
    for log in logs:
        for check_id, entry in log.items():
            seen = merged.setdefault(check_id, {})
            for field in ("attempts", "best", "max"):
                value = entry.get(field)
                if isinstance(value, int | float) and not isinstance(value, bool):
                    seen[field] = max(seen.get(field, value), value)
            if isinstance(entry.get("last_at"), str) and entry["last_at"] >= seen.get("last_at", ""):
                seen["last_at"] = entry["last_at"]
            first = entry.get("first_correct_at")
            if isinstance(first, str) and first and (
                    not seen.get("first_correct_at") or first < seen["first_correct_at"]):
                seen["first_correct_at"] = first
    return merged


def progress(root: Path | str = ".") -> Progress:
    """The progress of the learner whose files are under `root` (their course folder)."""
    root = Path(root)
    course = load_course()
    pattern = PRACTICE_LOG.replace(".json", "*.json")
    log = merge_logs([read_log(path) for path in _find(root, pattern)])
    titles = dict(zip(course.lessons["id"], course.lessons["title"], strict=True))
    practice = []
    for check in course.checks.values():
        entry = log.get(check.id, {})
        if not entry:
            status = "not tried"
        elif entry.get("first_correct_at"):
            status = "correct"
        else:
            status = "tried"
        practice.append({"lesson": titles.get(check.lesson, check.lesson), "check": check.id,
                         "status": status, "attempts": entry.get("attempts", 0),
                         "best": entry.get("best", 0), "max": entry.get("max", "")})
    rows = []
    answer_files = _find(root, FILENAME)
    for assignment in course.assignments.values():
        files = [p for p in answer_files if p.parent.name == assignment.id]
        loaded = None
        for path in files:
            try:
                loaded = read(path)
            except (OSError, ValueError):
                continue
        for spec in assignment.exercises:
            record = loaded.records.get(spec.id) if loaded else None
            exercise, _ = build(course, spec, (loaded.learner if loaded else "") or None)
            answers = record.answers if record else {}
            answered = sum(1 for i in exercise.items if answers.get(i.id) not in (None, "", []))
            total = len(exercise.items)
            status = ("not started" if answered == 0 else
                      "all answered" if answered == total else "in progress")
            rows.append({"assignment": assignment.title, "exercise": spec.id,
                         "answered": answered, "items": total, "status": status,
                         "saved_at": record.saved_at if record else ""})
    return Progress(pd.DataFrame(practice), pd.DataFrame(rows))


__all__ = ["PRACTICE_LOG", "Progress", "merge_logs", "progress", "read_log", "record_check"]
