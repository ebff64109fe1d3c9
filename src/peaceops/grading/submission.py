"""Grade one submission from its answers file: the rebuilt notebook and the per-item record.

Shared by the nbgrader preprocessor (`TrustedGrade`) and `peaceops grade`, so both write the
same notebook, the same scores and the same `peaceops-grading.json`. Nothing of the learner's
notebook runs: the graded notebook is rebuilt from the release, and only the learner's
written answers of manually graded cells are carried over (a Markdown answer as plain text:
feedback and formgrader render it, and it must never run there).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from nbformat import NotebookNode
from nbgrader.utils import is_grade, is_solution

from ..content import Assignment, Course, CourseDir, Keys
from ..content.language import language
from ..content.roster import Roster, RosterError
from ..exercises import build, grade_built, kind
from ..exercises.attempt import marker
from ..exercises.render import feedback_html
from ..exercises.scoring import Score, shown
from ..exercises.store import FILENAME, loads
from ..results.record import SubmissionRecord
from .cut import Cut, draw_cut, weights
from .exam_feedback import part_output, summarize, summary_html, summary_text
from .safe_text import as_plain_text, printable, well_formed


@dataclass(frozen=True)
class Context:
    """What grading needs, read once per process: the course directory, its content and
    assignments (from its own data/), and the hidden keys."""

    course_dir: CourseDir
    course: Course
    keys: Keys
    keys_digest: str

    @property
    def assignments(self) -> dict[str, Assignment]:
        return self.course.assignments

    @functools.cached_property
    def lesson_titles(self) -> dict[str, str]:
        lessons = self.course.lessons
        return dict(zip(lessons["id"], lessons["title"], strict=True))

    def titles(self, lang: str) -> tuple[dict[str, str], dict[str, str]]:
        """The lessons' titles (by id) and the exam feedback groups' titles (by English
        title) in `lang`, for the exam's result page."""
        if lang == "en":
            return self.lesson_titles, {}
        from ..content.blueprint import group_titles

        lessons = self.translated(lang)[0].lessons
        return (dict(zip(lessons["id"], lessons["title"], strict=True)),
                group_titles(self.blueprint, self.course.directory, lang))

    @functools.cached_property
    def blueprint(self):
        """The exam blueprint (its feedback groups)."""
        return self.course_dir.blueprint()

    @functools.cached_property
    def certification(self):
        """data/certification.yaml (the pass mark exam feedback states)."""
        return self.course_dir.certification()

    def translated(self, lang: str) -> tuple[Course, Keys]:
        """The course and keys in `lang` (the same items, choices and keys; the texts and the
        lesson bank's feedback translated), read once per language."""
        cache = self.__dict__.setdefault("_translated", {})
        if lang not in cache:
            from ..content import load_course, load_keys

            course = load_course(self.course.directory, exam_bank=self.course_dir.bank_path,
                                 language=lang)
            cache[lang] = (course, load_keys(course, self.course_dir.key_files()))
        return cache[lang]

    @functools.cached_property
    def roster(self) -> tuple[Roster, str]:
        """The course roster (`CourseDir.roster`), read once, and what was wrong with it
        ("" if nothing): an unreadable roster never stops grading."""
        try:
            return self.course_dir.roster(), ""
        except RosterError as error:
            return Roster(), str(error)

    def language_of(self, student: str) -> tuple[str, str]:
        """The language of `student`'s feedback: the roster's `language` column, else the
        grader's (`language()`); with the problem to flag ("" if none) when the roster
        cannot say (that learner's feedback is then in the grader's language)."""
        grader = language()
        roster, problem = self.roster
        if not problem:
            try:
                return roster.language(student, grader), ""
            except RosterError as error:
                problem = str(error)
        return grader, f"{problem}; feedback in the grader's language ({grader})"

    @functools.cached_property
    def ratings(self):
        """The current rule's standard-setting ratings (None: one pass mark for all draws)."""
        from ..content.ratings import DRAFTS, read_ratings
        from .cut import drafts

        source = self.certification.rule().cut_ratings
        if not source:
            return None
        if source == DRAFTS:
            return drafts(self.course, self.keys)
        return read_ratings(self.course_dir.root / source, source, self.course)


@functools.cache
def grading_context(course_dir: CourseDir) -> Context:
    """The grading context of a course directory (content and keys read once)."""
    digest = hashlib.sha256()
    for _, path in sorted(course_dir.key_files().items()):
        digest.update(path.read_bytes() if path.exists() else b"-")
    return Context(course_dir, course_dir.content(), course_dir.keys(), digest.hexdigest())


@dataclass
class Graded:
    notebook: NotebookNode  # the graded notebook, ready for nbgrader's SaveAutoGrades
    record: SubmissionRecord  # the content of peaceops-grading.json
    flags: list[str] = field(default_factory=list)  # the record's own list

    def add_flags(self, before: Iterable[str] = (), after: Iterable[str] = ()) -> None:
        """Put `before` ahead of the flags and `after` behind them, every flag made
        `printable`: a flag may quote learner text, and is shown in terminals and logs."""
        self.flags[:] = [printable(flag) for flag in (*before, *self.flags, *after)]


