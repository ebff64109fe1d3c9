"""Durable answers: a JSON file beside the notebook, written atomically on every change.

File layout (schema 1)::

    {"schema": 1, "learner": "amina", "exercises": {
        "<exercise id>": {"exercise": "<id>", "variant": "…", "learner": "amina",
                          "saved_at": "2026-11-22T15:32:10+00:00", "answers": {"<item>": …}}}}

A file that cannot be read is renamed aside (never overwritten) and the learner is told.
Every save reads, merges and replaces the file under an exclusive lock (`fcntl.flock` on
``peaceops-answers.json.lock`` beside it), so that stores of several widgets or kernels
saving to one folder never lose each other's updates.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..content.messages import _

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; saves of one kernel stay safe
    fcntl = None

SCHEMA = 1
FILENAME = "peaceops-answers.json"


@dataclass
class Record:
    exercise: str
    variant: str
    learner: str
    saved_at: str
    answers: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"exercise": self.exercise, "variant": self.variant, "learner": self.learner,
                "saved_at": self.saved_at, "answers": self.answers}


@dataclass
class Loaded:
    learner: str
    records: dict[str, Record]
    problems: list[str] = field(default_factory=list)  # what was wrong, for the learner


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def parse(data: Any) -> Loaded:
    """Validate a decoded answers file. Bad entries are dropped and described, never raised."""
    if not isinstance(data, dict):
        raise ValueError("the file does not hold a JSON object")
    if data.get("schema") != SCHEMA:
        raise ValueError(f"unknown schema version {data.get('schema')!r} (expected {SCHEMA})")
    exercises = data.get("exercises", {})
    if not isinstance(exercises, dict):
        raise ValueError("'exercises' is not an object")
    learner = data.get("learner") if isinstance(data.get("learner"), str) else ""
    records, problems = {}, []
    for exercise_id, entry in exercises.items():
        try:
            record = Record(
                exercise=_str(entry, "exercise"),
                variant=_str(entry, "variant"),
                learner=_str(entry, "learner"),
                saved_at=_str(entry, "saved_at"),
                answers=entry["answers"] if isinstance(entry.get("answers"), dict) else _bad("answers"),
            )
        except (AttributeError, KeyError, TypeError, ValueError) as exc:
            problems.append(f"the saved answers of '{exercise_id}' are unreadable ({exc})")
            continue
        if record.exercise != exercise_id:
            problems.append(f"the entry '{exercise_id}' holds answers of '{record.exercise}'")
            continue
        records[exercise_id] = record
    return Loaded(learner, records, problems)


def _str(entry: dict, name: str) -> str:
    value = entry[name]
    if not isinstance(value, str):
        raise ValueError(f"'{name}' is not text")
    return value


def _bad(name: str):
    raise ValueError(f"'{name}' is not an object")


def read(path: Path) -> Loaded:
    """Read an answers file for grading: raises ValueError (with the reason) if unreadable."""
    return loads(Path(path).read_bytes())


def loads(data: bytes) -> Loaded:
    """`read`, from the file's bytes (UTF-8, with or without a byte-order mark)."""
    try:
        decoded = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not valid JSON ({exc})") from exc
    except RecursionError as exc:
        raise ValueError("nested too deeply to be an answers file") from exc
    return parse(decoded)


class AnswerStore:
    """The learner's answers file in `folder` (the notebook's folder)."""

    def __init__(self, folder: Path | str = ".", filename: str = FILENAME):
        self.path = Path(folder) / filename
        self.messages: list[str] = []
        self._loaded = self._load()

    @property
    def learner(self) -> str:
        return self._loaded.learner

    def record(self, exercise_id: str) -> Record | None:
        return self._loaded.records.get(exercise_id)

    def save(self, exercise_id: str, variant: str, learner: str, answers: dict[str, Any]) -> Record:
        record = Record(exercise_id, variant, learner, now(), dict(answers))
        with self._locked():
            self._merge_saved()
            self._loaded.records[exercise_id] = record
            if learner and not self._loaded.learner:
                self._loaded.learner = learner
            self._write()
        return record

    def set_learner(self, learner: str) -> None:
        with self._locked():
            self._merge_saved()
            self._loaded.learner = learner
            self._write()

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the exclusive lock of the answers file (merge and replace as one step)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_name(self.path.name + ".lock"), "a") as lock:
            if fcntl is not None:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                if fcntl is not None:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _merge_saved(self) -> None:
        """Take in what other stores of this file (the other exercises of the notebook, each
        with its own store) saved since this one loaded, so that a write never drops them."""
        try:
            saved = read(self.path)
        except (OSError, ValueError):  # no file yet, or unreadable (already set aside on load)
            return
        self._loaded.records.update(saved.records)
        if not self._loaded.learner:
            self._loaded.learner = saved.learner

    # -- internals ----------------------------------------------------------------------

    def _load(self) -> Loaded:
        if not self.path.exists():
            return Loaded("", {})
        try:
            loaded = read(self.path)
        except (OSError, ValueError) as exc:
            kept = self._set_aside(rename=True)
            self.messages.append(_(
                "Your answers file {file} could not be read ({error}). It was kept as "
                "{kept} and nothing was restored; your new answers go to a fresh file. "
                "Tell your instructor if you need the old answers."
            ).format(file=self.path.name, error=exc, kept=kept.name))
            return Loaded("", {})
        if loaded.problems:
            kept = self._set_aside(rename=False)
            self.messages.append(_(
                "Some saved answers could not be restored: {problems}. A copy of the file as "
                "it was is kept as {kept}."
            ).format(problems="; ".join(loaded.problems), kept=kept.name))
        return loaded

    def _set_aside(self, rename: bool) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        kept = self.path.with_name(f"{self.path.stem}.unreadable-{stamp}{self.path.suffix}")
        if rename:
            os.replace(self.path, kept)
        else:
            kept.write_bytes(self.path.read_bytes())
        return kept

    def _write(self) -> None:
        data = {
            "schema": SCHEMA,
            "learner": self._loaded.learner,
            "exercises": {k: r.to_json() for k, r in sorted(self._loaded.records.items())},
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, indent=1, sort_keys=True)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
