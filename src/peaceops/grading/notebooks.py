"""The nbgrader source notebook of each assignment, generated from data/assignments.yaml.

`solutions/<id>/<id>.ipynb` is this output, committed (`peaceops generate-sources` writes
it); `nbgrader generate_assignment` turns it into the release in `exercises/`. A test keeps
both up to date. `python -m peaceops.grading.notebooks` is kept as an alias of the verb,
for scripts outside the repository that call it.

One release serves every learner, so each learner-facing Markdown cell (the title and
instructions, the exercise headings, the reflection prompt) holds the text in every
language of the course, English first, each in a block marked with its language
(`<div lang="fr">`): it shows before any cell runs (the instructions say how to run them),
in nbgrader's feedback and formgrader (which rebuild the notebook from the release and
clear the outputs of ungraded cells, so text shown at run time would be lost there), and
screen readers and browsers know each block's language. The texts: the catalogue's
messages, and each assignment's title and reflection from data/i18n/<language>/
assignments.yaml (stamped and checked like the items; a missing or stale one stops the
generation with the file and id).
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from ..content import Assignment, ContentError, CourseDir
from ..content.language import DEFAULT, LANGUAGES
from ..content.messages import N_, _
from ..exercises import build
from .exam_feedback import points_text

INSTRUCTIONS = N_("""\
**How this assignment works.** Run all cells (*Run › Run All Cells*). Answer with the
controls; every change is saved at once to `peaceops-answers.json` in this folder (you will
see "Saved at …"). Your score is computed by the grader from that file, not from this
notebook, so keep the file, and do not rename it. You see no correctness here; feedback
comes with grading. The cell under each exercise tells you how many items are answered.
""")
EXERCISE = N_("Exercise {n} ({points})")
REFLECTION = N_("Reflection (2 points, graded by your instructor)")
ANSWER = N_("(Write your answer here.)")
GRADED = N_("Graded by peaceops from peaceops-answers.json, outside this kernel.")


def translated_assignments(course_dir: CourseDir) -> dict[str, dict[str, dict[str, str]]]:
    """{language: {assignment id: {title, reflection}}} for every translation of the
    course; ContentError naming the file and id when one is missing, stale or unfit."""
    from ..content.item_translations import check_file, clean_translations

    found = {}
    for lang in LANGUAGES:
        if lang == DEFAULT:
            continue
        issues = check_file(course_dir.data, "assignments", lang)
        if issues:
            raise ContentError(issues)
        found[lang] = clean_translations(course_dir.data, "assignments", lang)
    return found


def in_every_language(texts: dict[str, str]) -> str:
    """One Markdown cell's text in every language (English first), each in a block marked
    with its language: blank lines around the Markdown inside, so that it is rendered."""
    return "\n".join(f'<div lang="{lang}">\n\n{text.strip()}\n\n</div>'
                     for lang, text in texts.items())


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


def source_notebook(assignment: Assignment, course_dir: CourseDir,
                    translations: dict[str, dict[str, dict[str, str]]] | None = None,
                    ) -> nbformat.NotebookNode:
    course, keys = course_dir.content(), course_dir.keys()
    if translations is None:
        translations = translated_assignments(course_dir)
    own = {lang: found[assignment.id] for lang, found in translations.items()}
    langs = [DEFAULT, *own]

    def title(lang: str) -> str:
        return assignment.title if lang == DEFAULT else " ".join(own[lang]["title"].split())

    def reflection(lang: str) -> str:
        return (assignment.reflection if lang == DEFAULT
                else " ".join(own[lang]["reflection"].split()))

    cells = [
        nbformat.v4.new_markdown_cell(
            in_every_language({lang: f"# {title(lang)}\n\n{_(INSTRUCTIONS, lang)}"
                               for lang in langs}),
            metadata=_meta("instructions")),
        nbformat.v4.new_code_cell(
            "from peaceops.assignments import answered, show", metadata=_meta("setup")
        ),
    ]
    graded = "\n".join(f"# {_(GRADED, lang)}" for lang in langs)
    for n, spec in enumerate(assignment.exercises, start=1):
        exercise, _key = build(course, spec, "points", keys)
        cells += [
            nbformat.v4.new_markdown_cell(
                in_every_language({lang: "## " + _(EXERCISE, lang).format(
                    n=n, points=points_text(exercise.max_points, lang)) for lang in langs}),
                metadata=_meta(f"{spec.id}-heading"),
            ),
            nbformat.v4.new_code_cell(f'show("{spec.id}")', metadata=_meta(f"{spec.id}-widget")),
            nbformat.v4.new_code_cell(
                f'{graded}\nanswered("{spec.id}")',
                metadata=_meta(spec.id, grade=True, points=_whole(exercise.max_points)),
            ),
        ]
    if assignment.reflection:
        cells += [
            nbformat.v4.new_markdown_cell(
                in_every_language({lang: f"## {_(REFLECTION, lang)}\n\n{reflection(lang)}"
                                   for lang in langs}),
                metadata=_meta("reflection-prompt"),
            ),
            nbformat.v4.new_markdown_cell(
                " ".join(_(ANSWER, lang) for lang in langs),
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
    translations = translated_assignments(course_dir)  # every check before writing
    for assignment in course_dir.content().assignments.values():
        path = course_dir.source / assignment.id / f"{assignment.id}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(source_notebook(assignment, course_dir, translations), path)
        paths.append(path)
    return paths


if __name__ == "__main__":  # the alias of `peaceops generate-sources`
    for written in write_sources(CourseDir.resolve(".")):
        print(written)
