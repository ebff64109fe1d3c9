"""One scoring rule: the browser's scorer (static/exercise.js, run under node) gives exactly
the Python kind's `score` on the same answers: points, maximum, each item's status and
feedback, and the same feedback HTML (hypothesis draws the answers, the ill-typed included)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from peaceops.content import load_course, load_keys
from peaceops.exercises import build, kind
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
import { score, feedbackHtml, verdictHtml } from "./exercise.mjs";
import { createInterface } from "node:readline";
for await (const line of createInterface({ input: process.stdin })) {
  const { data, answers } = JSON.parse(line);
  const result = score(data, answers);
  process.stdout.write(JSON.stringify({ result, html: verdictHtml(data, result) + feedbackHtml(data, result) }) + "\\n");
}
"""


class Node:
    """One node process that scores {data, answers} lines with the browser's module."""

    def __init__(self, folder: Path):
        (folder / "exercise.mjs").write_text(esm())
        (folder / "runner.mjs").write_text(RUNNER)
        self.process = subprocess.Popen([NODE, "runner.mjs"], cwd=folder, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)

    def score(self, data: dict, answers) -> dict:
        self.process.stdin.write(json.dumps({"data": data, "answers": answers}) + "\n")
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


def test_weighing_partial_credit_in_both(node: Node):
    """Proven both ways on a known case: inside the keyed range 1, one step out 0.5, else 0."""
    spec = COURSE.checks["weighing-stones"]
    exercise, key = build(COURSE, spec)
    data = payload(exercise, key)
    for item in exercise.items[:-1]:
        accepted = sorted(int(w) for w in key[item.id].accept)
        for weight in range(4):
            distance = min(abs(weight - a) for a in accepted)
            points = {0: 1, 1: 0.5}.get(distance, 0)
            answers = {item.id: str(weight)}
            assert node.score(data, answers)["result"]["points"] == points
            assert kind(exercise.kind).score(exercise, key, answers).points == points
