"""What lesson notebooks call: tables rendered from data/, practice checks, and the book's
"My progress" page."""

from __future__ import annotations

import math
import re
from html import escape
from pathlib import Path

import pandas as pd
from babel.numbers import format_decimal

from .content import data_dir, load_course
from .content.language import DEFAULT, language
from .content.messages import N_, _
from .exercises import PRACTICE, ExerciseWidget, build
from .exercises.payload import to_json
from .exercises.phrases import front_words
from .exercises.practice_log import FILENAME as PRACTICE_LOG
from .exercises.practice_log import record_check

#: Columns shown per table, with their headings; ids stay hidden.
COLUMNS: dict[str, dict[str, str]] = {
    "roles": {
        "name": N_("Role"),
        "abbreviation": N_("Short form"),
        "component": N_("Component"),
        "team": N_("Team"),
        "source": N_("Source"),
    },
    "responsibilities": {"role": N_("Role"), "statement": N_("Responsibility"), "source": N_("Source")},
    "principles": {"name": N_("Principle"), "definition": N_("What it means"), "source": N_("Source")},
    "considerations": {"consideration": N_("Consideration"), "source": N_("Source")},
    "political_process": {"activity": N_("Activity"), "source": N_("Source")},
    "leadership_characteristics": {
        "characteristic": N_("Characteristic"),
        "description": N_("What it means"),
        "source": N_("Source"),
    },
    "glossary": {
        "term": N_("Term"),
        "expansion": N_("Stands for"),
        "definition": N_("Meaning"),
        "source": N_("Source"),
    },
    "polarities": {
        "challenge": N_("Challenge"),
        "kind": N_("Kind"),
        "explanation": N_("Why"),
        "source": N_("Source"),
    },
}
CAPTIONS = {
    "roles": N_("Members of the mission leadership team"),
    "responsibilities": N_("Responsibilities of the core team"),
    "principles": N_("Principles to weigh every decision against"),
    "considerations": N_("Considerations for integration, coordination and cooperation"),
    "political_process": N_("Activities of the political process"),
    "leadership_characteristics": N_("The eight characteristics of UN leadership"),
    "glossary": N_("Glossary"),
    "polarities": N_("Either/or problems and both/and polarities"),
}

#: Columns that hold codes, shown as words (translated in another language's edition).
CODES = {"roles": ("component", "team"), "polarities": ("kind",)}
#: The words of those codes (data/README.md lists the codes).
CODE_WORDS = {"civilian": N_("civilian"), "uniformed": N_("uniformed"), "core": N_("core"),
              "reinforcing": N_("reinforcing"), "problem": N_("problem"),
              "polarity": N_("polarity")}


def code_word(code: str, lang: str | None = None) -> str:
    """A code of a table (civilian, core, polarity...) as a word of the learner's language."""
    return _(CODE_WORDS.get(code, code), lang)


#: The summary over the polarities table on its lesson's page (the answers of its check).
ALL_CHALLENGES = N_("Show every challenge of the course, sorted, with the reasons (the "
                    "answers to the check above)")


def localized(name: str, lang: str | None = None) -> tuple[pd.DataFrame, bool]:
    """Content table `name` in `lang` (default: the learner's), as `load_course(language=)`
    gives it (data/i18n/<lang>/ overlaid, checked: a missing or stale row is an error naming
    file and id), and whether that language translates the table (else it is the English)."""
    lang = lang or language()
    course = load_course(language=lang)
    translated = lang == DEFAULT or (course.directory / "i18n" / lang / f"{name}.csv").is_file()
    return course.tables[name], translated


