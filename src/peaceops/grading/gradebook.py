"""The one place that writes grades into nbgrader's gradebook outside `nbgrader autograde`.

`peaceops grade` must leave exactly what autograde's `SaveAutoGrades`, the course's
`FlagForReview` and `AssignLatePenalties` leave. Rather than copy their rules, this module
runs nbgrader's own code (`SaveAutoGrades._add_score/_add_comment`, `AssignLatePenalties`'
plugin and `_check_late_penalty`, and for a submission already in the gradebook
`Gradebook.update_or_create_submission`) against the open gradebook.

A new submission (the whole of a cold run) is written in bulk: the rows nbgrader's
`add_submission` would create (one submitted notebook per notebook of the assignment, a grade
per grade and task cell, a comment per solution and task cell), filled in by
`SaveAutoGrades`' own methods on plain row objects, are inserted with one executemany per
table per batch, in the open transaction. nbgrader's ORM writes each row with its own
statements (about 95 % of a cold run's gradebook time). A late submission, and a batch whose
insert fails (another grader wrote one of its submissions meanwhile), take nbgrader's ORM
path. The caller commits once per batch (`scores` then reads every score of the batch in one
query).
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from nbgrader.api import (
    Assignment,
    Comment,
    Grade,
    Gradebook,
    Student,
    SubmittedAssignment,
    SubmittedNotebook,
)
from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades
from nbgrader.utils import is_grade, is_solution, is_task
from sqlalchemy import insert, select, text
from traitlets.config import Config

# Foreign keys nbgrader's schema leaves unindexed, which every score (a sum over a
# submission's grades) and every cohort read scans: (index, table, column). Our own names,
# so `nbgrader db upgrade` (whose migrations never touch them) and we never collide.
INDEXES = (
    ("peaceops_ix_grade_notebook_id", "grade", "notebook_id"),
    ("peaceops_ix_comment_notebook_id", "comment", "notebook_id"),
    ("peaceops_ix_submitted_notebook_assignment_id", "submitted_notebook", "assignment_id"),
)


def ensure_indexes(gradebook: Gradebook) -> None:
    """Create the missing `INDEXES` (idempotent; SQLite and PostgreSQL alike) and commit."""
    for name, table, column in INDEXES:
        gradebook.db.execute(text(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})"))
    gradebook.db.commit()


class _Session:
    """What `SaveAutoGrades` calls on `self.gradebook`, served from one submission's rows
    (ORM objects, or `_Row`s of a bulk insert), by grade id; `db.commit()` does nothing (the
    batch is flushed and committed by the caller)."""

    def __init__(self, grades: dict, comments: dict):
        self.grades, self.comments = grades, comments
        self.db = self

    def find_grade(self, grade_id, *_):
        return self.grades[grade_id]

    def find_comment(self, grade_id, *_):
        return self.comments[grade_id]

    def commit(self) -> None:
        pass


@contextlib.contextmanager
def commits_flush(gradebook: Gradebook) -> Iterator[None]:
    """Within this block, nbgrader's own `self.db.commit()` calls only flush (their rows
    become visible to the session, the transaction stays open for the batch)."""
    session = gradebook.db
    session.commit = session.flush  # an instance attribute shadows scoped_session.commit
    try:
        yield
    finally:
        del session.commit


class _Found:
    """`self` for nbgrader's `Gradebook.add_submission`: the gradebook's session, and its
    assignment and student looked up once per batch instead of once per submission."""

    def __init__(self, gradebook: Gradebook, cache: dict):
        self.db, self._gradebook, self._cache = gradebook.db, gradebook, cache

    def find_assignment(self, name: str) -> Assignment:
        if ("a", name) not in self._cache:
            self._cache[("a", name)] = self._gradebook.find_assignment(name)
        return self._cache[("a", name)]

    def find_student(self, student_id: str) -> Student:
        if ("s", student_id) not in self._cache:
            self._cache[("s", student_id)] = self._gradebook.find_student(student_id)
        return self._cache[("s", student_id)]


class OrderedIds:
    """Ids for new gradebook rows in the form of nbgrader's (`new_uuid`: a UUID as 32 hex
    digits) but in creation order: UUID version 7 (RFC 9562), the time in milliseconds, then
    a 42-bit counter started at a random value each millisecond, then 32 random bits (the
    method of Python 3.14's `uuid.uuid7`; this package runs on 3.11. The `uuid6` package
    moves the millisecond on by one per id instead, so a fast writer's ids run ahead of the
    clock). nbgrader's ids are random (version 4), so each insert into a primary-key index,
    and into the indexes keyed by a submission's or a submitted notebook's id, lands on a
    random page of it: once an index outgrows a batch, every row dirties a page of its own
    (written twice, with SQLite's rollback journal), and the cost of a submission grows with
    the gradebook (about 65 page writes per submission at 30,000 submissions, 14 at 5,000).
    In order, a batch's rows fill the last pages."""

    COUNTER_BITS = 42

    def __init__(self) -> None:
        self.random = random.Random(os.urandom(16))
        self.ms, self.counter = 0, 0

    def _start(self, ms: int) -> None:
        """A new millisecond: the counter starts at random, its top bit clear (room to count)."""
        self.ms, self.counter = ms, self.random.getrandbits(self.COUNTER_BITS - 1)

    def __call__(self) -> str:
        ms = time.time_ns() // 1_000_000
        if ms > self.ms:
            self._start(ms)
        else:  # the same millisecond (or a clock set back): count on
            self.counter += 1
            if self.counter >> self.COUNTER_BITS:  # full: borrow the next millisecond
                self._start(self.ms + 1)
        high, low = divmod(self.counter, 1 << 30)  # 42 bits: 12 and 30
        value = ((self.ms & (1 << 48) - 1) << 80 | 7 << 76 | high << 64
                 | 2 << 62 | low << 32 | self.random.getrandbits(32))
        return f"{value:032x}"


class _Row(dict):
    """A row to insert, with attribute access for nbgrader's `SaveAutoGrades` methods."""

    __getattr__ = dict.__getitem__
    __setattr__ = dict.__setitem__


@dataclass
class _Notebook:
    """A notebook of an assignment in the gradebook: its id, and its cells' ids by name."""

    id: str
    name: str
    grade_cells: dict[str, str]
    comment_cells: dict[str, str]  # solution and task cells
    task_cells: dict[str, str]


@dataclass
class _Layout:
    """An assignment's structure in the gradebook (read once per run): what nbgrader's
    `add_submission` mirrors into each new submission."""

    id: str
    duedate: datetime | None
    notebooks: list[_Notebook]

    @classmethod
    def read(cls, assignment: Assignment) -> _Layout:
        return cls(assignment.id, assignment.duedate, [_Notebook(
            n.id, n.name, {c.name: c.id for c in n.grade_cells},
            {c.name: c.id for c in [*n.solution_cells, *n.task_cells]},
            {c.name: c.id for c in n.task_cells}) for n in assignment.notebooks])


@dataclass
class _Bulk:
    """The rows of a batch's new submissions, inserted together (`GradebookWriter.scores`,
    or before an ORM write that may need them)."""

    tables: dict = field(default_factory=lambda: {
        t: [] for t in (Student, SubmittedAssignment, SubmittedNotebook, Grade, Comment)})

    def insert(self, gradebook: Gradebook) -> None:
        for table, rows in self.tables.items():
            if rows:
                gradebook.db.execute(insert(table.__table__), [dict(r) for r in rows])
                rows.clear()


class GradebookWriter:
    """Writes graded notebooks into an open gradebook, as autograde's preprocessors do."""

    def __init__(self, config: Config):
        self.save_grades = SaveAutoGrades(config=config)
        self.late = AssignLatePenalties(config=config)
        self.late.init_plugin()
        self.found: dict = {}  # assignments and new students of this batch
        self.students: set[str] = set()
        # assignment -> its students with a submission in the gradebook (each student's id
        # one string: a cohort's run keeps a set entry per submission, not a tuple)
        self.submitted: dict[str, set[str]] = {}
        self.layouts: dict[str, _Layout] = {}
        self.bulk = _Bulk()
        self.new_id = OrderedIds()

    def load(self, gradebook: Gradebook) -> None:
        """Read which students and submissions the gradebook has (two queries), so that
        neither is looked up per submission. Call again after a rollback."""
        db = gradebook.db
        self.found, self.bulk = {}, _Bulk()
        self.students = {sys.intern(s) for s in db.scalars(select(Student.id))}
        self.submitted = {}
        for assignment, student in db.execute(
                select(Assignment.name, SubmittedAssignment.student_id)
                .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id)):
            self.submitted.setdefault(assignment, set()).add(sys.intern(student))

    def has_submission(self, assignment_id: str, student: str) -> bool:
        return student in self.submitted.get(assignment_id, ())

    def _submitted(self, assignment_id: str, student: str) -> None:
        self.submitted.setdefault(assignment_id, set()).add(student)

    def layout(self, gradebook: Gradebook, assignment_id: str) -> _Layout:
        if assignment_id not in self.layouts:
            self.layouts[assignment_id] = _Layout.read(gradebook.find_assignment(assignment_id))
        return self.layouts[assignment_id]

    def stage(self, gradebook: Gradebook, student: str, assignment_id: str, notebook_id: str,
              notebook, timestamp: str, flagged: bool, bulk: bool = True) -> str:
        """Record `notebook`'s grades for `student` in the open transaction (not committed;
        `scores` flushes the batch and reads its scores). Returns the submission's id. A new
        submission is staged for a bulk insert unless `bulk` is False or it is late."""
        if bulk and not self.has_submission(assignment_id, student):
            staged = self._stage_new(gradebook, student, assignment_id, notebook_id, notebook,
                                     timestamp, flagged)
            if staged:
                return staged
        return self._stage_orm(gradebook, student, assignment_id, notebook_id, notebook,
                               timestamp, flagged).id

    def _stage_new(self, gradebook: Gradebook, student: str, assignment_id: str,
                   notebook_id: str, notebook, timestamp: str, flagged: bool) -> str | None:
        """The rows of `add_submission` plus `SaveAutoGrades`, for the batch's bulk insert;
        None when the submission is late (a penalty needs nbgrader's ORM path)."""
        layout = self.layout(gradebook, assignment_id)
        when = _utc(timestamp) if timestamp else None
        if layout.duedate is not None and when is not None and when > layout.duedate:
            return None
        tables = self.bulk.tables
        submission = _Row(id=self.new_id(), assignment_id=layout.id, student_id=student,
                          timestamp=when, extension=None)
        rows: dict[type, list[_Row]] = {SubmittedNotebook: [], Grade: [], Comment: []}
        for nb in layout.notebooks:
            row = _Row(id=self.new_id(), assignment_id=submission.id, notebook_id=nb.id,
                       late_submission_penalty=None, flagged=False)
            grades = {name: _Row(id=self.new_id(), cell_id=cell, notebook_id=row.id,
                                 auto_score=None, manual_score=None, extra_credit=None,
                                 needs_manual_grade=True)
                      for name, cell in [*nb.grade_cells.items(), *nb.task_cells.items()]}
            comments = {name: _Row(id=self.new_id(), cell_id=cell, notebook_id=row.id,
                                   auto_comment=None, manual_comment=None)
                        for name, cell in nb.comment_cells.items()}
            if nb.name == notebook_id:
                self._save_grades(_Session(grades, comments), student, assignment_id,
                                  notebook_id, notebook)
            if flagged:  # the course's FlagForReview
                for grade in grades.values():
                    grade.needs_manual_grade = True
            rows[SubmittedNotebook].append(row)
            rows[Grade] += grades.values()
            rows[Comment] += comments.values()
        if student not in self.students:  # nothing is staged until every row is made
            tables[Student].append(_Row(id=student, first_name=None, last_name=None,
                                        email=None, lms_user_id=None))
        tables[SubmittedAssignment].append(submission)
        for table, made in rows.items():
            tables[table].extend(made)
        self.students.add(student)
        self._submitted(assignment_id, student)
        return submission.id

    def _save_grades(self, session: _Session, student: str, assignment_id: str,
                     notebook_id: str, notebook) -> None:
        """`SaveAutoGrades.preprocess_cell` on every cell, without its commits."""
        grades = self.save_grades
        grades.gradebook = session
        grades.notebook_id, grades.assignment_id, grades.student_id = (
            notebook_id, assignment_id, student)
        for cell in notebook.cells:
            if is_grade(cell):
                grades._add_score(cell, {})
            if is_solution(cell) or is_task(cell):
                grades._add_comment(cell, {})

    def _stage_orm(self, gradebook: Gradebook, student: str, assignment_id: str,
                   notebook_id: str, notebook, timestamp: str, flagged: bool
                   ) -> SubmittedAssignment:
        """nbgrader's own ORM path: a submission already in the gradebook, or a late one."""
        self.bulk.insert(gradebook)  # its student may be in the batch's bulk rows
        extra = {"timestamp": timestamp} if timestamp else {}
        with commits_flush(gradebook):
            if student not in self.students:
                self.found[("s", student)] = gradebook.add_student(student)
                self.students.add(student)
            if self.has_submission(assignment_id, student):
                submission = gradebook.update_or_create_submission(assignment_id, student,
                                                                   **extra)
            else:  # what update_or_create_submission does after not finding it
                submission = Gradebook.add_submission(_Found(gradebook, self.found),
                                                      assignment_id, student, **extra)
                self._submitted(assignment_id, student)
        submitted = next(n for n in submission.notebooks if n.name == notebook_id)
        self._save_grades(_Session({g.name: g for g in submitted.grades},
                                   {c.name: c for c in submitted.comments}),
                          student, assignment_id, notebook_id, notebook)
        if flagged:  # the course's FlagForReview
            for grade in submitted.grades:
                grade.needs_manual_grade = True
        submitted.late_submission_penalty = None  # AssignLatePenalties.preprocess
        if submission.total_seconds_late > 0:
            gradebook.db.flush()
            penalty = self.late.plugin_inst.late_submission_penalty(
                student, submitted.score, submission.total_seconds_late)
            if penalty is not None:
                submitted.late_submission_penalty = self.late._check_late_penalty(
                    submitted, penalty)
        return submission

    def scores(self, gradebook: Gradebook, ids: Iterable[str]) -> dict[str, tuple[float, float]]:
        """Write the batch's staged rows (not committed) and read the score and maximum of
        each staged submission, by id (one query)."""
        gradebook.db.flush()
        self.bulk.insert(gradebook)
        ids = list(ids)
        self.found = {}  # the batch ends: its rows are expired on commit
        rows = gradebook.db.execute(
            select(SubmittedAssignment.id, SubmittedAssignment.score,
                   SubmittedAssignment.max_score).where(SubmittedAssignment.id.in_(ids)))
        return {i: (float(score), float(top)) for i, score, top in rows}


def _utc(timestamp: str) -> datetime:
    """A submission time as nbgrader stores it (naive UTC); ISO text is read without
    dateutil (`peaceops grade` passes what `attempts.submission_time` wrote)."""
    try:
        when = datetime.fromisoformat(timestamp)
    except ValueError:
        from nbgrader.utils import parse_utc
        return parse_utc(timestamp)
    if when.tzinfo is not None:
        when = (when - when.utcoffset()).replace(tzinfo=None)
    return when
