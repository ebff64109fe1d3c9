"""A cohort's graded results as tidy tables: what `report`, `export` and `certify` read.

Sources (all in the course directory, all written by grading, never by the learner's kernel):
the nbgrader gradebook (scores, manual grades included, and the students), each submission's
`autograded/<student>/<assignment>/peaceops-grading.json` (per-item results), and the
attempts ledger `peaceops-attempts.jsonl` that `peaceops grade` appends to.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring_ascii as _json_string
from pathlib import Path

import pandas as pd

from ..content import Assignment, CourseDir
from .attempt_ledger import FILENAME as ATTEMPTS
from .attempt_ledger import read_ledger
from .record import FILENAME as RECORD
from .record import SubmissionRecord

SUBMISSION_COLUMNS = ["student", "assignment", "score", "max_score", "timestamp",
                      "needs_manual_grade", "flagged", "flags"]
ITEM_COLUMNS = ["student", "assignment", "exercise", "kind", "item", "points", "max_points",
                "status", "answer", "accepted"]
ATTEMPT_COLUMNS = ["student", "assignment", "attempt", "timestamp", "score", "max_score"]
STUDENT_COLUMNS = ["student", "first_name", "last_name", "email", "lms_user_id"]


@dataclass
class Results:
    """One cohort's results.

    - ``submissions``: one row per graded submission: student, assignment, score (float,
      manual grades included), max_score, timestamp (ISO text or ""), needs_manual_grade
      (bool), flagged (bool), flags ("; "-joined reasons).
    - ``items``: one row per item answered or not: student, assignment, exercise, kind
      (role_matching, polarity_sorting, principle_weighing, quiz), item (a bank-wide id; a
      weighing item is "<scenario>/<principle>"), points, max_points, status (correct,
      incorrect, unanswered, invalid), answer (JSON text), accepted (JSON text: list of the
      accepted values; for a multiple-select item, a list of lists).
    - ``attempts``: student, assignment, attempt (1, 2, ...), timestamp, score, max_score:
      one row per distinct submission graded (a resubmission is a new attempt).
    - ``students``: student, first_name, last_name, email, lms_user_id ("" when unknown).
    - ``assignments``: the assignments of data/assignments.yaml, by id.
    """

    submissions: pd.DataFrame
    items: pd.DataFrame
    attempts: pd.DataFrame
    students: pd.DataFrame
    assignments: dict[str, Assignment]

    def name(self, student: str) -> str:
        """The learner's name as the gradebook has it, or the id."""
        rows = self.students[self.students["student"] == student]
        if rows.empty:
            return student
        first, last = rows.iloc[0]["first_name"], rows.iloc[0]["last_name"]
        return " ".join(p for p in (first, last) if p) or student


def load_results(course_dir: CourseDir, items: bool = True) -> Results:
    """Read the results of every graded submission in `course_dir` (from its gradebook,
    `CourseDir.gradebook_url`); with ``items=False`` the per-item table is left empty (its
    columns only): `export` needs only the rest. The gradebook is read without nbgrader
    (see `gradebook_tables`)."""
    db_url = course_dir.gradebook_url
    if (file := sqlite_file(db_url)) is not None and not file.exists():
        raise FileNotFoundError(
            f"no gradebook at {file}: run `peaceops grade` (or "
            "`nbgrader autograde`) in the course directory first"
        )
    assignments = course_dir.content().assignments
    with _collection_paused():
        return _load(course_dir, db_url, assignments, items)


def sqlite_file(db_url: str) -> Path | None:
    """The file of a SQLite gradebook's URL (None for a server database)."""
    return Path(db_url[len("sqlite:///"):]) if db_url.startswith("sqlite:///") else None


