"""Hostile or broken submission files never crash, hang or mislead the grader: each is
refused or flagged, and the rest of the submission is still graded."""

from __future__ import annotations

import json
import math
import os
import threading

import pytest

from peaceops.content import CourseDir, load_course, load_keys
from peaceops.exercises import build, score
from peaceops.exercises.store import FILENAME, SCHEMA
from peaceops.grading.intake import MAX_ANSWERS, read_regular, read_submission
from peaceops.grading.pipeline import read_reflections
from peaceops.grading.submission import read_answers
from peaceops.results import SubmissionRecord
from tests.conftest import ROOT

COURSE = load_course()
KEYS = load_keys(COURSE)


def _read_within(folder, seconds: float = 5):
    """`read_submission(folder, "x")`, failing the test if it blocks."""
    done = []
    worker = threading.Thread(target=lambda: done.append(read_submission(folder, "x")),
                              daemon=True)
    worker.start()
    worker.join(timeout=seconds)
    assert done, "reading the submission blocked"
    return done[0]


def test_a_fifo_named_like_the_answers_file_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / FILENAME)
    intake = _read_within(tmp_path)
    assert intake.answers is None and "not a regular file" in intake.flags[0]


@pytest.mark.parametrize("name", ["timestamp.txt", "submission_secret.txt"])
def test_the_small_files_go_through_the_one_safe_reader(tmp_path, name):
    """timestamp.txt and submission_secret.txt are read (and refused) as the answers file
    is: a FIFO, a link to /dev/zero or to the keys, an oversized file."""
    os.mkfifo(tmp_path / name)
    assert [f.split(":")[0] for f in _read_within(tmp_path).flags] == [
        f"{name} is not a regular file"]
    os.unlink(tmp_path / name)
    (tmp_path / name).symlink_to("/dev/zero")
    assert "symbolic link" in _read_within(tmp_path).flags[0]
    os.unlink(tmp_path / name)
    (tmp_path / name).write_bytes(b"0" * 10**6)
    assert "limit" in _read_within(tmp_path).flags[0]
    (tmp_path / name).write_text("2026-11-22 10:00:00.000000 UTC")
    intake = _read_within(tmp_path)
    assert intake.flags == [] and intake.small == {name: b"2026-11-22 10:00:00.000000 UTC"}


def test_symlinks_are_not_followed(tmp_path):
    secret = ROOT / "solutions" / "keys" / "exam-keys.yaml"
    (tmp_path / "x.ipynb").symlink_to(secret)
    (tmp_path / FILENAME).symlink_to(tmp_path / "elsewhere.json")
    intake = read_submission(tmp_path, "x")
    assert intake.answers is None and intake.notebook is None
    assert all("symbolic link" in flag for flag in intake.flags) and len(intake.flags) == 2


def test_an_oversized_file_is_refused_and_a_regular_one_read(tmp_path):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (MAX_ANSWERS + 1))
    assert read_regular(big, MAX_ANSWERS)[0] is None
    assert "limit" in read_regular(big, MAX_ANSWERS)[1]
    small = tmp_path / "small.json"
    small.write_bytes(b"{}")
    assert read_regular(small, MAX_ANSWERS) == (b"{}", "")
    assert read_regular(tmp_path / "absent", MAX_ANSWERS) == (None, "")


def test_deeply_nested_json_is_flagged_not_a_crash():
    records, flags, _ = read_answers(b"[" * 10_000 + b"]" * 10_000, "amina")
    assert records == {} and "unreadable" in flags[0]


@pytest.mark.parametrize("answer", [[["0"], {}], [None], [True], {"0": 1}, [1.5], "x" * 10**6])
def test_odd_answers_score_zero_with_a_bounded_reason(answer):
    spec = next(s for a in COURSE.assignments.values() for s in a.exercises if s.kind == "quiz")
    exercise, key = build(COURSE, spec, "amina", KEYS)
    item = exercise.items[0]
    result = score(exercise, key, {item.id: answer})
    first = result.items[0]
    assert first.points == 0 and first.status == "invalid"
    assert len(first.feedback) < 200


def test_records_saved_under_another_learner_are_flagged():
    data = {"schema": SCHEMA, "learner": "amina", "exercises": {
        "exam-roles": {"exercise": "exam-roles", "variant": "v", "learner": "friend",
                       "saved_at": "now", "answers": {}}}}
    _, flags, _ = read_answers(json.dumps(data).encode(), "amina")
    assert any("friend" in f and "copied" in f for f in flags)


def test_lone_surrogates_in_a_grading_report_are_written_as_escapes(tmp_path):
    surrogate = "x\udfff"
    report = SubmissionRecord("amina", "x", flags=[f"learner '{surrogate}'"],
                           results={surrogate: {"answer": surrogate}})
    report.write(tmp_path)
    data = (tmp_path / "peaceops-grading.json").read_bytes()
    assert data.isascii() and b"x\\udfff" in data
    assert SubmissionRecord.read(tmp_path).results == {surrogate: {"answer": surrogate}}


def test_an_answers_file_with_a_byte_order_mark_is_read():
    data = {"schema": SCHEMA, "learner": "amina", "exercises": {
        "exam-roles": {"exercise": "exam-roles", "variant": "v", "learner": "amina",
                       "saved_at": "now", "answers": {"a": "b"}}}}
    records, flags, _ = read_answers(b"\xef\xbb\xbf" + json.dumps(data).encode(), "amina")
    assert flags == [] and records["exam-roles"].answers == {"a": "b"}


def test_a_notebook_with_a_byte_order_mark_keeps_its_reflection():
    release = ROOT / "exercises" / "mlt-roles" / "mlt-roles.ipynb"
    written, problems = read_reflections("x.ipynb", b"\xef\xbb\xbf" + release.read_bytes())
    assert problems == [] and "reflection" in written


def test_the_grading_report_is_strict_json():
    report = SubmissionRecord("amina", "x", score=math.nan, results={"e": {"points": math.inf}})
    text = report.to_json()
    assert "NaN" not in text and "Infinity" not in text
    assert json.loads(text)["results"]["e"]["points"] is None


def test_the_course_dir_reads_the_keys_of_its_own_course():
    assert CourseDir.resolve(ROOT).keys().keys() == KEYS.keys()
