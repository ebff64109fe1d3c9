"""The course directory: one object that owns the folders of a course and loads its content.

Built once from nbgrader's `CourseDirectory` configuration (`course_config`: the course's
nbgrader_config.py and the Jupyter config path, as nbgrader reads them): the same folder
names and gradebook as nbgrader. The CLI builds it once from `--course` (`from_args`); the
programmatic API takes a CourseDir. Content is loaded from *this course's* `data/` (falling
back to the installed package's data only when the folder has none). The rooms that own
what a course holds (grading's ledgers, reports, certificates, public keys) derive
their paths from its root.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from traitlets.config import Config

from .blueprint import Blueprint, read_blueprint
from .certification import Certification
from .course import EXAM_BANK, Course, Keys
from .course_config import configured_db_url, course_config, folder_name
from .loader import data_dir, load_certification, load_course, load_keys
from .pools import KEY_FILES
from .roster import FILE as ROSTER_FILE
from .roster import Roster, read_roster


@dataclass(frozen=True)
class CourseDir:
    """A course directory (an nbgrader course: this repository, or an instructor's copy)."""

    root: Path
    keys_path: Path | None = None  # a private copy of a bank's answer keys (--answer-keys)
    bank_path: Path | None = None  # a private exam bank's public file (--bank)
    db_url: str = ""  # the gradebook (--db-url; default: the configuration's, see gradebook_url)
    #: nbgrader's configuration of the course (default: read from its files, once); nbgrader's
    #: own plugins pass the configuration nbgrader already read (`config=self.config`).
    config: Config | None = field(default=None, compare=False, repr=False)

    @classmethod
    def resolve(cls, root: Path | str = ".", *, keys: Path | str | None = None,
                bank: Path | str | None = None, db_url: str | None = None,
                config: Config | None = None) -> CourseDir:
        """The course directory at `root` (a path, as the API's callers give it), with a
        private bank (`bank`), private answer keys (`keys`) or another gradebook (`db_url`)."""
        return cls(Path(root).resolve(), Path(keys).resolve() if keys else None,
                   Path(bank).resolve() if bank else None, db_url or "", config)

    @classmethod
    def from_args(cls, args) -> CourseDir:
        """The course directory of a parsed command line (the options of
        `peaceops.options.course_options`: `--course`, `--db-url`, `--bank`,
        `--answer-keys`), built once and kept on `args`."""
        if getattr(args, "course_dir", None) is None:
            args.course_dir = cls.resolve(getattr(args, "course", "."),
                                          keys=getattr(args, "answer_keys", None),
                                          bank=getattr(args, "bank", None),
                                          db_url=getattr(args, "db_url", None))
        return args.course_dir

    @property
    def configuration(self) -> Config:
        """nbgrader's configuration of this course (given, or read once)."""
        return self.config if self.config is not None else course_config(self.root)

    # -- folders ----------------------------------------------------------------------

    def _folder(self, name: str) -> Path:
        return self.root / folder_name(self.configuration, name)

    @property
    def source(self) -> Path:
        """nbgrader's source folder (solutions/ here): the notebooks and the hidden keys."""
        return self._folder("source")

    @property
    def release(self) -> Path:
        """nbgrader's release folder (exercises/ here): what learners get."""
        return self._folder("release")

    @property
    def submitted(self) -> Path:
        return self._folder("submitted")

    @property
    def autograded(self) -> Path:
        return self._folder("autograded")

    @property
    def feedback(self) -> Path:
        return self._folder("feedback")

    @property
    def exports(self) -> Path:
        """What peaceops sends out of the course: LMS files (`export`), the passback log
        (`lms passback`)."""
        return self.root / "exports"

    @property
    def roster_file(self) -> Path:
        """The course roster (roster.csv in the course folder: the CSV of `nbgrader db
        student import` with a `language` column, `content.roster`): each learner's language
        for graded feedback and certificates. Learner data: kept out of git."""
        return self.root / ROSTER_FILE

    def roster(self) -> Roster:
        """The course roster as read now (empty when there is none, or when it has no
        `language` column: a plain nbgrader roster); `RosterError` naming the file when it
        cannot be read."""
        return read_roster(self.roster_file, required=False) if self.roster_file.exists() \
            else Roster()

    def release_notebook(self, assignment: str) -> Path:
        return self.release / assignment / f"{assignment}.ipynb"

    def submission(self, student: str, assignment: str) -> Path:
        return self.submitted / student / assignment

    def graded(self, student: str, assignment: str) -> Path:
        return self.autograded / student / assignment

    @property
    def gradebook_url(self) -> str:
        """The gradebook: `--db-url`, else `c.CourseDirectory.db_url` of the nbgrader
        configuration, else the course's SQLite gradebook.db, as nbgrader defaults."""
        return (self.db_url or configured_db_url(self.configuration)
                or f"sqlite:///{self.root / 'gradebook.db'}")

    # -- content ------------------------------------------------------------------------

    @property
    def data(self) -> Path:
        own = self.root / "data"
        return own if own.is_dir() else data_dir()

    def key_files(self) -> dict[str, Path]:
        """The hidden answer keys of each bank (in the source folder). `--answer-keys`
        replaces the keys of the bank whose items it keys (a certifying body's private copy
        of the exam keys, or of the lesson keys); with a private `--bank` it is that bank's
        keys."""
        files = {bank: self.source / path for bank, path in KEY_FILES.items()}
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
