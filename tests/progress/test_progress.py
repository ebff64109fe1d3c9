"""A learner's own progress, from the practice log and the saved answers files."""

import json

import pytest

from peaceops.cli import main
from peaceops.content import load_course
from peaceops.exercises import build
from peaceops.exercises.store import AnswerStore
from peaceops.lessons import check
from peaceops.progress import progress, read_log, record_check
from peaceops.progress.learner import merge_logs


def test_a_fresh_folder_shows_nothing_done(tmp_path):
    result = progress(tmp_path)
    assert set(result.practice.status) == {"not tried"}
    assert set(result.assignments.status) == {"not started"}
    assert len(result.practice) == len(load_course().checks)


def test_practice_checks_are_logged_and_counted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    check_id = next(iter(load_course().checks))
    widget = check(check_id)
    widget.check()  # unanswered: tried, not correct
    entry = read_log(tmp_path / "peaceops-practice.json")[check_id]
    assert entry["attempts"] == 1 and entry["first_correct_at"] is None
    record_check(tmp_path, check_id, entry["max"], entry["max"])
    row = progress(tmp_path).practice.set_index("check").loc[check_id]
    assert row.status == "correct" and row.attempts == 2


def test_graded_exercises_show_answered_items_never_correctness(tmp_path):
    course = load_course()
    assignment = course.assignments["polarities"]
    spec = assignment.exercises[0]
    exercise, _ = build(course, spec, "amina")
    folder = tmp_path / "polarities"
    folder.mkdir()
    first = exercise.items[0]
    AnswerStore(folder).save(spec.id, exercise.variant, "amina", {first.id: first.choices[0][0]})
    rows = progress(tmp_path).assignments.set_index("exercise")
    assert rows.loc[spec.id, "answered"] == 1 and rows.loc[spec.id, "status"] == "in progress"
    assert "correct" not in " ".join(rows.columns)


def test_an_unreadable_log_reads_as_empty(tmp_path):
    (tmp_path / "peaceops-practice.json").write_text("{not json")
    assert read_log(tmp_path / "peaceops-practice.json") == {}
    assert set(progress(tmp_path).practice.status) == {"not tried"}


def test_cli_prints_both_tables(tmp_path, capsys):
    assert main(["progress", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Practice (lessons)" in out and "Graded exercises" in out and "0 of" in out
    with pytest.raises(SystemExit):
        main(["progress", "--help"])


def test_the_books_export_and_the_lab_log_are_read_together(tmp_path):
    """`peaceops progress` finds the book's export (any peaceops-practice*.json, e.g. a second
    download) beside JupyterLab's log and merges them check by check."""
    checks = list(load_course().checks)
    record_check(tmp_path, checks[0], 1, 7)  # JupyterLab's log
    export = {"schema": 1, "checks": {
        checks[0]: {"attempts": 3, "best": 7, "max": 7, "last": 7,
                    "last_at": "2026-11-22T10:00:00+00:00",
                    "first_correct_at": "2026-11-22T10:00:00+00:00"},
        checks[1]: {"attempts": 1, "best": 0, "max": 1, "last": 0,
                    "last_at": "2026-11-22T09:00:00+00:00", "first_correct_at": None}}}
    (tmp_path / "downloads").mkdir()
    (tmp_path / "downloads" / "peaceops-practice (1).json").write_text(json.dumps(export))
    (tmp_path / "peaceops-practice-old.json").write_text("{broken")  # ignored, not fatal
    rows = progress(tmp_path).practice.set_index("check")
    assert rows.loc[checks[0], "status"] == "correct" and rows.loc[checks[0], "attempts"] == 3
    assert rows.loc[checks[0], "best"] == 7
    assert rows.loc[checks[1], "status"] == "tried"
    assert rows.loc[checks[2], "status"] == "not tried"


def test_merge_takes_the_best_and_the_first_correct_time():
    merged = merge_logs([
        {"c": {"attempts": 2, "best": 1, "max": 2, "last_at": "2026-01-02T00:00:00+00:00",
               "first_correct_at": None}},
        {"c": {"attempts": 5, "best": 2, "max": 2, "last_at": "2026-01-01T00:00:00+00:00",
               "first_correct_at": "2026-01-01T00:00:00+00:00"}},
        {"c": {"attempts": "many", "best": True}},
    ])
    assert merged == {"c": {"attempts": 5, "best": 2, "max": 2,
                            "last_at": "2026-01-02T00:00:00+00:00",
                            "first_correct_at": "2026-01-01T00:00:00+00:00"}}