@contextlib.contextmanager
def _collection_paused():
    """Python's cyclic garbage collector paused while a cohort's records are read: it would
    run over and over on the 100,000s of (acyclic) dicts they decode to, and walk every
    object in memory each time (half the time `load_results` took on 1,000 learners)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _load(course_dir: CourseDir, db_url: str, assignments: dict[str, Assignment],
          items: bool) -> Results:
    from .gradebook_tables import read_gradebook  # SQLAlchemy: `peaceops verify` needs none

    # Each record is reduced to its flags and item rows as it is read, and let go: a
    # cohort's decoded records would take far more memory than the table made of them.
    flags: dict[tuple[str, str], list[str]] = {}
    item_rows: dict[tuple[str, str], list[list]] = {}
    rows_of = _ItemRows()
    for path in _record_files(course_dir.autograded):
        try:
            record = SubmissionRecord.read_file(path)
        except (OSError, ValueError, TypeError):
            continue  # counted as missing below
        key = (record.student, record.assignment)
        flags[key] = record.flags  # a later record of the same learner and assignment wins
        if items:
            item_rows[key] = rows_of(record)
    student_rows, rows = read_gradebook(db_url)
    students = [(sid, *(v or "" for v in rest)) for sid, *rest in student_rows]
    submissions = []
    for student, assignment, score, max_score, timestamp, manual, flagged_nb in rows:
        found = flags.get((student, assignment))
        reasons = found if found is not None else [f"{RECORD} is missing or unreadable"]
        submissions.append((student, assignment, float(score), float(max_score),
                            timestamp.isoformat() if timestamp else "", bool(manual),
                            bool(reasons) or bool(flagged_nb), "; ".join(reasons)))
    return Results(
        pd.DataFrame(submissions, columns=SUBMISSION_COLUMNS),
        _items(item_rows.values()) if items else pd.DataFrame(columns=ITEM_COLUMNS),
        read_attempts(course_dir.root / ATTEMPTS),
        pd.DataFrame(students, columns=STUDENT_COLUMNS),
        assignments,
    )


def _record_files(autograded: Path) -> Iterator[str]:
    """The paths of autograded/*/*/peaceops-grading.json (which may not exist), by student
    folder, then assignment folder: as the sorted glob, without a Path object for each."""
    for student in subfolders(autograded, hidden=True):  # what the glob "*" matches
        for assignment in subfolders(student.path, hidden=True):
            yield os.path.join(assignment.path, RECORD)


def subfolders(parent: Path | str, *, hidden: bool) -> list[os.DirEntry]:
    """The folders in `parent` (symbolic links to folders included), sorted by name;
    names starting with "." only with `hidden`; none when `parent` is not a readable
    folder."""
    try:
        with os.scandir(parent) as entries:
            found = [e for e in entries if (hidden or not e.name.startswith(".")) and e.is_dir()]
    except OSError:
        return []
    return sorted(found, key=lambda e: e.name)


def _items(records: Iterable[list[list]]) -> pd.DataFrame:
    """The item table (see `Results.items`) of each record's columns (see `_ItemRows`)."""
    records = list(records)
    columns = {name: list(itertools.chain.from_iterable(record[i] for record in records))
               for i, name in enumerate(ITEM_COLUMNS)}
    return pd.DataFrame(columns, columns=ITEM_COLUMNS)


class _ItemRows:
    """One record's rows of the item table, as a list per column of ITEM_COLUMNS. The texts
    that repeat across a cohort (ids, kinds, statuses, answers as JSON text) are interned:
    one string object each, not one per row."""

    def __init__(self):
        self.text = _JsonText()

    def __call__(self, record: SubmissionRecord) -> list[list]:
        text, intern = self.text, sys.intern
        columns: list[list] = [[] for _ in ITEM_COLUMNS]
        student, assignment, exercises, kinds, ids, points, max_points, status, answer, \
            accepted = columns
        for exercise, result in record.results.items():
            found = result.get("items", {})
            if not found:
                continue
            rows = found.values()
            exercises += [intern(exercise)] * len(found)
            kinds += [_interned(result["kind"])] * len(found)
            ids += map(intern, found)
            points += [r["points"] for r in rows]
            max_points += [r["max_points"] for r in rows]
            status += [_interned(r["status"]) for r in rows]
            answer += [text(r["answer"]) for r in rows]
            accepted += [text(r["accepted"]) for r in rows]
        student += [intern(record.student)] * len(ids)
        assignment += [intern(record.assignment)] * len(ids)
        return columns


def _interned(value):
    """`sys.intern` for a string; any other value as it is."""
    return sys.intern(value) if type(value) is str else value


class _JsonText:
    """`json.dumps(value, sort_keys=True)`, with one encoder for every call. The common
    answers (a string, a list of strings) are written by json's own C string encoder, once
    each: the text is kept (one string object per distinct answer) and found again."""

    def __init__(self):
        self.encode = json.JSONEncoder(sort_keys=True).encode
        self.known: dict[str | tuple[str, ...], str] = {}  # answer (a list as a tuple) -> text

    def __call__(self, value) -> str:
        kind = type(value)
        if kind is str:
            text = self.known.get(value)
            if text is None:
                text = self.known[value] = _json_string(value)
            return text
        if kind is list:
            try:
                key = tuple(value)
                text = self.known.get(key)  # only lists of strings are kept: a hit is one
            except TypeError:  # an unhashable element (a list, an object)
                return self.encode(value)
            if text is not None:
                return text
            if all(type(v) is str for v in value):
                text = self.known[key] = "[" + ", ".join(map(_json_string, value)) + "]"
                return text
        return self.encode(value)


def read_attempts(path: Path) -> pd.DataFrame:
    """The attempts ledger as a table (see `attempt_ledger.read_ledger`)."""
    frame = pd.DataFrame(read_ledger(path), columns=[*ATTEMPT_COLUMNS, "flagged", "cut"])
    frame["flagged"] = frame["flagged"].fillna(False).astype(bool)  # per attempt
    # the draw's own cut (a per-draw cut rule), None where none was recorded
    frame["cut"] = frame["cut"].astype(object).where(frame["cut"].notna(), None)
    return frame.sort_values(["student", "assignment", "attempt"], ignore_index=True)


__all__ = ["Results", "load_results", "read_attempts"]
