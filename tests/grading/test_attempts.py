"""The attempts ledger: numbering, the latest line per attempt, lines it cannot read, and
the time check, each in both directions."""

from __future__ import annotations

import json

from peaceops.grading.attempts import Ledger, read_ledger

T1, T2 = "2026-11-22T10:00:00", "2026-11-23T10:00:00"


def _write(path, rows, extra: str = "") -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows) + extra)


def test_a_new_submission_counts_next_and_a_known_one_keeps_its_number(tmp_path):
    ledger = Ledger(tmp_path / "ledger.jsonl")
    assert ledger.attempt_for("ana", "exam", "d1") == 1
    assert ledger.record("ana", "exam", T1, 5, 10, "d1") == 1
    assert ledger.record("ana", "exam", T2, 7, 10, "d2") == 2
    again = Ledger(tmp_path / "ledger.jsonl")  # read back from the file
    assert again.attempt_for("ana", "exam", "d1") == 1
    assert again.attempt_for("ana", "exam", "d2") == 2
    assert again.attempt_for("ana", "exam", "d3") == 3
    assert again.attempt_for("ben", "exam", "d1") == 1  # per learner and assignment


def test_the_latest_line_of_an_attempt_wins(tmp_path):
    path = tmp_path / "ledger.jsonl"
    first = {"student": "ana", "assignment": "exam", "attempt": 1, "timestamp": T1,
             "score": 3, "max_score": 10, "submission": "old"}
    _write(path, [first, {**first, "score": 4, "submission": "new"}])
    assert [r["score"] for r in read_ledger(path)] == [4]
    ledger = Ledger(path)
    assert ledger.attempt_for("ana", "exam", "new") == 1
    assert ledger.attempt_for("ana", "exam", "old") == 2  # no longer known: a new attempt


def test_torn_and_foreign_lines_are_left_out_and_an_older_line_is_known_by_its_time(tmp_path):
    path = tmp_path / "ledger.jsonl"
    older = {"student": "ana", "assignment": "exam", "attempt": 1, "timestamp": T1,
             "score": 3, "max_score": 10}  # before submission digests were recorded
    garbage = ['[1, 2]', '{"student": ["not", "hashable"], "assignment": "exam", "attempt": 1}',
               '{"assignment": "exam", "attempt": 2}', "not json"]
    _write(path, [older], "\n".join(garbage) + '\n{"student": "ana", "assign')
    assert read_ledger(path) == [older]
    ledger = Ledger(path)
    assert ledger.attempt_for("ana", "exam", f"time:{T1}") == 1
    assert ledger.attempt_for("ana", "exam", "d2") == 2


def test_a_new_attempt_not_after_an_earlier_one_is_flagged(tmp_path):
    ledger = Ledger(tmp_path / "ledger.jsonl")
    ledger.record("ana", "exam", T2, 5, 10, "d1")
    assert ledger.time_flags("ana", "exam", "d1", T2) == []  # the same attempt again
    assert ledger.time_flags("ana", "exam", "d2", "2026-11-24T10:00:00") == []  # later
    flags = ledger.time_flags("ana", "exam", "d2", T1)  # backdated
    assert len(flags) == 1 and "attempt 2" in flags[0] and T2 in flags[0]
    assert ledger.time_flags("ana", "exam", "d2", "")  # no time at all


ROW = {"student": "ana", "assignment": "exam", "attempt": 1, "timestamp": T1, "score": 5,
       "max_score": 10, "submission": "d1", "flagged": False, "flags": []}


def test_a_torn_last_line_is_cut_off_before_the_next_lines(tmp_path):
    """A write cut short leaves a torn last line: the next append removes it, so the ledger
    is the one a run never killed would have written."""
    path, clean = tmp_path / "ledger.jsonl", tmp_path / "clean.jsonl"
    Ledger(clean).record("ana", "exam", T1, 5, 10, "d1")
    Ledger(clean).record("ben", "exam", T1, 6, 10, "d9")
    Ledger(path).record("ana", "exam", T1, 5, 10, "d1")
    path.write_text(path.read_text() + '{"student": "ben", "assign')  # killed mid-write
    Ledger(path).record("ben", "exam", T1, 6, 10, "d9")
    assert path.read_text() == clean.read_text()
    path.write_text('{"student": "ben", "assign')  # a ledger of one torn line
    Ledger(path).record("ana", "exam", T1, 5, 10, "d1")
    assert path.read_text().splitlines() == clean.read_text().splitlines()[:1]


def test_a_whole_last_line_without_its_newline_is_kept(tmp_path):
    path = tmp_path / "ledger.jsonl"
    path.write_text(json.dumps(ROW))  # an edited ledger: no newline at the end
    Ledger(path).record("ana", "exam", T2, 7, 10, "d2")
    assert [r["attempt"] for r in read_ledger(path)] == [1, 2]
    assert json.loads(path.read_text().splitlines()[0]) == ROW


def test_a_line_equal_to_its_attempts_latest_is_not_written_again(tmp_path):
    """A run killed after appending grades the submission again, to the same line: the
    ledger gets it once. A changed line (a new score) is appended, and wins."""
    path = tmp_path / "ledger.jsonl"
    ledger = Ledger(path)
    ledger.record("ana", "exam", T1, 5, 10, "d1")
    ledger.record("ana", "exam", T1, 5, 10, "d1")
    Ledger(path).record("ana", "exam", T1, 5, 10, "d1")  # read back from the file
    assert len(path.read_text().splitlines()) == 1
    Ledger(path).record("ana", "exam", T1, 6, 10, "d1")  # graded again with other keys
    Ledger(path).record("ana", "exam", T1, 5, 10, "d1")  # and back: not the latest line
    assert [json.loads(line)["score"] for line in path.read_text().splitlines()] == [5, 6, 5]
    assert [r["score"] for r in read_ledger(path)] == [5]
