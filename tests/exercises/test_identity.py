"""The learner id is set once (`peaceops learner set`), and nbgrader submits under the same id
the exercises draw from; bad ids and an instructor's nbgrader_config.py are refused."""

import getpass
import json
import os
import subprocess

import pytest

from peaceops.cli import main
from peaceops.exercises.identity import (
    LEARNER_FILE, mismatch, resolve, set_learner, submitting_student)
from tests.factories import BIN


@pytest.fixture(autouse=True)
def _no_learner_in_the_environment(monkeypatch):
    for name in ("JUPYTERHUB_USER", "PEACEOPS_LEARNER", "PEACEOPS_STUDENT_ID"):
        monkeypatch.delenv(name, raising=False)


def test_set_once_for_the_course_folder_and_read_from_the_assignment_folder(tmp_path, capsys):
    assert resolve(tmp_path / "mlt-roles") == getpass.getuser()  # nbgrader's default
    assert main(["learner", "set", "amina.diallo@un.org", "--folder", str(tmp_path)]) == 0
    assert json.loads((tmp_path / LEARNER_FILE).read_text()) == {"learner": "amina.diallo@un.org"}
    assert resolve(tmp_path / "mlt-roles") == "amina.diallo@un.org"
    assert submitting_student(tmp_path / "mlt-roles") == "amina.diallo@un.org"
    assert mismatch("amina.diallo@un.org", tmp_path / "mlt-roles") == ""
    assert main(["learner", "show", "--folder", str(tmp_path)]) == 0
    assert "nbgrader submits as: amina.diallo@un.org" in capsys.readouterr().out


@pytest.mark.slow
def test_nbgrader_submit_run_there_uses_the_set_id(tmp_path):
    """The real `nbgrader submit`, in the learner's folder, submits under the set id."""
    exchange, folder = tmp_path / "exchange", tmp_path / "learner"
    (exchange / "peaceops" / "inbound").mkdir(parents=True)
    notebook = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
    for place in (folder, exchange / "peaceops" / "outbound"):  # fetched, and released
        (place / "mlt-roles").mkdir(parents=True)
        (place / "mlt-roles" / "mlt-roles.ipynb").write_text(notebook)
    set_learner(folder, "amina")
    config = tmp_path / "jupyter"
    config.mkdir()
    (config / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\n")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config),
           "PATH": BIN + os.pathsep + os.environ["PATH"]}
    result = subprocess.run(["nbgrader", "submit", "mlt-roles", "--course", "peaceops"],
                            cwd=folder, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    (submitted,) = (exchange / "peaceops" / "inbound").iterdir()
    assert submitted.name.startswith("amina+mlt-roles+")


@pytest.mark.parametrize("bad", ["", "a*b", "amina+1", "amina diallo", "../x", ".hidden"])
def test_an_unusable_id_is_refused_saying_why(tmp_path, bad, capsys):
    assert main(["learner", "set", bad, "--folder", str(tmp_path)]) == 1
    assert "not a usable learner id" in capsys.readouterr().err
    assert not (tmp_path / LEARNER_FILE).exists()


def test_an_instructor_s_nbgrader_config_is_never_overwritten(tmp_path, capsys):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n# the course\n")
    assert main(["learner", "set", "amina", "--folder", str(tmp_path)]) == 1
    assert "was not written by `peaceops learner set`" in capsys.readouterr().err
    assert (tmp_path / "nbgrader_config.py").read_text().endswith("# the course\n")
    set_learner(tmp_path / "mine", "amina")
    set_learner(tmp_path / "mine", "amina-2")  # its own file: changed
    assert "'amina-2'" in (tmp_path / "mine" / "nbgrader_config.py").read_text()


def test_a_mismatch_is_named_both_ways(tmp_path, monkeypatch):
    assert mismatch(getpass.getuser(), tmp_path) == ""
    assert "nbgrader will submit this notebook as" in mismatch("someone-else", tmp_path)
    monkeypatch.setenv("PEACEOPS_STUDENT_ID", "hub-name")  # the hub passes the learner's name
    assert mismatch("hub-name", tmp_path) == ""
    assert "belongs to learner 'bo'" in mismatch("hub-name", tmp_path, saved="bo")
