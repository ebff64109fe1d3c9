"""Test-wise candidates who know nothing score no better than chance + 10 points on the exam.

Each strategy answers the exam as a learner sees it (options in the learner's shuffled order):
the first option, the longest option, the option that echoes the prompt's words (for polarity
sorting: a word-frequency classifier trained on the lesson pool), and a candidate who
memorised every lesson-group assignment's feedback and answers an exam item from the most
similar lesson item it remembers."""

from __future__ import annotations

import functools
import math
import random
import re
from collections import Counter

import pytest

from peaceops.content import LESSON_BANK, PRINCIPLES, load_course, load_keys
from peaceops.exercises import build, kind

pytestmark = pytest.mark.slow  # 1,000 candidates per strategy

COURSE = load_course()
KEYS = load_keys(COURSE)
KEYED = COURSE.with_keys(KEYS)
EXAM = next(a for a in COURSE.assignments.values() if a.certification)
CANDIDATES = 1000


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower()))


def jaccard(a: str, b: str) -> float:
    x, y = words(a), words(b)
    return len(x & y) / len(x | y) if x | y else 0.0


def lesson_entries(pool: str):
    return [e for e in KEYED.pools[pool].values() if e.bank == LESSON_BANK or not e.bank]


# -- strategies: (exercise, rng) -> answers ---------------------------------------------------

def pick(item, value, rng):
    return [value] if item.multiple else value


def first(exercise, rng):
    return {i.id: pick(i, i.choices[0][0], rng) for i in exercise.items}


def longest(exercise, rng):
    return {i.id: pick(i, max(i.choices, key=lambda c: len(c[1]))[0], rng)
            for i in exercise.items}


def guess(exercise, rng):
    answers = {}
    for item in exercise.items:
        values = [v for v, _ in item.choices]
        answers[item.id] = (rng.sample(values, rng.randint(1, len(values))) if item.multiple
                            else rng.choice(values))
    return answers


def _polarity_classifier():
    counts = {"problem": Counter(), "polarity": Counter()}
    for entry in lesson_entries("polarities"):
        counts[entry.key["kind"]].update(words(entry.public["challenge"]))
    totals = {k: sum(c.values()) for k, c in counts.items()}

    def classify(text: str) -> str:
        score = sum(math.log((counts["polarity"][w] + 1) / (totals["polarity"] + 1))
                    - math.log((counts["problem"][w] + 1) / (totals["problem"] + 1))
                    for w in words(text))
        return "polarity" if score > 0 else "problem"

    return classify


CLASSIFY = _polarity_classifier()


def cue(exercise, rng):
    answers = {}
    context = exercise.context
    for item in exercise.items:
        if exercise.kind == "polarity_sorting":
            answers[item.id] = CLASSIFY(item.prompt)
        elif exercise.kind == "principle_weighing":
            if item.id == "decisive":
                answers[item.id] = max(item.choices, key=lambda c: len(words(c[1]) & words(
                    context)))[0]
            else:
                answers[item.id] = "3" if words(item.prompt) & words(context) else "1"
        else:
            best = max(item.choices, key=lambda c: len(words(c[1]) & words(item.prompt)))
            answers[item.id] = pick(item, best[0], rng)
    return answers


@functools.cache
def recall(pool: str, field: str, prompt: str):
    """The remembered item most like `prompt`, if it is close enough to be recognised."""
    best = max(lesson_entries(pool), key=lambda e: jaccard(e.public[field], prompt))
    return best if jaccard(best.public[field], prompt) >= 0.3 else None


def memoriser(exercise, rng):
    """Answers from the most similar lesson-pool or practice item, if any is close; else
    guesses. Knows every key the lesson-group feedback and the practice checks show."""
    answers = guess(exercise, rng)
    if exercise.kind == "principle_weighing":
        scenario = COURSE.entry("scenarios", exercise.meta["scenario"])
        best = max(lesson_entries("scenarios"),
                   key=lambda e: jaccard(e.public["situation"], scenario.public["situation"]))
        if jaccard(best.public["situation"], scenario.public["situation"]) >= 0.3:
            for p in PRINCIPLES:
                answers[p] = str(best.key["ranges"][p][0])
            answers["decisive"] = best.key["decisive"][0]
        return answers
    pool, field = {"role_matching": ("roles", "statement"),
                   "polarity_sorting": ("polarities", "challenge")}.get(
        exercise.kind, ("questions", "prompt"))
    for item in exercise.items:
        best = recall(pool, field, item.prompt)
        if best is None:
            continue
        if pool == "roles":
            answers[item.id] = best.key["role"]
        elif pool == "polarities":
            answers[item.id] = best.key["kind"]
        else:
            right = " ".join(best.key["correct"])
            choice = max(item.choices, key=lambda c: jaccard(c[1], right))
            answers[item.id] = pick(item, choice[0], rng)
    return answers


@functools.cache
def variants() -> list[tuple]:
    """Every candidate's exam, as they see it (built once for all strategies)."""
    return [build(COURSE, spec, f"testwise{n:04d}", KEYS)
            for n in range(CANDIDATES) for spec in EXAM.exercises]


def exam_score(strategy, seed: int) -> float:
    """The mean share of the exam's points that `strategy` earns over the candidates."""
    rng = random.Random(seed)
    points = maximum = 0.0
    for exercise, key in variants():
        result = kind(exercise.kind).score(exercise, key, strategy(exercise, rng))
        points += result.points
        maximum += result.max_points
    return points / maximum


@pytest.fixture(scope="module")
def chance() -> float:
    return exam_score(guess, 1)


@pytest.mark.parametrize("strategy", [first, longest, cue, memoriser],
                         ids=["first option", "longest option", "cue-matching", "memoriser"])
def test_test_wise_candidates_score_no_better_than_chance_plus_10(strategy, chance):
    score = exam_score(strategy, 2)
    print(f"{strategy.__name__}: {score:.1%} of the exam's points; chance {chance:.1%}")
    assert score <= chance + 0.10, f"{strategy.__name__}: {score:.1%} vs chance {chance:.1%}"


def test_a_candidate_who_knows_the_keys_passes(chance):
    def expert(exercise, rng):
        spec = next(s for s in EXAM.exercises if s.id == exercise.id)
        _, key = build(COURSE, spec, LEARNER, KEYS)
        return {i.id: (sorted(next(iter(key[i.id].accept))) if i.multiple
                       else sorted(key[i.id].accept)[0]) for i in exercise.items}

    rng = random.Random(3)
    points = maximum = 0.0
    for spec in EXAM.exercises:
        exercise, key = build(COURSE, spec, LEARNER, KEYS)
        result = kind(exercise.kind).score(exercise, key, expert(exercise, rng))
        points, maximum = points + result.points, maximum + result.max_points
    assert points == maximum > 0  # the scorer rewards knowledge (the other direction)
    assert chance < 0.5


LEARNER = "testwise-expert"
