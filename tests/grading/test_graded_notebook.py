"""The graded notebook `peaceops grade` writes: the release is read and filtered once per
run and shared by every graded notebook, yet each notebook's text is exactly what filtering
and writing a fresh copy gives, and grading never changes the shared release."""

from __future__ import annotations

import json
import pickle

import nbformat

from peaceops.content import CourseDir
from peaceops.grading.cohort import CohortGrader
from peaceops.grading.discovery import Submission
from peaceops.grading.pipeline import notebook_json
from peaceops.grading.submission import grade_submission, reflections
from tests.factories import answers_for, copy_course, submit

MLT = "mlt-roles"


def _reference(grader: CohortGrader, folder, student: str) -> str:
    """The graded notebook the slow way: a fresh copy of the release, graded, then filtered
    and written whole."""
    release = nbformat.read(grader.course_dir.release_notebook(MLT), 4)
    learner = nbformat.read(folder / f"{MLT}.ipynb", 4)
    graded = grade_submission(grader.context, MLT, student, release, reflections(learner),
                              "2026-11-22T10:00:00", MLT, (folder / "peaceops-answers.json")
                              .read_bytes(), 1)
    resources = {"nbgrader": {"notebook": MLT}}
    notebook, _ = grader.clear_metadata.preprocess(graded.notebook, resources)
    notebook, _ = grader.limit_output.preprocess(notebook, resources)
    return json.dumps(notebook, sort_keys=True, ensure_ascii=False) + "\n"


def test_a_graded_notebook_is_the_fresh_copy_graded_and_the_release_is_untouched(tmp_path):
    course = copy_course(tmp_path / "course")
    grader = CohortGrader(CourseDir.resolve(course))
    release, _ = grader.release(MLT)
    before = json.dumps(release, sort_keys=True)
    texts = {}
    for student, fraction in [("ana", 1.0), ("ben", 0.5)]:
        answers, _ = answers_for(MLT, student, fraction)
        nb = nbformat.read(course / "exercises" / MLT / f"{MLT}.ipynb", 4)
        for cell in nb.cells:
            if cell.metadata.get("nbgrader", {}).get("solution"):
                cell.source = f"{student} wrote this."
        folder = submit(course, student, MLT, answers, nbformat.writes(nb))
        outcome = grader._prepare(Submission(student, MLT, folder))
        texts[student] = outcome.pending.notebook_text
        graded = [c for c in json.loads(texts[student])["cells"]
                  if {"grade", "solution", "task"} & {
                      k for k, v in c["metadata"].get("nbgrader", {}).items() if v is True}]
        assert graded and outcome.pending.notebook.cells == graded  # what the gradebook gets
        shipped = pickle.loads(pickle.dumps(outcome))  # from a worker process (--jobs)
        assert shipped.pending.notebook == outcome.pending.notebook
        assert shipped.pending.notebook.cells[0].metadata.nbgrader  # NotebookNodes again
        assert shipped.pending.record == outcome.pending.record
        assert texts[student] == _reference(grader, folder, student)
        assert f"{student} wrote this." in texts[student]
    assert texts["ana"] != texts["ben"]
    assert json.dumps(release, sort_keys=True) == before  # shared, never edited


def test_the_notebook_text_without_a_release_is_plain_sorted_json():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("é")])
    assert notebook_json(notebook) == json.dumps(notebook, sort_keys=True,
                                                  ensure_ascii=False) + "\n"


def test_a_folder_autograde_was_writing_when_killed_is_removed_and_graded_again(tmp_path):
    """`nbgrader autograde` marks a submission's autograded folder while it writes it
    (its pre- and post-convert hooks): a folder still marked is half-graded, however whole
    its notebook looks (the sanitized, ungraded one is whole JSON)."""
    from peaceops.content import CourseDir
    from peaceops.grading.nbgrader import (
        MARKER,
        begin_autograde,
        end_autograde,
        remove_half_graded,
    )

    (tmp_path / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.release_directory = "exercises"\n')
    course = CourseDir.resolve(tmp_path)
    (tmp_path / "exercises" / "a1").mkdir(parents=True)
    (tmp_path / "exercises" / "a1" / "a1.ipynb").write_text("{}")
    notebooks = [str(tmp_path / "submitted" / s / "a1" / "a1.ipynb") for s in ("s1", "s2")]
    for notebook in notebooks:
        begin_autograde(course, assignment="a1", student="*", notebooks=[notebook])
    graded = {s: tmp_path / "autograded" / s / "a1" for s in ("s1", "s2")}
    for folder in graded.values():
        assert (folder / MARKER).is_file()
        (folder / "a1.ipynb").write_text("{}")  # whole JSON, not graded yet
    end_autograde(course, assignment="a1", student="*", notebooks=notebooks[:1])
    leftover = graded["s1"].with_name(".a1.half-graded")  # a removal killed before
    leftover.mkdir()
    assert remove_half_graded(course) == [graded["s2"]]
    assert (graded["s1"] / "a1.ipynb").is_file() and not (graded["s1"] / MARKER).exists()
    assert not graded["s2"].exists() and not leftover.exists()
