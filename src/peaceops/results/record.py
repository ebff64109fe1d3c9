"""The submission record (`peaceops-grading.json`, beside each graded notebook): one typed
record of a graded submission's per-item results and flags, written and read here only.
Writers: both graders (`peaceops.grading`); readers: `peaceops.results` (for `report`,
`export`, `certify`)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILENAME = "peaceops-grading.json"
SCHEMA = 2


@dataclass
class SubmissionRecord:
    """Per-item results of one graded submission, and what was odd about it."""

    student: str
    assignment: str
    notebook: str = ""
    timestamp: str = ""
    answers_sha256: str = ""
    results: dict[str, Any] = field(default_factory=dict)  # exercise id -> result (see below)
    flags: list[str] = field(default_factory=list)
    fingerprint: str = ""  # set by `peaceops grade`: what was graded (skips unchanged reruns)
    score: float | None = None  # the gradebook's score after grading (`peaceops grade`)
    max_score: float | None = None
    attempt: int = 1  # which attempt this is (the exam draws a new variant per attempt)
    cut: float | None = None  # the exam draw's pass mark in points (a per-draw cut rule)
    cut_se: float | None = None  # its standard error
    schema: int = SCHEMA

    def to_json(self) -> str:
        """Strict ASCII JSON on one line (json's C encoder only serves unindented output):
        learner text in it (a lone surrogate, a control character) is written escaped, so
        the record can always be written as UTF-8 and shown."""
        data = {f: v for f in self.__dataclass_fields__ if (v := getattr(self, f)) is not None}
        try:
            return json.dumps(data, default=str, allow_nan=False, ensure_ascii=True)
        except ValueError:  # a NaN or infinity somewhere (rare): walk the record
            return json.dumps(_finite(data), default=str, allow_nan=False, ensure_ascii=True)

    def write(self, folder: Path) -> None:
        (Path(folder) / FILENAME).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def from_json(cls, data: Any) -> SubmissionRecord:
        """Parse a decoded report; ValueError when it is not one."""
        if not isinstance(data, dict) or not isinstance(data.get("student"), str) or \
                not isinstance(data.get("assignment"), str):
            raise ValueError("not a peaceops submission record")
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})

    @classmethod
    def read(cls, folder: Path) -> SubmissionRecord:
        """The record in `folder`; OSError or ValueError when missing or unreadable."""
        return cls.read_file(Path(folder) / FILENAME)

    @classmethod
    def read_file(cls, path: Path | str) -> SubmissionRecord:
        """The record in the file at `path` (see `read`)."""
        with open(path, encoding="utf-8") as file:
            text = file.read()
        try:
            return cls.from_json(json.loads(text))
        except RecursionError as exc:
            raise ValueError("nested too deeply") from exc


def _finite(value: Any) -> Any:
    """NaN and infinities become None: the record is strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value
