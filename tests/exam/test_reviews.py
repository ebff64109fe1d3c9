"""The exam pool's independent solver reviews are recorded beside it (solutions/keys/exam-reviews/),
for THIS version of the pool, and are honest: re-scoring the recorded answers against the
current keys gives the recorded points. Targets (issue 24): a form-only reader at most
chance + 15 points; a cold reader below the cut."""

from __future__ import annotations

import pytest
import yaml

from peaceops.bank.review import chance, form_only, pool_fingerprint, score_sheet, sheet
from peaceops.content import CourseDir
from tests.conftest import ROOT

COURSE_DIR = CourseDir.resolve(ROOT)
COURSE, KEYS = COURSE_DIR.content(), COURSE_DIR.keys()
RECORDS = [yaml.safe_load(p.read_text()) for p in sorted((ROOT / "solutions" / "keys" / "exam-reviews").glob("*.yaml"))]


def of_the_pool(mode: str) -> list[dict]:
    """Every record of `mode` for the pool as it is now (its fingerprint)."""
    pool = pool_fingerprint(COURSE, KEYS)
    found = [r for r in RECORDS if r["review"] == mode and r["pool"] == pool]
    assert found, (f"no {mode} review of the current exam pool ({pool}): "
                   f"every change to the pool needs new reviews, see `peaceops bank review`")
    return found


#: The exam's maximum on its form before issue 25 (one scenario of 7 points): the round-3
#: reviews were answered on that form; only their scenario rows differ from today's form.
FORM_29 = 29


@pytest.mark.parametrize("mode", ["form-only", "cold"])
def test_each_review_of_the_current_pool_is_recorded_and_rescores_as_recorded(mode):
    for record in of_the_pool(mode):
        _rescores_as_recorded(record)


def _rescores_as_recorded(record: dict) -> None:
    assert len(record["variants"]) >= 4 and record["reviewer"] and record["date"]
    assert len({v["candidate"] for v in record["variants"]}) == len(record["variants"])
    total = COURSE_DIR.blueprint().total
    for variant in record["variants"]:
        rows = score_sheet(COURSE, KEYS, variant["candidate"], variant["answers"])
        if variant["max_points"] == total:  # answered on today's form: every row
            assert rows == variant["items"], variant["candidate"]
            assert sum(r["points"] for r in rows) == variant["points"]
            expected = round(100 * chance(COURSE, KEYS, variant["candidate"]) / total, 1)
            assert variant["chance_percent"] == expected
            answered = {ref for ref, given in variant["answers"].items()
                        if given not in (None, "")}
            assert answered == {s.ref for s in sheet(COURSE, variant["candidate"], record["review"])[1]}
            continue
        # answered on the 29-point form: every item outside the scenarios is drawn and
        # scored as it was; the scenario rows (one 7-point scenario) are history
        assert variant["max_points"] == FORM_29, variant["candidate"]
        old = [r for r in variant["items"] if r["exercise"] != "exam-weighing"]
        assert [r for r in variant["items"] if r["exercise"] == "exam-weighing"], variant
        assert [r for r in rows if "weighing" not in r["exercise"]] == old, variant["candidate"]
        assert sum(r["max"] for r in old) == FORM_29 - 7


def test_the_form_only_reader_scores_at_most_chance_plus_15_points():
    """Over EVERY form-only review recorded for the pool (one reviewer's figure moves by more
    than the margin: a round's three readers, on the same sheets, are all kept)."""
    summaries = [r["summary"] for r in of_the_pool("form-only")]
    mean = sum(s["mean_percent"] for s in summaries) / len(summaries)
    chance = sum(s["mean_chance_percent"] for s in summaries) / len(summaries)
    assert mean <= chance + 15, summaries


