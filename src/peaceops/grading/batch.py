"""The batch transaction: graded submissions staged in one gradebook transaction, and only
after it commits are their attempts appended to the ledger and their autograded folders
swapped in. An interrupted batch (even by SIGKILL) leaves nothing behind and is graded
again, under the same attempt numbers, by the next run."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from nbgrader.api import Gradebook
from sqlalchemy.exc import SQLAlchemyError

from ..content import CourseDir
from ..results.record import FILENAME as RECORD
from . import folders
from .attempts import Ledger
from .gradebook import GradebookWriter

if TYPE_CHECKING:
    from .pipeline import Outcome


class Batch:
    """Submissions staged in one gradebook transaction (written by `writer`), committed
    every `size` of them (`add`) and at the end (`commit`); then their attempts go to
    `ledger` and their folders into the course's autograded/."""

    def __init__(self, gradebook: Gradebook, writer: GradebookWriter, ledger: Ledger,
                 course_dir: CourseDir, size: int,
                 on_flag: Callable[[Outcome], None] | None,
                 on_final: Callable[[Outcome], None] = lambda outcome: None):
        self.gradebook, self.writer, self.ledger = gradebook, writer, ledger
        self.course_dir, self.size, self.on_flag = course_dir, size, on_flag
        self.on_final = on_final  # told of each outcome once it is final (`RunSummary.tally`)
        self.outcomes: list[Outcome] = []
        self.bulk = True  # new submissions inserted in bulk (off while redoing a failed batch)

    def add(self, outcome: Outcome, commit: bool = True) -> None:
        if outcome.status != "graded":
            if outcome.flags and self.on_flag:
                self.on_flag(outcome)
            self.on_final(outcome)
            return
        try:
            self._stage(outcome)
        except Exception as exc:  # this one's rows are wrong: undo the batch, redo the others
            self.gradebook.db.rollback()
            self.writer.load(self.gradebook)
            for other in self.outcomes:
                self._stage(other)
            outcome.status, outcome.error = "error", f"{type(exc).__name__}: {exc}"
            outcome.pending = None
            self.on_final(outcome)
            return
        self.outcomes.append(outcome)
        if commit and len(self.outcomes) >= self.size:
            self.commit()

    def _stage(self, outcome: Outcome) -> None:
        s, p = outcome.submission, outcome.pending
        p.row = self.writer.stage(self.gradebook, s.student, s.assignment, s.assignment,
                                  p.notebook, p.timestamp, bool(outcome.flags), bulk=self.bulk)

    def _scores(self) -> dict[str, tuple[float, float]]:
        """Write the batch and read its scores. If its bulk insert fails (another grader
        wrote one of these submissions meanwhile), redo the batch through nbgrader's ORM, one
        submission at a time: each is updated or created, and a broken one is an error."""
        writer = self.writer
        try:
            return writer.scores(self.gradebook, [o.pending.row for o in self.outcomes])
        except SQLAlchemyError:
            if not self.bulk:
                raise
        self.gradebook.db.rollback()
        writer.load(self.gradebook)
        outcomes, self.outcomes, self.bulk = self.outcomes, [], False
        try:
            for outcome in outcomes:
                self.add(outcome, commit=False)
            return writer.scores(self.gradebook, [o.pending.row for o in self.outcomes])
        finally:
            self.bulk = True

    def commit(self) -> None:
        if not self.outcomes:
            return
        ledger = self.ledger
        scores = self._scores()
        self.gradebook.db.commit()
        rows = []
        for outcome in self.outcomes:
            p = outcome.pending
            outcome.score, outcome.max_score = scores[p.row]
            p.record.score, p.record.max_score = outcome.score, outcome.max_score
            rows.append(ledger.row(outcome.submission.student, outcome.submission.assignment,
                                   p.timestamp, outcome.score, outcome.max_score,
                                   p.attempt_id, outcome.flags, p.record.cut))
        ledger.append(rows, remember=False)  # a run grades each submission once
        for outcome in self.outcomes:
            s, p = outcome.submission, outcome.pending
            folders.swap_in(self.course_dir.graded(s.student, s.assignment),
                            {f"{s.assignment}.ipynb": p.notebook_text,
                             RECORD: p.record.to_json(), **p.small})
            outcome.pending = None
            if outcome.flags and self.on_flag:
                self.on_flag(outcome)
            self.on_final(outcome)
        self.outcomes = []
