"""Reading a submission's files safely: regular files only, bounded in size.

A learner controls what is in their submission folder. A FIFO would hang the grader, a
symlink could point at another learner's notebook, at the keys or at /dev/zero, and a huge
file could exhaust memory; each is refused with a flag for the instructor, and grading goes
on. `read_regular` is the one way the graders read a file of a submission: the answers file,
the notebook, and the small files nbgrader writes beside them (`SMALL_FILES`).
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
#: nbgrader's submission time and the secret `release_feedback` hashes, copied to autograded/.
TIMESTAMP = "timestamp.txt"
SMALL_FILES = (TIMESTAMP, "submission_secret.txt")
MAX_SMALL = 64 * 1024  # nbgrader writes a few dozen bytes (a time) or 128 (a secret)


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
    small: dict[str, bytes] = field(default_factory=dict)  # SMALL_FILES read, by name

    @property
    def timestamp(self) -> bytes | None:
        """timestamp.txt's bytes (None when absent or refused)."""
        return self.small.get(TIMESTAMP)


def read_submission(folder: Path, notebook: str) -> Intake:
    """The answers file, the notebook `<notebook>.ipynb` and the `SMALL_FILES` of a
    submission folder, each read by `read_regular`, and why any was refused."""
    folder = Path(folder)
    answers, why_answers = read_regular(folder / FILENAME, MAX_ANSWERS)
    nb, why_nb = read_regular(folder / f"{notebook}.ipynb", MAX_NOTEBOOK)
    flags = [w for w in (why_answers, why_nb) if w]
    small = {}
    for name in SMALL_FILES:
        data, why = read_regular(folder / name, MAX_SMALL)
        if data is not None:
            small[name] = data
        elif why:
            flags.append(why)
    return Intake(answers, nb, flags, small)
