"""The README's instructor workflow, run exactly as written and in the same order: its
`<!-- workflow: NAME -->` code blocks are read from README.md and each line is run in a shell
(in a copy of the course, with a temporary nbgrader exchange and issuer key folder, and with
a PATH that lacks the environment: nothing needs activating). A learner answers every
assignment through AnswerStore, as the widget does, and ends with a verified certificate."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from nbgrader.utils import get_username

from peaceops.content import load_course
from peaceops.exercises.store import AnswerStore
from tests.conftest import ROOT
from tests.factories import BIN, answers_for, copy_course

pytestmark = pytest.mark.slow
BLOCK = re.compile(r"<!-- workflow: (?P<name>[a-z]+) -->\s*```bash\n(?P<body>.*?)```", re.S)
BARE_PATH = os.pathsep.join(p for p in ("/usr/local/bin", "/usr/bin", "/bin") if p != BIN)


def workflow() -> dict[str, list[str]]:
    """The README's workflow blocks in order: name -> command lines (comments dropped)."""
    blocks = {}
    for match in BLOCK.finditer((ROOT / "README.md").read_text()):
        lines = [line.split("  #")[0].strip() for line in match["body"].splitlines()]
        blocks[match["name"]] = [line for line in lines if line and not line.startswith("#")]
    return blocks


def test_the_readme_has_the_whole_workflow_in_order():
    blocks = workflow()
    assert list(blocks) == ["once", "release", "learner", "grade", "certify"]
    text = " ".join(" ".join(lines) for lines in blocks.values())
    order = ["nbgrader db student add", "generate_assignment", "release_assignment",
             "fetch_assignment", "submit", "collect", "peaceops grade", "generate_feedback",
             "release_feedback", "peaceops report", "peaceops export", "nbgrader export",
             "peaceops keys init", "peaceops certify", "peaceops verify"]
    positions = [text.index(command) for command in order]
    assert positions == sorted(positions)
    assert "--first-name" in blocks["once"][0] and "--last-name" in blocks["once"][0]


def test_the_readme_workflow_runs_as_written(tmp_path):
    course = copy_course(tmp_path / "peaceops")
    (course / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    home = tmp_path / "learner-home"
    home.mkdir()
    config = tmp_path / "jupyter"  # the machine's nbgrader config: where the exchange is
    config.mkdir()
    (config / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.Exchange.root = {str(tmp_path / 'exchange')!r}\n")
    (tmp_path / "exchange").mkdir()
    learner = get_username()  # nbgrader's learner id is the OS user name
    names = {"<learner>": learner, "<First>": "Amina", "<Last>": "Diallo"}
    base_env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config),
                "PEACEOPS_KEY_DIR": str(tmp_path / "officer-keys"), "PYTHONWARNINGS": "ignore"}
    base_env.pop("PEACEOPS_LEARNER", None)

    def run(line: str, cwd: Path, path: str, **extra: str) -> None:
        for placeholder, value in {**names, **extra}.items():
            line = line.replace(placeholder, shlex.quote(value))
        result = subprocess.run(["bash", "-c", line], cwd=cwd, env={**base_env, "PATH": path},
                                capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{line}\n{result.stdout[-2000:]}{result.stderr[-3000:]}"

    instructor_path = BARE_PATH  # no activation
    learner_path = BIN + os.pathsep + BARE_PATH  # nbgrader on the learner's PATH (JupyterHub)
    blocks = workflow()
    for line in blocks["once"]:
        run(line, course, instructor_path)
    assignments = list(load_course().assignments)
    expected = {}
    for assignment in assignments:
        for line in blocks["release"]:
            run(line, course, instructor_path, **{"<assignment>": assignment})
        for line in blocks["learner"]:
            run(line, home, learner_path, **{"<assignment>": assignment})
            if "fetch_assignment" in line:  # the learner answers, saved as the widget saves
                content, expected[assignment] = answers_for(assignment, learner, 1.0)
                for exercise_id, record in content["exercises"].items():
                    AnswerStore(home / assignment).save(
                        exercise_id, record["variant"], learner, record["answers"])
        for line in blocks["grade"]:
            run(line, course, instructor_path, **{"<assignment>": assignment})
    for line in blocks["certify"]:
        run(line, course, instructor_path)

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "peaceops") as gradebook:
        for assignment in assignments:
            # every auto-graded item right (reflections wait for the instructor's hand)
            assert gradebook.find_submission(assignment, learner).score == expected[assignment]
    assert (course / "certificates" / "2026.1" / f"{learner}.pdf").is_file()
    assert (course / "grades.csv").is_file() and (course / "reports" / "report.html").is_file()
    assert (course / "exports" / "canvas-grades.csv").is_file()
    assert list((tmp_path / "exchange").rglob("feedback/*")), "feedback was not released"
