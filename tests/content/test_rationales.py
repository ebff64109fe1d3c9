"""Every practice rationale gives a reason, not the answer again (issue 30): for every item
of every practice check, the feedback's rationale has words of its own beyond the key, the
question and the stock words that name an answer (peaceops/exercises/rationale.py)."""

from __future__ import annotations

import pytest

from peaceops.content import load_course
from peaceops.exercises import build
from peaceops.exercises.rationale import MIN_REASON, own_words, restates

COURSE = load_course()
CHECKS = [build(COURSE, spec) for spec in COURSE.checks.values()]


@pytest.mark.parametrize("built", CHECKS, ids=[e.id for e, _ in CHECKS])
def test_no_practice_rationale_merely_restates_its_key(built):
    exercise, key = built
    for item in exercise.items:
        rationale, shows = key[item.id].rationale, key[item.id].shows(item)
        assert not restates(rationale, shows, item.prompt), (
            f"{exercise.id}/{item.id}: the rationale {rationale!r} restates the key {shows!r} "
            f"(own words: {sorted(own_words(rationale, shows, item.prompt))}, need {MIN_REASON})")


@pytest.mark.parametrize(("rationale", "key", "question"), [
    ("This is a responsibility of the Chief of Staff.", "Chief of Staff",
     "Keeps the management of the integrated mission coherent."),
    ("The answer is Political solutions.", "Political solutions",
     "What must guide all UN peace operations?"),
    ("Correct: the Police Commissioner sets up the police chain of command.",
     "Head of the Police Component (Police Commissioner)", "Sets up the police chain of command."),
    ("A polarity: drawing on diversity while building unity.", "Both/and polarity",
     "Drawing on diversity while building unity"),
])
def test_a_restated_key_is_caught(rationale, key, question):
    assert restates(rationale, key, question)


def test_a_reason_passes():
    assert not restates(
        "The study gives each uniformed component its own head and its own chain of command: "
        "the police line is established by the head of the police component.",
        "Head of the Police Component (Police Commissioner)", "Sets up the police chain of command.")
