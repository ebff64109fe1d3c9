"""Stock `nbgrader autograde` with the course's configuration: a symlinked extra file in a
submission (say, to the hidden keys) never reaches autograded/ or feedback/, and autograde
takes the course's grading lock, so it never interleaves with `peaceops grade`."""

import os
import subprocess
import time

import pytest
from nbgrader.api import Gradebook

from peaceops.grading.lock import grader_lock
from tests.factories import BIN, answers_for, copy_course, nbgrader, submit

pytestmark = pytest.mark.slow
ASSIGNMENT = "mlt-roles"


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = copy_course(tmp_path_factory.mktemp("guards") / "peaceops")
    result = nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    assert result.returncode == 0, result.stderr[-3000:]
    return course


def _files_under(*folders):
    return [p for folder in folders for p in folder.rglob("*") if p.is_file()]


def test_a_symlinked_extra_file_reaches_neither_autograded_nor_feedback(course):
    keys = course / "solutions" / "keys" / "bank-keys.yaml"
    secret = "HIDDEN KEYS of the lesson-group item bank"
    assert secret in keys.read_text()
    answers, points = answers_for(ASSIGNMENT, "linker", 1.0)
    folder = submit(course, "linker", ASSIGNMENT, answers)
    (folder / "notes.yaml").symlink_to(keys)
    (folder / "sub").mkdir()
    (folder / "sub" / "keys.txt").symlink_to(keys)
    (folder / "my-notes.txt").write_text("a regular extra file of the learner's")
    autograde = nbgrader(course, "autograde", ASSIGNMENT, "--student", "linker", "--force")
    assert autograde.returncode == 0, autograde.stderr[-3000:]
    feedback = nbgrader(course, "generate_feedback", ASSIGNMENT, "--student", "linker",
                        "--force")
    assert feedback.returncode == 0, feedback.stderr[-3000:]
    graded, returned = (course / "autograded" / "linker" / ASSIGNMENT,
                        course / "feedback" / "linker" / ASSIGNMENT)
    leaked = [p for p in _files_under(graded, returned) if secret in p.read_text(errors="ignore")]
    assert not leaked
    log = autograde.stdout + autograde.stderr
    assert "linker/mlt-roles: notes.yaml is a link (to " in log, log[-3000:]
    assert "sub/keys.txt is a link" in log
    # a regular extra file is still copied, and the submission is graded as usual
    assert (graded / "my-notes.txt").read_text() == "a regular extra file of the learner's"
    assert (returned / "my-notes.txt").is_file()
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert gradebook.find_submission(ASSIGNMENT, "linker").score == points


def test_autograde_waits_for_the_grader_lock_then_grades(course, tmp_path):
    answers, points = answers_for(ASSIGNMENT, "patient", 1.0)
    submit(course, "patient", ASSIGNMENT, answers)
    graded = course / "autograded" / "patient" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    log = tmp_path / "autograde.log"
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}
    with grader_lock(course), log.open("w") as out:
        process = subprocess.Popen([f"{BIN}/nbgrader", "autograde", ASSIGNMENT, "--student",
                                    "patient"], cwd=course, env=env, stdout=out, stderr=out)
        try:
            deadline = time.monotonic() + 120
            while "Waiting for the grader" not in log.read_text():
                assert process.poll() is None, log.read_text()[-3000:]
                assert time.monotonic() < deadline, log.read_text()[-3000:]
                time.sleep(0.5)
            time.sleep(3)  # time to grade if it did not wait
            assert process.poll() is None and not graded.exists(), log.read_text()[-3000:]
            assert ".peaceops-grade.lock" in log.read_text()
        except BaseException:
            process.kill()
            raise
    assert process.wait(timeout=600) == 0, log.read_text()[-3000:]
    assert graded.is_file()
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        assert gradebook.find_submission(ASSIGNMENT, "patient").score == points
    with grader_lock(course, wait=False):  # released when autograde ended
        pass


def test_a_failing_autograde_releases_the_grader_lock(course):
    """An autograde that fails (here: an unknown assignment) ends; the lock goes with its
    process."""
    result = nbgrader(course, "autograde", "no-such-assignment", "--force")
    assert result.returncode != 0
    with grader_lock(course, wait=False):
        pass
