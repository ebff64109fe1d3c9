"""Grade a cohort's collected submissions from their answers files, without any kernel.

For each `submitted/<student>/<assignment>/` (`discovery`), the graded notebook and
per-item record come from `pipeline` (the code `TrustedGrade` runs inside `nbgrader
autograde`), and the gradebook gets exactly what nbgrader's own `SaveAutoGrades`,
`FlagForReview` and `AssignLatePenalties` would write (`grading.gradebook` runs their code).
So `nbgrader generate_feedback`, formgrader and `nbgrader export` keep working.

Batched and safe to interrupt (`batch`): submissions are written to the gradebook `BATCH`
at a time in one transaction; only after it commits are their attempts appended to the
ledger and their autograded folders swapped in whole (`folders.swap_in`), each holding its
fingerprint (answers, notebook, timestamp, release, keys). A run skips every submission
whose fingerprint is unchanged, so a batch cut short (even by SIGKILL) is simply graded
again, under the same attempt numbers. With `jobs` > 1, worker processes grade (`workers`)
and this process writes, in submission order.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Sequence

from nbgrader.api import Gradebook
from sqlalchemy.exc import SAWarning
from tqdm import tqdm

from ..content import CourseDir
from .batch import Batch
from .discovery import Submission, find_submissions
from .folders import sweep
from .gradebook import ensure_indexes
from .lock import grader_lock
from .pipeline import Outcome, SubmissionGrader
from .summary import RunSummary
from .workers import prepared

COURSE_ID = "peaceops"
BATCH = 200  # submissions committed to the gradebook in one transaction


class CohortGrader(SubmissionGrader):
    """Grades submissions into the course's gradebook; one instance per run."""

    def __init__(self, course_dir: CourseDir, force: bool = False, batch: int = BATCH):
        super().__init__(course_dir, force)
        self.batch = max(1, batch)
        self.db_url = course_dir.gradebook_url

    def run(self, submissions: Sequence[Submission], progress: bool = True,
            on_flag: Callable[[Outcome], None] | None = None, jobs: int = 1,
            keep: bool = True) -> RunSummary:
        """Grade `submissions`, committing every `self.batch` of them at once; `jobs` > 1
        grades in that many worker processes (the gradebook is written here, in order).
        `keep`: list every outcome in the summary (see `RunSummary`)."""
        summary = RunSummary(keep=keep)
        sweep(self.course_dir.autograded, self.context.assignments)
        with warnings.catch_warnings(), Gradebook(self.db_url, COURSE_ID) as gradebook:
            # nbgrader's add_submission trips SQLAlchemy's autoflush warning; harmless
            warnings.simplefilter("ignore", SAWarning)
            ensure_indexes(gradebook)
            self.known = {a.name for a in gradebook.assignments}
            self.writer.load(gradebook)
            gradebook.db.commit()  # no transaction open while workers start
            batch = Batch(gradebook, self.writer, self.ledger, self.course_dir, self.batch,
                          on_flag, summary.tally)
            bar = tqdm(total=len(submissions), desc="Grading", unit="submission",
                       disable=not progress)
            with prepared(self, submissions, jobs) as results:
                for outcome in results:
                    if keep:
                        summary.outcomes.append(outcome)
                    batch.add(outcome)
                    bar.update()
                batch.commit()
            bar.close()
        return summary


def grade(course_dir: CourseDir, assignments: Iterable[str] = (),
          students: Iterable[str] = (), *, force: bool = False,
          progress: bool = True, on_flag: Callable[[Outcome], None] | None = None,
          jobs: int = 1, batch: int = BATCH, wait: bool = True,
          on_wait: Callable[[str], None] | None = None, keep: bool = True) -> RunSummary:
    """Grade every collected submission (or the named assignments/students) in `course_dir`;
    `jobs` worker processes grade in parallel, `batch` submissions are committed at once.

    Holds the course's grader lock for the run (`grading.lock`): a second grader waits for
    the first (or, with `wait=False`, raises `GraderBusy`), then skips what it graded.
    `keep=False` leaves `RunSummary.outcomes` empty (a cohort's run then holds nothing per
    submission: its counts, means, flagged and failed submissions are still there). A
    private bank or private answer keys are the course directory's (`CourseDir.resolve`)."""
    with grader_lock(course_dir.root, wait=wait, on_wait=on_wait):
        grader = CohortGrader(course_dir, force=force, batch=batch)  # reads the ledger locked
        submissions = find_submissions(course_dir, assignments, students)
        summary = grader.run(submissions, progress, on_flag, jobs, keep)
        summary.passed_over = submissions.passed_over
        return summary
