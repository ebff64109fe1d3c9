"""Simulated learners: ability-based answers, and answers files for the real bank."""

import numpy as np
import pytest

from peaceops.content import load_course, load_keys
from peaceops.exercises import build
from peaceops.exercises.grading import grade_built
from peaceops.exercises.store import parse
from tests.factories.simulate import (
    SimItem,
    abilities,
    answers_file,
    p_know,
    respond,
    simulate_responses,
)

ROLE = SimItem(("hom", "fc", "pc"), frozenset({"fc"}), difficulty=0.0, slope=1.0)


def test_p_know_is_logistic_in_ability_minus_difficulty():
    assert p_know(0.0, ROLE) == pytest.approx(0.5)
    assert p_know(1.0, SimItem(("a",), frozenset({"a"}), 1.0, 2.0)) == pytest.approx(0.5)
    assert p_know(2.0, ROLE) == pytest.approx(1 / (1 + np.exp(-2)))


def test_respond_strong_learners_know_weak_ones_guess_or_follow_the_lure():
    rng = np.random.default_rng(0)
    assert {respond(50.0, ROLE, rng) for _ in range(50)} == {"fc"}
    guesses = [respond(-50.0, ROLE, rng) for _ in range(600)]
    assert set(guesses) == {"hom", "fc", "pc"}
    lured = SimItem(ROLE.options, ROLE.accepted, lure="pc", lure_pull=0.8)
    picks = [respond(-50.0, lured, rng) for _ in range(600)]
    assert picks.count("pc") / 600 == pytest.approx(0.8 + 0.2 / 3, abs=0.05)


def test_respond_multiple_select_gives_sorted_lists():
    item = SimItem(("0", "1", "2"), frozenset({frozenset({"2", "0"})}), multiple=True)
    rng = np.random.default_rng(1)
    assert respond(50.0, item, rng) == ["0", "2"]
    for _ in range(50):
        guess = respond(-50.0, item, rng)
        assert guess and guess == sorted(guess) and set(guess) <= {"0", "1", "2"}


def test_simulate_responses_is_seeded_and_respects_draws():
    thetas = abilities(20, seed=4)
    assert thetas == abilities(20, seed=4) and len(thetas) == 20
    items = {"r1": ROLE, "r2": ROLE}
    first = simulate_responses(thetas, items, seed=9, drawn=lambda learner: ["r2"])
    assert first == simulate_responses(thetas, items, seed=9, drawn=lambda learner: ["r2"])
    assert all(list(answers) == ["r2"] for answers in first.values())
    with pytest.raises(ValueError):
        abilities(-1)


def test_answers_file_for_the_real_bank_is_graded_right_for_a_strong_learner():
    course = load_course()
    keys = load_keys(course)
    exam = next(a for a in course.assignments.values() if a.certification)
    content = answers_file(course, exam, "ada", 60.0, keys, np.random.default_rng(2))
    loaded = parse(content)
    assert loaded.learner == "ada" and not loaded.problems
    for spec in exam.exercises:
        exercise, key = build(course, spec, "ada", keys)
        result = grade_built(exercise, key, loaded.records[spec.id])
        assert result.points == result.max_points, spec.id
    weak = parse(answers_file(course, exam, "bo", -60.0, keys, np.random.default_rng(2)))
    scores = [grade_built(*build(course, s, "bo", keys), weak.records[s.id])
              for s in exam.exercises]
    assert sum(s.points for s in scores) < 0.7 * sum(s.max_points for s in scores)
