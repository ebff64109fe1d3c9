"""An exercise as JSON for the browser: what the one front end (static/exercise.js) reads,
in JupyterLab (through the widget) and in the built book (inlined in the page).

Schema 1::

    {"schema": 1, "id", "kind", "title", "prompt", "context", "hint", "source", "variant",
     "mode": "practice" | "assessment", "lesson": "<lesson id or ''>",
     "language": "en" | "fr",
     "words": {"status": {...STATUS_WORDS}, "verdict": {"right", "wrong"},
               "feedback": {...FEEDBACK}, "ui": {...UI}},   # phrases.py, translated
     "items": [{"id", "prompt", "label", "choices": [[value, label], ...], "multiple",
                "control": "select" | "radio" | "checkbox", "scale": true | false,
                "points"}],
     "key": {"<item id>": {"accept": [value, ...] | [[value, ...], ...], "shows",
                           "rationale", "source", "points"}}}   # practice only

The key is only ever included in practice mode: a graded exercise's payload has no "key".
"""

from __future__ import annotations

import json
from typing import Any

from ..content.language import language
from .kinds import kind
from .model import Exercise, Key
from .phrases import front_words

SCHEMA = 1
PRACTICE, ASSESSMENT = "practice", "assessment"


def control_of(exercise: Exercise, multiple: bool) -> str:
    """The control of an item: checkboxes for several answers, else the kind's choice."""
    if multiple:
        return "checkbox"
    return "radio" if kind(exercise.kind).control == "radio" else "select"


def payload(exercise: Exercise, key: Key | None = None, mode: str = PRACTICE,
            lesson: str = "", lang: str | None = None) -> dict[str, Any]:
    """The exercise (and, in practice mode only, its key) as plain JSON data, its words in
    `lang` (default: the learner's language)."""
    lang = lang or language()
    if mode not in (PRACTICE, ASSESSMENT):
        raise ValueError(f"unknown mode {mode!r}")
    if mode == PRACTICE and key is None:
        raise ValueError("practice mode needs the exercise's key")
    scale = kind(exercise.kind).scale_items(exercise)
    data: dict[str, Any] = {
        "schema": SCHEMA, "id": exercise.id, "kind": exercise.kind, "title": exercise.title,
        "prompt": exercise.prompt, "context": exercise.context, "hint": exercise.hint,
        "source": exercise.source, "variant": exercise.variant, "mode": mode, "lesson": lesson,
        "language": lang, "words": front_words(lang),
        "items": [{"id": item.id, "prompt": item.prompt, "label": item.label,
                   "choices": [list(choice) for choice in item.choices],
                   "multiple": item.multiple, "control": control_of(exercise, item.multiple),
                   "scale": item.id in scale, "points": item.points}
                  for item in exercise.items],
    }
    if mode == PRACTICE:
        data["key"] = {item.id: _key(item, key[item.id]) for item in exercise.items}
    return data


def _key(item, item_key) -> dict[str, Any]:
    if item.multiple:
        accept = sorted(sorted(map(str, group)) for group in item_key.accept)
    else:
        accept = sorted(map(str, item_key.accept))
    return {"accept": accept, "shows": item_key.shows(item), "rationale": item_key.rationale,
            "source": item_key.source, "points": item_key.points}


def to_json(data: dict[str, Any]) -> str:
    """JSON safe to inline in HTML (inside <script type="application/json">)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
