"""Finding a course's collected submissions (`submitted/<student>/<assignment>/`), and what
in submitted/ is passed over, with why (see `folders.scan`)."""

from __future__ import annotations

import bisect
import itertools
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..content import CourseDir
from .folders import scan


@dataclass(frozen=True, slots=True)
class Submission:
    """A collected submission: `submitted/<student>/<assignment>/`. The folder is kept as
    text and made a Path on use (a cohort holds one of these per submission)."""

    student: str
    assignment: str
    location: str | Path

    @property
    def folder(self) -> Path:
        return Path(self.location)


class Submissions(Sequence[Submission]):
    """Collected submissions in (student, assignment) order, held as each student's
    assignment names: a `Submission` is made when one is asked for, so a cohort's list costs
    a few bytes per submission, not a record with its own folder path."""

    def __init__(self, root: str, found: list[tuple[str, tuple[str, ...]]],
                 passed_over: Sequence[tuple[str, str]] = ()):
        self.root, self.found = root, found
        self.passed_over = list(passed_over)  # (path, why) of what is not graded (`scan`)
        self.starts = list(itertools.accumulate((len(names) for _, names in found), initial=0))

    def __len__(self) -> int:
        return self.starts[-1]

    def __iter__(self) -> Iterator[Submission]:
        for student, names in self.found:
            for name in names:
                yield Submission(student, name, os.path.join(self.root, student, name))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("submission index out of range")
        k = bisect.bisect_right(self.starts, index) - 1
        student, names = self.found[k]
        name = names[index - self.starts[k]]
        return Submission(student, name, os.path.join(self.root, student, name))


def find_submissions(
    course_dir: CourseDir, assignments: Iterable[str] = (), students: Iterable[str] = ()
) -> Submissions:
    """Collected submissions (`submitted/<student>/<assignment>/`), optionally filtered, and
    (`Submissions.passed_over`) every entry of the wanted ones that is not graded, with why:
    a hidden or undecodable name, a file, a folder that cannot be listed (see `scan`)."""
    wanted_a, wanted_s = set(assignments), set(students)
    root = os.fspath(course_dir.submitted)
    label = os.path.basename(root)
    students_found, passed = scan(root)
    passed_over = [(_shown_path(label, name), why) for name, why in passed
                   if not name or not wanted_s or name in wanted_s]
    found = []
    for student in students_found:
        if wanted_s and student.name not in wanted_s:
            continue
        folders, passed = scan(student.path)
        passed_over += [(_shown_path(label, student.name, name), why) for name, why in passed
                        if not name or not wanted_a or name in wanted_a]
        names = tuple(sys.intern(a.name) for a in folders if not wanted_a or a.name in wanted_a)
        if names:
            found.append((student.name, names))
    return Submissions(root, found, passed_over)


def _shown_path(*parts: str) -> str:
    """A path as listed to the instructor, relative to the course (an empty part left out)."""
    return "/".join(part for part in parts if part)
