"""Static HTML of an exercise and of its feedback (the built book, nbgrader feedback)."""

from __future__ import annotations

from html import escape

from ..content.language import language
from ..content.messages import N_, _
from .model import Exercise, Key
from .phrases import FEEDBACK, STATUS_WORDS, UI, VERDICTS, say
from .scoring import Score

LIVE_NOTE = N_(
    "This exercise is interactive when the lesson is opened live: run <code>jupyter lab</code> "
    "in the course folder, open <code>{path}</code> (right-click › Open With › Notebook) and "
    "run all cells."
)


def _source(source: str, lang: str) -> str:
    return f"<small>{escape(say(FEEDBACK, 'source', lang, source=source))}</small>"


def exercise_html(exercise: Exercise, key: Key | None = None, path: str = "",
                  lang: str | None = None) -> str:
    """The exercise as a static page fragment; with a practice key, a collapsible answer
    (in `lang`, default the learner's language)."""
    lang = lang or language()
    parts = [f'<div class="peaceops-exercise" id="exercise-{escape(exercise.id)}">',
             f"<p><strong>{escape(exercise.title)}</strong></p>"]
    if exercise.context:
        parts.append(f"<p><em>{escape(say(UI, 'scenario', lang))}</em> {escape(exercise.context)}</p>")
    parts.append(f"<p>{escape(exercise.prompt)}</p><ol>")
    choices_word = escape(_("Choices:", lang))
    for item in exercise.items:
        if item.prompt == exercise.prompt:
            options = "".join(f"<li>{escape(label)}</li>" for _, label in item.choices)
            parts.append(f"<li>{escape(item.label)}:<ul>{options}</ul></li>")
        else:
            choices = " · ".join(escape(label) for _, label in item.choices)
            parts.append(f"<li>{escape(item.prompt)} <br/><small>{choices_word} {choices}</small></li>")
    parts.append("</ol>")
    if path:
        parts.append(f"<p>{_(LIVE_NOTE, lang).format(path=escape(path))}</p>")
    if key is not None:
        summary = escape(_("Show the answer", lang))
        parts.append(f"<details><summary>{summary}</summary><ul>")
        for item in exercise.items:
            k = key[item.id]
            label = "" if item.prompt == exercise.prompt else f"{escape(item.prompt)}: "
            parts.append(f"<li>{label}<strong>{escape(k.shows(item))}</strong>. "
                         f"{escape(k.rationale)} {_source(k.source, lang)}</li>")
        parts.append("</ul></details>")
    parts.append("</div>")
    return "".join(parts)


def feedback_html(exercise: Exercise, result: Score, lang: str | None = None) -> str:
    """Per-item feedback in words: the answer, the result, the rationale, the source."""
    lang = lang or language()
    rows = [f"<p><strong>{escape(exercise.title)}: {result.points:g} / {result.max_points:g}</strong>"
            + (f" — {escape(result.reason)}" if result.reason else "") + "</p><ul>"]
    for item, res in zip(exercise.items, result.items, strict=True):
        label = "" if item.prompt == exercise.prompt else f"{escape(item.prompt)} — "
        rows.append(f"<li>{label}<strong>{say(STATUS_WORDS, res.status, lang)}</strong>. "
                    f"{escape(res.feedback)} {escape(res.rationale)} {_source(res.source, lang)}</li>")
    rows.append("</ul>")
    return "".join(rows)


__all__ = ["LIVE_NOTE", "STATUS_WORDS", "VERDICTS", "exercise_html", "feedback_html"]