def read_answers(data: bytes | None, student: str) -> tuple[dict, list[str], str]:
    """The submission's records (from the answers file's bytes, read by `intake`), what was
    wrong with them, and the file's sha256 ("" if none)."""
    if data is None:
        return {}, [f"no readable {FILENAME} in the submission: every exercise is unanswered"], ""
    digest = hashlib.sha256(data).hexdigest()
    try:
        loaded = loads(data)
    except ValueError as exc:
        return {}, [f"{FILENAME} is unreadable ({exc}): graded as unanswered"], digest
    flags = list(loaded.problems)
    if loaded.learner and loaded.learner != student:
        flags.append(f"the answers file names learner '{loaded.learner}', not '{student}'")
    others = sorted({r.learner for r in loaded.records.values()} - {student, ""})
    if others:
        flags.append(f"answers saved by learner(s) {', '.join(others[:3])}, not '{student}': "
                     "check for copied work")
    return loaded.records, flags, digest


def grade_submission(
    context: Context,
    assignment_id: str,
    student: str,
    release: NotebookNode,
    written: dict[str, str] | None,
    timestamp: str = "",
    notebook_name: str = "",
    answers: bytes | None = None,
    attempt: int = 1,
) -> Graded:
    """Grade one submission from its answers file's bytes (`answers`, None when missing or
    refused), rebuilt from the released notebook `release`, which is left as it is: the
    graded notebook shares its unchanged cells (see `changed_cells`).

    `written` holds the learner's reflections by grade id (`reflections` of their notebook;
    None when it is missing or unreadable: the exercises are still graded from the answers,
    and written reflections are flagged lost).
    """
    assignment = context.assignments[assignment_id]
    records, flags, digest = read_answers(answers, student)
    lang, problem = context.language_of(student)
    if problem:
        flags.append(problem)
    if written is None:
        written = {}
        if assignment.reflection:
            flags.append("the notebook is missing or unreadable: its reflection could not be read")
    results: dict[str, Any] = {}
    scored: list[tuple[Any, Score]] = []
    stale: list[str] = []  # exam exercises answered on another draw than this attempt's
    cells = []
    for cell in release.cells:
        meta = cell.metadata.get("nbgrader", {})
        if is_solution(cell) and meta.get("grade_id") in written:
            cell = _copy(cell)
            cell.source = _shown(cell, written[meta["grade_id"]])  # the learner's reflection
        cells.append(cell)
        if cell.cell_type != "code":
            continue
        if not is_grade(cell):
            if cell.get("outputs"):
                cell = cells[-1] = _copy(cell)
                cell.outputs = []
            continue
        cell = cells[-1] = _copy(cell)
        spec = assignment.spec(meta["grade_id"])
        record = records.get(spec.id)
        if assignment.certification:  # attempt k is scored on draw k only
            exercise, key = build(context.course, spec, student, context.keys, attempt)
            if record is not None and record.variant != exercise.variant:
                stale.append(spec.id)
        else:
            exercise, key = answered_draw(context, spec, student, attempt, record)
        result = grade_built(exercise, key, record)
        scored.append((exercise, result))
        html, text = (part_output(lang) if assignment.certification else
                      (feedback_in_language(context, spec, student, attempt, exercise, record,
                                            result, lang),
                       f"{result.points:g} / {result.max_points:g}"))
        if result.reason:
            flags.append(f"{spec.id}: {result.reason}")
        cell.outputs = [
            NotebookNode(  # the score, read by nbgrader as partial credit
                output_type="execute_result", execution_count=1, metadata={},
                data={"text/plain": str(result.points)},
            ),
            NotebookNode(
                output_type="display_data", metadata={},
                data={"text/html": html, "text/plain": text},
            ),
        ]
        results[spec.id] = _exercise_result(exercise, key, result)
    if assignment.certification and scored:
        _with_exam_summary(context, cells, scored, attempt, lang)
    if stale:
        flags.append(f"attempt {attempt} is scored on draw {attempt} only, and "
                     f"{len(stale)} exercise(s) answer another draw ({', '.join(stale[:3])}): "
                     "the learner's notebook showed an earlier draw (did they fetch the "
                     "feedback of the last attempt before answering?)")
    record = SubmissionRecord(student, assignment_id, notebook_name or assignment_id, timestamp,
                              digest, results, flags, attempt=attempt)
    if assignment.certification and scored and (cut := exam_cut(context, scored)):
        record.cut, record.cut_se = round(cut.points, 4), round(cut.se, 4)
    rebuilt = NotebookNode({**release, "cells": cells})
    if assignment.certification:  # the feedback template hides per-cell scores (see there)
        rebuilt.metadata = NotebookNode({**release.metadata,
                                         "peaceops": {"exam": True, "language": lang}})
    graded = Graded(rebuilt, record, flags)
    graded.add_flags()
    return graded


def exam_cut(context: Context, scored: list) -> Cut | None:
    """The cut of the draw `scored` under the current rule (None: its `min_percent`)."""
    if context.ratings is None:
        return None
    return draw_cut(weights(scored), context.ratings)


