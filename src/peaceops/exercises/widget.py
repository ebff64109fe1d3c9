"""The ipywidgets front end of any exercise kind, in practice or assessment mode."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import ipywidgets as w

from .kinds import kind
from .model import Exercise, Item, Key
from .render import STATUS_WORDS, exercise_html, feedback_html
from .scoring import Score
from .store import AnswerStore

PRACTICE, ASSESSMENT = "practice", "assessment"
_WIDE = {"description_width": "initial"}


def _control(item: Item, radio: bool) -> w.Widget:
    if item.multiple:
        boxes = [w.Checkbox(value=False, description=label, indent=False, layout=w.Layout(width="auto"))
                 for _, label in item.choices]
        for box, (value, _) in zip(boxes, item.choices, strict=True):
            box._peaceops_value = value
        return w.VBox(boxes, layout=w.Layout(margin="0 0 0 1em"))
    options = [(label, value) for value, label in item.choices]
    cls = w.RadioButtons if radio else w.Dropdown
    return cls(options=options, value=None, description=item.label, style=_WIDE,
               layout=w.Layout(width="auto"))


def _get(control: w.Widget, item: Item) -> Any:
    if item.multiple:
        return sorted(box._peaceops_value for box in control.children if box.value)
    return control.value


def _set(control: w.Widget, item: Item, value: Any) -> None:
    values = {v for v, _ in item.choices}
    if item.multiple:
        chosen = set(value) if isinstance(value, list) else set()
        for box in control.children:
            box.value = box._peaceops_value in chosen
    elif isinstance(value, str) and value in values:
        control.value = value


class ExerciseWidget(w.VBox):
    """Widget for one exercise. Practice: Check / Hint / Try again with instant feedback.
    Assessment: every change saved at once to the answers file; no correctness shown."""

    def __init__(self, exercise: Exercise, key: Key | None = None, *, mode: str = PRACTICE,
                 store: AnswerStore | None = None, learner: str = "", page: str = "",
                 on_check: Callable[[Exercise, Score], None] | None = None):
        if mode == PRACTICE and key is None:
            raise ValueError("practice mode needs the exercise's key")
        self.exercise, self.key, self.mode, self.page = exercise, key, mode, page
        self.store, self.learner, self.on_check = store, learner, on_check
        radio = kind(exercise.kind).control == "radio"
        self.controls: dict[str, w.Widget] = {}
        rows: list[w.Widget] = []
        header = f"<h3>{exercise.title}</h3>"  # under the notebook's "## Exercise n" (h2)
        if exercise.context:
            header += f"<p><em>Fictional scenario.</em> {exercise.context}</p>"
        header += f"<p>{exercise.prompt}</p>"
        rows.append(w.HTML(header))
        for n, item in enumerate(exercise.items, start=1):
            control = _control(item, radio)
            self.controls[item.id] = control
            if item.prompt != exercise.prompt:
                rows.append(w.HTML(f"<p><strong>{n}.</strong> {item.prompt}</p>"))
            elif item.multiple:
                rows.append(w.Label(item.label))
            rows.append(control)
        self.feedback = w.HTML(layout=w.Layout(margin="0.5em 0"))
        self.status = w.HTML()
        if mode == PRACTICE:
            self.check_button = w.Button(description="Check", button_style="primary",
                                         tooltip="Check your answers")
            self.hint_button = w.Button(description="Hint", tooltip="Show a hint")
            self.reset_button = w.Button(description="Try again", tooltip="Clear your answers")
            self.check_button.on_click(lambda _: self.check())
            self.hint_button.on_click(lambda _: self.hint())
            self.reset_button.on_click(lambda _: self.reset())
            rows.append(w.HBox([self.check_button, self.hint_button, self.reset_button]))
        rows += [self.feedback, self.status]
        super().__init__(rows)
        self.add_class("peaceops-exercise")
        if mode == ASSESSMENT:
            self._restore()
        self._observe(self._changed)

    # -- answers ------------------------------------------------------------------------

    def answers(self) -> dict[str, Any]:
        return {item.id: _get(self.controls[item.id], item) for item in self.exercise.items}

    def set_answers(self, answers: dict[str, Any]) -> None:
        for item in self.exercise.items:
            if item.id in answers:
                _set(self.controls[item.id], item, answers[item.id])

    def _observe(self, handler: Callable) -> None:
        for item in self.exercise.items:
            control = self.controls[item.id]
            for widget in control.children if item.multiple else (control,):
                widget.observe(handler, names="value")

    def _changed(self, _change=None) -> None:
        if self.mode == ASSESSMENT and self.store is not None:
            try:
                self.store.save(self.exercise.id, self.exercise.variant, self.learner, self.answers())
            except OSError as exc:
                self.status.value = f"<p><strong>⚠ Not saved:</strong> {exc}. Check the folder is writable.</p>"
                return
            self.status.value = f"<p>✔ Saved at {datetime.now().strftime('%H:%M:%S')}</p>"

    def _restore(self) -> None:
        messages = list(self.store.messages) if self.store else []
        record = self.store.record(self.exercise.id) if self.store else None
        if record is not None:
            if record.variant != self.exercise.variant:
                messages.append("Saved answers belong to another variant of this exercise and "
                                "were not restored.")
            else:
                self.set_answers(record.answers)
                self.status.value = f"<p>✔ Answers restored (saved {record.saved_at})</p>"
        if messages:
            self.feedback.value = "".join(f"<p><strong>⚠ Note:</strong> {m}</p>" for m in messages)

    # -- practice -----------------------------------------------------------------------

    def check(self) -> None:
        result = kind(self.exercise.kind).score(self.exercise, self.key, self.answers())
        verdict = ("All correct — well done." if result.points == result.max_points
                   else "Not all correct yet: read the feedback, then try again or ask for a hint.")
        self.feedback.value = f"<p><strong>{verdict}</strong></p>" + feedback_html(self.exercise, result)
        self.last_score = result
        if self.on_check is not None:  # e.g. the learner's own progress record
            self.on_check(self.exercise, result)

    def hint(self) -> None:
        self.feedback.value = f"<p><strong>Hint:</strong> {self.exercise.hint or 'Re-read the lesson section.'}</p>"

    def reset(self) -> None:
        for item in self.exercise.items:
            control = self.controls[item.id]
            if item.multiple:
                for box in control.children:
                    box.value = False
            else:
                control.value = None
        self.feedback.value = ""

    # -- display ------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        key = self.key if self.mode == PRACTICE else None
        bundle["text/html"] = exercise_html(self.exercise, key, self.page)
        return bundle


__all__ = ["ASSESSMENT", "PRACTICE", "STATUS_WORDS", "ExerciseWidget"]
