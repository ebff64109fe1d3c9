"""The course directory: one object that owns every path of a course and loads its content.

The CLI resolves it once from `--course`; graders, reports and certificates ask it for
paths instead of spelling them. Content is loaded from *this course's* `data/` (falling
back to the installed package's data only when the folder has none).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from .certification import Certification
from .loader import data_dir, load_certification, load_course, load_keys
from .model import EXAM_BANK, LESSON_BANK, Course, Keys
from .pools import KEY_FILES


@dataclass(frozen=True)
class CourseDir:
    """A course directory (an nbgrader course: this repository, or an instructor's copy)."""

    root: Path
    keys_path: Path | None = None  # a private copy of the exam's hidden keys (--keys)
    bank_path: Path | None = None  # a private exam bank's public file (--bank)
    db_url: str = ""  # the gradebook (default: nbgrader's CourseDirectory.db_url, else
    #                   sqlite gradebook.db in the course)

    @classmethod
    def resolve(cls, root: Path | str = ".", *, keys: Path | str | None = None,
                bank: Path | str | None = None, db_url: str | None = None) -> CourseDir:
        return cls(Path(root).resolve(), Path(keys).resolve() if keys else None,
                   Path(bank).resolve() if bank else None, db_url or "")

    @classmethod
    def from_args(cls, args) -> CourseDir:
        """The course directory of a parsed command line (`--course`, `--keys`, `--bank`),
        resolved once and kept on `args`."""
        if getattr(args, "course_dir", None) is None:
            args.course_dir = cls.resolve(getattr(args, "course", "."),
                                          keys=getattr(args, "keys", None),
                                          bank=getattr(args, "bank", None),
                                          db_url=getattr(args, "db_url", None))
        return args.course_dir

    # -- paths ------------------------------------------------------------------------

    @property
    def data(self) -> Path:
        own = self.root / "data"
        return own if own.is_dir() else data_dir()

    def key_files(self) -> dict[str, Path]:
        """The hidden keys of each bank. `--keys` replaces the exam bank's keys when a
        private `--bank` is given, else the lesson bank's (the only bank before the exam
        pool was split off)."""
        files = {bank: self.root / path for bank, path in KEY_FILES.items()}
        if self.keys_path:
            files[EXAM_BANK if self.bank_path or self._has_exam_pool() else LESSON_BANK] = \
                self.keys_path
        return files

    def _has_exam_pool(self) -> bool:
        return (self.data / "exam-bank.yaml").exists()

    @property
    def gradebook_url(self) -> str:
        """The gradebook: `--db-url`, else `c.CourseDirectory.db_url` of the nbgrader
        configuration (as nbgrader reads it: the Jupyter config path, then the course's
        nbgrader_config.py), else the course's SQLite gradebook.db, as nbgrader defaults."""
        return (self.db_url or configured_db_url(self.root)
                or f"sqlite:///{self.root / 'gradebook.db'}")

    @property
    def gradebook_file(self) -> Path | None:
        """The SQLite gradebook's file (None for a server database)."""
        url = self.gradebook_url
        return Path(url[len("sqlite:///"):]) if url.startswith("sqlite:///") else None

    @property
    def release(self) -> Path:
        return self.root / "exercises"

    @property
    def source(self) -> Path:
        return self.root / "solutions"

    @property
    def submitted(self) -> Path:
        return self.root / "submitted"

    @property
    def autograded(self) -> Path:
        return self.root / "autograded"

    @property
    def feedback(self) -> Path:
        return self.root / "feedback"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def certificates(self) -> Path:
        return self.root / "certificates"

    @property
    def public_keys(self) -> Path:
        return self.root / "public-keys"

    @property
    def attempts(self) -> Path:
        return self.root / "peaceops-attempts.jsonl"

    def release_notebook(self, assignment: str) -> Path:
        return self.release / assignment / f"{assignment}.ipynb"

    def submission(self, student: str, assignment: str) -> Path:
        return self.submitted / student / assignment

    def graded(self, student: str, assignment: str) -> Path:
        return self.autograded / student / assignment

    # -- content ------------------------------------------------------------------------

    def content(self) -> Course:
        return _content(self.data, self.bank_path)

    def keys(self) -> Keys:
        return _keys(self.data, self.bank_path, tuple(sorted(self.key_files().items())))

    def certification(self) -> Certification:
        return load_certification(course=self.content())


@functools.cache
def _content(data: Path, bank: Path | None) -> Course:
    return load_course(data, exam_bank=bank)


@functools.cache
def _keys(data: Path, bank: Path | None, files: tuple[tuple[str, Path], ...]) -> Keys:
    return load_keys(_content(data, bank), dict(files))


@functools.cache
def configured_db_url(root: Path) -> str:
    """`c.CourseDirectory.db_url` of the nbgrader configuration of course `root` ("" if none):
    the files nbgrader reads, in its order (system, environment, user, then the course's
    own nbgrader_config.py, which wins). A hub sets the PostgreSQL gradebook there once, for
    nbgrader and peaceops alike."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import PyFileConfigLoader

    url = ""
    for folder in [*reversed(jupyter_config_path()), str(root)]:
        if not os.path.isfile(os.path.join(folder, "nbgrader_config.py")):
            continue
        config = PyFileConfigLoader("nbgrader_config.py", folder).load_config()
        if "CourseDirectory" in config and "db_url" in config.CourseDirectory:
            url = config.CourseDirectory.db_url
    return url
