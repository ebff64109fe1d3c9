"""Exam feedback that reveals no item: the result (the percentage, the pass mark, reached or
not) and a band per group of lessons (data/exam-blueprint.yaml `feedback_groups`, each of
at least three points), never points, a verdict, a key or a rationale of one item.

The feedback of a submission is a function of its total and of its points per group only:
two submissions whose totals and group points agree get the same page, whichever items
earned them (tests/exam/test_feedback.py flips every item of a draw to show it).

Every text is in the learner's language (`lang`: the catalogue's messages, the groups'
titles from data/i18n/<language>/exam-blueprint.yaml, the lessons' translated titles).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from ..content.blueprint import Blueprint
from ..content.language import DEFAULT
from ..content.messages import N_, _
from ..exercises.model import Exercise
from ..exercises.scoring import Score

#: The output of every exam cell but the first (which holds the summary): the same text
#: whatever was answered, so no cell tells its own result.
PART_HTML = N_("Your answers to this part were scored with the whole exam: see the result "
               "at the top of this page.")
PART_TEXT = N_("Scored with the whole exam: see the result at the top.")


def part_output(lang: str = DEFAULT) -> tuple[str, str]:
    """The output (HTML, text) of every exam cell but the first, in `lang`."""
    return f"<p>{escape(_(PART_HTML, lang))}</p>", _(PART_TEXT, lang)


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


def number(value: float, lang: str = DEFAULT, digits: int | None = None) -> str:
    """A number as `lang` writes it: "2.5" / "2,5" (six significant digits, as `:g`);
    `digits`: that many decimals."""
    from babel.numbers import format_decimal

    if digits:
        return format_decimal(round(value, digits), "0." + "0" * digits, locale=lang)
    return format_decimal(float(f"{value:g}"), "0.##########", locale=lang)


def points_text(points: float, lang: str = DEFAULT) -> str:
    """"1 point", "0 points", "2.5 points" (French: "0 point", "1,5 point", "2 points")."""
    one = points == 1 if lang == DEFAULT else abs(points) < 2
    return (_("{points} point", lang) if one else _("{points} points", lang)).format(
        points=number(points, lang))


def percent(value: float, lang: str = DEFAULT, digits: int = 1) -> str:
    """"80.0 %" / "80,0 %" (a no-break space in French)."""
    return _("{number} %", lang).format(number=number(value, lang, digits))


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


def summary_html(summary: ExamSummary, lesson_titles: dict[str, str], book_url: str = "",
                 lang: str = DEFAULT, group_titles: dict[str, str] | None = None) -> str:
    """The exam's feedback in `lang`: the result against the pass mark, then a band per
    group with links to the built book's pages of the lessons to review. `lesson_titles`:
    the lessons' titles in `lang`; `group_titles`: the groups' titles in `lang` by their
    English title (a group without one keeps its English title); `book_url`: where the
    built book is served (ending in "/"); without it the page is named, not linked (a
    learner's feedback file has no path to the book)."""
    group_titles = group_titles or {}
    verdict = (_("reached: you passed the exam", lang) if summary.passed
               else _("not reached: you did not pass the exam", lang))
    result = _("Exam result: {percent}", lang).format(percent=percent(summary.percent, lang))
    rows = [f"<p><strong>{escape(result)}</strong> "
            + escape(_("({points} of {max_points}). The pass mark is {pass_mark}: {verdict}.",
                       lang).format(points=points_text(summary.points, lang),
                                    max_points=number(summary.max_points, lang),
                                    pass_mark=percent(round(summary.pass_percent, 1), lang,
                                                      _digits(summary.pass_percent)),
                                    verdict=verdict)) + "</p>",
            "<p>" + _("By part of the course (<em>secure</em>: at or above the pass mark in "
                      "that part; <em>review</em>: below it):", lang) + "</p><ul>"]
    secure, review = _("secure", lang), _("review", lang)
    for group in summary.groups:
        title = escape(group_titles.get(group.title, group.title))
        line = escape(_("{group}: {band}.", lang)).replace("{group}", title)
        if group.secure(summary.pass_percent):
            rows.append(f"<li>{line.replace('{band}', f'<strong>{escape(secure)}</strong>')}</li>")
            continue
        pages = ", ".join(_page(lesson, lesson_titles, book_url, lang)
                          for lesson in group.lessons)
        again = escape(_("Re-read {pages}.", lang)).replace("{pages}", pages)
        band = f"<strong>{escape(review)}</strong>"
        rows.append(f"<li>{line.replace('{band}', band)} {again}</li>")
    rows.append("</ul><p>" + escape(_("Exam feedback reports parts of the course, never single "
                                      "questions or their answers.", lang)) + "</p>")
    return "".join(rows)


def summary_text(summary: ExamSummary, lang: str = DEFAULT) -> str:
    """The summary as plain text (the output's text/plain), in `lang`."""
    return _("Exam result: {percent} ({points} of {max_points}); pass mark {pass_mark}: "
             "{verdict}", lang).format(
        percent=percent(summary.percent, lang), points=points_text(summary.points, lang),
        max_points=number(summary.max_points, lang),
        pass_mark=percent(round(summary.pass_percent, 1), lang, _digits(summary.pass_percent)),
        verdict=_("passed", lang) if summary.passed else _("not passed", lang))


def _digits(value: float) -> int:
    """The pass mark's decimals as `:g` showed them (80 -> 0, 66.7 -> 1)."""
    return 0 if float(round(value, 1)).is_integer() else 1


def _page(lesson: str, titles: dict[str, str], book_url: str, lang: str = DEFAULT) -> str:
    title = escape(titles.get(lesson, lesson))
    page = f"book/{escape(lesson)}.html"
    if book_url:
        return f'<a href="{escape(book_url)}{page}"><em>{title}</em></a>'
    return escape(_("{title} ({page} of the built book)", lang)).replace(
        "{title}", f"<em>{title}</em>").replace("{page}", f"<code>{page}</code>")
