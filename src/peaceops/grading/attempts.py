"""The attempts ledger (`peaceops-attempts.jsonl`), written: each distinct submission the
grader sees (answers file and notebook) of a learner's assignment is an attempt. Both graders
append to it (`peaceops grade`, and `nbgrader autograde` through `RecordAttempt`), so a pass
rule can count attempts. Its lines are read by `peaceops.results.attempt_ledger`."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from ..results.attempt_ledger import FILENAME, latest, line_digest, read_ledger, row_of

__all__ = ["FILENAME", "Ledger", "read_ledger", "submission_digest", "submission_time"]


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

    @classmethod
    def of(cls, course_root: Path | str) -> Ledger:
        """The attempts ledger of a course (`FILENAME` in its root)."""
        return cls(Path(course_root) / FILENAME)

    @functools.cached_property
    def known(self) -> dict[tuple[str, str], dict[str, tuple[int, str, bytes]]]:
        """(student, assignment) -> submission -> (attempt, timestamp, digest of its latest
        line), read from the file on first use (a run that grades nothing new never reads
        it): only what numbering, the time check and `append` need, not whole rows (a
        cohort's ledger has a line per submission: whole rows were most of a
        50,000-submission run's memory)."""
        known: dict[tuple[str, str], dict[str, tuple[int, str, bytes]]] = {}
        for (student, assignment, attempt), seen in latest(self.path).items():
            submission, timestamp, digest = seen
            known.setdefault((student, assignment), {})[submission] = (attempt, timestamp,
                                                                       digest)
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
        earlier = [when for s, (number, when, _) in mine.items()
                   if s != submission and number < attempt]
        late = max((when for when in earlier if when), default="")
        if earlier and (not timestamp or (late and timestamp <= late)):
            return [f"attempt {attempt}'s submission time ({timestamp or 'none'}) is not after "
                    f"an earlier attempt's ({late or 'none'}): check for a reused or backdated "
                    "timestamp"]
        return []

    def record(self, student: str, assignment: str, timestamp: str, score: float,
               max_score: float, submission: str, flags: list[str] = (),
               cut: float | None = None) -> int:
        """Append one line (the ledger's last line for an attempt wins). Returns the attempt."""
        row = self.row(student, assignment, timestamp, score, max_score, submission, flags,
                       cut)
        self.append([row])
        return row["attempt"]

    def row(self, student: str, assignment: str, timestamp: str, score: float,
            max_score: float, submission: str, flags: list[str] = (),
            cut: float | None = None) -> dict:
        """The ledger line of a graded submission (not written yet: see `append`); `cut`:
        the exam draw's own pass mark in points, under a per-draw cut rule."""
        row = {"student": student, "assignment": assignment,
               "attempt": self.attempt_for(student, assignment, submission),
               "timestamp": timestamp, "score": score, "max_score": max_score,
               "submission": submission, "flagged": bool(flags), "flags": list(flags)}
        if cut is not None:
            row["cut"] = cut
        return row

    def append(self, rows: list[dict], remember: bool = True) -> None:
        """Append lines in one write and one fsync (a batch of graded submissions). A line
        equal to its attempt's latest one is not written again (a run killed after writing
        it grades the submission again, to the same line). A torn last line left by a
        killed write is removed first (one that reads as an attempt is ended instead), so it
        never swallows a new line. `remember=False` keeps them out of `known`, for a caller
        that never asks about their (student, assignment) again (a cohort run grades each
        once)."""
        lines = []
        for row in rows:
            # ASCII JSON: learner text (a lone surrogate, a control character) is escaped
            line = json.dumps(row, ensure_ascii=True)
            mine = self.known.get((row["student"], row["assignment"]), {})
            seen = mine.get(row["submission"])
            digest = line_digest(line)
            if seen and seen[0] == row["attempt"] and seen[2] == digest:
                continue
            lines.append(line)
            if remember:
                self.known.setdefault((row["student"], row["assignment"]), {})[
                    row["submission"]] = (row["attempt"], row["timestamp"], digest)
        if not lines:
            return
        text = "".join(line + "\n" for line in lines)
        with open(self.path, "a+b") as ledger:
            text = _after_torn_line(ledger) + text
            ledger.write(text.encode("utf-8"))
            ledger.flush()
            os.fsync(ledger.fileno())


def _after_torn_line(ledger: BinaryIO) -> str:
    """Make the ledger (open to append) end with a whole line: a torn last line, which a
    killed write left and `results.attempt_ledger` passes over, is cut off; a last line that reads as an
    attempt but lacks its newline (an edited ledger) is kept. Returns what to write first
    ("\n" for such a line)."""
    end = ledger.seek(0, os.SEEK_END)
    if end == 0:
        return ""
    start, tail = end, b""
    while start > 0 and b"\n" not in tail:  # back to the last newline, a block at a time
        start = max(0, start - 65536)
        ledger.seek(start)
        tail = ledger.read(end - start)
    cut = tail.rfind(b"\n") + 1  # 0 when the ledger holds no newline at all
    torn = tail[cut:]
    if not torn:
        return ""
    if row_of(torn.decode("utf-8", "replace")) is not None:
        return "\n"
    ledger.truncate(start + cut)
    return ""
