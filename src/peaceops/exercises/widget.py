"""The widget of any exercise kind, in practice or assessment mode: an anywidget whose front
end (static/exercise.js) is the very one the built book runs without a kernel.

Python keeps what must not be trusted to the browser: assessment answers are saved here, to the
answers file, on every change; a practice Check is scored again here (`kind.score`) for the
learner's practice log. The browser reads only the payload (payload.py): in assessment mode it
holds no key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import anywidget
import traitlets as t

from ..content.language import language
from ..content.messages import _
from . import frontend
from .kinds import kind
from .model import Exercise, Key
from .payload import ASSESSMENT, PRACTICE, payload
from .phrases import STATUS_WORDS, VERDICTS, say
from .render import exercise_html, feedback_html
from .scoring import Score
from .store import AnswerStore


def _blank(item) -> Any:
    return [] if item.multiple else None


class ExerciseWidget(anywidget.AnyWidget):
    """Practice: Check / Hint / Try again / Show answer with instant feedback, in the browser.
    Assessment: every change saved at once to the answers file; no correctness shown."""

    _esm = frontend.esm()
    _css = frontend.css()
    payload = t.Dict().tag(sync=True)
    chosen = t.Dict().tag(sync=True)  # {item id: answer}, as the learner set it
    status = t.Unicode("").tag(sync=True)  # e.g. "✔ Saved at 10:02:11"
    notes = t.List(t.Unicode()).tag(sync=True)  # warnings, e.g. an unreadable answers file
    host = t.Unicode("kernel").tag(sync=True)

    def __init__(self, exercise: Exercise, key: Key | None = None, *, mode: str = PRACTICE,
                 store: AnswerStore | None = None, learner: str = "", page: str = "",
                 on_check: Callable[[Exercise, Score], None] | None = None,
                 identity_problem: str = "", lang: str | None = None):
        if mode == PRACTICE and key is None:
            raise ValueError("practice mode needs the exercise's key")
        lesson = page.removeprefix("book/").removesuffix(".md")
        self.lang = lang or language()  # of every word shown; never of what is saved
        super().__init__(payload=payload(exercise, key if mode == PRACTICE else None, mode, lesson,
                                         self.lang),
                         chosen={item.id: _blank(item) for item in exercise.items})
        self.exercise, self.key, self.mode, self.page = exercise, key, mode, page
        self.store, self.learner, self.on_check = store, learner, on_check
        self.identity_problem = identity_problem  # shown at the first save (identity.mismatch)
        self.feedback = ""  # the last Check's feedback as HTML (the browser shows the same)
        self.last_score: Score | None = None
        self._restoring = False
        if mode == ASSESSMENT:
            self._restore()
        self.observe(self._changed, names="chosen")
        self.on_msg(self._message)

    # -- answers ------------------------------------------------------------------------

    def answers(self) -> dict[str, Any]:
        chosen = self.chosen
        return {item.id: chosen.get(item.id, _blank(item)) for item in self.exercise.items}

    def set_answers(self, answers: dict[str, Any]) -> None:
        """Show `answers` (only well-formed ones: a known choice, or a list of them)."""
        merged = dict(self.answers())
        for item in self.exercise.items:
            if item.id in answers:
                values, value = {v for v, _ in item.choices}, answers[item.id]
                if item.multiple:
                    merged[item.id] = sorted(v for v in value if v in values) \
                        if isinstance(value, list) else []
                elif value is None or (isinstance(value, str) and value in values):
                    merged[item.id] = value
        self.chosen = merged

    def _changed(self, _change=None) -> None:
        if self.mode != ASSESSMENT or self.store is None or self._restoring:
            return
        try:
            self.store.save(self.exercise.id, self.exercise.variant, self.learner, self.answers())
        except OSError as exc:
            self.status = _("⚠ Not saved: {error}. Check the folder is writable.",
                            self.lang).format(error=exc)
            return
        if self.identity_problem:  # saved (nothing lost), but for the wrong learner
            if self.identity_problem not in self.notes:
                self.notes = [*self.notes, self.identity_problem]
            self.status = _("⚠ Saved at {time}, for the wrong learner id: see below",
                            self.lang).format(time=datetime.now().strftime("%H:%M:%S"))
            return
        self.status = _("✔ Saved at {time}", self.lang).format(
            time=datetime.now().strftime("%H:%M:%S"))

    def _restore(self) -> None:
        messages = list(self.store.messages) if self.store else []
        record = self.store.record(self.exercise.id) if self.store else None
        if record is not None:
            if record.variant != self.exercise.variant:
                messages.append(_("Saved answers belong to another variant of this exercise "
                                  "and were not restored.", self.lang))
            else:
                self._restoring = True
                try:
                    self.set_answers(record.answers)
                finally:
                    self._restoring = False
                self.status = _("✔ Answers restored (saved {time})", self.lang).format(
                    time=record.saved_at)
        self.notes = messages

    # -- practice -----------------------------------------------------------------------

    def _message(self, _widget, content, _buffers) -> None:
        """Check in the browser: its answers come with the message (ipywidgets may still be
        holding back the last state update), and are scored again here."""
        if isinstance(content, dict) and content.get("event") == "check" and self.mode == PRACTICE:
            if isinstance(content.get("answers"), dict):
                self.set_answers(content["answers"])
            self.check()

    def check(self) -> Score:
        """Score the answers shown (in Python: the browser's own scoring is only a view of it)
        and log the Check."""
        result = kind(self.exercise.kind).score(self.exercise, self.key, self.answers())
        verdict = say(VERDICTS, "right" if result.points == result.max_points else "wrong",
                      self.lang)
        self.feedback = (f"<p><strong>{verdict}</strong></p>"
                         + feedback_html(self.exercise, result, self.lang))
        self.last_score = result
        if self.on_check is not None:  # e.g. the learner's own progress record
            self.on_check(self.exercise, result)
        return result

    def reset(self) -> None:
        self.chosen = {item.id: _blank(item) for item in self.exercise.items}
        self.feedback = ""

    # -- display ------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs):
        """The live widget, and as text/html what the built book shows: in practice the
        interactive check (payload and a static fallback), in assessment a static view."""
        bundle = super()._repr_mimebundle_(**kwargs)
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle or {}, {})
        if self.mode == PRACTICE:
            data["text/html"] = frontend.book_html(self.payload)
        else:
            data["text/html"] = exercise_html(self.exercise, lang=self.lang)
        return data, metadata


__all__ = ["ASSESSMENT", "PRACTICE", "STATUS_WORDS", "ExerciseWidget"]