class Table:
    """An accessible HTML table (with caption and column headers) of a content table."""

    def __init__(self, frame: pd.DataFrame, caption: str, collapsed: str = "",
                 english: frozenset[str] = frozenset()):
        """`english`: the columns whose cells stay English in another language's edition
        (the study's section names, or a table not translated yet): marked lang="en"."""
        self.frame, self.caption, self.collapsed = frame, caption, collapsed
        self.english = english

    def _repr_html_(self) -> str:
        if self.collapsed:  # e.g. the answers of a check above: shown on request only
            return (f'<details class="peaceops-details"><summary>{escape(self.collapsed)}'
                    f"</summary>{self._table()}</details>")
        return self._table()

    def _table(self) -> str:
        """On a narrow screen (a phone) the style sheet stacks each row as a card whose cells
        name their column (data-label); the ARIA roles keep it a table for screen readers."""
        columns = [escape(c) for c in self.frame.columns]
        lang = [' lang="en"' if c in self.english else "" for c in self.frame.columns]
        head = "".join(f'<th scope="col" role="columnheader">{c}</th>' for c in columns)
        body = "".join(
            '<tr role="row">' + "".join(f'<td role="cell" data-label="{c}"{x}>{escape(str(v))}</td>'
                                        for c, x, v in zip(columns, lang, row, strict=True))
            + "</tr>"
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
    frame, translated = localized(name)
    for column, value in where.items():
        frame = frame[frame[column] == value]
    frame = frame.copy()
    if name == "responsibilities":
        roles, roles_translated = localized("roles")
        translated = translated and roles_translated
        frame["role"] = frame["role"].map(dict(zip(roles["id"], roles["name"], strict=True)))
        frame = frame.sort_values("role", kind="stable")
    if "acronym" in frame:  # the glossary in another language: its own acronym (RSSG, DOP)
        frame["term"] = frame["acronym"].where(frame["acronym"] != "", frame["term"])
    for column in CODES.get(name, ()):  # codes shown in words (civilian, core, ...)
        frame[column] = frame[column].map(code_word)
    frame = frame[list(COLUMNS[name])].rename(columns={c: _(h) for c, h in COLUMNS[name].items()})
    english = frozenset() if language() == DEFAULT else frozenset(  # the study's section names
        _(h) for c, h in COLUMNS[name].items()                      # and untranslated data
        if c == "source" or not (translated or c in CODES.get(name, ())))
    return Table(frame, _(CAPTIONS[name]), collapsed and _(collapsed), english)


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


_ANY_WORD = re.compile(r"[^\W_][\w'’-]*")  # accented letters too (« à », « équipe »)
_TARGETS = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|\{[\w:-]+\}")  # link targets, role names


def catalogue_words(path: Path) -> int:
    """The words a reader reads in a page's translation: its catalogue's translated
    paragraphs (locales/<language>/LC_MESSAGES/book/<page>.po; the code cells are not in it)."""
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        texts = [m.string for m in read_po(handle) if m.id and m.string and not m.fuzzy]
    return sum(len(_ANY_WORD.findall(_TARGETS.sub(" ", text))) for text in texts)


class Duration:
    """How long a lesson takes: its reading and its practice checks."""

    def __init__(self, words: int, checks: int):
        self.words, self.checks = words, checks
        self.reading = max(1, math.ceil(words / READING_WPM))
        self.practice = checks * CHECK_MINUTES
        self.minutes = self.reading + self.practice

    def text(self) -> str:
        checks = (_("1 practice check") if self.checks == 1
                  else _("{n} practice checks").format(n=self.checks))
        return _("About {minutes} min: {reading} min of reading ({words} words) and {checks} "
                 "(about {practice} min).").format(
            minutes=self.minutes, reading=self.reading, checks=checks,
            words=format_decimal(self.words, locale=language()),  # 1,421 or 1 421
            practice=self.practice)

    def _repr_html_(self) -> str:
        label = _("Time:")  # (outside the f-string: Babel's extraction finds it)
        return (f'<p class="peaceops-duration"><strong>{escape(label)}</strong> '
                f"{escape(self.text())}</p>")

    def __repr__(self) -> str:
        return self.text()


def duration(lesson_id: str, lang: str | None = None) -> Duration:
    """The time a lesson takes, from its page (book/<id>.md, read from the notebook's folder
    or the course's) and its practice checks in data/checks.yaml: nothing typed twice. In
    another language, the words of the page's translation (its catalogue) where it has one."""
    lang = lang or language()
    course = load_course()
    here = Path(f"{lesson_id}.md")
    page = here if here.is_file() else data_dir().parent / "book" / f"{lesson_id}.md"
    checks = sum(spec.lesson == lesson_id for spec in course.checks.values())
    translation = (page.resolve().parent.parent / "locales" / lang / "LC_MESSAGES" / "book"
                   / f"{lesson_id}.po")
    if lang != DEFAULT and translation.is_file():
        return Duration(catalogue_words(translation), checks)
    return Duration(lesson_words(page.read_text(encoding="utf-8")), checks)


def check(check_id: str) -> ExerciseWidget:
    """A lesson's "check your understanding": a practice exercise with instant feedback."""
    lang = language()
    course = load_course(language=lang)  # role names, principles... in the learner's language
    spec = course.checks[check_id]
    exercise, key = build(course, spec)

    def log(exercise, result) -> None:  # the learner's own progress, beside the lesson
        record_check(".", exercise.id, result.points, result.max_points)

    widget = ExerciseWidget(exercise, key, mode=PRACTICE, page=f"book/{spec.lesson}.md",
                            on_check=log, lang=lang)
    source = load_course()  # the English course, its own spec (texts) of the same check
    if lang != DEFAULT and (english := untranslated(exercise,
                                                    build(source, source.checks[check_id])[0])):
        widget.payload = {**widget.payload, "untranslated": english}  # shown lang="en"
    return widget


_LETTER = re.compile(r"[^\W\d_]")


def untranslated(exercise, english) -> list[str]:
    """The texts of `exercise` (built from the course in another language) that are still the
    English exercise's, in the same place: its item texts have no translation yet (the page
    marks them lang="en"). Codes and numbers (no letter) are not texts."""
    pairs = [(exercise.title, english.title), (exercise.prompt, english.prompt),
             (exercise.context, english.context), (exercise.hint, english.hint)]
    for item, source in zip(exercise.items, english.items, strict=True):
        pairs += [(item.prompt, source.prompt), (item.label, source.label)]
        labels = dict(source.choices)
        pairs += [(label, labels.get(value)) for value, label in item.choices]
    return sorted({text for text, source in pairs if text == source and _LETTER.search(text)})


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
    course, english = load_course(language=lang), load_course()
    lessons = []
    for lesson_id, title in zip(course.lessons["id"], course.lessons["title"], strict=True):
        checks = []
        for spec in course.checks.values():
            if spec.lesson == lesson_id:
                shown = check_title(build(course, spec)[0])
                check = {"id": spec.id, "title": shown}
                if lang != DEFAULT and shown == check_title(
                        build(english, english.checks[spec.id])[0]):
                    check["lang"] = DEFAULT  # its texts are not translated yet
                checks.append(check)
        if checks:
            lessons.append({"id": lesson_id, "title": title, "href": f"{lesson_id}.html",
                            "checks": checks})
    return ProgressPage(lessons, lang)


__all__ = ["ALL_CHALLENGES", "PRACTICE_LOG", "Duration", "Table", "check", "code_word", "duration",
           "localized", "progress_page", "table"]
