"""An nbgrader autograde preprocessor that grades from the answers file, not the kernel.

It runs inside the `nbgrader autograde` process, after nbgrader's own sanitizing. Nothing of
the learner's notebook runs: the graded notebook is rebuilt from the released version (so
extra, edited or deleted cells change nothing), only the learner's written answers of
manually graded cells are carried over, and each autograded cell gets exactly one output:
its score as a number (nbgrader's partial credit) followed by per-item feedback.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade, is_solution
from traitlets import Unicode

from ..assignments import load_assignments
from ..content import load_course, load_keys
from ..exercises.grading import grade_built
from ..exercises.kinds import build
from ..exercises.render import feedback_html
from ..exercises.store import FILENAME, read

REPORT = "peaceops-grading.json"


@functools.cache
def _grading_context(course_dir: str):
    """Content, hidden keys and assignments: read once per grading process, not per notebook."""
    course = load_course()
    keys = load_keys(course, Path(course_dir) / "solutions" / "keys" / "bank-keys.yaml")
    return course, keys, load_assignments(course)


class TrustedGrade(NbGraderPreprocessor):
    """Replace kernel execution: rebuild from the release, score from peaceops-answers.json."""

    course_dir = Unicode(
        ".", help="The course directory (holds exercises/ and solutions/keys/)."
    ).tag(config=True)
    release_directory = Unicode("exercises").tag(config=True)
    submitted_directory = Unicode("submitted").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        assignment_id, student, notebook = info["assignment"], info["student"], info["notebook"]
        folder = Path(resources["metadata"]["path"])
        course, keys, assignments = _grading_context(str(Path(self.course_dir).resolve()))
        assignment = assignments[assignment_id]
        released = (
            Path(self.course_dir) / self.release_directory / assignment_id / f"{notebook}.ipynb"
        )
        rebuilt = nbformat.read(released, as_version=4)
        flags: list[str] = []
        records: dict = {}
        submitted = Path(self.course_dir) / self.submitted_directory / student / assignment_id
        answers_path = submitted / FILENAME
        if not answers_path.exists():
            flags.append(f"no {FILENAME} in the submission: every exercise is unanswered")
        else:
            try:
                loaded = read(answers_path)
                records = loaded.records
                flags += loaded.problems
                if loaded.learner and loaded.learner != student:
                    flags.append(
                        f"the answers file names learner '{loaded.learner}', not '{student}'"
                    )
            except ValueError as exc:
                flags.append(f"{FILENAME} is unreadable ({exc}): graded as unanswered")
        written = {
            c.metadata["nbgrader"]["grade_id"]: c.source
            for c in nb.cells
            if is_solution(c) and "nbgrader" in c.metadata
        }
        results = {}
        for cell in rebuilt.cells:
            meta = cell.metadata.get("nbgrader", {})
            if is_solution(cell) and meta.get("grade_id") in written:
                cell.source = written[meta["grade_id"]]  # the learner's own reflection
            if cell.cell_type != "code":
                continue
            cell.outputs = []
            if not is_grade(cell):
                continue
            spec = assignment.spec(meta["grade_id"])
            exercise, key = build(course, spec, student, keys)
            result = grade_built(exercise, key, records.get(spec.id))
            if result.reason:
                flags.append(f"{spec.id}: {result.reason}")
            cell.outputs = [
                nbformat.v4.new_output(
                    "execute_result", data={"text/plain": str(result.points)}, execution_count=1
                ),
                nbformat.v4.new_output(
                    "display_data",
                    data={
                        "text/html": feedback_html(exercise, result),
                        "text/plain": f"{result.points} / {result.max_points}",
                    },
                ),
            ]
            results[spec.id] = {
                "points": result.points,
                "max_points": result.max_points,
                "reason": result.reason,
            }
        for flag in flags:
            self.log.warning("FLAG %s/%s: %s", student, assignment_id, flag)
        (folder / REPORT).write_text(
            json.dumps(
                {
                    "student": student,
                    "assignment": assignment_id,
                    "notebook": notebook,
                    "results": results,
                    "flags": flags,
                },
                indent=1,
            )
        )
        resources["peaceops_flags"] = flags
        nb.cells = rebuilt.cells
        nb.metadata = rebuilt.metadata
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
