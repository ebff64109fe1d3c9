"""The README's release -> fetch -> submit -> collect workflow through a real nbgrader
exchange (in a temporary folder), then grading: the learner's answers file, saved by
AnswerStore as the widget saves it, must reach submitted/<learner>/ and be graded.
Learners are Unix users named by their learner id (as on a hub with a Unix user per learner),
so a submission under someone else's id is not collected."""

import getpass
import os
import subprocess
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from peaceops.exercises.store import FILENAME, AnswerStore
from tests.factories import BIN, answers_for, copy_course

pytestmark = pytest.mark.slow
ASSIGNMENT = "mlt-roles"
LEARNER = getpass.getuser()  # nbgrader's id of the learner running `nbgrader submit`


class Exchange:
    """An instructor's course copy, a learner's home folder and an exchange between them."""

    def __init__(self, base: Path):
        self.course = copy_course(base / "peaceops")
        self.home = base / "learner"
        self.home.mkdir()
        self.root = base / "exchange"
        self.root.mkdir()
        self.jupyter = base / "jupyter-config"  # no ~/.jupyter config of the machine
        self.jupyter.mkdir()

    def run(self, cwd: Path, *args: str) -> str:
        env = {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", ""),
               "JUPYTER_CONFIG_DIR": str(self.jupyter)}
        result = subprocess.run(
            [f"{BIN}/{args[0]}", *args[1:]], cwd=cwd, env=env, capture_output=True, text=True,
            timeout=600)
        assert result.returncode == 0, f"{args}:\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
        return result.stdout + result.stderr

    def nbgrader(self, cwd: Path, *args: str) -> str:
        return self.run(cwd, "nbgrader", *args, f"--Exchange.root={self.root}",
                        "--CourseDirectory.course_id=peaceops")

    def release_and_fetch(self) -> Path:
        self.nbgrader(self.course, "generate_assignment", ASSIGNMENT, "--force")
        self.nbgrader(self.course, "release_assignment", ASSIGNMENT)
        self.nbgrader(self.home, "fetch_assignment", ASSIGNMENT)
        return self.home / ASSIGNMENT


@pytest.fixture
def exchange(tmp_path) -> Exchange:
    return Exchange(tmp_path)


def answer_as_the_widget_does(folder: Path, fraction: float) -> int:
    """Save the learner's answers with AnswerStore, one store per exercise (as each widget
    of the notebook has its own); returns the points they earn by the hidden keys."""
    content, expected = answers_for(ASSIGNMENT, LEARNER, fraction)
    for exercise_id, record in content["exercises"].items():
        AnswerStore(folder).save(exercise_id, record["variant"], LEARNER, record["answers"])
    return expected


def test_release_fetch_submit_collect_grade(exchange):
    course, home = exchange.course, exchange.home
    assert (exchange.release_and_fetch() / f"{ASSIGNMENT}.ipynb").is_file()
    expected = answer_as_the_widget_does(home / ASSIGNMENT, fraction=0.5)
    assert expected > 0
    exchange.nbgrader(home, "submit", ASSIGNMENT)  # as the learner's Unix user: their id
    log = exchange.nbgrader(course, "collect", ASSIGNMENT)
    assert "Not collecting" not in log and "cheating" not in log, log
    collected = course / "submitted" / LEARNER / ASSIGNMENT
    assert (collected / FILENAME).is_file(), (
        f"nbgrader collect dropped the answers file: {sorted(p.name for p in collected.iterdir())}"
    )
    exchange.run(course, "peaceops", "grade", "--quiet")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "peaceops") as gradebook:
        score = gradebook.find_submission(ASSIGNMENT, LEARNER).score
    assert score == expected


def test_release_assignment_keeps_an_instructors_answers_out_of_the_exchange(exchange):
    """An instructor who tried the released notebook has answers beside it: learners must
    not fetch them."""
    course = exchange.course
    exchange.nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    (course / "exercises" / ASSIGNMENT / FILENAME).write_text("{}")
    exchange.nbgrader(course, "release_assignment", ASSIGNMENT)
    released = list(exchange.root.rglob(f"outbound/{ASSIGNMENT}/*"))
    assert any(p.name == f"{ASSIGNMENT}.ipynb" for p in released), released
    assert not any(p.name == FILENAME for p in released), released


def test_a_submission_under_another_learners_id_is_not_collected(exchange):
    """`nbgrader submit --student=<victim>` by another Unix user must not spend the victim's
    attempts: collect refuses it and says so; the victim's submitted/ is never made."""
    folder = exchange.release_and_fetch()
    answer_as_the_widget_does(folder, fraction=1.0)
    exchange.nbgrader(exchange.home, "submit", ASSIGNMENT, "--student=victim")
    log = exchange.nbgrader(exchange.course, "collect", ASSIGNMENT)
    assert "Not collecting" in log and "claims to be submitted by 'victim'" in log, log
    assert f"owned by the Unix user '{LEARNER}'" in log and "inbound/victim+mlt-roles+" in log
    assert not (exchange.course / "submitted" / "victim").exists()
    # where Unix users are not learners (one uid for every server), the switch turns it off
    exchange.nbgrader(exchange.course, "collect", ASSIGNMENT, "--ExchangeCollect.check_owner=False")
    assert (exchange.course / "submitted" / "victim" / ASSIGNMENT / FILENAME).is_file()
