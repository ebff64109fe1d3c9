"""Grade a cohort's collected submissions from their answers files, without any kernel.

For each `submitted/<student>/<assignment>/`, the graded notebook and per-item record come
from `grading.submission` (the code `TrustedGrade` runs inside `nbgrader autograde`), and the
gradebook gets exactly what nbgrader's own `SaveAutoGrades`, `FlagForReview` and
`AssignLatePenalties` would write (`grading.gradebook` runs their code). So
`nbgrader generate_feedback`, formgrader and `nbgrader export` keep working.

Batched and safe to interrupt: submissions are written to the gradebook `BATCH` at a time in
one transaction; only after it commits are their attempts appended to the ledger and their
autograded folders swapped in whole, each holding its fingerprint (answers, notebook,
timestamp, release, keys). A run skips every submission whose fingerprint is unchanged, so
a batch cut short (even by SIGKILL) is simply graded again, under the same attempt numbers.
With `jobs` > 1, worker processes grade and this process writes, in submission order.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import itertools
import json
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbformat import NotebookNode
from nbgrader.api import Gradebook
from nbgrader.preprocessors import LimitOutput
from nbgrader.utils import is_grade, is_solution, is_task
from sqlalchemy.exc import SAWarning, SQLAlchemyError
from tqdm import tqdm

from ..content import CourseDir
from .attempts import Ledger, submission_digest, submission_time
from .folders import scan
from .gradebook import GradebookWriter, ensure_indexes
from .intake import TIMESTAMP, read_submission
from .lock import grading_lock
from .report import FILENAME as REPORT
from .report import GradingReport
from .session import SessionLog, attempt_flags
from .submission import Context, changed_cells, grade_submission, grading_context, reflections

COURSE_ID = "peaceops"
BATCH = 200  # submissions committed to the gradebook in one transaction


@dataclass(frozen=True, slots=True)
class Submission:
    """A collected submission: `submitted/<student>/<assignment>/`. The folder is kept as
    text and made a Path on use (a cohort holds one of these per submission)."""

    student: str
    assignment: str
    location: str | Path

    @property
    def folder(self) -> Path:
        return Path(self.location)


@dataclass(slots=True)
class Outcome:
    submission: Submission
    status: str  # "graded", "skipped" (unchanged since last graded) or "error"
    score: float = 0.0
    max_score: float = 0.0
    flags: list[str] = field(default_factory=list)
    error: str = ""
    pending: _Pending | None = field(default=None, repr=False)  # until its batch commits


@dataclass
class Summary:
    """What a run did: counts, mean scores and the flagged and failed submissions, tallied
    as each outcome becomes final (a graded one when its batch commits). `outcomes` lists
    every outcome, in submission order, only when `keep` is true (the API's default); the
    CLI keeps none, so grading a cohort holds no state per submission."""

    outcomes: list[Outcome] = field(default_factory=list)
    keep: bool = True
    # what in submitted/ is not a submission the graders read: (path, why), listed
    passed_over: list[tuple[str, str]] = field(default_factory=list)
    flagged: list[Outcome] = field(default_factory=list, init=False)
    errors: list[Outcome] = field(default_factory=list, init=False)
    _counts: Counter = field(default_factory=Counter, init=False, repr=False)
    # assignment -> [graded or unchanged, sum of score shares, number of shares, flagged]
    _tally: dict[str, list] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for outcome in self.outcomes:  # outcomes given already final
            self.tally(outcome)

    def tally(self, outcome: Outcome) -> None:
        """Count a final outcome."""
        self._counts[outcome.status] += 1
        if outcome.status == "error":
            self.errors.append(outcome)
            return
        if outcome.flags:
            self.flagged.append(outcome)
        mine = self._tally.setdefault(outcome.submission.assignment, [0, 0.0, 0, 0])
        mine[0] += 1
        if outcome.max_score:
            mine[1] += outcome.score / outcome.max_score
            mine[2] += 1
        mine[3] += bool(outcome.flags)

    @property
    def total(self) -> int:
        """Submissions seen (graded, unchanged or not graded)."""
        return sum(self._counts.values())

    def count(self, status: str) -> int:
        return self._counts[status]

    def per_assignment(self) -> list[str]:
        """One line per assignment: submissions graded now or unchanged, mean score, flagged."""
        lines = []
        for assignment, (graded, shares, n_shares, flagged) in sorted(self._tally.items()):
            mean = f"{100 * shares / n_shares:.1f} %" if n_shares else "n/a"
            lines.append(f"  {assignment}: {graded} graded, mean {mean}, "
                         f"{flagged} flagged for review")
        return lines


class Submissions(Sequence[Submission]):
    """Collected submissions in (student, assignment) order, held as each student's
    assignment names: a `Submission` is made when one is asked for, so a cohort's list costs
    a few bytes per submission, not a record with its own folder path."""

    def __init__(self, root: str, found: list[tuple[str, tuple[str, ...]]],
                 passed_over: Sequence[tuple[str, str]] = ()):
        self.root, self.found = root, found
        self.passed_over = list(passed_over)  # (path, why) of what is not graded (`scan`)
        self.starts = list(itertools.accumulate((len(names) for _, names in found), initial=0))

    def __len__(self) -> int:
        return self.starts[-1]

    def __iter__(self) -> Iterator[Submission]:
        for student, names in self.found:
            for name in names:
                yield Submission(student, name, os.path.join(self.root, student, name))

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("submission index out of range")
        k = bisect.bisect_right(self.starts, index) - 1
        student, names = self.found[k]
        name = names[index - self.starts[k]]
        return Submission(student, name, os.path.join(self.root, student, name))


def find_submissions(
    course_dir: CourseDir, assignments: Iterable[str] = (), students: Iterable[str] = ()
) -> Submissions:
    """Collected submissions (`submitted/<student>/<assignment>/`), optionally filtered, and
    (`Submissions.passed_over`) every entry of the wanted ones that is not graded, with why:
    a hidden or undecodable name, a file, a folder that cannot be listed (see `scan`)."""
    wanted_a, wanted_s = set(assignments), set(students)
    root = os.fspath(course_dir.submitted)
    label = os.path.basename(root)
    students_found, passed = scan(root)
    passed_over = [(_shown_path(label, name), why) for name, why in passed
                   if not name or not wanted_s or name in wanted_s]
    found = []
    for student in students_found:
        if wanted_s and student.name not in wanted_s:
            continue
        folders, passed = scan(student.path)
        passed_over += [(_shown_path(label, student.name, name), why) for name, why in passed
                        if not name or not wanted_a or name in wanted_a]
        names = tuple(sys.intern(a.name) for a in folders if not wanted_a or a.name in wanted_a)
        if names:
            found.append((student.name, names))
    return Submissions(root, found, passed_over)


def _shown_path(*parts: str) -> str:
    """A path as listed to the instructor, relative to the course (an empty part left out)."""
    return "/".join(part for part in parts if part)


class CohortGrader:
    """Grades submissions into the course's gradebook; one instance per run."""

    def __init__(self, course_dir: CourseDir, force: bool = False, batch: int = BATCH):
        self.course_dir = course_dir
        self.force = force
        self.batch = max(1, batch)
        self.db_url = course_dir.gradebook_url
        self.context: Context = grading_context(course_dir)
        config = course_dir.configuration  # output limits and metadata masks as autograde's
        self.clear_metadata = ClearMetadataPreprocessor(config=config)
        self.limit_output = LimitOutput(config=config)
        self.writer = GradebookWriter(config)
        self.keys_digest = self.context.keys_digest
        self.ledger = Ledger.of(course_dir.root)
        self.sessions = SessionLog.of(course_dir.root)
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

    # -- one run ----------------------------------------------------------------------

    def run(self, submissions: Sequence[Submission], progress: bool = True,
            on_flag: Callable[[Outcome], None] | None = None, jobs: int = 1,
            keep: bool = True) -> Summary:
        """Grade `submissions`, committing every `self.batch` of them at once; `jobs` > 1
        grades in that many worker processes (the gradebook is written here, in order).
        `keep`: list every outcome in the summary (see `Summary`)."""
        summary = Summary(keep=keep)
        _sweep(self.course_dir.autograded, self.context.assignments)
        with warnings.catch_warnings(), Gradebook(self.db_url, COURSE_ID) as gradebook:
            # nbgrader's add_submission trips SQLAlchemy's autoflush warning; harmless
            warnings.simplefilter("ignore", SAWarning)
            ensure_indexes(gradebook)
            self.known = {a.name for a in gradebook.assignments}
            self.writer.load(gradebook)
            gradebook.db.commit()  # no transaction open while workers start
            batch = _Batch(self, gradebook, on_flag, summary.tally)
            bar = tqdm(total=len(submissions), desc="Grading", unit="submission",
                       disable=not progress)
            with _prepared(self, submissions, jobs) as results:
                for outcome in results:
                    if keep:
                        summary.outcomes.append(outcome)
                    batch.add(outcome)
                    bar.update()
                batch.commit()
            bar.close()
        return summary

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
        student, assignment_id = submission.student, submission.assignment
        if assignment_id not in self.context.assignments:
            raise ValueError(f"'{assignment_id}' is not in data/assignments.yaml")
        release_digest = self.release_digest(assignment_id)
        learner_path = submission.folder / f"{assignment_id}.ipynb"
        intake = read_submission(submission.folder, assignment_id)
        timestamp = submission_time(intake.timestamp, submission.folder / TIMESTAMP)
        answers, learner = intake.answers, intake.notebook
        fingerprint = _digest("\n".join([
            self.keys_digest, release_digest, timestamp,
            *(_digest(b) if b is not None else "-" for b in (answers, learner)),
        ]).encode())
        target = self.course_dir.graded(student, assignment_id)
        previous = None if self.force else _previous(target)
        if (previous and previous.fingerprint == fingerprint
                and self.writer.has_submission(assignment_id, student)):
            return Outcome(submission, "skipped", previous.score or 0.0,
                           previous.max_score or 0.0, previous.flags)
        release, _ = self.release(assignment_id)
        written, problems = _read_reflections(learner_path.name, learner)
        attempt_id = submission_digest(answers, learner)
        attempt = self.ledger.attempt_for(student, assignment_id, attempt_id)
        graded = grade_submission(self.context, assignment_id, student, release, written,
                                  timestamp, assignment_id, answers, attempt)
        graded.add_flags(before=[*intake.flags, *problems, *self.ledger.time_flags(
            student, assignment_id, attempt_id, timestamp)], after=attempt_flags(
            self.context.certification.rule(), self.sessions, self.ledger, student,
            assignment_id, attempt_id))
        notebook = graded.notebook
        resources = {"nbgrader": {"notebook": assignment_id}}
        for i in changed_cells(notebook, release):  # the release's own were filtered once
            cell, _ = self.clear_metadata.preprocess_cell(notebook.cells[i], resources, i)
            notebook.cells[i], _ = self.limit_output.preprocess_cell(cell, resources, i)
        report = graded.report
        report.flags, report.fingerprint = graded.flags, fingerprint
        text = _notebook_json(notebook, release, self._cell_json[assignment_id])
        pending = _Pending(_graded_cells(notebook), text, report, timestamp, attempt_id,
                           intake.small)
        return Outcome(submission, "graded", flags=graded.flags, pending=pending)


@dataclass
class _Pending:
    """A graded submission waiting for its batch: what goes into the gradebook, the
    autograded folder and the attempts ledger."""

    notebook: NotebookNode  # its graded cells only (what the gradebook is given)
    notebook_text: str  # the whole graded notebook, for autograded/
    report: GradingReport
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


class _Batch:
    """Submissions staged in one gradebook transaction. Only after it commits are their
    attempts appended to the ledger and their autograded folders swapped in: an interrupted
    batch leaves nothing behind, and is graded again by the next run."""

    def __init__(self, grader: CohortGrader, gradebook: Gradebook,
                 on_flag: Callable[[Outcome], None] | None,
                 on_final: Callable[[Outcome], None] = lambda outcome: None):
        self.grader, self.gradebook, self.on_flag = grader, gradebook, on_flag
        self.on_final = on_final  # told of each outcome once it is final (`Summary.tally`)
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
            self.grader.writer.load(self.gradebook)
            for other in self.outcomes:
                self._stage(other)
            outcome.status, outcome.error = "error", f"{type(exc).__name__}: {exc}"
            outcome.pending = None
            self.on_final(outcome)
            return
        self.outcomes.append(outcome)
        if commit and len(self.outcomes) >= self.grader.batch:
            self.commit()

    def _stage(self, outcome: Outcome) -> None:
        s, p = outcome.submission, outcome.pending
        p.row = self.grader.writer.stage(self.gradebook, s.student, s.assignment, s.assignment,
                                         p.notebook, p.timestamp, bool(outcome.flags),
                                         bulk=self.bulk)

    def _scores(self) -> dict[str, tuple[float, float]]:
        """Write the batch and read its scores. If its bulk insert fails (another grader
        wrote one of these submissions meanwhile), redo the batch through nbgrader's ORM, one
        submission at a time: each is updated or created, and a broken one is an error."""
        writer = self.grader.writer
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
        ledger = self.grader.ledger
        scores = self._scores()
        self.gradebook.db.commit()
        rows = []
        for outcome in self.outcomes:
            p = outcome.pending
            outcome.score, outcome.max_score = scores[p.row]
            p.report.score, p.report.max_score = outcome.score, outcome.max_score
            rows.append(ledger.row(outcome.submission.student, outcome.submission.assignment,
                                   p.timestamp, outcome.score, outcome.max_score,
                                   p.attempt_id, outcome.flags, p.report.cut))
        ledger.append(rows, remember=False)  # a run grades each submission once
        for outcome in self.outcomes:
            s, p = outcome.submission, outcome.pending
            _swap_in(self.grader.course_dir.graded(s.student, s.assignment),
                     {f"{s.assignment}.ipynb": p.notebook_text, REPORT: p.report.to_json(),
                      **p.small})
            outcome.pending = None
            if outcome.flags and self.on_flag:
                self.on_flag(outcome)
            self.on_final(outcome)
        self.outcomes = []


_WORKER: CohortGrader | None = None  # the grader a worker process prepares with (forked)


def _prepare_in_worker(submission: Submission) -> Outcome:
    return _WORKER.prepare(submission)


@contextlib.contextmanager
def _prepared(grader: CohortGrader, submissions: Sequence[Submission], jobs: int
              ) -> Iterator[Iterable[Outcome]]:
    """Each submission prepared (graded up to the gradebook), in order: here, or in `jobs`
    forked worker processes when there are more than one (and the platform forks)."""
    if jobs <= 1 or len(submissions) < 2 or "fork" not in mp.get_all_start_methods():
        yield (grader.prepare(s) for s in submissions)
        return
    global _WORKER
    _WORKER = grader
    _ = grader.ledger.known  # read once, before forking, not by each worker during the run
    try:
        with mp.get_context("fork").Pool(jobs) as pool:
            yield pool.imap(_prepare_in_worker, submissions, chunksize=8)
    finally:
        _WORKER = None


def grade(course_dir: CourseDir, assignments: Iterable[str] = (),
          students: Iterable[str] = (), *, force: bool = False,
          progress: bool = True, on_flag: Callable[[Outcome], None] | None = None,
          jobs: int = 1, batch: int = BATCH, wait: bool = True,
          on_wait: Callable[[str], None] | None = None, keep: bool = True) -> Summary:
    """Grade every collected submission (or the named assignments/students) in `course_dir`;
    `jobs` worker processes grade in parallel, `batch` submissions are committed at once.

    Holds the course's grading lock for the run (`grading.lock`): a second grader waits for
    the first (or, with `wait=False`, raises `GraderBusy`), then skips what it graded.
    `keep=False` leaves `Summary.outcomes` empty (a cohort's run then holds nothing per
    submission: its counts, means, flagged and failed submissions are still there). A
    private bank or private answer keys are the course directory's (`CourseDir.resolve`)."""
    with grading_lock(course_dir.root, wait=wait, on_wait=on_wait):
        grader = CohortGrader(course_dir, force=force, batch=batch)  # reads the ledger locked
        submissions = find_submissions(course_dir, assignments, students)
        summary = grader.run(submissions, progress, on_flag, jobs, keep)
        summary.passed_over = submissions.passed_over
        return summary


# -- helpers ------------------------------------------------------------------------------


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _json(value) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _notebook_json(notebook: NotebookNode, release: NotebookNode | None = None,
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


def _read_reflections(name: str, data: bytes | None) -> tuple[dict[str, str] | None, list[str]]:
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
        return reflections(notebook), []
    except Exception as exc:  # corrupt JSON, deep nesting or an unconvertible notebook
        return None, [f"{name} is unreadable ({type(exc).__name__}): graded from the "
                      "answers file alone"]


def _previous(target: Path) -> GradingReport | None:
    try:
        return GradingReport.read(target)
    except (OSError, ValueError, TypeError):
        return None


def _sweep(autograded: Path, assignments: Iterable[str]) -> None:
    """Remove what a killed run left of its folder swaps (`.<assignment>.<random>` staging
    and `.<assignment>.old-<time>` folders); a folder left missing is graded again."""
    for assignment in assignments:
        for leftover in autograded.glob(f"*/.{assignment}.*"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)


def _swap_in(target: Path, files: dict[str, str | bytes]) -> None:
    """Replace the autograded folder in one rename: never half-written. It holds `files`
    (text is written as UTF-8, bytes as they are): the graded notebook, its report, and the
    submission's time and secret (nbgrader release_feedback needs it) as `intake` read them.
    Paths are handled as text: pathlib (Python 3.11) interns every part of a path it parses,
    and each swap's staging and old folder names are new, so Paths of them would grow the
    interpreter's interned strings with every submission graded."""
    parent, name = os.path.split(os.fspath(target))
    os.makedirs(parent, exist_ok=True)
    staging = tempfile.mkdtemp(prefix=f".{name}.", dir=parent)
    for filename, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        with open(os.path.join(staging, filename), "wb") as file:
            file.write(data)
    old = None
    if os.path.exists(target):
        old = os.path.join(parent, f".{name}.old-{datetime.now().strftime('%H%M%S%f')}")
        os.replace(target, old)
    os.replace(staging, target)
    if old:
        shutil.rmtree(old, ignore_errors=True)
