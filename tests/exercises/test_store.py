"""The answers file: atomic writes with schema, learner, exercise, variant and timestamp;
unreadable files are kept aside, never silently overwritten."""

import json

from peaceops.exercises.store import FILENAME, SCHEMA, AnswerStore, read

LOCK = FILENAME + ".lock"  # held while a save merges and replaces the file


def test_save_writes_every_field(tmp_path):
    store = AnswerStore(tmp_path)
    store.save("exam-roles", "abc123", "amina", {"resp-10": "fc"})
    data = json.loads((tmp_path / FILENAME).read_text())
    assert data["schema"] == SCHEMA and data["learner"] == "amina"
    entry = data["exercises"]["exam-roles"]
    assert entry["exercise"] == "exam-roles" and entry["variant"] == "abc123"
    assert entry["learner"] == "amina" and entry["answers"] == {"resp-10": "fc"}
    assert entry["saved_at"].endswith("+00:00")
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILENAME, LOCK]  # no temp file left


def test_write_is_atomic_rename(tmp_path, monkeypatch):
    store = AnswerStore(tmp_path)
    store.save("a", "all", "amina", {"x": "1"})
    before = (tmp_path / FILENAME).read_text()

    def boom(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("peaceops.exercises.store.os.replace", boom)
    try:
        store.save("a", "all", "amina", {"x": "2"})
    except OSError:
        pass
    assert (tmp_path / FILENAME).read_text() == before  # the old file is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILENAME, LOCK]


def test_reload_restores_records(tmp_path):
    AnswerStore(tmp_path).save("a", "all", "amina", {"x": ["0", "2"]})
    again = AnswerStore(tmp_path)
    assert again.learner == "amina" and again.record("a").answers == {"x": ["0", "2"]}
    assert not again.messages


def test_corrupt_file_is_renamed_aside_and_reported(tmp_path):
    path = tmp_path / FILENAME
    path.write_text('{"schema": 1, "exercises": {')  # truncated JSON
    store = AnswerStore(tmp_path)
    assert store.record("a") is None
    (kept,) = tmp_path.glob("peaceops-answers.unreadable-*.json")
    assert kept.read_text() == '{"schema": 1, "exercises": {'
    assert "could not be read" in store.messages[0] and kept.name in store.messages[0]
    store.save("a", "all", "amina", {"x": "1"})
    assert kept.read_text() == '{"schema": 1, "exercises": {'  # never overwritten
    assert json.loads(path.read_text())["exercises"]["a"]["answers"] == {"x": "1"}


def test_wrong_schema_is_set_aside(tmp_path):
    (tmp_path / FILENAME).write_text(json.dumps({"schema": 99, "exercises": {}}))
    store = AnswerStore(tmp_path)
    assert "unknown schema version 99" in store.messages[0]
    assert len(list(tmp_path.glob("*.unreadable-*.json"))) == 1


def test_hand_edited_entry_is_dropped_with_message_and_a_copy_kept(tmp_path):
    good = {"exercise": "a", "variant": "all", "learner": "amina", "saved_at": "t", "answers": {"x": "1"}}
    bad = {"exercise": "b", "variant": 3, "learner": "amina", "saved_at": "t", "answers": "oops"}
    original = json.dumps({"schema": 1, "learner": "amina", "exercises": {"a": good, "b": bad}})
    (tmp_path / FILENAME).write_text(original)
    store = AnswerStore(tmp_path)
    assert store.record("a").answers == {"x": "1"} and store.record("b") is None
    assert "'b'" in store.messages[0]
    (kept,) = tmp_path.glob("*.unreadable-*.json")
    assert kept.read_text() == original


def test_read_for_grading_raises_with_reason(tmp_path):
    path = tmp_path / FILENAME
    path.write_text("not json")
    try:
        read(path)
    except ValueError as exc:
        assert "not valid JSON" in str(exc)
    else:
        raise AssertionError("expected ValueError")


def test_stores_of_one_file_never_drop_each_others_answers(tmp_path):
    """A notebook has one store per exercise widget, all on the same file (found in the
    browser: after Run All, answering one exercise used to erase the others)."""
    first, second = AnswerStore(tmp_path), AnswerStore(tmp_path)
    first.save("exam-roles", "v1", "amina", {"a": "fc"})
    second.save("exam-weighing", "v2", "amina", {"consent": "3"})
    first.save("exam-roles", "v1", "amina", {"a": "pc"})
    records = read(tmp_path / FILENAME).records
    assert records["exam-roles"].answers == {"a": "pc"}
    assert records["exam-weighing"].answers == {"consent": "3"}
