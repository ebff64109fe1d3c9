"""One scoring rule: the browser's scorer (static/exercise.js, run under node) gives exactly
the Python kind's `score` on the same answers: points, maximum, each item's status and
feedback, and the same feedback HTML (hypothesis draws the answers, the ill-typed included)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peaceops.content import PRINCIPLES, load_course, load_keys
from peaceops.exercises import Exercise, build, kind
from peaceops.exercises.frontend import esm
from peaceops.exercises.payload import payload
from peaceops.exercises.render import VERDICTS, feedback_html

NODE = shutil.which("node")
COURSE = load_course()
KEYS = load_keys(COURSE)
#: Every practice check, and every graded exercise with its hidden key (scored here only).
EXERCISES = [build(COURSE, spec) for spec in COURSE.checks.values()] + [
    build(COURSE, spec, "learner-7", KEYS)
    for assignment in COURSE.assignments.values() for spec in assignment.exercises
]
RUNNER = """
import { arrange, score, feedbackHtml, verdictHtml } from "./exercise.mjs";
import { createInterface } from "node:readline";
function seeded(seed) {  // mulberry32: a repeatable stand-in for Math.random
  return () => {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
for await (const line of createInterface({ input: process.stdin })) {
  const { data, answers, seed } = JSON.parse(line);
  const shown = seed === undefined ? data : arrange(data, seeded(seed));
  const result = score(shown, answers);
  const order = shown.items.map((item) => [item.id, item.choices.map((c) => c[0])]);
  process.stdout.write(JSON.stringify({ result, order, html: verdictHtml(shown, result) + feedbackHtml(shown, result) }) + "\\n");
}
"""


class Node:
    """One node process that scores {data, answers} lines with the browser's module."""

    def __init__(self, folder: Path):
        (folder / "exercise.mjs").write_text(esm())
        (folder / "runner.mjs").write_text(RUNNER)
        self.process = subprocess.Popen([NODE, "runner.mjs"], cwd=folder, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def score(self, data: dict, answers, seed: int | None = None) -> dict:
        """The browser's result; with `seed`, on the payload as a practice check shows it
        (`arrange`: items and options shuffled)."""
        line = {"data": data, "answers": answers} | ({} if seed is None else {"seed": seed})
        self.process.stdin.write(json.dumps(line) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())


@pytest.fixture(scope="module")
def node(tmp_path_factory) -> Iterator[Node]:
    if NODE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is missing: install Node.js (apt-get install nodejs)")
        pytest.skip("node is not installed: install Node.js to compare the browser's scoring")
    runner = Node(tmp_path_factory.mktemp("node"))
    yield runner
    runner.process.stdin.close()
    runner.process.wait(10)


# JSON values a learner's browser or a hand-edited file could hold. No floats: JSON.parse
# reads 2.0 as the integer 2, so the two languages cannot tell them apart by design.
JUNK = st.one_of(st.none(), st.booleans(), st.integers(-5, 10), st.text(max_size=4),
                 st.dictionaries(st.text(max_size=2), st.integers(0, 3), max_size=1))


@st.composite
def cases(draw):
    exercise, key = draw(st.sampled_from(EXERCISES))
    answers = {}
    for item in exercise.items:
        values = [value for value, _ in item.choices]
        if item.multiple:
            answer = draw(st.one_of(st.lists(st.sampled_from(values), max_size=len(values)),
                                    st.lists(st.one_of(st.sampled_from(values), JUNK), max_size=3),
                                    JUNK))
        else:
            answer = draw(st.one_of(st.sampled_from(values), st.sampled_from(values),
                                    st.sampled_from([int(v) for v in values if v.isdigit()] or [None]),
                                    JUNK, st.lists(st.sampled_from(values), max_size=2)))
        if draw(st.integers(0, 9)):  # sometimes the item is missing altogether
            answers[item.id] = answer
    if draw(st.integers(0, 19)) == 0:
        answers = draw(st.one_of(st.lists(st.integers(), max_size=2), st.text(max_size=3),
                                 st.none()))
    return exercise, key, answers


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_the_browser_scores_as_python(node: Node, case):
    exercise, key, answers = case
    expected = kind(exercise.kind).score(exercise, key, answers)
    shown = node.score(payload(exercise, key), answers)
    result = shown["result"]
    assert (result["points"], result["max_points"]) == (expected.points, expected.max_points)
    assert result["reason"] == expected.reason
    assert [r["status"] for r in result["items"]] == [r.status for r in expected.items]
    for mine, theirs in zip(result["items"], expected.items, strict=True):
        if theirs.status == "invalid":  # Python's repr() of odd values is not ported in full
            assert mine["feedback"].startswith("Not scored: ")
        else:
            assert mine["feedback"] == theirs.feedback
        assert (mine["rationale"], mine["source"]) == (theirs.rationale, theirs.source)
    if all(r.status != "invalid" for r in expected.items):
        verdict = VERDICTS["right" if expected.points == expected.max_points else "wrong"]
        assert shown["html"] == f"<p><strong>{verdict}</strong></p>" + feedback_html(exercise, expected)


def test_weighing_is_scored_by_order_in_both(node: Node):
    """Proven both ways on a known case: the keyed weights (or any weights in the same
    order) earn all 3 points; one weight everywhere earns no weight points; ranking the
    lowest principle level with the top one costs it its point and the top one a share."""
    spec = COURSE.checks["weighing-stones"]
    exercise, key = build(COURSE, spec)
    data = payload(exercise, key)
    weighing = kind(exercise.kind)
    ranges = {p: sorted(int(w) for w in key[p].accept) for p in PRINCIPLES}
    decisive = sorted(key[weighing.DECISIVE].accept)[0]

    def both(weights, chosen=decisive):
        answers = weighing.answers(weights, chosen)
        python = weighing.score(exercise, key, answers)
        browser = node.score(data, answers)["result"]
        assert browser["points"] == python.points
        assert [r["status"] for r in browser["items"]] == [r.status for r in python.items]
        assert [r["feedback"] for r in browser["items"]] == [r.feedback for r in python.items]
        return python

    assert both({p: r[0] for p, r in ranges.items()}).points == 3
    assert both({p: r[-1] for p, r in ranges.items()}).points == 3
    for w in range(4):
        result = both(dict.fromkeys(PRINCIPLES, w))
        assert result.points == 1  # the decisive point only
    top = max(PRINCIPLES, key=lambda p: ranges[p][0])
    low = min(PRINCIPLES, key=lambda p: ranges[p][-1])
    tied = {p: r[0] for p, r in ranges.items()} | {low: ranges[top][0]}  # level with the top
    result = both(tied)
    assert 1 < result.points < 3
    status = {r.item: r.status for r in result.items}
    assert status[low] == "incorrect" and status[top] == "partial", status


PRACTICE_CHECKS = [build(COURSE, spec) for spec in COURSE.checks.values()]


def shown_as(exercise: Exercise, order: list) -> Exercise:
    """`exercise` with its items and choices in the order the browser showed them."""
    items = {item.id: item for item in exercise.items}
    return replace(exercise, items=tuple(
        replace(items[i], choices=tuple((v, dict(items[i].choices)[v]) for v in values))
        for i, values in order))


@pytest.mark.parametrize("built", PRACTICE_CHECKS, ids=[e.id for e, _ in PRACTICE_CHECKS])
def test_practice_order_is_shuffled_and_scores_the_same(node: Node, built):
    """Each load shows the statements and options of a practice check in a new order (a
    scale of weights keeps its order; items sharing a list of choices share its order); the
    points and the feedback are those Python gives on the same answers, in the order shown."""
    exercise, key = built
    data = payload(exercise, key)
    wrong = {item.id: next(v for v, _ in item.choices if v not in key[item.id].accept)
             if not item.multiple else [] for item in exercise.items}
    orders = []
    for seed in range(1, 7):
        for answers in (wrong, {}):
            shown = node.score(data, answers, seed)
            order = shown["order"]
            assert sorted(i for i, _ in order) == sorted(item.id for item in exercise.items)
            for item_id, values in order:
                item = next(i for i in exercise.items if i.id == item_id)
                canonical = [v for v, _ in item.choices]
                assert sorted(values) == sorted(canonical)
                if data["items"][exercise.items.index(item)]["scale"]:
                    assert values == canonical, "a scale keeps its order"
            lists = {}
            for item_id, values in order:
                item = next(i for i in exercise.items if i.id == item_id)
                assert lists.setdefault(item.choices, values) == values, "shared lists differ"
            expected = kind(exercise.kind).score(exercise, key, answers)
            assert (shown["result"]["points"], shown["result"]["max_points"]) == (
                expected.points, expected.max_points)
            again = shown_as(exercise, order)
            result = kind(exercise.kind).score(again, key, answers)
            verdict = VERDICTS["right" if result.points == result.max_points else "wrong"]
            assert shown["html"] == f"<p><strong>{verdict}</strong></p>" + feedback_html(again, result)
        orders.append(order)
    assert len({json.dumps(o) for o in orders}) > 1, "the order never changes"


def test_an_assessment_keeps_its_order(node: Node):
    """The other direction: a graded exercise is shown in its variant's order, unshuffled."""
    exercise, key = EXERCISES[-1]
    data = payload(exercise, key)
    data["mode"] = "assessment"
    for seed in (1, 2, 3):
        order = node.score(data, {}, seed)["order"]
        assert order == [[item.id, [v for v, _ in item.choices]] for item in exercise.items]
