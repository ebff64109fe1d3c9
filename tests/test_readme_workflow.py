"""The README's workflow on one machine, run exactly as written and in the same order: its
`<!-- workflow: NAME -->` code blocks are read from README.md and each line is run in a shell
(in a copy of the course, with a temporary nbgrader exchange and issuer key folder, and with
a PATH that lacks the environment: nothing needs activating).

Three learners share the instructor's Unix account, as on one machine: each has a course
folder of their own (and a home, for the kernel they install), sets their learner id with the
README's `peaceops learner set`, fetches and submits with the course environment's tools, and
answers as the widget saves, under the learner id the exercises resolve (checked against the
id nbgrader submits under). `collect` takes their submissions because the README's one-machine
block trusts the account. The one step a person does by hand, scoring reflections in
formgrader, is done where the README says, through nbgrader's gradebook as formgrader saves
it. Amina answers every assignment and ends with a verified certificate; Bo and Chen answer
the exam only (a smaller cohort keeps the test's time down)."""

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from peaceops.content import load_course
from peaceops.exercises.identity import mismatch, resolve
from peaceops.exercises.store import AnswerStore
from tests.conftest import ROOT
from tests.factories import BIN, answers_for, copy_course

pytestmark = pytest.mark.slow
BLOCK = re.compile(r"<!-- workflow: (?P<name>[a-z]+) -->\s*```bash\n(?P<body>.*?)```", re.S)
BARE_PATH = os.pathsep.join(p for p in ("/usr/local/bin", "/usr/bin", "/bin") if p != BIN)
BY_HAND = "# formgrader:"  # the README's manual-grading step (a person, in formgrader)
NAMES = {"amina": ("Amina", "Diallo"), "bo": ("Bo", "Lindqvist"), "chen": ("Chen", "Wei")}
EXAM = "certification-exam"


def workflow() -> dict[str, list[str]]:
    """The README's workflow blocks in order: name -> command lines (comments dropped, but
    the manual-grading step kept as its marker line)."""
    blocks = {}
    for match in BLOCK.finditer((ROOT / "README.md").read_text()):
        lines = []
        for line in match["body"].splitlines():
            if line.startswith(BY_HAND):
                lines.append(BY_HAND)
            elif (command := line.split("  #")[0].strip()) and not command.startswith("#"):
                lines.append(command)
        blocks[match["name"]] = lines
    return blocks


def test_the_readme_has_the_whole_workflow_in_order():
    blocks = workflow()
    assert list(blocks) == ["once", "onemachine", "enrol", "release", "learner", "grade",
                            "certify"]
    text = " ".join(" ".join(lines) for lines in blocks.values())
    order = ["nbgrader db student add", "trusted_owners", "ipykernel install",
             "peaceops learner set", "generate_assignment", "release_assignment",
             "fetch_assignment", "submit", "collect", "peaceops grade", BY_HAND,
             "generate_feedback", "release_feedback", "peaceops report", "peaceops export",
             "nbgrader export", "peaceops keys init", "peaceops certify", "peaceops verify"]
    positions = [text.index(command) for command in order]
    assert positions == sorted(positions)
    assert "--first-name" in blocks["once"][0] and "--last-name" in blocks["once"][0]
    # the learner's blocks use the course environment's tools, never a bare command
    for line in blocks["enrol"] + blocks["learner"]:
        assert line.startswith("<venv>/bin/"), line


def grade_reflections_by_hand(course: Path, assignment: str) -> float:
    """What formgrader saves when the instructor scores every waiting cell (its grade API:
    the manual score, and the cell no longer needs manual grading); full marks here.
    Returns the points given."""
    given = 0.0
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "peaceops") as gradebook:
        for student in NAMES:
            try:
                submission = gradebook.find_submission(assignment, student)
            except Exception:  # noqa: BLE001 (this learner did not submit it)
                continue
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.needs_manual_grade:
                        grade.manual_score = grade.max_score
                        grade.needs_manual_grade = False
                        given += grade.max_score
        gradebook.db.commit()
    return given


def write_reflections(notebook: Path) -> None:
    """The learner writes each reflection (nbgrader's manually graded answer cells) in the
    notebook: an unchanged cell would score 0 without waiting for anyone."""
    nb = json.loads(notebook.read_text())
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution"):
            cell["source"] = "I would bring the political and security leads together first."
    notebook.write_text(json.dumps(nb))


