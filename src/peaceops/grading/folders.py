"""Listing a course's per-learner folders (`submitted/`, `autograded/`) with `os.scandir`:
one system call per folder and no Path object per entry, for cohorts of 10,000. `scan` also
says why each entry of `submitted/` that the graders pass over is not graded."""

from __future__ import annotations

import os
from pathlib import Path

#: What an instructor is told to do about an entry the graders pass over.
HIDDEN = ("a hidden name (it begins with '.'): neither `peaceops grade` nor `nbgrader "
          "autograde` grades it; rename it to the learner's (or the assignment's) id")
UNDECODABLE = ("its name is not valid UTF-8: rename it to the learner's (or the "
               "assignment's) id")
NOT_A_FOLDER = ("not a folder (a submission is a folder submitted/<learner>/<assignment>/): "
                "move it out of submitted/")


def subfolders(parent: Path | str, *, hidden: bool) -> list[os.DirEntry]:
    """The folders in `parent` (symbolic links to folders included), sorted by name;
    names starting with "." only with `hidden`; none when `parent` is not a readable
    folder."""
    try:
        with os.scandir(parent) as entries:
            found = [e for e in entries if (hidden or not e.name.startswith(".")) and e.is_dir()]
    except OSError:
        return []
    return sorted(found, key=lambda e: e.name)


def scan(parent: Path | str) -> tuple[list[os.DirEntry], list[tuple[str, str]]]:
    """The folders in `parent` that the graders read (as `subfolders` without hidden ones),
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
