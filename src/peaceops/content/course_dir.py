"""The course directory: one object that owns every path of a course and loads its content.

The CLI resolves it once from `--course`; graders, reports and certificates ask it for
paths instead of spelling them. Content is loaded from *this course's* `data/` (falling
back to the installed package's data only when the folder has none).
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from .blueprint import Blueprint, read_blueprint
from .certification import Certification
from .loader import data_dir, load_certification, load_course, load_keys
from .model import EXAM_BANK, Course, Keys
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
        """The hidden keys of each bank. `--keys` replaces the keys of the bank whose items
        it keys (a certifying body's private copy of the exam keys, or of the lesson keys);
        with a private `--bank` it is that bank's keys."""
        files = {bank: self.root / path for bank, path in KEY_FILES.items()}
        if self.keys_path:
            files[self._bank_keyed_by(self.keys_path)] = self.keys_path
        return files

    def _bank_keyed_by(self, path: Path) -> str:
        if self.bank_path:
            return EXAM_BANK
        from .yamlfile import read_yaml

        data = read_yaml(path, str(path), [], dict)
        ids = {i for part in data.values() if isinstance(part, dict) for i in part}
        content = self.content()
        banks = {e.bank for pool in content.pools.values() for i, e in pool.items() if i in ids}
        return banks.pop() if len(banks) == 1 else EXAM_BANK

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

    @property
    def sessions(self) -> Path:
        """Exam sessions' server times, appended by `nbgrader collect` (grading.session)."""
        return self.root / "peaceops-sessions.jsonl"

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

    def exam_bank(self) -> str:
        """Which exam bank grades the exam, with its fingerprint (public part and keys): the
        repository's reference bank, or a certifying body's private one (`--bank`)."""
        digest = hashlib.sha256()
        files = [self.bank_path or self.data / "exam-bank.yaml", self.key_files()[EXAM_BANK]]
        for path in files:
            digest.update(path.read_bytes() if path.exists() else b"-")
        kind = "private bank" if self.bank_path else "reference bank"
        return f"{kind} sha256:{digest.hexdigest()[:16]}"

    def blueprint(self) -> Blueprint:
        return read_blueprint(self.content())

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
