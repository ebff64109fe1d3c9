"""Instructor commands run without an activated environment, and never lose the committed
release: nbgrader_config.py puts this interpreter's bin folder first on PATH (nbgrader calls
`alembic`), checks the gradebook before `generate_assignment --force` deletes anything, and
puts back a release folder that a failed command removed."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.factories import BIN, copy_course

pytestmark = pytest.mark.slow  # nbgrader's commands, run as processes

ASSIGNMENT = "mlt-roles"
RELEASE = Path("exercises") / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
#: A PATH as in a shell where the course's environment is not activated.
BARE_PATH = os.pathsep.join(p for p in ("/usr/local/bin", "/usr/bin", "/bin") if p != BIN)


def bare_nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """`.venv/bin/nbgrader ARGS` with a PATH that lacks the environment's bin folder."""
    env = {**os.environ, "PATH": BARE_PATH}
    return subprocess.run([f"{BIN}/nbgrader", *args], cwd=course, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture
def course(tmp_path) -> Path:
    return copy_course(tmp_path / "peaceops")


def test_the_bare_path_really_lacks_alembic():
    assert shutil.which("alembic", path=BARE_PATH) is None, "the test needs a PATH without it"


def test_generate_assignment_works_without_activation(course):
    """The reported accident: without activation, `--force` deleted the committed notebook
    and then failed with FileNotFoundError: 'alembic'."""
    assert not (course / "gradebook.db").exists()
    result = bare_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "alembic" not in result.stderr
    assert (course / RELEASE).read_text() == (ROOT / RELEASE).read_text()


def test_a_failed_generate_assignment_puts_the_release_back(course):
    (course / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").write_text("{not a notebook")
    result = bare_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    assert result.returncode != 0
    assert "restored" in result.stderr
    assert (course / RELEASE).read_text() == (ROOT / RELEASE).read_text()


def test_a_broken_gradebook_stops_generate_assignment_before_it_deletes(course):
    (course / "gradebook.db").write_text("not a database")
    result = bare_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    assert result.returncode != 0
    assert "nothing was changed" in result.stderr
    assert (course / RELEASE).read_text() == (ROOT / RELEASE).read_text()


def test_generate_assignment_keeps_an_instructors_answers_out_of_the_release(course):
    """The other direction of the exchange fix: answers files travel from learners to the
    instructor, never from the instructor's source folder into the release."""
    (course / "solutions" / ASSIGNMENT / "peaceops-answers.json").write_text("{}")
    result = bare_nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    assert result.returncode == 0, result.stderr[-3000:]
    assert (course / RELEASE).is_file()
    assert not (course / "exercises" / ASSIGNMENT / "peaceops-answers.json").exists()
