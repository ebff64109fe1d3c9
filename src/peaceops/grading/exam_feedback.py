"""Exam feedback that reveals no item: the result (the percentage, the pass mark, reached or
not) and a band per group of lessons (data/exam-blueprint.yaml `feedback_groups`, each of
at least three points), never points, a verdict, a key or a rationale of one item.

The feedback of a submission is a function of its total and of its points per group only:
two submissions whose totals and group points agree get the same page, whichever items
earned them (tests/exam/test_feedback.py flips every item of a draw to show it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from ..content.blueprint import Blueprint
from ..exercises.model import Exercise
from ..exercises.scoring import Score

#: The output of every exam cell but the first (which holds the summary): the same text
#: whatever was answered, so no cell tells its own result.
PART_HTML = ("<p>Your answers to this part were scored with the whole exam: see the "
             "result at the top of this page.</p>")
PART_TEXT = "Scored with the whole exam: see the result at the top."


@dataclass(frozen=True)
class GroupResult:
    title: str
    lessons: tuple[str, ...]
    points: float
    max_points: float

    def secure(self, pass_percent: float) -> bool:
        """At or above the pass mark's share of this group's points."""
        return self.max_points > 0 and 100 * self.points >= pass_percent * self.max_points


@dataclass(frozen=True)
class ExamSummary:
    points: float
    max_points: float
    pass_percent: float
    groups: tuple[GroupResult, ...]

    @property
    def percent(self) -> float:
        return 100 * self.points / self.max_points if self.max_points else 0.0

    @property
    def passed(self) -> bool:
        return self.max_points > 0 and 100 * self.points >= self.pass_percent * self.max_points


def points_text(points: float) -> str:
    """"1 point", "0 points", "2.5 points"."""
    return f"{points:g} point" + ("" if points == 1 else "s")


def summarize(scored: Iterable[tuple[Exercise, Score]], blueprint: Blueprint,
              pass_percent: float) -> ExamSummary:
    """The exam's total and its points per feedback group (an item of a lesson in no group,
    which the blueprint's loader rules out, counts in the total only)."""
    groups = {title: [0.0, 0.0] for title in blueprint.groups}
    points = maximum = 0.0
    for exercise, result in scored:
        points += result.points
        maximum += result.max_points
        for item, res in zip(exercise.items, result.items, strict=True):
            group = blueprint.group_of(item.lesson)
            if group:
                groups[group][0] += res.points
                groups[group][1] += res.max_points
    return ExamSummary(points, maximum, pass_percent, tuple(
        GroupResult(title, blueprint.groups[title], got, most)
        for title, (got, most) in groups.items() if most))


def summary_html(summary: ExamSummary, lesson_titles: dict[str, str], book_url: str = "") -> str:
    """The exam's feedback: the result against the pass mark, then a band per group with
    links to the built book's pages of the lessons to review. `book_url`: where the built
    book is served (ending in "/"); without it the page is named, not linked (a learner's
    feedback file has no path to the book)."""
    verdict = ("reached: you passed the exam" if summary.passed
               else "not reached: you did not pass the exam")
    rows = [f"<p><strong>Exam result: {summary.percent:.1f} %</strong> "
            f"({points_text(summary.points)} of {summary.max_points:g}). The pass mark is "
            f"{round(summary.pass_percent, 1):g} %: {verdict}.</p>",
            "<p>By part of the course (<em>secure</em>: at or above the pass mark in that part; "
            "<em>review</em>: below it):</p><ul>"]
    for group in summary.groups:
        if group.secure(summary.pass_percent):
            rows.append(f"<li>{escape(group.title)}: <strong>secure</strong>.</li>")
            continue
        pages = ", ".join(_page(lesson, lesson_titles, book_url) for lesson in group.lessons)
        rows.append(f"<li>{escape(group.title)}: <strong>review</strong>. Re-read {pages}.</li>")
    rows.append("</ul><p>Exam feedback reports parts of the course, never single questions "
                "or their answers.</p>")
    return "".join(rows)


def summary_text(summary: ExamSummary) -> str:
    """The summary as plain text (the output's text/plain)."""
    return (f"Exam result: {summary.percent:.1f} % ({points_text(summary.points)} of "
            f"{summary.max_points:g}); pass mark {round(summary.pass_percent, 1):g} %: "
            + ("passed" if summary.passed else "not passed"))


def _page(lesson: str, titles: dict[str, str], book_url: str) -> str:
    title = escape(titles.get(lesson, lesson))
    page = f"book/{escape(lesson)}.html"
    if book_url:
        return f'<a href="{escape(book_url)}{page}"><em>{title}</em></a>'
    return f"<em>{title}</em> (<code>{page}</code> of the built book)"
