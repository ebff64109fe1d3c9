"""The practice log: each Check of a practice exercise, kept beside the lesson notebook
(written through the widget's `on_check`; read by `peaceops progress`).

File layout (``peaceops-practice.json``, schema 1)::

    {"schema": 1, "checks": {"<check id>": {"attempts": 3, "last": 1, "best": 2, "max": 2,
                                             "last_at": "…", "first_correct_at": "…"}}}

The built book's export adds each check's last answers (`"answers": {"<item id>": …}`, shown
again on a reload and carried by an import); readers here ignore them.

Practice keys are public, so this is the learner's own record, not a grade.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from .store import now

FILENAME = "peaceops-practice.json"
SCHEMA = 1


def read_log(path: Path) -> dict[str, dict[str, Any]]:
    """The checks recorded in a practice log; an unreadable file reads as empty."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    checks = data.get("checks") if isinstance(data, dict) else None
    return {k: v for k, v in (checks or {}).items() if isinstance(v, dict)}


def record_check(folder: Path | str, check_id: str, points: int, max_points: int) -> None:
    """Add one Check to the log in `folder` (atomic write; never raises on a full disk)."""
    path = Path(folder) / FILENAME
    checks = read_log(path)
    entry = checks.get(check_id, {"attempts": 0, "best": 0, "first_correct_at": None})
    entry.update(attempts=int(entry.get("attempts", 0)) + 1, last=points, max=max_points,
                 best=max(int(entry.get("best", 0)), points), last_at=now())
    if points == max_points and not entry.get("first_correct_at"):
        entry["first_correct_at"] = entry["last_at"]
    checks[check_id] = entry
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{FILENAME}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"schema": SCHEMA, "checks": checks}, handle, indent=1, sort_keys=True)
        os.replace(tmp, path)
    except OSError:
        pass  # practice goes on; the log is a convenience
