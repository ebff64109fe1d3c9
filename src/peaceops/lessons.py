"""What lesson notebooks call: tables rendered from data/, practice checks, and the book's
"My progress" page."""

from __future__ import annotations

import math
import re
from html import escape
from pathlib import Path

import pandas as pd

from .content import data_dir, load_course
from .content.language import language
from .content.messages import _
from .exercises import PRACTICE, ExerciseWidget, build
from .exercises.payload import to_json
from .exercises.phrases import front_words
from .exercises.practice_log import FILENAME as PRACTICE_LOG
from .exercises.practice_log import record_check

#: Columns shown per table, with their headings; ids stay hidden.
COLUMNS: dict[str, dict[str, str]] = {
    "roles": {
        "name": "Role",
        "abbreviation": "Short form",
        "component": "Component",
        "team": "Team",
        "source": "Source",
    },
    "responsibilities": {"role": "Role", "statement": "Responsibility", "source": "Source"},
    "principles": {"name": "Principle", "definition": "What it means", "source": "Source"},
    "considerations": {"consideration": "Consideration", "source": "Source"},
    "political_process": {"activity": "Activity", "source": "Source"},
    "leadership_characteristics": {
        "characteristic": "Characteristic",
        "description": "What it means",
        "source": "Source",
    },
    "glossary": {
        "term": "Term",
        "expansion": "Stands for",
        "definition": "Meaning",
        "source": "Source",
    },
    "polarities": {
        "challenge": "Challenge",
        "kind": "Kind",
        "explanation": "Why",
        "source": "Source",
    },
}
CAPTIONS = {
    "roles": "Members of the mission leadership team",
    "responsibilities": "Responsibilities of the core team",
    "principles": "Principles to weigh every decision against",
    "considerations": "Considerations for integration, coordination and cooperation",
    "political_process": "Activities of the political process",
    "leadership_characteristics": "The eight characteristics of UN leadership",
    "glossary": "Glossary",
    "polarities": "Either/or problems and both/and polarities",
}


class Table:
    """An accessible HTML table (with caption and column headers) of a content table."""

    def __init__(self, frame: pd.DataFrame, caption: str, collapsed: str = ""):
        self.frame, self.caption, self.collapsed = frame, caption, collapsed

    def _repr_html_(self) -> str:
        if self.collapsed:  # e.g. the answers of a check above: shown on request only
            return (f'<details class="peaceops-details"><summary>{escape(self.collapsed)}'
                    f"</summary>{self._table()}</details>")
        return self._table()

    def _table(self) -> str:
        """On a narrow screen (a phone) the style sheet stacks each row as a card whose cells
        name their column (data-label); the ARIA roles keep it a table for screen readers."""
        columns = [escape(c) for c in self.frame.columns]
        head = "".join(f'<th scope="col" role="columnheader">{c}</th>' for c in columns)
        body = "".join(
            '<tr role="row">' + "".join(f'<td role="cell" data-label="{c}">{escape(str(v))}</td>'
                                        for c, v in zip(columns, row, strict=True)) + "</tr>"
            for row in self.frame.itertuples(index=False)
        )
        return (
            f'<table class="peaceops-table" role="table"><caption>{escape(self.caption)}</caption>'
            f'<thead role="rowgroup"><tr role="row">{head}</tr></thead>'
            f'<tbody role="rowgroup">{body}</tbody></table>'
        )

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)


def table(name: str, collapsed: str = "", **where: str) -> Table:
    """Render data/<name>.csv, optionally filtered by column values (e.g. team="core"); with
    `collapsed`, folded under that summary (for a table that holds a check's answers)."""
    course = load_course()
    frame = course.tables[name]
    for column, value in where.items():
        frame = frame[frame[column] == value]
    frame = frame.copy()
    if name == "responsibilities":
        frame["role"] = frame["role"].map(course.role_name)
        frame = frame.sort_values("role", kind="stable")
    frame = frame[list(COLUMNS[name])].rename(columns=COLUMNS[name])
    return Table(frame, CAPTIONS[name], collapsed)


#: Reading speed (words a minute) and the time a practice check takes (minutes): 18,400
#: words make about 1.5 hours of reading; 21 checks about 45 minutes.
READING_WPM = 200
CHECK_MINUTES = 2
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)
_CODE = re.compile(r"^```.*?^```", re.S | re.M)
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’-]*")


