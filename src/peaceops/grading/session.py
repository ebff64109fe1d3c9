"""Exam sessions on the server's clock: the window and the time limit of the pass rule.

Two server times bound an attempt, never the learner's timestamp.txt:
- *started*: when the attempt's draw reached the learner: the earliest fetch of the exam
  (attempt 1) or of the last attempt's feedback (attempt k > 1, which tells the kernel its
  draw) after the previous attempt was received. The course's fetch commands leave a record
  in the exchange (`exchange.RecordedFetchAssignment`, `RecordedFetchFeedback`), whose
  change time (ctime, which no user can set back) is the server's.
- *received*: when the submission last changed in the exchange: the latest ctime in its
  inbound folder, read when it is collected (`exchange.OwnerCheckedCollect`).
`nbgrader collect` appends both to `peaceops-sessions.jsonl` in the course directory (the instructor's, never the learner's), keyed by the submission's
digest (`attempts.submission_digest`), where the graders read them.

An attempt received after the window closes (plus grace), before it opens, or later than
the time limit (plus grace) after it started, or without server times, is flagged, and a
flagged attempt is not certified (`certify.rule`).
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..content.certification import PassRule
from ..exercises.attempt import time_left

__all__ = ["FILENAME", "ServerTimes", "SessionLog", "attempt_flags", "ctime", "limited",
           "session_flags", "time_left"]

FILENAME = "peaceops-sessions.jsonl"


@dataclass(frozen=True)
class ServerTimes:
    """An attempt's times on the server's clock (None: no record)."""

    started: datetime | None
    received: datetime | None


def limited(rule: PassRule) -> bool:
    """Whether the rule sets a window or a time limit."""
    return bool(rule.opens or rule.closes or rule.time_limit_minutes)


def session_flags(rule: PassRule, attempt: int, times: ServerTimes) -> list[str]:
    """Why an attempt breaks the rule's session ([] if it does not): each flag names the
    attempt, the server times and the limit."""
    if not limited(rule):
        return []
    grace = timedelta(minutes=rule.grace_minutes)
    received, started = times.received, times.started
    if received is None:
        return [f"attempt {attempt}: no server record of when it was submitted (collect it "
                "with the course's nbgrader_config.py): not certified without one"]
    flags = []
    if rule.opens and received < rule.opens:
        flags.append(f"attempt {attempt} was received at {_at(received)}, before the exam "
                     f"opened ({_at(rule.opens)})")
    if rule.closes and received > rule.closes + grace:
        flags.append(f"attempt {attempt} was received at {_at(received)}, after the exam "
                     f"closed ({_at(rule.closes)}, grace {rule.grace_minutes:g} min): late")
    if rule.time_limit_minutes:
        if started is None:
            flags.append(f"attempt {attempt}: no server record of when it was fetched: its "
                         "time cannot be checked")
        elif received - started > timedelta(minutes=rule.time_limit_minutes) + grace:
            used = (received - started).total_seconds() / 60
            flags.append(f"attempt {attempt} took {used:.0f} min from fetch ({_at(started)}) to "
                         f"submission ({_at(received)}), over the {rule.time_limit_minutes:g} "
                         f"min limit (grace {rule.grace_minutes:g} min): overtime")
    return flags


class SessionLog:
    """`peaceops-sessions.jsonl`: per collected submission (by its digest), when it was
    received and when the learner fetched anything of the exam, on the server's clock."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @classmethod
    def of(cls, course_root: Path | str) -> SessionLog:
        """The session log of a course (`FILENAME` in its root)."""
        return cls(Path(course_root) / FILENAME)

    def record(self, student: str, assignment: str, submission: str, received: datetime,
               fetched: Iterable[datetime]) -> None:
        row = {"student": student, "assignment": assignment, "submission": submission,
               "received": received.isoformat(),
               "fetched": sorted(t.isoformat() for t in fetched)}
        with open(self.path, "a", encoding="utf-8") as log:
            log.write(json.dumps(row, ensure_ascii=True) + "\n")
            log.flush()
            os.fsync(log.fileno())

    def rows(self, student: str, assignment: str) -> dict[str, dict]:
        """submission digest -> its latest row."""
        return self._all.get((student, assignment), {})

    @functools.cached_property
    def _all(self) -> dict[tuple[str, str], dict[str, dict]]:
        """Every row, read once (a grading run reads the log, collect only appends)."""
        found: dict[tuple[str, str], dict[str, dict]] = {}
        if not self.path.exists():
            return found
        with self.path.open(encoding="utf-8", errors="replace") as log:
            for line in log:
                try:
                    row = json.loads(line)
                    key = (row["student"], row["assignment"])
                    found.setdefault(key, {})[row["submission"]] = row
                except (ValueError, KeyError, TypeError):
                    continue  # a torn or foreign line
        return found

    def times(self, student: str, assignment: str, submission: str,
              earlier: Iterable[str] = ()) -> ServerTimes:
        """The server times of `submission`; `earlier`: the digests of the learner's earlier
        attempts (its start is the first fetch after the last of them was received)."""
        rows = self.rows(student, assignment)
        row = rows.get(submission)
        if row is None:
            return ServerTimes(None, None)
        received = _moment(row["received"])
        before = [_moment(rows[s]["received"]) for s in earlier if s in rows]
        after = max((t for t in before if t), default=None)
        fetched = sorted(t for t in map(_moment, row.get("fetched", [])) if t)
        started = next((t for t in fetched if after is None or t > after), None)
        return ServerTimes(started, received)


def attempt_flags(rule: PassRule, log: SessionLog, ledger, student: str, assignment: str,
                  submission: str) -> list[str]:
    """The session flags of a submission about to be graded (`ledger`: the attempts ledger,
    which numbers it and knows the earlier attempts' digests)."""
    if not limited(rule) or assignment != rule.exam:
        return []
    attempt = ledger.attempt_for(student, assignment, submission)
    earlier = [s for s, (number, _, _) in ledger.known.get((student, assignment), {}).items()
               if number < attempt]
    return session_flags(rule, attempt, log.times(student, assignment, submission, earlier))


def ctime(path: Path | str) -> datetime:
    """The latest change time (the server's clock) of `path` and everything in it, links
    not followed: no user can set a ctime back."""
    latest = os.lstat(path).st_ctime
    for folder, folders, files in os.walk(path):
        for name in folders + files:
            latest = max(latest, os.lstat(os.path.join(folder, name)).st_ctime)
    return datetime.fromtimestamp(latest, UTC)


def _moment(text) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def _at(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
