"""Exam sessions on the server's clock (issue 25, item 3), with a fake clock: the rule's
window and time limit, the grace the instructor allows, the flags a late or overtime attempt
gets (a flagged attempt is not certified), and the time left the learner's page shows."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from peaceops.content import ContentError, load_course
from peaceops.content.certification import read_certification
from peaceops.exercises.attempt import marker, time_left_text
from peaceops.grading.attempts import Ledger
from peaceops.grading.session import ServerTimes, SessionLog, attempt_flags, session_flags
from tests.conftest import ROOT

T0 = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
EXAM = "certification-exam"


def _rule(**session):
    certification = read_certification(ROOT / "data" / "certification.yaml", "data",
                                       load_course().assignments)
    return replace(certification.rule(), **session)


RULE = _rule(opens=T0, closes=T0 + timedelta(hours=8), time_limit_minutes=90.0,
             grace_minutes=5.0)


def _at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


@pytest.mark.parametrize(("started", "received"), [(10, 95), (10, 105), (400, 485)])
def test_an_attempt_within_the_window_and_the_limit_plus_grace_is_not_flagged(started, received):
    assert session_flags(RULE, 1, ServerTimes(_at(started), _at(received))) == []


@pytest.mark.parametrize(("started", "received", "word"), [
    (10, 106, "overtime"),  # 96 min: over 90 + 5 grace
    (460, 486, "late"),  # within the limit, but after 17:00 + 5 min
    (-30, -5, "before the exam opened"),
])
def test_a_late_or_overtime_attempt_is_flagged(started, received, word):
    flags = session_flags(RULE, 2, ServerTimes(_at(started), _at(received)))
    assert len(flags) == 1 and word in flags[0] and flags[0].startswith("attempt 2")


def test_the_grace_is_the_instructors_setting():
    times = ServerTimes(_at(10), _at(106))
    assert session_flags(RULE, 1, times)
    assert not session_flags(replace(RULE, grace_minutes=10.0), 1, times)


def test_without_server_times_a_limited_attempt_is_flagged_and_an_unlimited_one_is_not():
    assert "no server record of when it was submitted" in \
        session_flags(RULE, 1, ServerTimes(_at(1), None))[0]
    assert "fetched" in session_flags(RULE, 1, ServerTimes(None, _at(50)))[0]
    unlimited = _rule()
    assert session_flags(unlimited, 1, ServerTimes(None, None)) == []


def test_the_learners_timestamp_is_never_the_clock(tmp_path):
    """The ledger's timestamp (timestamp.txt) says 09:30; the server received it at 11:00."""
    ledger, log = Ledger(tmp_path / "attempts.jsonl"), SessionLog(tmp_path / "sessions.jsonl")
    log.record("amina", EXAM, "digest-1", _at(120), [_at(5)])
    ledger.record("amina", EXAM, _at(30).isoformat(), 29, 29, "digest-0-other")  # not it
    flags = attempt_flags(RULE, SessionLog(log.path), Ledger(ledger.path), "amina", EXAM,
                          "digest-1")
    assert flags and "overtime" in flags[0] and "attempt 2" in flags[0]


def test_attempt_2_is_timed_from_the_first_fetch_after_attempt_1_was_received(tmp_path):
    path = tmp_path / "sessions.jsonl"
    log = SessionLog(path)
    fetches = [_at(0), _at(100), _at(200)]  # the exam, then attempt 1's feedback, again
    log.record("amina", EXAM, "one", _at(60), fetches[:1])
    log.record("amina", EXAM, "two", _at(250), fetches)
    ledger = Ledger(tmp_path / "attempts.jsonl")
    ledger.record("amina", EXAM, "", 20, 29, "one")
    assert SessionLog(path).times("amina", EXAM, "two", ["one"]) == \
        ServerTimes(_at(100), _at(250))
    flags = attempt_flags(RULE, SessionLog(path), ledger, "amina", EXAM, "two")
    assert flags and "took 150 min" in flags[0]  # from 100, not from 200
    on_time = replace(RULE, time_limit_minutes=150.0)
    assert attempt_flags(on_time, SessionLog(path), ledger, "amina", EXAM, "two") == []


@pytest.mark.parametrize("field, value, message", [
    ("opens", "tomorrow", "time zone"),
    ("closes", "2027-03-01T09:00:00", "time zone"),
    ("time_limit_minutes", 0, "above 0"),
    ("grace_minutes", -1, "0 or more"),
])
def test_a_bad_session_field_is_an_error_naming_it(tmp_path, field, value, message):
    import yaml

    data = yaml.safe_load((ROOT / "data" / "certification.yaml").read_text())
    data["rules"][-1][field] = value
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError) as error:
        read_certification(tmp_path / "c.yaml", "data/certification.yaml",
                           load_course().assignments)
    assert field in str(error.value) and message in str(error.value)


def test_a_window_that_closes_before_it_opens_is_refused(tmp_path):
    import yaml

    data = yaml.safe_load((ROOT / "data" / "certification.yaml").read_text())
    data["rules"][-1].update(opens="2027-03-01T09:00:00+00:00", closes="2027-03-01T08:00:00Z")
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(data))
    with pytest.raises(ContentError, match="closes.*must be after"):
        read_certification(tmp_path / "c.yaml", "data/certification.yaml",
                           load_course().assignments)


def test_the_learners_page_shows_the_time_left(tmp_path):
    notebook = tmp_path / f"{EXAM}.ipynb"
    notebook.write_text("{}")
    fetched = datetime.fromtimestamp(os.stat(notebook).st_ctime, UTC)
    rule = replace(RULE, opens=None, closes=None)
    assert "Time left: 60 min" in time_left_text(rule, tmp_path, fetched + timedelta(minutes=30))
    assert "Time is up" in time_left_text(rule, tmp_path, fetched + timedelta(minutes=91))
    assert time_left_text(_rule(), tmp_path, fetched) == ""  # no limit, nothing shown
    # attempt 2 counts from the feedback that announced it
    feedback = tmp_path / "feedback" / "later"
    feedback.mkdir(parents=True)
    (feedback / f"{EXAM}.html").write_text(marker(2))
    announced = datetime.fromtimestamp(os.stat(feedback).st_ctime, UTC)
    assert "Time left: 80 min" in time_left_text(rule, tmp_path,
                                                 announced + timedelta(minutes=10))
    closing = replace(rule, closes=announced + timedelta(minutes=20))
    assert "Time left: 20 min" in time_left_text(closing, tmp_path, announced)
