"""The nbgrader source notebook of each assignment, generated from data/assignments.yaml.

`solutions/<id>/<id>.ipynb` is this output, committed (`peaceops generate-sources` writes
it); `nbgrader generate_assignment` turns it into the release in `exercises/`. A test keeps
both up to date. `python -m peaceops.grading.notebooks` is kept as an alias of the verb,
for scripts outside the repository that call it.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from ..content import Assignment, CourseDir
from ..exercises import build

INSTRUCTIONS = """\
**How this assignment works.** Run all cells (*Run › Run All Cells*). Answer with the
controls; every change is saved at once to `peaceops-answers.json` in this folder (you will
see "Saved at …"). Your score is computed by the grader from that file, not from this
notebook, so keep the file, and do not rename it. You see no correctness here; feedback
comes with grading. The cell under each exercise tells you how many items are answered.
"""


def _meta(grade_id: str, *, grade=False, solution=False, locked=True, points=0) -> dict:
    meta = {
        "grade_id": grade_id,
        "grade": grade,
        "solution": solution,
        "locked": locked,
        "schema_version": 3,
    }
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


def source_notebook(assignment: Assignment, course_dir: CourseDir) -> nbformat.NotebookNode:
    course, keys = course_dir.content(), course_dir.keys()
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# {assignment.title}\n\n{INSTRUCTIONS}", metadata=_meta("instructions")
        ),
        nbformat.v4.new_code_cell(
            "from peaceops.assignments import answered, show", metadata=_meta("setup")
        ),
    ]
    for n, spec in enumerate(assignment.exercises, start=1):
        exercise, _ = build(course, spec, "points", keys)
        cells += [
            nbformat.v4.new_markdown_cell(
                f"## Exercise {n} ({exercise.max_points:g} point{'' if exercise.max_points == 1 else 's'})",
                metadata=_meta(f"{spec.id}-heading"),
            ),
            nbformat.v4.new_code_cell(f'show("{spec.id}")', metadata=_meta(f"{spec.id}-widget")),
            nbformat.v4.new_code_cell(
                f"# Graded by peaceops from peaceops-answers.json, outside this kernel.\n"
                f'answered("{spec.id}")',
                metadata=_meta(spec.id, grade=True, points=_whole(exercise.max_points)),
            ),
        ]
    if assignment.reflection:
        cells += [
            nbformat.v4.new_markdown_cell(
                f"## Reflection (2 points, graded by your instructor)\n\n{assignment.reflection}",
                metadata=_meta("reflection-prompt"),
            ),
            nbformat.v4.new_markdown_cell(
                "(Write your answer here.)",
                metadata=_meta("reflection", grade=True, solution=True, locked=False, points=2),
            ),
        ]
    for cell in cells:  # stable ids, so regenerating changes nothing
        cell.id = cell.metadata["nbgrader"]["grade_id"]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return nb


def _whole(points: float) -> float | int:
    """Points as nbgrader's metadata keeps them: a whole number without decimals."""
    return int(points) if float(points).is_integer() else points


def write_sources(course_dir: CourseDir) -> list[Path]:
    """Write <source>/<id>/<id>.ipynb (solutions/ here) for every assignment; return the
    paths."""
    paths = []
    for assignment in course_dir.content().assignments.values():
        path = course_dir.source / assignment.id / f"{assignment.id}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(source_notebook(assignment, course_dir), path)
        paths.append(path)
    return paths


if __name__ == "__main__":  # the alias of `peaceops generate-sources`
    for written in write_sources(CourseDir.resolve(".")):
        print(written)