def lesson_words(text: str) -> int:
    """The words a reader reads in a lesson's MyST source (no front matter, no code cells)."""
    return len(_WORD.findall(_CODE.sub("", _FRONT_MATTER.sub("", text))))


class Duration:
    """How long a lesson takes: its reading and its practice checks."""

    def __init__(self, words: int, checks: int):
        self.words, self.checks = words, checks
        self.reading = max(1, math.ceil(words / READING_WPM))
        self.practice = checks * CHECK_MINUTES
        self.minutes = self.reading + self.practice

    def text(self) -> str:
        checks = "1 practice check" if self.checks == 1 else f"{self.checks} practice checks"
        return (f"About {self.minutes} min: {self.reading} min of reading ({self.words:,} words) "
                f"and {checks} (about {self.practice} min).")

    def _repr_html_(self) -> str:
        return f'<p class="peaceops-duration"><strong>Time:</strong> {escape(self.text())}</p>'

    def __repr__(self) -> str:
        return self.text()


def duration(lesson_id: str) -> Duration:
    """The time a lesson takes, from its page (book/<id>.md, read from the notebook's folder
    or the course's) and its practice checks in data/checks.yaml: nothing typed twice."""
    course = load_course()
    here = Path(f"{lesson_id}.md")
    page = here if here.is_file() else data_dir().parent / "book" / f"{lesson_id}.md"
    checks = sum(spec.lesson == lesson_id for spec in course.checks.values())
    return Duration(lesson_words(page.read_text(encoding="utf-8")), checks)


def check(check_id: str) -> ExerciseWidget:
    """A lesson's "check your understanding": a practice exercise with instant feedback."""
    lang = language()
    course = load_course(language=lang)  # role names, principles... in the learner's language
    spec = course.checks[check_id]
    exercise, key = build(course, spec)

    def log(exercise, result) -> None:  # the learner's own progress, beside the lesson
        record_check(".", exercise.id, result.points, result.max_points)

    return ExerciseWidget(exercise, key, mode=PRACTICE, page=f"book/{spec.lesson}.md",
                          on_check=log, lang=lang)


def check_title(exercise) -> str:
    """How "My progress" names a check: its question, or its title if it has several."""
    if len(exercise.items) == 1 and exercise.items[0].prompt == exercise.prompt:
        return exercise.prompt
    return exercise.title


class ProgressPage:
    """The book's "My progress": the lessons and their checks, for the book's script to fill
    in from the learner's browser (localStorage), with an export to the practice log's file."""

    def __init__(self, lessons: list[dict], lang: str | None = None):
        self.lessons, self.lang = lessons, lang or language()

    def _count(self, lesson: dict) -> str:
        return _("{title}: {n} checks", self.lang).format(title=lesson["title"],
                                                          n=len(lesson["checks"]))

    def _repr_html_(self) -> str:
        data = to_json({"lessons": self.lessons, "language": self.lang,
                        "words": front_words(self.lang)})
        rows = "".join(f"<li>{escape(self._count(lesson))}</li>" for lesson in self.lessons)
        note = _("Your progress is shown here when JavaScript is on. The practice checks of "
                 "the course:", self.lang)
        return ('<div class="peaceops-progress">'
                f'<script type="application/json" class="peaceops-progress-data">{data}</script>'
                f'<div class="peaceops-static"><p>{escape(note)}</p><ul>{rows}</ul></div></div>')

    def __repr__(self) -> str:
        return "\n".join(self._count(lesson) for lesson in self.lessons)


def progress_page() -> ProgressPage:
    """The "My progress" page's table of every lesson's practice checks (no keys)."""
    lang = language()
    course = load_course(language=lang)
    lessons = []
    for lesson_id, title in zip(course.lessons["id"], course.lessons["title"], strict=True):
        checks = [{"id": spec.id, "title": check_title(build(course, spec)[0])}
                  for spec in course.checks.values() if spec.lesson == lesson_id]
        if checks:
            lessons.append({"id": lesson_id, "title": title, "href": f"{lesson_id}.html",
                            "checks": checks})
    return ProgressPage(lessons, lang)


__all__ = ["PRACTICE_LOG", "Duration", "Table", "check", "duration", "progress_page", "table"]
