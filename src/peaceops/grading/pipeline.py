"""One submission graded up to the gradebook, in steps (`SubmissionGrader.prepare`): read
it, fingerprint it and skip it when unchanged, grade it from its answers file, filter the
graded notebook's own cells through the course's nbconvert/nbgrader preprocessors, and hold
what its batch will write (`Pending`). Nothing is written here (see `batch`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbformat import NotebookNode
from nbgrader.preprocessors import LimitOutput
from nbgrader.utils import is_grade, is_solution, is_task

from ..content import CourseDir
from ..results.record import SubmissionRecord
from .attempts import Ledger, submission_digest, submission_time
from .discovery import Submission
from .gradebook import GradebookWriter
from .intake import TIMESTAMP, Intake, read_submission
from .session import SessionLog, attempt_flags
from .submission import Context, Graded, changed_cells, grade_submission, grading_context
from .submission import reflections as written_reflections


@dataclass(slots=True)
class Outcome:
    submission: Submission
    status: str  # "graded", "skipped" (unchanged since last graded) or "error"
    score: float = 0.0
    max_score: float = 0.0
    flags: list[str] = field(default_factory=list)
    error: str = ""
    pending: Pending | None = field(default=None, repr=False)  # until its batch commits


@dataclass
class Pending:
    """A graded submission waiting for its batch: what goes into the gradebook, the
    autograded folder and the attempts ledger."""

    notebook: NotebookNode  # its graded cells only (what the gradebook is given)
    notebook_text: str  # the whole graded notebook, for autograded/
    record: SubmissionRecord
    timestamp: str
    attempt_id: str
    small: dict[str, bytes]  # the submission's timestamp and secret, copied as read
    row: str = ""  # its SubmittedAssignment's id, once staged

    def __getstate__(self) -> dict:
        """Sent from a worker process: the cells as JSON text (unpickling a NotebookNode
        converts it key by key, the main cost of shipping a submission)."""
        return {**self.__dict__, "notebook": json.dumps(self.notebook)}

    def __setstate__(self, state: dict) -> None:
        state["notebook"] = json.loads(state["notebook"], object_hook=NotebookNode)
        self.__dict__.update(state)


class SubmissionGrader:
    """Prepares submissions for the gradebook (`prepare`); what it reads once per run (the
    course's content, keys and configuration, each release) it keeps."""

    def __init__(self, course_dir: CourseDir, force: bool = False):
        self.course_dir = course_dir
        self.force = force
        self.context: Context = grading_context(course_dir)
        config = course_dir.configuration  # output limits and metadata masks as autograde's
        self.clear_metadata = ClearMetadataPreprocessor(config=config)
        self.limit_output = LimitOutput(config=config)
        self.writer = GradebookWriter(config)
        self.keys_digest = self.context.keys_digest
        self.ledger = Ledger.of(course_dir.root)
        self.sessions = SessionLog.of(course_dir.root)
        self.known: set[str] = set()  # the gradebook's assignments (set by the run)
        self._releases: dict[str, tuple[NotebookNode, str]] = {}
        self._cell_json: dict[str, list[str]] = {}  # each release cell's JSON, written once

    def release_digest(self, assignment_id: str) -> str:
        """The released notebook's digest (read and validated once per run)."""
        return self.release(assignment_id)[1]

    def release(self, assignment_id: str) -> tuple[NotebookNode, str]:
        """The released notebook, validated and put through the course's metadata and output
        filters once per run, and its digest. Grading leaves it as it is (the graded notebook
        shares its unchanged cells), so only a graded notebook's own cells are filtered."""
        if assignment_id not in self._releases:
            data = self.course_dir.release_notebook(assignment_id).read_bytes()
            notebook = nbformat.reads(data.decode(), 4)  # validated once
            resources = {"nbgrader": {"notebook": assignment_id}}
            notebook, _ = self.clear_metadata.preprocess(notebook, resources)
            notebook, _ = self.limit_output.preprocess(notebook, resources)
            self._releases[assignment_id] = (notebook, _digest(data))
            self._cell_json[assignment_id] = [_json(cell) for cell in notebook.cells]
        return self._releases[assignment_id]

    def prepare(self, submission: Submission) -> Outcome:
        """Grade one submission, up to the gradebook: a "skipped" or "error" outcome, or a
        "graded" one carrying what to write (`Outcome.pending`). Writes nothing."""
        if submission.assignment not in self.known:
            return Outcome(submission, "error", error=(
                f"assignment '{submission.assignment}' is not in the gradebook: run "
                f"`nbgrader generate_assignment {submission.assignment}` first"))
        try:
            return self._prepare(submission)
        except Exception as exc:  # one broken submission never stops the rest
            return Outcome(submission, "error", error=f"{type(exc).__name__}: {exc}")

    def _prepare(self, submission: Submission) -> Outcome:
        assignment_id = submission.assignment
        if assignment_id not in self.context.assignments:
            raise ValueError(f"'{assignment_id}' is not in data/assignments.yaml")
        release_digest = self.release_digest(assignment_id)
        intake = read_submission(submission.folder, assignment_id)
        timestamp = submission_time(intake.timestamp, submission.folder / TIMESTAMP)
        fingerprint = self._fingerprint(release_digest, timestamp, intake)
        if (unchanged := self._unchanged(submission, fingerprint)) is not None:
            return unchanged
        graded, attempt_id = self._grade(submission, intake, timestamp)
        self._filter(graded.notebook, assignment_id)
        record = graded.record
        record.flags, record.fingerprint = graded.flags, fingerprint
        text = notebook_json(graded.notebook, self.release(assignment_id)[0],
                             self._cell_json[assignment_id])
        pending = Pending(_graded_cells(graded.notebook), text, record, timestamp, attempt_id,
                          intake.small)
        return Outcome(submission, "graded", flags=graded.flags, pending=pending)

    # -- the steps of `_prepare` --------------------------------------------------------

    def _fingerprint(self, release_digest: str, timestamp: str, intake: Intake) -> str:
        """What is graded (keys, release, time, answers file and notebook), as one digest."""
        return _digest("\n".join([
            self.keys_digest, release_digest, timestamp,
            *(_digest(b) if b is not None else "-" for b in (intake.answers, intake.notebook)),
        ]).encode())

    def _unchanged(self, submission: Submission, fingerprint: str) -> Outcome | None:
        """A "skipped" outcome when the submission was graded as it is (same fingerprint,
        still in the gradebook), unless `force`."""
        target = self.course_dir.graded(submission.student, submission.assignment)
        previous = None if self.force else _previous(target)
        if (previous and previous.fingerprint == fingerprint
                and self.writer.has_submission(submission.assignment, submission.student)):
            return Outcome(submission, "skipped", previous.score or 0.0,
                           previous.max_score or 0.0, previous.flags)
        return None

    def _grade(self, submission: Submission, intake: Intake, timestamp: str
               ) -> tuple[Graded, str]:
        """The graded notebook and record (`submission.grade_submission`), flagged, and the
        submission's attempt id."""
        student, assignment_id = submission.student, submission.assignment
        release, _ = self.release(assignment_id)
        answers, learner = intake.answers, intake.notebook
        written, problems = read_reflections(f"{assignment_id}.ipynb", learner)
        attempt_id = submission_digest(answers, learner)
        attempt = self.ledger.attempt_for(student, assignment_id, attempt_id)
        graded = grade_submission(self.context, assignment_id, student, release, written,
                                  timestamp, assignment_id, answers, attempt)
        graded.add_flags(before=[*intake.flags, *problems, *self.ledger.time_flags(
            student, assignment_id, attempt_id, timestamp)], after=attempt_flags(
            self.context.certification.rule(), self.sessions, self.ledger, student,
            assignment_id, attempt_id))
        return graded, attempt_id

    def _filter(self, notebook: NotebookNode, assignment_id: str) -> None:
        """The course's metadata and output filters on the graded notebook's own cells (the
        release's were filtered once)."""
        release, _ = self.release(assignment_id)
        resources = {"nbgrader": {"notebook": assignment_id}}
        for i in changed_cells(notebook, release):
            cell, _ = self.clear_metadata.preprocess_cell(notebook.cells[i], resources, i)
            notebook.cells[i], _ = self.limit_output.preprocess_cell(cell, resources, i)


# -- helpers ------------------------------------------------------------------------------


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def notebook_json(notebook: NotebookNode, release: NotebookNode | None = None,
                  release_json: list[str] = ()) -> str:
    """The graded notebook as nbformat JSON (sorted keys), unindented: json's C encoder
    serves only unindented output, and nbformat's indented writer costs about as much as
    grading the submission. Any notebook reader (nbgrader, Jupyter) reads it the same.
    The cells it shares with `release` are taken from `release_json` (their JSON, written
    once per run): the text is exactly `json.dumps(notebook, sort_keys=True)`."""
    cells = [release_json[i] if release is not None and cell is release.cells[i] else _json(cell)
             for i, cell in enumerate(notebook.cells)]
    parts = [f"{_json(k)}: " + ("[" + ", ".join(cells) + "]" if k == "cells" else _json(v))
             for k, v in sorted(notebook.items())]
    return "{" + ", ".join(parts) + "}\n"


def _graded_cells(notebook: NotebookNode) -> NotebookNode:
    """The cells nbgrader's `SaveAutoGrades` reads (grade, solution and task cells): what a
    worker process ships back with each submission instead of the whole notebook."""
    return NotebookNode(cells=[c for c in notebook.cells
                               if is_grade(c) or is_solution(c) or is_task(c)])


def read_reflections(name: str, data: bytes | None) -> tuple[dict[str, str] | None, list[str]]:
    """The reflections written in the learner's notebook (the only thing taken from it),
    read as plain JSON (an older notebook format is converted first), and what was wrong."""
    if data is None:
        return None, [f"no {name} in the submission: graded from the answers file alone"]
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark is not part of the notebook
        notebook = json.loads(text)
        if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
            raise ValueError("not a notebook")
        if notebook.get("nbformat") != 4:
            notebook = nbformat.reads(text, 4)
        return written_reflections(notebook), []
    except Exception as exc:  # corrupt JSON, deep nesting or an unconvertible notebook
        return None, [f"{name} is unreadable ({type(exc).__name__}): graded from the "
                      "answers file alone"]


def _previous(target: Path) -> SubmissionRecord | None:
    try:
        return SubmissionRecord.read(target)
    except (OSError, ValueError, TypeError):
        return None