@pytest.mark.xfail(strict=True, reason=(
    "issue 24 target NOT met: the cold reader (an AI model that never saw the course) scored "
    "98.2 % (95.8-99.3) on the committed pool (round 8b of 2026-12-07, round 8's answers "
    "re-scored; rounds 4-7c: 94.3, 97.9, 97.5, 95.5, 97.6, 97.5 %), above the 75 % cut. The cold readers say they know the study the course "
    "teaches (the Challenges Forum's Considerations for Mission Leadership). A probe of 14 "
    "items written to turn on what only the source says still scored 12 of 14, and a probe "
    "in the Kprim format (multiple true-false, all or nothing) gave two cold readers 11 and 9 "
    "of 12 against 11 of 12 for a reader of the lessons (exam-reviews/probes/): these readers "
    "know the public source, and only a panel of officers who never met it can measure this "
    "(README 'How it was reviewed'). Strict: this fails once the target is met."))
def test_the_cold_reader_scores_below_the_cut_on_every_variant():
    for record in of_the_pool("cold"):
        assert all(v["percent"] < record["cut_percent"] for v in record["variants"])


def test_a_form_only_sheet_hides_content_words_and_carries_no_key():
    plain, slots = sheet(COURSE, "review-form-only-1", "cold")
    masked, _ = sheet(COURSE, "review-form-only-1", "form-only")
    assert "Mission" in plain and "Mission" not in masked.split("## ")[1]
    public = set(plain.split("\n- ")[1:])  # an evidence quote may be an option's own words
    for pool in KEYS.values():
        for key in pool.values():
            for text in (key.get("explanation"), key.get("evidence"), key.get("rationale")):
                if isinstance(text, str) and len(text) > 30 and not any(
                        option.startswith(f"{letter}. {text}") for option in public
                        for letter in "ABCDEFG"):
                    assert text not in plain and text not in masked
    assert len(slots) == len(sheet(COURSE, "review-form-only-1", "form-only")[1])


def test_a_form_only_code_holds_within_an_item_and_changes_between_items():
    """One code per item: the stem's words and an option's words match inside an item (the
    echo cues stay visible), but a word gets another nonsense word in another item, so that
    no reader decodes the content by comparing items (round 3's decoding reader)."""
    assert form_only("Mission support", "x-q-1") == form_only("Mission support", "x-q-1")
    assert form_only("Mission support", "x-q-1") != form_only("Mission support", "x-q-2")
    assert form_only("the mission supports it", "x-q-1").split()[1] == \
        form_only("Mission", "x-q-1").lower()
    masked, _ = sheet(COURSE, "review-form-only-1", "form-only")
    roles = [block for block in masked.split("**Q")[1:] if "x-role-" in block.split("\n")[0]]
    first_options = [block.split("\n- A. ")[1].split("\n")[0] for block in roles]
    assert len(roles) >= 2 and len(set(first_options)) == len(first_options)  # HoM coded anew


def test_a_sheet_of_todays_form_scores_both_scenarios_by_their_own_references():
    """Two scenarios per variant: the first keeps the S.* references, the second is S2.*;
    the keyed answers on both earn both scenarios' 3 points each, and answering only S2
    scores only the second."""
    from peaceops.exercises import build

    candidate = "review-cold-1"
    _, slots = sheet(COURSE, candidate, "cold")
    answers = {}
    for slot in slots:
        if slot.ref.startswith("S"):
            spec = next(s for s in COURSE_DIR.content().assignments["certification-exam"]
                        .exercises if s.id == slot.spec)
            _, key = build(COURSE, spec, candidate, KEYS)
            accept = sorted(key[slot.item].accept)
            answers[slot.ref] = next(letter for letter, value in slot.letters.items()
                                     if value == accept[0])
    assert {r[:2] for r in answers} == {"S.", "S2"} and len(answers) == 14
    rows = score_sheet(COURSE, KEYS, candidate, answers)
    weighing = [r for r in rows if "weighing" in r["exercise"]]
    assert len({r["exercise"] for r in weighing}) == 2
    assert sum(r["points"] for r in weighing) == pytest.approx(6)
    second = {k: v for k, v in answers.items() if k.startswith("S2")}
    rows = score_sheet(COURSE, KEYS, candidate, second)
    by_exercise = {}
    for r in rows:
        by_exercise[r["exercise"]] = by_exercise.get(r["exercise"], 0) + r["points"]
    assert by_exercise["exam-weighing-1"] == 0
    assert by_exercise["exam-weighing-2"] == pytest.approx(3)
