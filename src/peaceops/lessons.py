"""What lesson notebooks call: tables rendered from data/ and practice checks."""

from __future__ import annotations

from html import escape

import pandas as pd

from .content import load_course
from .exercises import PRACTICE, ExerciseWidget, build
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

    def __init__(self, frame: pd.DataFrame, caption: str):
        self.frame, self.caption = frame, caption

    def _repr_html_(self) -> str:
        head = "".join(f'<th scope="col">{escape(c)}</th>' for c in self.frame.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in row) + "</tr>"
            for row in self.frame.itertuples(index=False)
        )
        return (
            f'<table class="peaceops-table"><caption>{escape(self.caption)}</caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )

    def __repr__(self) -> str:
        return self.frame.to_string(index=False)


def table(name: str, **where: str) -> Table:
    """Render data/<name>.csv, optionally filtered by column values (e.g. team="core")."""
    course = load_course()
    frame = course.tables[name]
    for column, value in where.items():
        frame = frame[frame[column] == value]
    frame = frame.copy()
    if name == "responsibilities":
        frame["role"] = frame["role"].map(course.role_name)
        frame = frame.sort_values("role", kind="stable")
    frame = frame[list(COLUMNS[name])].rename(columns=COLUMNS[name])
    return Table(frame, CAPTIONS[name])


def check(check_id: str) -> ExerciseWidget:
    """A lesson's "check your understanding": a practice exercise with instant feedback."""
    course = load_course()
    spec = course.checks[check_id]
    exercise, key = build(course, spec)

    def log(exercise, result) -> None:  # the learner's own progress, beside the lesson
        record_check(".", exercise.id, result.points, result.max_points)

    return ExerciseWidget(exercise, key, mode=PRACTICE, page=f"book/{spec.lesson}.md",
                          on_check=log)
