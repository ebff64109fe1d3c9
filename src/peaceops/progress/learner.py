"""A self-paced learner's progress, from their own saved files (nothing is graded here).

- practice: each lesson's "check your understanding" exercises, from the practice logs
  (`peaceops-practice.json`) that the practice widgets in JupyterLab write when the learner
  clicks Check, and that the built book's "My progress" page exports from the browser (a
  second download may be named `peaceops-practice (1).json`: every `peaceops-practice*.json`
  counts);
- assignments: for each graded exercise, how many items are answered and saved in the
  assignment folder's `peaceops-answers.json` (never whether they are right: keys of graded
  items are not on the learner's machine), counted over the items drawn for THIS learner.

It is one learner's view: a folder holding `submitted/` or answers files of several learners
is refused (`MixedLearners`), never silently mixed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..content import load_course
from ..content.language import language
from ..content.messages import N_, _
from ..exercises import build
from ..exercises.attempt import attempt_in
from ..exercises.identity import resolve
from ..exercises.practice_log import FILENAME as PRACTICE_LOG
from ..exercises.practice_log import read_log, record_check
from ..exercises.store import FILENAME, Loaded, read

NO_LEARNER = N_(
    "Your learner id is not set yet: it decides which questions each graded exercise draws "
    "for you, so 'items' shows how many will be drawn. Set it once, in your course folder: "
    "`peaceops learner set <the id your instructor gave you>` (or, for one session, "
    "`export PEACEOPS_LEARNER=<your id>`)."
)


class MixedLearners(ValueError):
    """The folder holds the files of more than one learner."""


@dataclass
class Progress:
    practice: pd.DataFrame  # lesson, check, title, status, attempts, best, max
    assignments: pd.DataFrame  # assignment, exercise, answered, items, status, saved_at
    learner: str = ""  # "" while the learner id is not set

    def summary(self) -> str:
        done = int((self.practice.status == "correct").sum())
        answered = int((self.assignments.status == "all answered").sum())
        text = _("Practice: {done} of {checks} checks answered correctly. Assignments: "
                 "{answered} of {exercises} graded exercises fully answered and saved.").format(
            done=done, checks=len(self.practice), answered=answered,
            exercises=len(self.assignments))
        return text if self.learner else f"{text}\n{_(NO_LEARNER)}"


def _find(root: Path, name: str) -> list[Path]:
    return sorted(p for p in root.rglob(name) if ".ipynb_checkpoints" not in p.parts)


def _one_learner(root: Path, answer_files: list[Path]) -> tuple[str, dict[Path, Loaded]]:
    """The learner whose answers files are under `root`, and the readable files; raises
    MixedLearners, saying where to run instead, if they belong to several learners."""
    submitted = root / "submitted"
    if submitted.is_dir():
        raise MixedLearners(
            f"{root} holds submitted/, the collected submissions of several learners: "
            "`peaceops progress` shows one learner's own progress and never mixes learners. "
            "Run it in your own course folder (the folder holding your assignment folders), "
            f"or, for one collected learner, in {submitted / '<learner id>'}."
        )
    loaded: dict[Path, Loaded] = {}
    folders: dict[str, set[Path]] = {}
    for path in answer_files:
        try:
            loaded[path] = read(path)
        except (OSError, ValueError):
            continue
        for learner in {loaded[path].learner, *(r.learner for r in loaded[path].records.values())}:
            if learner:
                folders.setdefault(learner, set()).add(path.parent.parent)
    if len(folders) > 1:
        where = "; ".join(
            f"{learner}: {os.path.commonpath([str(f) for f in sorted(paths)])}"
            for learner, paths in sorted(folders.items())
        )
        raise MixedLearners(
            f"{root} holds the answers files of {len(folders)} learners ({where}). "
            "`peaceops progress` shows one learner's own progress and never mixes learners: "
            "run it in the course folder of one learner (listed above)."
        )
    saved = next(iter(folders), "")
    return (saved or resolve(root)), loaded


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
    """The progress of the learner whose files are under `root` (their course folder).
    Raises MixedLearners if `root` holds the files of several learners."""
    root = Path(root)
    learner, readable = _one_learner(root, _find(root, FILENAME))
    course = load_course(language=language())  # lesson titles in the learner's language
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
    for assignment in course.assignments.values():
        files = [p for p in readable if p.parent.name == assignment.id]
        loaded = readable[files[-1]] if files else None
        attempt = attempt_in(files[-1].parent) if files else 1  # the draw the notebook shows
        for spec in assignment.exercises:
            record = loaded.records.get(spec.id) if loaded else None
            exercise, _key = build(course, spec, learner or None, attempt=attempt)
            answers = record.answers if record else {}
            answered = sum(1 for i in exercise.items if answers.get(i.id) not in (None, "", []))
            # the learner's own draw; before the id is set, how many items will be drawn
            total = len(exercise.items) if learner or not spec.draw else spec.draw
            answered = min(answered, total)
            status = ("not started" if answered == 0 else
                      "all answered" if answered == total else "in progress")
            rows.append({"assignment": assignment.title, "exercise": spec.id,
                         "answered": answered, "items": total, "status": status,
                         "saved_at": record.saved_at if record else ""})
    return Progress(pd.DataFrame(practice), pd.DataFrame(rows), learner)


__all__ = ["PRACTICE_LOG", "MixedLearners", "Progress", "merge_logs", "progress", "read_log",
           "record_check"]
