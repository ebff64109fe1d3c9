"""Grade a cohort's collected submissions from their answers files, without any kernel.

For each `submitted/<student>/<assignment>/`, the graded notebook and per-item record come
from `grading.submission` (the code `TrustedGrade` runs inside `nbgrader autograde`), and the
gradebook gets exactly what nbgrader's own `SaveAutoGrades`, `FlagForReview` and
`AssignLatePenalties` would write (`grading.gradebook` runs their code). So `nbgrader generate_feedback`, formgrader and `nbgrader export` keep working.

Safe to interrupt: a submission is committed to the gradebook, then its autograded folder is
swapped in whole, and its fingerprint (answers, notebook, timestamp, release, keys) is
recorded there; a run skips every submission whose fingerprint is unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbformat import NotebookNode
from nbformat.v4.nbjson import JSONReader, JSONWriter
from nbgrader.api import Gradebook
from nbgrader.preprocessors import LimitOutput
from sqlalchemy.exc import SAWarning
from tqdm import tqdm
from traitlets.config import Config, PyFileConfigLoader

from ..content import CourseDir
from ..exercises.store import FILENAME
from .attempts import Ledger, submission_time
from .gradebook import GradebookWriter, ensure_indexes
from .lock import grading_lock
from .report import FILENAME as REPORT
from .report import GradingReport
from .submission import Context, grade_submission, grading_context

COURSE_ID = "peaceops"
# Files of a submission that autograde copies into autograded/ and later steps need:
# generate_feedback carries submission_secret.txt on, and release_feedback (nbgrader's
# exchange) refuses a feedback folder without it.
KEPT = ("timestamp.txt", "submission_secret.txt")
READER, WRITER = JSONReader(), JSONWriter()  # as nbformat.write, without re-validating a notebook built here


@dataclass(frozen=True)
class Submission:
    student: str
    assignment: str
    folder: Path


@dataclass
class Outcome:
    submission: Submission
    status: str  # "graded", "skipped" (unchanged since last graded) or "error"
    score: float = 0.0
    max_score: float = 0.0
    flags: list[str] = field(default_factory=list)
    error: str = ""


@dataclass
class Summary:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def flagged(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.flags]

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "error"]


def find_submissions(
    course_dir: CourseDir, assignments: Iterable[str] = (), students: Iterable[str] = ()
) -> list[Submission]:
    """Collected submissions (`submitted/<student>/<assignment>/`), optionally filtered."""
    wanted_a, wanted_s = set(assignments), set(students)
    found = []
    for folder in sorted(course_dir.submitted.glob("*/*")):
        student, assignment = folder.parent.name, folder.name
        if not folder.is_dir() or student.startswith(".") or assignment.startswith("."):
            continue
        if (wanted_a and assignment not in wanted_a) or (wanted_s and student not in wanted_s):
            continue
        found.append(Submission(student, assignment, folder))
    return found


def load_course_config(course_dir: Path) -> Config:
    """The course's nbgrader_config.py, so output limits and metadata masks match autograde."""
    path = course_dir / "nbgrader_config.py"
    if not path.exists():
        return Config()
    return PyFileConfigLoader(path.name, str(course_dir)).load_config()


