"""A course's per-learner folders (`submitted/`, `autograded/`): listed with `os.scandir`
(one system call per folder and no Path object per entry, for cohorts of 10,000; `scan`
also says why each entry of `submitted/` that the graders pass over is not graded), and an
autograded folder replaced whole (`swap_in`; `sweep` removes what a killed swap left)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

#: What an instructor is told to do about an entry the graders pass over.
HIDDEN = ("a hidden name (it begins with '.'): neither `peaceops grade` nor `nbgrader "
          "autograde` grades it; rename it to the learner's (or the assignment's) id")
UNDECODABLE = ("its name is not valid UTF-8: rename it to the learner's (or the "
               "assignment's) id")
NOT_A_FOLDER = ("not a folder (a submission is a folder submitted/<learner>/<assignment>/): "
                "move it out of submitted/")


def scan(parent: Path | str) -> tuple[list[os.DirEntry], list[tuple[str, str]]]:
    """The folders in `parent` that the graders read (symbolic links to folders included,
    sorted by name, none hidden),
    and every other entry as (name, why it is not graded); the name is "" for `parent`
    itself when it cannot be listed. A missing `parent` holds nothing."""
    try:
        with os.scandir(parent) as entries:
            listed = sorted(entries, key=lambda e: e.name)
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        return [], [("", f"cannot be listed ({exc.strerror or exc}): let the grader read it")]
    folders, passed_over = [], []
    for entry in listed:
        why = _passed_over(entry)
        if why:
            passed_over.append((entry.name, why))
        else:
            folders.append(entry)
    return folders, passed_over


def _passed_over(entry: os.DirEntry) -> str:
    """Why the graders do not read `entry` ("" when they do)."""
    if _undecodable(entry.name):
        return UNDECODABLE
    if entry.name.startswith("."):
        return HIDDEN
    if not entry.is_dir():
        return NOT_A_FOLDER
    return ""


def _undecodable(name: str) -> bool:
    """Whether a name read from the file system held bytes that are not UTF-8 (Python
    decodes each one to a lone surrogate)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def sweep(autograded: Path, assignments: Iterable[str]) -> None:
    """Remove what a killed run left of its folder swaps (`.<assignment>.<random>` staging
    and `.<assignment>.old-<time>` folders); a folder left missing is graded again."""
    for assignment in assignments:
        for leftover in autograded.glob(f"*/.{assignment}.*"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)


def swap_in(target: Path, files: dict[str, str | bytes]) -> None:
    """Replace the autograded folder in one rename: never half-written. It holds `files`
    (text is written as UTF-8, bytes as they are): the graded notebook, its record, and the
    submission's time and secret (nbgrader release_feedback needs it) as `intake` read them.
    Paths are handled as text: pathlib (Python 3.11) interns every part of a path it parses,
    and each swap's staging and old folder names are new, so Paths of them would grow the
    interpreter's interned strings with every submission graded."""
    parent, name = os.path.split(os.fspath(target))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=f".{name}.", dir=parent)
    for filename, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        with open(os.path.join(staging, filename), "wb") as file:
            file.write(data)
    old = None
    if os.path.exists(target):
        old = os.path.join(parent, f".{name}.old-{datetime.now().strftime('%H%M%S%f')}")
        os.replace(target, old)
    os.replace(staging, target)
    if old:
        shutil.rmtree(old, ignore_errors=True)
