"""The attempts ledger (`peaceops-attempts.jsonl`): each distinct submission time of a
learner's assignment is an attempt. Both graders append to it (`peaceops grade`, and
`nbgrader autograde` through `RecordAttempt`), so a pass rule can count attempts."""

from __future__ import annotations

import json
import os
from pathlib import Path

from nbgrader.utils import parse_utc

FILENAME = "peaceops-attempts.jsonl"


def submission_time(folder: Path) -> str:
    """The submission time from nbgrader's timestamp.txt, as ISO text ("" when absent)."""
    path = folder / "timestamp.txt"
    text = path.read_text().strip() if path.exists() else ""
    if not text:
        return ""
    try:
        return parse_utc(text).isoformat()
    except ValueError as exc:
        raise ValueError(f"{path} does not hold a time ({exc}); fix or delete it") from exc


class Ledger:
    """Attempt numbers by (student, assignment) and submission time, appended durably."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.known: dict[tuple[str, str], dict[str, int]] = {}
        for row in read_ledger(self.path):
            self.known.setdefault((row["student"], row["assignment"]), {})[row["timestamp"]] = \
                int(row["attempt"])

    def record(self, student: str, assignment: str, timestamp: str, score: float,
               max_score: float, fingerprint: str = "") -> int:
        """Append one line: a new time is a new attempt; grading the same submission again
        updates its attempt (the ledger's last line for it wins). Returns the attempt."""
        mine = self.known.setdefault((student, assignment), {})
        attempt = mine.setdefault(timestamp, len(mine) + 1)
        row = {"student": student, "assignment": assignment, "attempt": attempt,
               "timestamp": timestamp, "score": score, "max_score": max_score,
               "fingerprint": fingerprint}
        with open(self.path, "a", encoding="utf-8") as ledger:
            ledger.write(json.dumps(row) + "\n")
            ledger.flush()
            os.fsync(ledger.fileno())
        return attempt


def read_ledger(path: Path) -> list[dict]:
    """The ledger's attempts, one dict each: the latest line per attempt wins."""
    rows: dict[tuple, dict] = {}
    path = Path(path)
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
                rows[(row["student"], row["assignment"], row["attempt"])] = row
            except (ValueError, KeyError, TypeError, RecursionError):
                continue  # a torn last line after an interruption
    return list(rows.values())
