"""`peaceops progress` is one learner's view: it refuses a folder holding several learners'
files (saying where to run it), and counts the items drawn for THIS learner."""

import getpass

import pytest

from peaceops.cli import main
from peaceops.content import load_course
from peaceops.exercises import build
from peaceops.exercises.store import AnswerStore
from peaceops.progress.learner import NO_LEARNER, MixedLearners, progress

COURSE = load_course()
ASSIGNMENT = "certification-exam"


@pytest.fixture(autouse=True)
def _no_learner_in_the_environment(monkeypatch):
    monkeypatch.delenv("PEACEOPS_LEARNER", raising=False)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("PEACEOPS_STUDENT_ID", raising=False)


def drawn_spec():
    return next(s for s in COURSE.assignments[ASSIGNMENT].exercises if s.draw)


def save_one_answer(folder, learner: str) -> None:
    spec = drawn_spec()
    exercise, _ = build(COURSE, spec, learner)
    item = exercise.items[0]
    AnswerStore(folder).save(spec.id, exercise.variant, learner, {item.id: item.choices[0][0]})


def test_a_course_folder_with_submitted_is_refused(tmp_path, capsys):
    for learner in ("amina", "bo"):
        save_one_answer(tmp_path / "submitted" / learner / ASSIGNMENT, learner)
    with pytest.raises(MixedLearners, match="submitted"):
        progress(tmp_path)
    assert main(["progress", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "submitted/<learner id>" in err and "never mixes" in err
    # in one learner's collected folder it works, for that learner
    result = progress(tmp_path / "submitted" / "amina")
    assert result.learner == "amina"


def test_answers_files_of_two_learners_are_refused_naming_their_folders(tmp_path, capsys):
    save_one_answer(tmp_path / "amina" / ASSIGNMENT, "amina")
    save_one_answer(tmp_path / "backup" / "bo" / ASSIGNMENT, "bo")
    assert main(["progress", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"amina: {tmp_path / 'amina'}" in err and f"bo: {tmp_path / 'backup' / 'bo'}" in err


def test_items_are_those_drawn_for_the_learner(tmp_path):
    spec = drawn_spec()
    assert spec.draw < len(spec.items)  # a pool: only some are drawn for each learner
    save_one_answer(tmp_path / ASSIGNMENT, "amina")
    row = progress(tmp_path).assignments.set_index("exercise").loc[spec.id]
    assert row["items"] == spec.draw and row["answered"] == 1


def test_without_a_set_id_it_is_nbgrader_s_student_id_the_os_user(tmp_path, capsys):
    result = progress(tmp_path)
    assert result.learner == getpass.getuser() and NO_LEARNER not in result.summary()
    assert main(["learner", "set", "amina-7", "--folder", str(tmp_path)]) == 0
    assert progress(tmp_path).learner == "amina-7"


def test_with_no_user_name_at_all_it_says_how_to_set_the_id(tmp_path, capsys, monkeypatch):
    def no_user():
        raise KeyError("no user")

    monkeypatch.setattr(getpass, "getuser", no_user)
    spec = drawn_spec()
    result = progress(tmp_path)
    assert result.learner == ""
    assert result.assignments.set_index("exercise").loc[spec.id, "items"] == spec.draw
    assert NO_LEARNER in result.summary() and "peaceops learner set" in NO_LEARNER
    assert main(["progress", str(tmp_path)]) == 0
    assert "not set yet" in capsys.readouterr().out


def test_the_learner_id_of_the_environment_is_used(tmp_path, monkeypatch):
    monkeypatch.setenv("PEACEOPS_LEARNER", "amina")
    result = progress(tmp_path)
    assert result.learner == "amina" and NO_LEARNER not in result.summary()
