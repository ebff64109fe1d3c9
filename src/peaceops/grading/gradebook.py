"""The one place that writes grades into nbgrader's gradebook outside `nbgrader autograde`.

`peaceops grade` must leave exactly what autograde's `SaveAutoGrades`, the course's
`FlagForReview` and `AssignLatePenalties` leave. Rather than copy their rules, this module
runs nbgrader's own preprocessor methods (`SaveAutoGrades._add_score/_add_comment`,
`AssignLatePenalties`' plugin and `_check_late_penalty`) against the open gradebook, with
the grades and comments of the submission looked up once and commits left to the caller.
"""

from __future__ import annotations

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades
from nbgrader.utils import is_grade, is_solution, is_task
from sqlalchemy import text
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
    `db.commit()` only flushes (the caller commits, once per submission or batch)."""

    def __init__(self, gradebook: Gradebook, notebook):
        self.grades = {g.name: g for g in notebook.grades}
        self.comments = {c.name: c for c in notebook.comments}
        self.db = self
        self._db = gradebook.db

    def find_grade(self, grade_id, *_):
        return self.grades[grade_id]

    def find_comment(self, grade_id, *_):
        return self.comments[grade_id]

    def commit(self) -> None:
        self._db.flush()


class GradebookWriter:
    """Writes graded notebooks into an open gradebook, as autograde's preprocessors do."""

    def __init__(self, config: Config):
        self.save_grades = SaveAutoGrades(config=config)
        self.late = AssignLatePenalties(config=config)
        self.late.init_plugin()

    def save(self, gradebook: Gradebook, student: str, assignment_id: str, notebook_id: str,
             notebook, timestamp: str, flagged: bool) -> tuple[float, float]:
        """Record `notebook`'s grades for `student` (flush only: the caller commits)."""
        try:
            gradebook.find_student(student)
        except MissingEntry:
            gradebook.add_student(student)
        extra = {"timestamp": timestamp} if timestamp else {}
        submission = gradebook.update_or_create_submission(assignment_id, student, **extra)
        submitted = next(n for n in submission.notebooks if n.name == notebook_id)
        grades = self.save_grades
        grades.gradebook = _Session(gradebook, submitted)
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
        gradebook.db.flush()
        if submission.total_seconds_late > 0:
            penalty = self.late.plugin_inst.late_submission_penalty(
                student, submitted.score, submission.total_seconds_late)
            if penalty is not None:
                submitted.late_submission_penalty = self.late._check_late_penalty(
                    submitted, penalty)
        gradebook.db.flush()
        return float(submission.score), float(submission.max_score)

    @staticmethod
    def has_submission(gradebook: Gradebook, assignment_id: str, student: str) -> bool:
        try:
            gradebook.find_submission(assignment_id, student)
            return True
        except MissingEntry:
            return False
