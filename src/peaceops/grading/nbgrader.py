"""An nbgrader autograde preprocessor that grades from the answers file, not the kernel.

It runs inside the `nbgrader autograde` process, after nbgrader's own sanitizing. Nothing of
the learner's notebook runs: the graded notebook is rebuilt from the released version (so
extra, edited or deleted cells change nothing), only the learner's written answers of
manually graded cells are carried over, and each autograded cell gets exactly one output:
its score as a number (nbgrader's partial credit) followed by per-item feedback.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from ..content import CourseDir
from ..results.record import FILENAME as RECORD
from .attempts import Ledger, submission_digest, submission_time
from .intake import TIMESTAMP, read_submission
from .safe_text import printable
from .session import SessionLog, attempt_flags
from .submission import grade_submission, grading_context, reflections

__all__ = ["MARKER", "RECORD", "DropLinkedFiles", "FlagForReview", "RecordAttempt",
           "TrustedGrade", "begin_autograde", "end_autograde", "remove_half_graded"]


class DropLinkedFiles(NbGraderPreprocessor):
    """First of the autograde preprocessors: remove from autograded/ the copy of every
    symbolic link in the submission. nbgrader's `init_assignment` copies a submission's extra
    files with `shutil.copy`, which follows links: a link to the hidden keys would put them
    in autograded/ and, through `generate_feedback`, in the learner's feedback."""

    course_dir = Unicode(".", help="The course directory (holds submitted/).").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        source = _course_dir(self).submission(info["student"], info["assignment"])
        graded = Path(resources["metadata"]["path"])
        for folder, folders, files in os.walk(source):  # never into a linked folder
            for name in files + folders:
                path = Path(folder, name)
                if path.is_symlink():
                    relative = path.relative_to(source)
                    copy = graded / relative
                    if copy.is_file() or copy.is_symlink():
                        copy.unlink()
                    self.log.warning("%s/%s: %s is a link (to %s), not a file of the "
                                     "submission: not copied to autograded/ or feedback/",
                                     printable(info["student"]), printable(info["assignment"]),
                                     printable(str(relative)), printable(os.readlink(path)))
        return nb, resources

class TrustedGrade(NbGraderPreprocessor):
    """Replace kernel execution: rebuild from the release, score from peaceops-answers.json."""

    course_dir = Unicode(
        ".", help="The course directory (holds the release and the source's keys/)."
    ).tag(config=True)
    keys_path = Unicode(
        "", help="The hidden keys (default: solutions/keys/bank-keys.yaml in the course)."
    ).tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        assignment_id, student, notebook = info["assignment"], info["student"], info["notebook"]
        course_dir = _course_dir(self, self.keys_path)
        context = grading_context(course_dir)
        folder = course_dir.submission(student, assignment_id)
        intake = read_submission(folder, notebook)
        submission = submission_digest(intake.answers, intake.notebook)
        ledger = Ledger.of(course_dir.root)
        graded = grade_submission(
            context,
            assignment_id,
            student,
            nbformat.read(course_dir.release / assignment_id / f"{notebook}.ipynb", 4),
            reflections(nb) if intake.notebook is not None else None,  # never a linked or huge one
            notebook_name=notebook,
            answers=intake.answers,
            attempt=ledger.attempt_for(student, assignment_id, submission),
        )
        graded.add_flags(before=intake.flags, after=[*ledger.time_flags(
            student, assignment_id, submission,
            submission_time(intake.timestamp, folder / TIMESTAMP)), *attempt_flags(
            context.certification.rule(), SessionLog.of(course_dir.root), ledger, student,
            assignment_id, submission)])
        for flag in graded.flags:  # each one printable (`Graded.add_flags`)
            self.log.warning("FLAG %s/%s: %s", printable(student), printable(assignment_id), flag)
        graded.record.write(Path(resources["metadata"]["path"]))
        resources["peaceops_flags"] = graded.flags
        resources["peaceops_cut"] = graded.record.cut
        nb.cells = graded.notebook.cells
        nb.metadata = graded.notebook.metadata
        return nb, resources


class FlagForReview(NbGraderPreprocessor):
    """After SaveAutoGrades: a flagged submission's grades are marked "needs manual grade",
    so formgrader lists it for the instructor instead of showing a silent zero."""

    def preprocess(self, nb, resources):
        if not resources.get("peaceops_flags"):
            return nb, resources
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gradebook:
            submission = gradebook.find_submission_notebook(
                info["notebook"], info["assignment"], info["student"]
            )
            for grade in submission.grades:
                grade.needs_manual_grade = True
            gradebook.db.commit()
        return nb, resources


