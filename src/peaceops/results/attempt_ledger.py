"""The attempts ledger (`peaceops-attempts.jsonl`), read: one JSON line per graded attempt,
appended by the graders (`peaceops.grading.attempts`); the latest line of an attempt wins,
and a torn last line (a killed write) is passed over."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

FILENAME = "peaceops-attempts.jsonl"


def line_digest(line: str) -> bytes:
    """What identifies a ledger line's text (16 bytes, not the line, are kept per attempt)."""
    return hashlib.blake2b(line.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def read_ledger(path: Path) -> list[dict]:
    """The ledger's attempts, one dict each: the latest line per attempt wins."""
    return list({key: row for key, row, _ in _lines(Path(path))}.values())


def latest(path: Path) -> dict[tuple[str, str, int], tuple[str, str, bytes]]:
    """(student, assignment, attempt) -> (submission, timestamp, digest of the line), the
    latest line per attempt winning as in `read_ledger`; a line without a submission digest
    (an older ledger) is known by its time."""
    return {key: (row.get("submission") or f"time:{row.get('timestamp', '')}",
                  row.get("timestamp") or "", line_digest(line))
            for key, row, line in _lines(path)}


def _lines(path: Path) -> Iterator[tuple[tuple, dict, str]]:
    """Each readable line of the ledger with its (student, assignment, attempt) and text
    (without its newline), read one at a time; a torn last line after an interruption (or
    any line that is not an attempt) is left out."""
    if not path.exists():
        return
    with path.open(encoding="utf-8", errors="surrogateescape") as ledger:
        for line in ledger:
            line = line.rstrip("\n")
            row = row_of(line)
            if row is not None:
                yield row[0], row[1], line


def row_of(line: str) -> tuple[tuple, dict] | None:
    """A ledger line's (student, assignment, attempt) and row; None when it is no attempt."""
    try:
        row = json.loads(line)
        key = (row["student"], row["assignment"], row["attempt"])
        hash(key)
    except (ValueError, KeyError, TypeError, RecursionError):
        return None
    return key, row
