"""Reading a submission's files safely: regular files only, bounded in size.

A learner controls what is in their submission folder. A FIFO would hang the grader, a
symlink could point at another learner's notebook or at the keys, and a huge file could
exhaust memory; each is refused with a flag for the instructor, and grading goes on.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ..exercises.store import FILENAME

#: Largest answers file and notebook read (a real one is a few kB and a few hundred kB).
MAX_ANSWERS = 2 * 1024 * 1024
MAX_NOTEBOOK = 20 * 1024 * 1024


def read_regular(path: Path, limit: int) -> tuple[bytes | None, str]:
    """The bytes of `path` if it is a regular file within `limit` bytes; else None and why
    ("" when it simply does not exist). Never follows a symlink, never blocks on a FIFO."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None, ""
    except OSError as exc:  # ELOOP: a symlink; EACCES …
        kind = "a symbolic link" if os.path.islink(path) else f"unreadable ({exc.strerror})"
        return None, f"{path.name} is {kind}: not read (submit regular files only)"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, f"{path.name} is not a regular file: not read (submit regular files only)"
        if info.st_size > limit:
            return None, (f"{path.name} is {info.st_size:,} bytes, over the {limit:,}-byte "
                          "limit: not read")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            return None, f"{path.name} grew over the {limit:,}-byte limit: not read"
        return data, ""
    finally:
        os.close(fd)


@dataclass
class Intake:
    """What the grader reads of one submission folder."""

    answers: bytes | None
    notebook: bytes | None
    flags: list[str] = field(default_factory=list)


def read_submission(folder: Path, notebook: str) -> Intake:
    """The answers file and the notebook `<notebook>.ipynb` of a submission folder."""
    answers, why_answers = read_regular(folder / FILENAME, MAX_ANSWERS)
    nb, why_nb = read_regular(folder / f"{notebook}.ipynb", MAX_NOTEBOOK)
    return Intake(answers, nb, [w for w in (why_answers, why_nb) if w])