class CohortGrader:
    """Grades submissions into the course's gradebook; one instance per run."""

    def __init__(self, course_dir: CourseDir, force: bool = False):
        self.course_dir = course_dir
        self.force = force
        self.db_url = course_dir.gradebook_url
        self.context: Context = grading_context(course_dir)
        config = load_course_config(course_dir.root)
        self.clear_metadata = ClearMetadataPreprocessor(config=config)
        self.limit_output = LimitOutput(config=config)
        self.writer = GradebookWriter(config)
        self.keys_digest = self.context.keys_digest
        self.ledger = Ledger(course_dir.attempts)
        self._releases: dict[str, tuple[str, str]] = {}

    def release(self, assignment_id: str) -> tuple[NotebookNode, str]:
        """The released notebook (a fresh copy to grade into) and its digest; read once."""
        if assignment_id not in self._releases:
            path = self.course_dir.release_notebook(assignment_id)
            data = path.read_bytes()
            nbformat.reads(data.decode(), 4)  # validated once
            self._releases[assignment_id] = (data.decode(), _digest(data))
        text, digest = self._releases[assignment_id]
        return READER.reads(text), digest  # a fresh copy, faster than deepcopy

    # -- one run ----------------------------------------------------------------------

    def run(self, submissions: list[Submission], progress: bool = True,
            on_flag: Callable[[Outcome], None] | None = None) -> Summary:
        summary = Summary()
        with warnings.catch_warnings(), Gradebook(self.db_url, COURSE_ID) as gradebook:
            # nbgrader's add_submission trips SQLAlchemy's autoflush warning; harmless
            warnings.simplefilter("ignore", SAWarning)
            ensure_indexes(gradebook)
            known = {a.name for a in gradebook.assignments}
            bar = tqdm(submissions, desc="Grading", unit="submission", disable=not progress)
            for submission in bar:
                if submission.assignment not in known:
                    outcome = Outcome(submission, "error", error=(
                        f"assignment '{submission.assignment}' is not in the gradebook: run "
                        f"`nbgrader generate_assignment {submission.assignment}` first"))
                else:
                    try:
                        outcome = self.grade_one(gradebook, submission)
                    except Exception as exc:  # one broken submission never stops the rest
                        gradebook.db.rollback()
                        outcome = Outcome(submission, "error", error=f"{type(exc).__name__}: {exc}")
                summary.outcomes.append(outcome)
                if outcome.flags and on_flag:
                    on_flag(outcome)
        return summary

    def grade_one(self, gradebook: Gradebook, submission: Submission) -> Outcome:
        student, assignment_id = submission.student, submission.assignment
        if assignment_id not in self.context.assignments:
            raise ValueError(f"'{assignment_id}' is not in data/assignments.yaml")
        release, release_digest = self.release(assignment_id)
        learner_path = submission.folder / f"{assignment_id}.ipynb"
        timestamp = submission_time(submission.folder)
        answers, learner = _bytes(submission.folder / FILENAME), _bytes(learner_path)
        fingerprint = _digest("\n".join([
            self.keys_digest, release_digest, timestamp,
            *(_digest(b) if b is not None else "-" for b in (answers, learner)),
        ]).encode())
        target = self.course_dir.graded(student, assignment_id)
        previous = _previous(target)
        if (not self.force and previous and previous.fingerprint == fingerprint
                and self.writer.has_submission(gradebook, assignment_id, student)):
            return Outcome(submission, "skipped", previous.score or 0.0,
                           previous.max_score or 0.0, previous.flags)
        learner_nb, problems = _read_notebook(learner_path.name, learner)
        graded = grade_submission(self.context, assignment_id, student, submission.folder,
                                  release, learner_nb, timestamp, assignment_id, answers)
        graded.flags[:0] = problems
        notebook = graded.notebook
        resources = {"nbgrader": {"notebook": assignment_id}}
        notebook, _ = self.clear_metadata.preprocess(notebook, resources)
        notebook, _ = self.limit_output.preprocess(notebook, resources)
        score, max_score = self.writer.save(gradebook, student, assignment_id, assignment_id,
                                            notebook, timestamp, bool(graded.flags))
        gradebook.db.commit()
        report = graded.report
        report.flags, report.fingerprint = graded.flags, fingerprint
        report.score, report.max_score = score, max_score
        self.ledger.record(student, assignment_id, timestamp, score, max_score, fingerprint)
        _swap_in(target, {f"{assignment_id}.ipynb": WRITER.writes(notebook),
                          REPORT: report.to_json()},
                 [submission.folder / name for name in KEPT])
        return Outcome(submission, "graded", score, max_score, graded.flags)



def grade(course_dir: CourseDir | Path | str = ".", assignments: Iterable[str] = (),
          students: Iterable[str] = (), *, keys: Path | str | None = None, force: bool = False,
          progress: bool = True, on_flag: Callable[[Outcome], None] | None = None,
          wait: bool = True, on_wait: Callable[[str], None] | None = None) -> Summary:
    """Grade every collected submission (or the named assignments/students) in `course_dir`.

    Holds the course's grading lock for the run (`grading.lock`): a second grader waits for
    the first (or, with `wait=False`, raises `GraderBusy`), then skips what it graded."""
    if not isinstance(course_dir, CourseDir):
        course_dir = CourseDir.resolve(course_dir, keys=keys)
    with grading_lock(course_dir.root, wait=wait, on_wait=on_wait):
        grader = CohortGrader(course_dir, force=force)  # reads the ledger under the lock
        return grader.run(find_submissions(course_dir, assignments, students), progress,
                          on_flag)


# -- helpers ------------------------------------------------------------------------------


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _bytes(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def _read_notebook(name: str, data: bytes | None):
    """The learner's notebook, unvalidated (only reflections are taken from it)."""
    if data is None:
        return None, [f"no {name} in the submission: graded from the answers file alone"]
    try:
        text = data.decode("utf-8")
        if json.loads(text).get("nbformat") == 4:
            return READER.reads(text), []  # joins multi-line sources, no schema validation
        return nbformat.reads(text, 4), []
    except Exception as exc:  # corrupt JSON or an unconvertible notebook
        return None, [f"{name} is unreadable ({type(exc).__name__}): graded from the "
                      "answers file alone"]


def _previous(target: Path) -> GradingReport | None:
    try:
        return GradingReport.read(target)
    except (OSError, ValueError, TypeError):
        return None


def _swap_in(target: Path, files: dict[str, str], kept: list[Path]) -> None:
    """Replace the autograded folder in one rename: never half-written. `kept`: files of
    the submission copied as they are (when present)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    for name, text in files.items():
        (staging / name).write_text(text, encoding="utf-8")
    for path in kept:
        if path.exists():
            shutil.copy2(path, staging / path.name)
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{datetime.now().strftime('%H%M%S%f')}")
        os.replace(target, old)
    os.replace(staging, target)
    if old:
        shutil.rmtree(old, ignore_errors=True)
