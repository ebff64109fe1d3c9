"""The one place that writes grades into nbgrader's gradebook outside `nbgrader autograde`.

`peaceops grade` must leave exactly what autograde's `SaveAutoGrades`, the course's
`FlagForReview` and `AssignLatePenalties` leave. Rather than copy their rules, this module
runs nbgrader's own code (`Gradebook.add_student/add_submission/update_or_create_submission`,
`SaveAutoGrades._add_score/_add_comment`, `AssignLatePenalties`' plugin and
`_check_late_penalty`) against the open gradebook, with the grades and comments of the
submission looked up once. nbgrader's methods commit after each row; here their commits only
flush, and the caller commits once per batch of submissions (`scores` then reads every
score of the batch in one query).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from nbgrader.api import Assignment, Gradebook, Student, SubmittedAssignment
from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades
from nbgrader.utils import is_grade, is_solution, is_task
from sqlalchemy import select, text
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
    """What `SaveAutoGrades` calls on `self.gradebook`, served from one submission's rows;
    `db.commit()` does nothing (the batch is flushed and committed by the caller)."""

    def __init__(self, notebook):
        self.grades = {g.name: g for g in notebook.grades}
        self.comments = {c.name: c for c in notebook.comments}
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


class GradebookWriter:
    """Writes graded notebooks into an open gradebook, as autograde's preprocessors do."""

    def __init__(self, config: Config):
        self.save_grades = SaveAutoGrades(config=config)
        self.late = AssignLatePenalties(config=config)
        self.late.init_plugin()
        self.found: dict = {}  # assignments and new students of this batch
        self.students: set[str] = set()
        self.submitted: set[tuple[str, str]] = set()  # (assignment, student) in the gradebook

    def load(self, gradebook: Gradebook) -> None:
        """Read which students and submissions the gradebook has (two queries), so that
        neither is looked up per submission. Call again after a rollback."""
        db = gradebook.db
        self.found = {}
        self.students = set(db.scalars(select(Student.id)))
        self.submitted = {(a, s) for a, s in db.execute(
            select(Assignment.name, SubmittedAssignment.student_id)
            .join(Assignment, Assignment.id == SubmittedAssignment.assignment_id))}

    def has_submission(self, assignment_id: str, student: str) -> bool:
        return (assignment_id, student) in self.submitted

    def stage(self, gradebook: Gradebook, student: str, assignment_id: str, notebook_id: str,
              notebook, timestamp: str, flagged: bool) -> SubmittedAssignment:
        """Record `notebook`'s grades for `student` in the open transaction (not committed;
        read the scores with `scores` once the batch is staged)."""
        extra = {"timestamp": timestamp} if timestamp else {}
        with commits_flush(gradebook):
            if student not in self.students:
                self.found[("s", student)] = gradebook.add_student(student)
                self.students.add(student)
            if (assignment_id, student) in self.submitted:
                submission = gradebook.update_or_create_submission(assignment_id, student,
                                                                   **extra)
            else:  # what update_or_create_submission does after not finding it
                submission = Gradebook.add_submission(_Found(gradebook, self.found),
                                                      assignment_id, student, **extra)
                self.submitted.add((assignment_id, student))
        submitted = next(n for n in submission.notebooks if n.name == notebook_id)
        grades = self.save_grades
        grades.gradebook = _Session(submitted)
        grades.notebook_id, grades.assignment_id, grades.student_id = (
            notebook_id, assignment_id, student)
        for cell in notebook.cells:  # SaveAutoGrades.preprocess_cell, without its commits
            if is_grade(cell):
                grades._add_score(cell, {})
            if is_solution(cell) or is_task(cell):
                grades._add_comment(cell, {})
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

    def scores(self, gradebook: Gradebook, submissions: Iterable[SubmittedAssignment]
               ) -> dict[str, tuple[float, float]]:
        """The gradebook's score and maximum of each staged submission, by id (one query)."""
        gradebook.db.flush()
        ids = [s.id for s in submissions]
        self.found = {}  # the batch ends: its rows are expired on commit
        rows = gradebook.db.execute(
            select(SubmittedAssignment.id, SubmittedAssignment.score,
                   SubmittedAssignment.max_score).where(SubmittedAssignment.id.in_(ids)))
        return {i: (float(score), float(top)) for i, score, top in rows}
