"""Pure scoring, including properties that hold for every exercise and any input."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peaceops.content import load_course
from peaceops.exercises.render import STATUS_WORDS
from peaceops.exercises import Spec, build, score
from peaceops.exercises.model import Exercise
from tests.conftest import IN_CI

COURSE = load_course()
CHECKS = sorted(COURSE.checks)


def perfect(exercise, key):
    answers = {}
    for item in exercise.items:
        accepted = sorted(key[item.id].accept, key=str)[0]
        answers[item.id] = sorted(accepted) if item.multiple else accepted
    return answers


junk = st.one_of(st.none(), st.integers(-5, 99), st.booleans(), st.text(max_size=8),
                 st.lists(st.text(max_size=3), max_size=3), st.dictionaries(st.text(max_size=2), st.integers()),
                 st.floats(allow_nan=True))


@st.composite
def exercise_and_answers(draw):
    check = draw(st.sampled_from(CHECKS))
    exercise, key = build(COURSE, COURSE.checks[check])
    answers = {}
    for item in exercise.items:
        values = [v for v, _ in item.choices]
        valid = (st.lists(st.sampled_from(values), unique=True).map(sorted) if item.multiple
                 else st.sampled_from(values))
        choice = draw(st.one_of(valid, junk, st.just("__missing__")))
        if choice != "__missing__":
            answers[item.id] = choice
    if draw(st.booleans()):
        answers[draw(st.text(max_size=5))] = draw(junk)  # an unknown item id
    return exercise, key, answers


@settings(max_examples=300 if IN_CI else 60, deadline=None)  # full under CI=true
@given(exercise_and_answers())
def test_score_is_within_zero_and_max_and_never_raises(case):
    exercise, key, answers = case
    result = score(exercise, key, answers)
    assert 0 <= result.points <= result.max_points == exercise.max_points
    assert len(result.items) == len(exercise.items)
    for item in result.items:
        assert item.status in STATUS_WORDS  # shown in words, never colour alone
        assert item.source
        assert item.feedback or item.status in {"correct", "unanswered"}


@settings(max_examples=200 if IN_CI else 40, deadline=None)
@given(exercise_and_answers(), st.randoms())
def test_score_does_not_depend_on_item_order(case, rng: random.Random):
    exercise, key, answers = case
    items = list(exercise.items)
    rng.shuffle(items)
    shuffled = Exercise(**{**exercise.__dict__, "items": tuple(items)})
    reordered = dict(rng.sample(list(answers.items()), len(answers)))
    assert score(shuffled, key, reordered).points == score(exercise, key, answers).points


@pytest.mark.parametrize("check", CHECKS)
def test_perfect_answer_scores_max_and_blank_scores_zero(check):
    exercise, key = build(COURSE, COURSE.checks[check])
    assert score(exercise, key, perfect(exercise, key)).points == exercise.max_points
    blank = score(exercise, key, {})
    assert blank.points == 0 and {i.status for i in blank.items} == {"unanswered"}


def test_role_matching_one_point_per_correct_match_with_feedback():
    exercise, key = build(COURSE, COURSE.checks["mlt-roles"])
    answers = perfect(exercise, key)
    answers["resp-10"] = "pc"  # a wrong role
    answers["resp-13"] = "srsg"  # not a role
    result = score(exercise, key, answers)
    assert result.points == exercise.max_points - 2
    by_item = {r.item: r for r in result.items}
    assert by_item["resp-10"].status == "incorrect"
    assert "Police Commissioner" in by_item["resp-10"].feedback
    assert "Force Commander" in by_item["resp-10"].feedback
    assert by_item["resp-13"].status == "invalid"
    assert "'srsg' is not one of the choices" in by_item["resp-13"].feedback


def test_principle_weighing_scores_the_order_of_the_weights_and_the_decisive_pick():
    """3 points: the six weights share 2, each principle earning the share of the principles
    the key ranks apart from it (wholly higher or lower range) that the answer ranks the
    same way; the decisive principle 1."""
    exercise, key = build(COURSE, COURSE.checks["rights-weighing"])
    scenario = COURSE.entry("scenarios", "one-sided-report").key
    ranges = scenario["ranges"]
    answers = {p: str(low) for p, (low, _) in ranges.items()}
    answers["decisive"] = "impartiality"
    assert score(exercise, key, answers).points == exercise.max_points == 3
    answers["non_use_of_force"] = "3"  # keyed [0, 0]: now above everything it was below
    answers["decisive"] = "consent"
    result = score(exercise, key, answers)
    weights = {p: int(answers[p]) for p in ranges}

    def share(p):  # by hand: the pairs the key ranks apart, ranked the same way
        apart = [(q, 1 if ranges[p][0] > ranges[q][1] else -1) for q in ranges
                 if ranges[p][0] > ranges[q][1] or ranges[p][1] < ranges[q][0]]
        return sum((weights[p] - weights[q]) * side > 0 for q, side in apart) / len(apart)

    assert result.points == pytest.approx(sum(2 / 6 * share(p) for p in ranges))
    feedback = {r.item: r for r in result.items}
    assert feedback["non_use_of_force"].status == "incorrect"
    assert "the key ranks it below" in feedback["non_use_of_force"].feedback
    assert feedback["non_use_of_force"].rationale == scenario["rationale"]["non_use_of_force"]
    assert feedback["decisive"].source == "1.1.2" and feedback["decisive"].points == 0
    answers["credibility"] = "7"  # weight off the scale
    assert {r.item: r.status for r in score(exercise, key, answers).items}["credibility"] == "invalid"


def test_multiple_select_needs_the_exact_set_for_the_point():
    exercise, key = build(COURSE, COURSE.checks["essence-characteristics"])
    right = sorted(next(iter(key["essence-characteristics"].accept)))
    assert score(exercise, key, {"essence-characteristics": right}).points == 1
    part = score(exercise, key, {"essence-characteristics": right[:-1]})
    assert 0 < part.points < 1 and part.items[0].status == "partial"  # partial credit
    assert score(exercise, key, {"essence-characteristics": "0"}).items[0].status == "invalid"


def test_answers_that_are_not_a_mapping_score_zero_with_reason():
    exercise, key = build(COURSE, COURSE.checks["polarity-sort"])
    result = score(exercise, key, ["problem"] * 8)
    assert result.points == 0 and result.reason


def test_graded_spec_kinds_build_from_content():
    spec = Spec(id="exam-polarity", kind="polarity_sorting", source="Polarities",
                items=tuple(COURSE.polarities["id"]), draw=5)
    exercise, key = build(COURSE, spec, "learner-1")
    assert len(exercise.items) == 5 and set(key) == {i.id for i in exercise.items}


def test_select_all_items_earn_partial_credit_and_blind_selections_earn_nothing():
    """Issue 25, item 5: the share of keyed options chosen minus the share of the others,
    floored at 0: choosing every option, or none, earns 0."""
    from itertools import combinations

    from peaceops.exercises.model import Item, ItemKey
    from peaceops.exercises.scoring import score_item

    item = Item("q", "Which apply?", tuple((str(i), f"option {i}") for i in range(5)),
                multiple=True)
    key = ItemKey(frozenset({frozenset({"0", "1"})}), "why", "1.1.1")
    assert score_item(item, key, ["0", "1"]).points == 1
    half = score_item(item, key, ["0"])
    assert (half.points, half.status) == (0.5, "partial") and "Partly right" in half.feedback
    assert score_item(item, key, ["0", "1", "2"]).points == pytest.approx(1 - 1 / 3)
    assert score_item(item, key, ["0", "2", "3"]).points == 0  # 1/2 - 2/3, floored
    assert score_item(item, key, [str(i) for i in range(5)]).points == 0  # everything
    assert score_item(item, key, ["2", "3"]).status == "incorrect"
    every = [list(c) for r in range(1, 6) for c in combinations(map(str, range(5)), r)]
    mean = sum(score_item(item, key, c).points for c in every) / len(every)
    assert 0 < mean < 0.2  # a random choice earns little on average
