"""Static HTML of an exercise and of its feedback (the built book, nbgrader feedback)."""

from __future__ import annotations

from html import escape

from .model import Exercise, Key
from .scoring import Score

STATUS_WORDS = {"correct": "✔ Correct", "partial": "◐ Partly correct",
                "incorrect": "✘ Not correct", "unanswered": "– Not answered",
                "invalid": "⚠ Not scored"}

#: The verdict after Check in practice (the widget and the book say the same).
VERDICTS = {"right": "All correct — well done.",
            "wrong": "Not all correct yet: read the feedback, then try again or ask for a hint."}

LIVE_NOTE = (
    "This exercise is interactive when the lesson is opened live: run <code>jupyter lab</code> "
    "in the course folder, open <code>{path}</code> (right-click › Open With › Notebook) and "
    "run all cells."
)


def exercise_html(exercise: Exercise, key: Key | None = None, path: str = "") -> str:
    """The exercise as a static page fragment; with a practice key, a collapsible answer."""
    parts = [f'<div class="peaceops-exercise" id="exercise-{escape(exercise.id)}">',
             f"<p><strong>{escape(exercise.title)}</strong></p>"]
    if exercise.context:
        parts.append(f"<p><em>Fictional scenario.</em> {escape(exercise.context)}</p>")
    parts.append(f"<p>{escape(exercise.prompt)}</p><ol>")
    for item in exercise.items:
        if item.prompt == exercise.prompt:
            options = "".join(f"<li>{escape(label)}</li>" for _, label in item.choices)
            parts.append(f"<li>{escape(item.label)}:<ul>{options}</ul></li>")
        else:
            choices = " · ".join(escape(label) for _, label in item.choices)
            parts.append(f"<li>{escape(item.prompt)} <br/><small>Choices: {choices}</small></li>")
    parts.append("</ol>")
    if path:
        parts.append(f"<p>{LIVE_NOTE.format(path=escape(path))}</p>")
    if key is not None:
        parts.append("<details><summary>Show the answer</summary><ul>")
        for item in exercise.items:
            k = key[item.id]
            label = "" if item.prompt == exercise.prompt else f"{escape(item.prompt)}: "
            parts.append(f"<li>{label}<strong>{escape(k.shows(item))}</strong>. "
                         f"{escape(k.rationale)} <small>(Source: {escape(k.source)})</small></li>")
        parts.append("</ul></details>")
    parts.append("</div>")
    return "".join(parts)


def feedback_html(exercise: Exercise, result: Score) -> str:
    """Per-item feedback in words: the answer, the result, the rationale, the source."""
    rows = [f"<p><strong>{escape(exercise.title)}: {result.points:g} / {result.max_points:g}</strong>"
            + (f" — {escape(result.reason)}" if result.reason else "") + "</p><ul>"]
    for item, res in zip(exercise.items, result.items, strict=True):
        label = "" if item.prompt == exercise.prompt else f"{escape(item.prompt)} — "
        rows.append(f"<li>{label}<strong>{STATUS_WORDS[res.status]}</strong>. {escape(res.feedback)} "
                    f"{escape(res.rationale)} <small>(Source: {escape(res.source)})</small></li>")
    rows.append("</ul>")
    return "".join(rows)