def _with_exam_summary(context: Context, cells: list, scored: list, attempt: int,
                       lang: str) -> None:
    """Put the exam's summary (`exam_feedback`, in `lang`) in the first graded cell's
    feedback output:
    the only output of an exam that depends on the answers, besides nbgrader's scores. It
    carries the next attempt's number, which the learner's kernel reads from the fetched
    feedback to show that attempt's draw (`exercises.attempt`)."""
    rule, cut = context.certification.rule(), exam_cut(context, scored)
    summary = summarize(scored, context.blueprint, cut.percent if cut else rule.min_percent)
    first = next(cell for cell in cells if is_grade(cell) and cell.cell_type == "code")
    lessons, groups = context.titles(lang)
    first.outputs[1] = NotebookNode(
        output_type="display_data", metadata={"peaceops": "exam-summary"},  # shown on top
        data={"text/html": summary_html(summary, lessons, context.certification.book_url,
                                        lang, groups) + marker(attempt + 1),
              "text/plain": summary_text(summary, lang)})


def feedback_in_language(context: Context, spec, student: str, attempt: int, exercise,
                         record, result: Score, lang: str) -> str:
    """The feedback of a lesson-group exercise in `lang`, the learner's
    (`Context.language_of`: the roster's, else the grader's): the same draw (found by its
    variant), scored the same, shown with the translated items and rationales."""
    if lang != "en":
        course, keys = context.translated(lang)
        for n in range(attempt, 0, -1):
            shown, shown_key = build(course, spec, student, keys, n)
            if shown.variant == exercise.variant:
                translated = grade_built(shown, shown_key, record)
                if (translated.points, translated.max_points) == (result.points,
                                                                  result.max_points):
                    return feedback_html(shown, translated, lang)
                break
    return feedback_html(exercise, result, lang)


def answered_draw(context: Context, spec, student: str, attempt: int, record):
    """A lesson-group assignment's draw that `record` answers, with its key (the exam is
    scored on its attempt's own draw only): attempt `attempt`'s own, or
    the draw of an earlier attempt when the record names that one's variant. The learner's
    kernel cannot know which attempt the grader counts (it draws attempt 1's), so an honest
    resubmission answers an earlier draw: it is graded on that draw, never as a mismatch.
    A variant of no draw of attempts 1..`attempt` stays a mismatch (scored 0, flagged)."""
    exercise, key = build(context.course, spec, student, context.keys, attempt)
    if record is None or record.variant == exercise.variant:
        return exercise, key
    for earlier in range(attempt - 1, 0, -1):
        drawn, drawn_key = build(context.course, spec, student, context.keys, earlier)
        if drawn.variant == record.variant:
            return drawn, drawn_key
    return exercise, key


def changed_cells(graded: NotebookNode, release: NotebookNode) -> list[int]:
    """The indexes of the graded notebook's own cells (those not shared with `release`)."""
    return [i for i, (mine, theirs) in enumerate(zip(graded.cells, release.cells, strict=True))
            if mine is not theirs]


def reflections(notebook: Any) -> dict[str, str]:
    """A learner's written answers (the source of each solution cell) by grade id, from a
    notebook as read (a NotebookNode or plain JSON), `well_formed`; malformed cells are
    passed over."""
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    written = {}
    for cell in cells if isinstance(cells, list) else []:
        meta = cell.get("metadata") if isinstance(cell, dict) else None
        meta = meta.get("nbgrader") if isinstance(meta, dict) else None
        if not isinstance(meta, dict) or not meta.get("solution"):
            continue
        grade_id, source = meta.get("grade_id"), cell.get("source", "")
        if isinstance(source, list) and all(isinstance(line, str) for line in source):
            source = "".join(source)
        if isinstance(grade_id, str) and isinstance(source, str):
            written[grade_id] = well_formed(source)
    return written


def _shown(cell: NotebookNode, written: str) -> str:
    """The source of a solution cell holding the learner's `written` answer: in a Markdown
    cell, shown as plain text (never rendered as HTML: `as_plain_text`), unless it is the
    release's own text (nbgrader scores an untouched answer 0 by its checksum)."""
    if cell.cell_type != "markdown" or written == cell.source:
        return written
    return as_plain_text(written)


def _copy(cell: NotebookNode) -> NotebookNode:
    """A cell to change: its own top level and metadata (the rest is replaced, not edited)."""
    copy = NotebookNode(cell)
    copy.metadata = NotebookNode(cell.metadata)
    return copy


def _exercise_result(exercise, key, result: Score) -> dict[str, Any]:
    name = kind(exercise.kind).item_key
    return {
        "kind": exercise.kind,
        "variant": exercise.variant,
        "points": result.points,
        "max_points": result.max_points,
        "reason": result.reason,
        "items": {
            name(exercise, r.item): {
                "points": r.points,
                "max_points": r.max_points,
                "status": r.status,
                "answer": r.answer if r.status != "invalid" else shown(r.answer),
                "accepted": sorted(
                    (sorted(v) if isinstance(v, frozenset) else str(v))
                    for v in key[r.item].accept
                ),
            }
            for r in result.items
        },
    }
