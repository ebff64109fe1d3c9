"""The attempts ledger (`peaceops-attempts.jsonl`): each distinct submission the grader sees
(answers file and notebook) of a learner's assignment is an attempt. Both graders append to it (`peaceops grade`, and
`nbgrader autograde` through `RecordAttempt`), so a pass rule can count attempts."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

FILENAME = "peaceops-attempts.jsonl"


def submission_time(data: bytes | None, path: Path | str = "timestamp.txt") -> str:
    """The submission time in nbgrader's timestamp.txt, as ISO text ("" when absent). `data`
    is the file's bytes, read by `grading.intake` (never directly: it may be a FIFO);
    `path` names it in the error raised when it holds no time."""
    text = data.decode("utf-8-sig", errors="replace").strip() if data else ""
    if not text:
        return ""
    try:
        return _nbgrader_time(text).isoformat()
    except (ValueError, OverflowError) as exc:
        raise ValueError(f"{path} does not hold a time ({exc}); fix or delete it") from exc


def _nbgrader_time(text: str) -> datetime:
    """nbgrader's `parse_utc`, with nbgrader's own format ("2026-11-22 10:00:00.000000 UTC",
    as `nbgrader submit` writes it) read without dateutil's general parser, and nbgrader
    imported only for another format (importing it costs 1-2 s: the ledger's readers,
    `report` and `export`, need none of it)."""
    if text.endswith(" UTC"):
        with contextlib.suppress(ValueError):
            return datetime.strptime(text[:-4], "%Y-%m-%d %H:%M:%S.%f")
    from nbgrader.utils import parse_utc

    return parse_utc(text)


def submission_digest(answers: bytes | None, notebook: bytes | None) -> str:
    """What identifies an attempt: the answers file and the notebook the grader sees (a
    learner-written timestamp does not: it can be reused or backdated)."""
    parts = [hashlib.sha256(b).hexdigest() if b is not None else "-" for b in (answers, notebook)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class Ledger:
    """Attempt numbers by (student, assignment): each new submission the grader sees (a new
    answers/notebook digest) is a new attempt; grading it again keeps its number."""

    def __init__(self, path: Path):
        self.path = Path(path)

    @functools.cached_property
    def known(self) -> dict[tuple[str, str], dict[str, tuple[int, str]]]:
        """(student, assignment) -> submission -> (attempt, timestamp), read from the file
        on first use (a run that grades nothing new never reads it): only what numbering
        and the time check need, not whole rows (a cohort's ledger has a line per
        submission: whole rows were most of a 50,000-submission run's memory)."""
        known: dict[tuple[str, str], dict[str, tuple[int, str]]] = {}
        for (student, assignment, attempt), (submission, timestamp) in _latest(self.path).items():
            known.setdefault((student, assignment), {})[submission] = (attempt, timestamp)
        return known

    def attempt_for(self, student: str, assignment: str, submission: str) -> int:
        """The attempt number of `submission` (a new one counts next)."""
        mine = self.known.get((student, assignment), {})
        return int(mine[submission][0]) if submission in mine else len(mine) + 1

    def time_flags(self, student: str, assignment: str, submission: str,
                   timestamp: str) -> list[str]:
        """A flag when a new attempt's submission time is not after every earlier one's."""
        mine = self.known.get((student, assignment), {})
        attempt = self.attempt_for(student, assignment, submission)
        earlier = [when for s, (number, when) in mine.items()
                   if s != submission and number < attempt]
        late = max((when for when in earlier if when), default="")
        if earlier and (not timestamp or (late and timestamp <= late)):
            return [f"attempt {attempt}'s submission time ({timestamp or 'none'}) is not after "
                    f"an earlier attempt's ({late or 'none'}): check for a reused or backdated "
                    "timestamp"]
        return []

    def record(self, student: str, assignment: str, timestamp: str, score: float,
               max_score: float, submission: str, flags: list[str] = ()) -> int:
        """Append one line (the ledger's last line for an attempt wins). Returns the attempt."""
        row = self.row(student, assignment, timestamp, score, max_score, submission, flags)
        self.append([row])
        return row["attempt"]

    def row(self, student: str, assignment: str, timestamp: str, score: float,
            max_score: float, submission: str, flags: list[str] = ()) -> dict:
        """The ledger line of a graded submission (not written yet: see `append`)."""
        return {"student": student, "assignment": assignment,
                "attempt": self.attempt_for(student, assignment, submission),
                "timestamp": timestamp, "score": score, "max_score": max_score,
                "submission": submission, "flagged": bool(flags), "flags": list(flags)}

    def append(self, rows: list[dict], remember: bool = True) -> None:
        """Append lines in one write and one fsync (a batch of graded submissions). A torn
        last line left by a killed run is ended first, so it never swallows a new line.
        `remember=False` keeps them out of `known`, for a caller that never asks about
        their (student, assignment) again (a cohort run grades each once)."""
        if not rows:
            return
        for row in rows if remember else ():
            self.known.setdefault((row["student"], row["assignment"]), {})[
                row["submission"]] = (row["attempt"], row["timestamp"])
        # ASCII JSON: learner text (a lone surrogate, a control character) is escaped
        text = "".join(json.dumps(row, ensure_ascii=True) + "\n" for row in rows)
        with open(self.path, "a+b") as ledger:
            if ledger.tell() > 0:
                ledger.seek(-1, os.SEEK_END)
                if ledger.read(1) != b"\n":
                    text = "\n" + text
            ledger.write(text.encode("utf-8"))
            ledger.flush()
            os.fsync(ledger.fileno())


def read_ledger(path: Path) -> list[dict]:
    """The ledger's attempts, one dict each: the latest line per attempt wins."""
    return list(dict(_lines(Path(path))).values())


def _latest(path: Path) -> dict[tuple[str, str, int], tuple[str, str]]:
    """(student, assignment, attempt) -> (submission, timestamp), the latest line per attempt
    winning as in `read_ledger`; a line without a submission digest (an older ledger) is
    known by its time."""
    return {key: (row.get("submission") or f"time:{row.get('timestamp', '')}",
                  row.get("timestamp") or "")
            for key, row in _lines(path)}


def _lines(path: Path) -> Iterator[tuple[tuple, dict]]:
    """Each readable line of the ledger with its (student, assignment, attempt), read one
    at a time; a torn last line after an interruption (or any line that is not an attempt)
    is left out."""
    if not path.exists():
        return
    with path.open(encoding="utf-8") as ledger:
        for line in ledger:
            try:
                row = json.loads(line)
                key = (row["student"], row["assignment"], row["attempt"])
                hash(key)
            except (ValueError, KeyError, TypeError, RecursionError):
                continue
            yield key, row