def test_the_readme_workflow_runs_as_written_on_one_machine(tmp_path):
    course = copy_course(tmp_path / "peaceops")
    (course / ".venv").symlink_to(sys.prefix, target_is_directory=True)
    config = tmp_path / "jupyter"  # the machine's nbgrader config: where the exchange is
    config.mkdir()
    (config / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.Exchange.root = {str(tmp_path / 'exchange')!r}\n")
    (tmp_path / "exchange").mkdir()
    base_env = {k: v for k, v in os.environ.items()
                if k not in ("PEACEOPS_LEARNER", "PEACEOPS_STUDENT_ID", "JUPYTERHUB_USER")}
    base_env.update(JUPYTER_CONFIG_DIR=str(config), PYTHONWARNINGS="ignore",
                    PEACEOPS_KEY_DIR=str(tmp_path / "officer-keys"))

    def run(line: str, cwd: Path, env: dict | None = None, **values: str) -> str:
        for placeholder, value in values.items():
            line = line.replace(placeholder, shlex.quote(value))
        result = subprocess.run(["bash", "-c", line], cwd=cwd, capture_output=True, text=True,
                                env={**base_env, "PATH": BARE_PATH, **(env or {})},
                                timeout=600)
        assert result.returncode == 0, f"{line}\n{result.stdout[-2000:]}{result.stderr[-3000:]}"
        return result.stdout

    blocks = workflow()
    for learner, (first, last) in NAMES.items():
        for line in blocks["once"]:
            run(line, course, **{"<learner>": learner, "<First>": first, "<Last>": last})
    for line in blocks["onemachine"]:
        run(line, course)
    homes, envs = {}, {}
    for learner in NAMES:
        homes[learner] = tmp_path / "learners" / learner / "course"
        homes[learner].mkdir(parents=True)
        data = tmp_path / "learners" / learner / "jupyter-data"  # their own Jupyter data
        envs[learner] = {"HOME": str(homes[learner].parent), "JUPYTER_DATA_DIR": str(data)}
        for line in blocks["enrol"]:
            run(line, homes[learner], envs[learner], **{"<venv>": sys.prefix, "<learner>": learner})
        kernel = json.loads((data / "kernels" / "python3" / "kernel.json").read_text())
        assert kernel["argv"][0] == sys.executable  # the notebooks' kernel is the course's
    assignments = list(load_course().assignments)
    takes = {"amina": assignments, "bo": [EXAM], "chen": [EXAM]}
    ability = {"amina": 1.0, "bo": 0.5, "chen": 0.0}
    taken: set[tuple[str, str]] = set()
    by_hand = 0.0
    for assignment in assignments:
        for line in blocks["release"]:
            run(line, course, **{"<assignment>": assignment})
        for learner in NAMES:
            if assignment not in takes[learner]:
                continue
            for line in blocks["learner"]:
                run(line, homes[learner], envs[learner],
                    **{"<venv>": sys.prefix, "<assignment>": assignment})
                if "fetch_assignment" in line:  # the learner answers, saved as the widget saves
                    folder = homes[learner] / assignment
                    assert resolve(folder) == learner and mismatch(learner, folder) == ""
                    taken.add((learner, assignment))
                    write_reflections(folder / f"{assignment}.ipynb")
                    content, _ = answers_for(assignment, learner, ability[learner])
                    for exercise_id, record in content["exercises"].items():
                        AnswerStore(folder).save(exercise_id, record["variant"], learner,
                                                 record["answers"])
        for line in blocks["grade"]:
            if line == BY_HAND:
                by_hand += grade_reflections_by_hand(course, assignment)
                continue
            run(line, course, **{"<assignment>": assignment})
    outputs = [run(line, course, **{"<learner>": "amina"}) for line in blocks["certify"]]

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "peaceops") as gradebook:
        for learner, assignment in sorted(taken):
            submission = gradebook.find_submission(assignment, learner)
            assert not submission.needs_manual_grade, (learner, assignment)
            grades = [g for nb in submission.notebooks for g in nb.grades]
            auto = sum(g.auto_score or 0 for g in grades)
            manual = sum(g.manual_score or 0 for g in grades)
            # every item scored from the hidden keys for THIS learner id, plus the reflections
            assert auto == pytest.approx(answers_for(assignment, learner, ability[learner])[1])
            assert submission.score == pytest.approx(auto + manual), (learner, assignment)
    assert by_hand > 0  # the lesson groups have reflections: they were graded by hand
    report, export = outputs[0], outputs[1]
    assert "wait for manual grading" not in report + export  # formgrader's step was done
    assert "Report for 3 learners" in report
    assert (course / "certificates" / "2026.1" / "amina.pdf").is_file()
    assert not (course / "certificates" / "2026.1" / "chen.pdf").exists()
    assert (course / "grades.csv").is_file()
    assert 'data-status="not-submitted"' in (course / "reports" / "report.html").read_text()
    assert (course / "exports" / "canvas-grades.csv").is_file()
    assert list((tmp_path / "exchange").rglob("feedback/*")), "feedback was not released"
