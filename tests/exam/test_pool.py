"""The certification exam: a separate pool, drawn to the blueprint, a new variant per attempt,
options shuffled per learner, and every graded item documented."""

from __future__ import annotations

import re
from collections import Counter
from itertools import combinations

import pytest

from peaceops.content import EXAM_BANK, LESSON_BANK, CourseDir, load_course, load_keys
from peaceops.content.blueprint import read_blueprint
from peaceops.exercises import build
from tests.conftest import ROOT

COURSE = load_course()
KEYS = load_keys(COURSE)
EXAM = next(a for a in COURSE.assignments.values() if a.certification)
LEARNERS = [f"candidate{n:03d}" for n in range(150)]


def entry_of(exercise, item_id):
    if exercise.kind == "principle_weighing":
        return COURSE.entry("scenarios", exercise.meta["scenario"])
    pool = {"role_matching": "roles", "polarity_sorting": "polarities"}.get(exercise.kind,
                                                                              "questions")
    return COURSE.entry(pool, item_id)


def text(entry) -> str:
    public = entry.public
    return " ".join([*(str(public.get(f, "")) for f in ("statement", "challenge", "prompt",
                                                        "situation", "title")),
                     *public.get("options", ())])


def similar(a: str, b: str) -> float:
    """Word overlap (Jaccard) of two texts: 1 for the same words, 0 for none shared."""
    x, y = (set(re.findall(r"[a-z]+", t.lower())) for t in (a, b))
    return len(x & y) / len(x | y) if x | y else 0.0


def test_the_exam_draws_only_from_the_exam_bank_and_lessons_only_from_theirs():
    for assignment in COURSE.assignments.values():
        wanted = EXAM_BANK if assignment.certification else LESSON_BANK
        for spec in assignment.exercises:
            pool = {"role_matching": "roles", "polarity_sorting": "polarities",
                    "principle_weighing": "scenarios", "quiz": "questions"}[spec.kind]
            banks = {COURSE.entry(pool, i).bank for i in spec.items}
            assert banks == {wanted}, (assignment.id, spec.id, banks)


@pytest.mark.slow
def test_no_exam_item_is_a_near_duplicate_of_lesson_practice_or_book_text():
    exam = [e for p in COURSE.pools.values() for e in p.values() if e.bank == EXAM_BANK]
    others = [e for p in COURSE.pools.values() for e in p.values() if e.bank != EXAM_BANK]
    assert exam and others
    book = " ".join(p.read_text() for p in (ROOT / "book").glob("*.md"))
    sentences = [s for s in re.split(r"(?<=[.!?])\s+|\n", book) if len(s) > 40]
    for item in exam:
        mine = text(item)
        for other in others:
            assert item.id != other.id
            assert similar(mine, text(other)) < 0.6, (item.id, other.id)
        core = item.public.get("statement") or item.public.get("challenge") or \
            item.public.get("prompt") or item.public.get("situation")
        assert core not in book, item.id
        close = max(sentences, key=lambda s, c=core: similar(c, s))
        assert similar(core, close) < 0.6, (item.id, close)


def test_the_near_duplicate_check_sees_a_copy():
    item = next(e for e in COURSE.pools["roles"].values() if e.bank == EXAM_BANK)
    assert similar(text(item), text(item).replace(".", "!")) > 0.6


def test_each_exam_pool_holds_three_times_its_draw():
    for spec in EXAM.exercises:  # exercises drawn together: their joint draw
        assert len(spec.items) >= 3 * (spec.draw or len(spec.items)) * spec.parts, spec.id
    assert [s.parts for s in EXAM.exercises if s.kind == "principle_weighing"] == [2, 2]


def test_every_graded_item_records_lesson_level_review_source_and_evidence():
    keyed = COURSE.with_keys(KEYS)
    for pool in keyed.pools.values():
        for entry in pool.values():
            if not entry.graded:
                continue
            assert entry.lesson and entry.level and entry.review, entry.id
            assert entry.key and entry.key.get("source"), entry.id
            if entry.bank == EXAM_BANK:
                assert entry.key.get("evidence"), entry.id
                assert 0 < float(entry.key.get("angoff", 0)) <= 1, entry.id


@pytest.mark.parametrize("attempt", [1, 2])
def test_every_draw_matches_the_blueprint(attempt):
    blueprint = read_blueprint(COURSE)
    assert blueprint.exam == EXAM.id and blueprint.total == 28
    for learner in LEARNERS:
        cells: Counter = Counter()
        scenarios = set()
        for spec in EXAM.exercises:
            exercise, _ = build(COURSE, spec, learner, KEYS, attempt)
            scenarios |= {exercise.meta["scenario"]} if "scenario" in exercise.meta else set()
            for item in exercise.items:
                entry = entry_of(exercise, item.id)
                cells[(entry.pool, entry.lesson, entry.level)] += item.points
        assert {c: round(p, 9) for c, p in cells.items()} == blueprint.cells, learner
        assert len(scenarios) == 2, learner  # two different scenarios of 3 points each