class RecordAttempt(NbGraderPreprocessor):
    """After the grades are saved (and late penalties applied): append the submission to the
    attempts ledger, as `peaceops grade` does, so a pass rule can count exam attempts."""

    course_dir = Unicode(".", help="The course directory (holds submitted/).").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        course_dir = _course_dir(self)
        folder = course_dir.submission(info["student"], info["assignment"])
        with Gradebook(info["db_url"]) as gradebook:
            submission = gradebook.find_submission(info["assignment"], info["student"])
            score, max_score = float(submission.score), float(submission.max_score)
        intake = read_submission(folder, info["notebook"])
        submission = submission_digest(intake.answers, intake.notebook)
        Ledger.of(course_dir.root).record(
            info["student"], info["assignment"],
            submission_time(intake.timestamp, folder / TIMESTAMP), score, max_score,
            submission, resources.get("peaceops_flags", []), resources.get("peaceops_cut"))
        return nb, resources


def _course_dir(plugin: NbGraderPreprocessor, keys: str = "") -> CourseDir:
    """The course directory a plugin of `nbgrader autograde` works in, with the configuration
    nbgrader read (its folder names and gradebook: the course's nbgrader_config.py is not
    read again, and its autograde hooks not run twice)."""
    return CourseDir.resolve(plugin.course_dir, keys=keys or None, config=plugin.config)


#: In an autograded folder while `nbgrader autograde` writes it (`begin_autograde` to
#: `end_autograde`): a folder that still holds it was cut short, and is graded again.
MARKER = ".peaceops-autograding"


def _graded_folders(course_dir: CourseDir, notebooks: list[str]) -> set[Path]:
    """The autograded folders of the submission whose notebooks nbgrader is converting
    (`submitted/<student>/<assignment>/<notebook>.ipynb`)."""
    return {course_dir.graded(Path(nb).parent.parent.name, Path(nb).parent.name)
            for nb in notebooks}


def begin_autograde(course_dir: CourseDir, *, assignment: str = "", student: str = "",
                    notebooks: list[str] = ()) -> None:
    """nbgrader's `pre_convert_hook` of autograde: mark the submission's autograded folder
    as being written (`MARKER`), before nbgrader copies, sanitizes or grades anything into
    it. (`assignment` and `student` are the command line's, maybe patterns: unused.)"""
    for folder in _graded_folders(course_dir, notebooks):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / MARKER).write_text("nbgrader autograde is writing this folder\n")


def end_autograde(course_dir: CourseDir, *, assignment: str = "", student: str = "",
                  notebooks: list[str] = ()) -> None:
    """nbgrader's `post_convert_hook` of autograde: every notebook of the submission is
    written, graded and recorded; the folder is complete."""
    for folder in _graded_folders(course_dir, notebooks):
        (folder / MARKER).unlink(missing_ok=True)


def remove_half_graded(course_dir: CourseDir) -> list[Path]:
    """Remove autograded folders that a killed `nbgrader autograde` left half-written (one
    still marked as being written, or a released notebook without its complete graded
    copy), so the next run grades them again instead of skipping them as done. Each is
    renamed away first (`.<assignment>.half-graded`, then deleted: a kill meanwhile leaves
    no half-deleted folder that looks complete). Run at the start of `nbgrader autograde`
    only, holding the grading lock."""
    for leftover in course_dir.autograded.glob("*/.*.half-graded"):
        shutil.rmtree(leftover, ignore_errors=True)
    removed = []
    for folder in sorted(course_dir.autograded.glob("*/*")):
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        released = sorted((course_dir.release / folder.name).glob("*.ipynb"))
        if (folder / MARKER).exists() or (
                released and not all(_complete(folder / nb.name) for nb in released)):
            away = folder.with_name(f".{folder.name}.half-graded")
            shutil.rmtree(away, ignore_errors=True)
            folder.rename(away)
            shutil.rmtree(away)
            removed.append(folder)
    return removed


def _complete(path: Path) -> bool:
    try:
        json.loads(path.read_bytes())
        return True
    except (OSError, ValueError, RecursionError):
        return False
