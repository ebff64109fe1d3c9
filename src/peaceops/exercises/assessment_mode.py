"""Assessment mode in a notebook: the learner's variant, answers saved to the file beside it.

The learner id is never typed per exercise: it is resolved once (`identity`), and a learner
id that differs from the student id nbgrader will submit under is caught at the first save."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from ..content import Course, Spec, load_course
from ..content.language import language
from .attempt import attempt_in
from .identity import LEARNER_VARIABLES, mismatch, resolve
from .kinds import build
from .store import AnswerStore
from .widget import ASSESSMENT, ExerciseWidget

__all__ = ["LEARNER_VARIABLES", "assessment", "learner_id"]


def learner_id(store: AnswerStore) -> str:
    """The learner of the answers file `store` (see `identity.resolve`)."""
    return resolve(store.path.parent, store.learner)


def assessment(spec: Spec, *, course: Course | None = None, folder: Path | str = ".",
               lang: str | None = None) -> w.Widget:
    """The assessment widget of `spec` for this learner and attempt (`attempt_in`: the one
    the grader announced in fetched feedback), in `lang` (default: the learner's setting,
    `language()`); the variant and what is saved are the same in every language."""
    lang = lang or language()
    course = course or load_course(language=lang)  # ids, variants and keys as in English
    store = AnswerStore(folder)
    learner = learner_id(store)
    exercise, _ = build(course, spec, learner, attempt=attempt_in(folder))
    problem = mismatch(learner, folder, store.learner) if spec.draw is not None else ""
    return ExerciseWidget(exercise, mode=ASSESSMENT, store=store, learner=learner,
                          identity_problem=problem, lang=lang)