def test_a_second_attempt_draws_as_few_repeats_as_the_pool_allows():
    for learner in LEARNERS[:40]:
        for spec in EXAM.exercises:
            first, _ = build(COURSE, spec, learner, KEYS, 1)
            second, _ = build(COURSE, spec, learner, KEYS, 2)
            ids = {i.id for i in first.items} if spec.kind != "principle_weighing" else \
                {first.meta["scenario"]}
            again = {i.id for i in second.items} if spec.kind != "principle_weighing" else \
                {second.meta["scenario"]}
            size = len(ids) * spec.parts  # exercises drawn together: their joint draw
            assert len(ids & again) == max(0, 2 * size - len(spec.items)), spec.id
            assert first.variant != second.variant or size == len(spec.items)


def test_options_are_shuffled_per_learner_and_key_positions_even_out():
    positions: Counter = Counter()
    quiz = [s for s in EXAM.exercises if s.kind == "quiz"]
    for learner in LEARNERS:
        for spec in quiz:
            exercise, key = build(COURSE, spec, learner, KEYS)
            again, _ = build(COURSE, spec, learner, KEYS)
            assert exercise == again  # the widget and the grader build the same variant
            for item in exercise.items:
                if not item.multiple:
                    values = [v for v, _ in item.choices]
                    positions[values.index(next(iter(key[item.id].accept)))] += 1
    counts = [positions[p] for p in range(4)]
    assert min(counts) > 0.15 * sum(counts), counts


def test_the_blueprint_rejects_a_cell_that_is_not_there(tmp_path):
    import yaml

    from peaceops.content import ContentError

    data = yaml.safe_load((ROOT / "data" / "exam-blueprint.yaml").read_text())
    data["cells"][0]["level"] = "memorise"
    path = tmp_path / "exam-blueprint.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match="cells entry 1, field 'level'"):
        read_blueprint(COURSE, path)
    assert CourseDir.resolve(ROOT).blueprint().cells == read_blueprint(COURSE).cells


def test_pairs_of_candidates_share_few_items():
    shared = []
    for a, b in combinations(LEARNERS[:30], 2):
        ids = []
        for learner in (a, b):
            drawn = set()
            for spec in EXAM.exercises:
                exercise, _ = build(COURSE, spec, learner, KEYS)
                drawn |= ({exercise.meta["scenario"]} if spec.kind == "principle_weighing"
                          else {i.id for i in exercise.items})
            ids.append(drawn)
        shared.append(len(ids[0] & ids[1]) / len(ids[0]))
    assert sum(shared) / len(shared) < 0.4


def _exam_edited(tmp_path, edit):
    """The course of a copy of data/ whose certification exam's exercises `edit` changed
    (edit receives the exam's list of exercises)."""
    import shutil

    import yaml

    data = tmp_path / "data"
    if not data.exists():
        shutil.copytree(ROOT / "data", data)
        (tmp_path / "assignments.original.yaml").write_text(
            (data / "assignments.yaml").read_text())
    assignments = yaml.safe_load((tmp_path / "assignments.original.yaml").read_text())
    edit(next(a for a in assignments if a.get("certification"))["exercises"])
    (data / "assignments.yaml").write_text(yaml.safe_dump(assignments, sort_keys=False))
    return load_course(data, cache=False)


def test_a_draw_group_must_share_its_pool_and_fit_in_it(tmp_path):
    """Both ways: the exam's two scenario exercises draw together (never one scenario twice,
    tested above on every draw); a group whose members draw from different pools, or more
    than the pool holds, is refused naming the assignment."""
    from peaceops.content import ContentError

    def load_with(edit):
        return _exam_edited(tmp_path, lambda ex: edit([e for e in ex if e.get("draw_group")]))

    assert [s.slot for s in load_with(lambda group: None).assignments[EXAM.id].exercises
            if s.group] == [0, 1]
    with pytest.raises(ContentError, match="draw_group 'exam-weighing' must share"):
        load_with(lambda group: group[1].update(items=["x-scn-b0a2b2", "x-scn-21b03d"]))
    with pytest.raises(ContentError, match="draws 8 items from a pool of 6"):
        load_with(lambda group: [g.update(draw=4) for g in group])


def test_a_question_cell_draws_its_lesson_by_the_items_lesson_not_by_their_ids(tmp_path):
    """The question ids name nothing (x-q-<hex>), so each question cell selects its lesson by
    the items' `lesson` (assignments.yaml `lesson`): every cell holds only its lesson's items
    and all of them; without `lesson` a cell would take the whole pool; a lesson no item has,
    or a lesson that is not one name, is refused naming the field."""
    from peaceops.content import ContentError

    questions = COURSE.graded("questions", "exam")
    for spec in EXAM.exercises:
        if spec.kind == "quiz":
            lesson = spec.id.removeprefix("exam-q-")
            assert set(spec.items) == {i for i, e in questions.items() if e.lesson == lesson}
            assert all(i.removeprefix("x-q-").isalnum() for i in spec.items)  # ids name nothing

    def load_with(edit):
        return _exam_edited(tmp_path, lambda ex: edit(next(e for e in ex
                                                            if e["id"] == "exam-q-wps")))

    whole = load_with(lambda cell: cell.pop("lesson"))
    assert len(next(s for s in whole.assignments[EXAM.id].exercises
                    if s.id == "exam-q-wps").items) == len(questions)
    with pytest.raises(ContentError, match="matches no graded item of the bank of lesson 'wsp'"):
        load_with(lambda cell: cell.update(lesson="wsp"))
    with pytest.raises(ContentError, match="must be one lesson id"):
        load_with(lambda cell: cell.update(lesson=["wps"]))
