"""Assessment mode in a notebook: the learner's variant, answers saved to the file beside it."""

from __future__ import annotations

import os
from pathlib import Path

import ipywidgets as w

from ..content import Course, Spec, load_course
from .attempt import attempt_in
from .kinds import build
from .store import AnswerStore
from .widget import ASSESSMENT, ExerciseWidget

LEARNER_VARIABLES = ("JUPYTERHUB_USER", "PEACEOPS_LEARNER")


def learner_id(store: AnswerStore) -> str:
    """The learner: the JupyterHub user, $PEACEOPS_LEARNER, or the id saved in the file."""
    for name in LEARNER_VARIABLES:
        if value := os.environ.get(name, "").strip():
            return value
    return store.learner


def assessment(spec: Spec, *, course: Course | None = None, folder: Path | str = ".") -> w.Widget:
    """The assessment widget of `spec` for this learner and attempt (`attempt_in`: the one
    the grader announced in fetched feedback); asks for a learner id once if needed."""
    course = course or load_course()
    store = AnswerStore(folder)
    learner = learner_id(store)
    attempt = attempt_in(folder)
    if learner or spec.draw is None:
        exercise, _ = build(course, spec, learner, attempt=attempt)
        return ExerciseWidget(exercise, mode=ASSESSMENT, store=store, learner=learner)
    box = w.VBox()
    entry = w.Text(description="Your learner id", style={"description_width": "initial"},
                   placeholder="as given by your instructor")
    start = w.Button(description="Start", tooltip="Save your learner id and show the exercise")
    note = w.HTML("<p>Enter your learner id once; it is saved with your answers and decides "
                  "which questions you get.</p>")

    def begin(_=None) -> None:
        value = entry.value.strip()
        if not value:
            note.value = "<p><strong>⚠ Please enter your learner id first.</strong></p>"
            return
        store.set_learner(value)
        exercise, _ = build(course, spec, value, attempt=attempt)
        box.children = [ExerciseWidget(exercise, mode=ASSESSMENT, store=store, learner=value)]

    start.on_click(begin)
    box.children = [note, w.HBox([entry, start])]
    return box
