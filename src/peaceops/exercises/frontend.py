"""The exercise front end as the two hosts load it, from the files in static/:

- `esm()`: an ES module for anywidget in JupyterLab (exercise.js + `export default {render}`);
- `classic()`: one classic script for the built book (exercise.js + book.js, mounted when the
  page is ready). A classic script, not a module: Chromium blocks module scripts on file://,
  and the book must open from `_build/html/index.html`.
- `book_html()`: what a page of the book holds for one exercise: its payload as inline JSON,
  and a static fallback for readers without JavaScript.
"""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from ..content.messages import _
from .payload import to_json

STATIC = Path(__file__).parent / "static"
SCRIPT, STYLE = "peaceops-exercise.js", "peaceops-exercise.css"  # names in the book's _static


def _read(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


@cache
def esm() -> str:
    return (_read("exercise.js")
            + "\nexport { arrange, feedbackHtml, normalize, score, verdictHtml };\n"
            + "export default { render };\n")


def classic() -> str:
    return ("// peaceops: interactive practice checks and the learner's progress (no server).\n"
            "(function () {\n\"use strict\";\n" + _read("exercise.js") + "\n" + _read("book.js")
            + "\nif (document.readyState === \"loading\") "
              "document.addEventListener(\"DOMContentLoaded\", mountBook);\n"
              "else mountBook();\n})();\n")


def css() -> str:
    return _read("exercise.css")


def static_html(data: dict[str, Any]) -> str:
    """The exercise without JavaScript: compact (a choice list shared by every item is shown
    once), no key. A text the payload lists as `untranslated` is marked lang="en"."""
    items, lang = data["items"], data.get("language")
    english = set(data.get("untranslated", ()))

    def text(value: str, tag: str = "span") -> str:
        mark = ' lang="en"' if value in english else ""
        return f"<{tag}{mark}>{escape(value)}</{tag}>" if mark or tag != "span" else escape(value)

    parts = [f"<p><strong>{text(data['title'])}</strong></p>"]
    if data.get("context"):
        parts.append(f"<p><em>{escape(data['words']['ui']['scenario'])}</em> "
                     f"{text(data['context'])}</p>")
    parts.append(text(data["prompt"], "p"))
    shared = len(items) > 1 and all(i["choices"] == items[0]["choices"] for i in items)
    if shared:
        labels = " · ".join(text(label) for _, label in items[0]["choices"])
        every = escape(_("Choices for every item:", lang))
        parts.append(f"<p>{every} {labels}</p>")
    parts.append("<ol>")
    choices = escape(_("Choices:", lang))
    for item in items:
        line = text(item["prompt"] if item["prompt"] != data["prompt"] else item["label"])
        if not shared:
            line += f"<br/><small>{choices} " + " · ".join(
                text(label) for _, label in item["choices"]) + "</small>"
        parts.append(f"<li>{line}</li>")
    parts.append("</ol><p>" + escape(_("Turn on JavaScript to answer this check here with "
                                       "instant feedback.", lang)) + "</p>")
    return "".join(parts)


def book_html(data: dict[str, Any]) -> str:
    """One practice check in a page of the book (mounted by the book's script)."""
    if data["mode"] != "practice":
        raise ValueError("the book shows practice checks only")
    return (f'<div class="peaceops-book-exercise" id="exercise-{escape(data["id"])}">'
            f'<script type="application/json" class="peaceops-payload">{to_json(data)}</script>'
            f'<div class="peaceops-static">{static_html(data)}</div></div>')
