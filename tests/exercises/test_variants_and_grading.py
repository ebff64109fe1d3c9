"""Per-learner variants are stable for one learner, differ between learners, and the grader
recomputes them from the learner id."""

from peaceops.content import load_course
from peaceops.exercises import Spec, build, grade_record
from peaceops.exercises.store import Record

COURSE = load_course()
SPEC = Spec(id="exam-roles", kind="role_matching", source="MLT roles",
            items=tuple(COURSE.responsibilities["id"]), draw=6)
WEIGH = Spec(id="exam-weigh", kind="principle_weighing", source="1.1.1",
             items=tuple(i for i, e in COURSE.pools["scenarios"].items() if not e.graded), draw=1)


def ids(spec, learner):
    exercise, _ = build(COURSE, spec, learner)
    return [i.id for i in exercise.items], exercise.variant


def test_variant_is_stable_for_one_learner():
    assert ids(SPEC, "amina") == ids(SPEC, "amina")
    assert ids(WEIGH, "amina") == ids(WEIGH, "amina")


def test_variants_differ_between_learners():
    variants = {ids(SPEC, f"learner-{n}")[1] for n in range(20)}
    assert len(variants) >= 18  # subsets and orders of 6 out of 16
    scenarios = {build(COURSE, WEIGH, f"learner-{n}")[0].meta["scenario"] for n in range(30)}
    assert len(scenarios) >= 4


def _record(spec, learner, perfect=True, **changes):
    exercise, key = build(COURSE, spec, learner)
    answers = {i.id: sorted(key[i.id].accept)[0] for i in exercise.items} if perfect else {}
    fields = {"exercise": spec.id, "variant": exercise.variant, "learner": learner,
              "saved_at": "2026-11-22T10:00:00+00:00", "answers": answers, **changes}
    return Record(**fields)


def test_grader_recomputes_the_variant_from_the_learner_id():
    record = _record(SPEC, "amina")
    assert grade_record(COURSE, SPEC, record, "amina").points == 6
    stolen = grade_record(COURSE, SPEC, record, "bilal")  # amina's file handed in by bilal
    assert stolen.points == 0 and "variant" in stolen.reason
    assert {i.status for i in stolen.items} == {"invalid"}


def test_wrong_exercise_id_scores_zero_with_reason():
    record = _record(SPEC, "amina", exercise="exam-other")
    result = grade_record(COURSE, SPEC, record, "amina")
    assert result.points == 0 and "exam-other" in result.reason


def test_missing_record_scores_zero_as_unanswered():
    result = grade_record(COURSE, SPEC, None, "amina")
    assert result.points == 0 and result.max_points == 6 and not result.reason
