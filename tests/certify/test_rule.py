"""The pass rule's decisions: each condition passes and fails, with reasons in plain words."""

from __future__ import annotations

import pandas as pd
import pytest

from peaceops.certify import decide, evaluate
from peaceops.results import ATTEMPT_COLUMNS
from tests.factories.certificates import EXAM, LESSONS, cohort


@pytest.fixture(scope="module")
def rule(certification):
    return certification.rule()


def test_pass_at_exactly_75_percent(rule):
    d = decide(cohort({"amina": [15]}), rule, "amina")
    assert d.passed and (d.attempt, d.score, d.max_score) == (1, 15, 20)
    assert d.name == "Amina Diallo" and d.rule_version == "2026.1"
    assert d.reasons[0] == "exam attempt 1: 15/20 (75 %), at least 75 % required"
    assert "submitted all 4 required assignments" in d.reasons


def test_fail_just_below_75_percent_never_reads_as_75(rule):
    d = decide(cohort({"bo": [74.99]}, max_score=100), rule, "bo")
    assert not d.passed and d.score is None
    assert d.reasons == (
        "exam attempt 1: 74.99/100 (74.9 %), below the 75 % required",
        "submitted all 4 required assignments",
    )


def test_pass_on_the_second_attempt(rule):
    d = decide(cohort({"chen": [10, 16]}), rule, "chen")
    assert d.passed and (d.attempt, d.score) == (2, 16)
    assert "exam attempt 1: 10/20 (50 %), below the 75 % required" in d.reasons


def test_the_best_counted_attempt_is_certified(rule):
    d = decide(cohort({"chen": [16, 19]}), rule, "chen")
    assert (d.attempt, d.score) == (2, 19)
    d = decide(cohort({"chen": [19, 16]}), rule, "chen")
    assert (d.attempt, d.score) == (1, 19)


def test_a_third_attempt_does_not_count(rule):
    d = decide(cohort({"dara": [10, 12, 20]}), rule, "dara")
    assert not d.passed
    assert (
        "exam attempt 3: 20/20 (100 %), not counted: only the first 2 attempt(s) count" in d.reasons
    )


def test_a_missing_lesson_group_submission_fails(rule):
    results = cohort({"amina": [20]}, lessons={"amina": LESSONS[:3]})
    d = decide(results, rule, "amina")
    assert not d.passed
    assert "has not submitted polarities (Leading through polarities)" in d.reasons


@pytest.mark.parametrize(
    "flags, why",
    [
        ({"needs_manual_grade": True}, "needs manual grading"),
        ({"flagged": True, "flags": "no answers file"}, "flagged: no answers file"),
    ],
)
def test_an_exam_that_needs_review_is_not_certified(rule, flags, why):
    d = decide(cohort({"amina": [20]}, review={"amina": flags}), rule, "amina")
    assert not d.passed
    assert any(why in r and "needs review" in r and "run certify again" in r for r in d.reasons)


def test_no_exam_submission(rule):
    d = decide(cohort({}, lessons={"bo": LESSONS}), rule, "bo")
    assert not d.passed and d.reasons[0] == f"has not submitted the exam ({EXAM})"


def test_without_attempt_rows_the_gradebook_submission_is_attempt_1(rule):
    results = cohort({"amina": [18], "bo": [10]})
    results.attempts = pd.DataFrame([], columns=ATTEMPT_COLUMNS)
    assert decide(results, rule, "amina").passed
    assert decide(results, rule, "amina").attempt == 1
    assert not decide(results, rule, "bo").passed


def test_an_exam_without_a_score_says_so(rule):
    results = cohort({"amina": [18]})
    results.attempts = pd.DataFrame([], columns=ATTEMPT_COLUMNS)
    results.submissions.loc[results.submissions["assignment"] == EXAM, "score"] = float("nan")
    d = decide(results, rule, "amina")
    assert not d.passed and "no score yet" in d.reasons[0]


def test_evaluate_decides_for_every_learner(rule):
    results = cohort({"amina": [16], "bo": [3, 4]}, lessons={"chen": LESSONS[:1]})
    decisions = {d.student: d.passed for d in evaluate(results, rule)}
    assert decisions == {"amina": True, "bo": False, "chen": False}


def test_a_stricter_rule_version(certification):
    from dataclasses import replace

    strict = replace(
        certification.rule(), version="x", min_percent=90, max_attempts=1, require_submitted=()
    )
    results = cohort({"amina": [17, 20]}, lessons={"amina": []})
    d = decide(results, strict, "amina")
    assert not d.passed
    assert d.reasons[0].endswith("below the 90 % required")


def test_a_flagged_attempt_is_never_the_passing_one(certification):
    """Attempt 1 flagged with full marks, attempt 2 blank: no certificate (hostile review)."""
    results = cohort({"dara": [20, 0]})
    attempts = results.attempts.copy()
    attempts["flagged"] = attempts["attempt"] == 1
    results.attempts = attempts
    decision = decide(results, certification.rule(), "dara")
    assert not decision.passed
    assert any("flagged this attempt" in r for r in decision.reasons)
    attempts["flagged"] = False
    results.attempts = pd.DataFrame(attempts)
    assert decide(results, certification.rule(), "dara").passed
