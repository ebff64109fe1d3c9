"""Hostile submissions in a cohort (issue 26): one bad file never stops `peaceops grade`,
learner text never forges its output nor runs in feedback, and every folder it passes over
is listed with the reason."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

import peaceops
from peaceops.cli import main
from peaceops.results.record import FILENAME as RECORD
from tests.factories import answers_for, nbgrader, submit

pytestmark = pytest.mark.slow
EXAM, MLT = "certification-exam", "mlt-roles"
SURROGATE = "x\udfff"  # a lone surrogate: valid JSON ("x\udfff"), not encodable as UTF-8
SCRIPT = "</script><script>alert(1)</script>"


@pytest.fixture(scope="module")
def generated(tmp_path_factory, course_dir_factory) -> Path:
    """A copy of the course with both assignments released."""
    course = course_dir_factory(tmp_path_factory.mktemp("hostile") / "course")
    for assignment in (EXAM, MLT):
        assert nbgrader(course, "generate_assignment", assignment, "--force").returncode == 0
    return course


@pytest.fixture
def course(generated, tmp_path) -> Path:
    return Path(shutil.copytree(generated, tmp_path / "course"))


def issue_answers_file(student: str) -> tuple[str, float]:
    """The issue's answers file: valid JSON with a lone surrogate escape ("x\\udfff") as an
    exercise id and in "learner"; its real exercises all answered right."""
    answers, points = answers_for(EXAM, student, 1.0)
    answers["learner"] = SURROGATE
    answers["exercises"][SURROGATE] = {"exercise": SURROGATE, "variant": SURROGATE,
                                       "learner": SURROGATE, "saved_at": SURROGATE,
                                       "answers": {SURROGATE: SURROGATE}}
    text = json.dumps(answers)  # ASCII: each surrogate is the escape \udfff
    assert '"learner": "x\\udfff"' in text
    return text, points


def with_reflection(course: Path, text: str) -> str:
    """The released MLT notebook as JSON text, its reflection cell holding `text` (which may
    hold JSON escapes such as \\udfff)."""
    nb = nbformat.read(course / "exercises" / MLT / f"{MLT}.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "reflection":
            cell.source = "REFLECTION"
    return nbformat.writes(nb).replace("REFLECTION", text)


def scores(course: Path) -> dict[tuple[str, str], float]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {(s.student.id, a.name): s.score for a in gb.assignments for s in a.submissions}


def grade_in_a_process(course: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    """`peaceops grade` in its own process, bounded in time and memory (4 GiB of address
    space): a hang or an endless read fails the test instead of the machine."""
    def bounded() -> None:
        limit = 4 * 1024**3
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    source = str(Path(peaceops.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        p for p in (source, os.environ.get("PYTHONPATH", "")) if p)}
    try:
        return subprocess.run(
            [sys.executable, "-m", "peaceops.cli", "grade", "--course", str(course), "--quiet"],
            capture_output=True, text=True, timeout=timeout, env=env, preexec_fn=bounded)
    except subprocess.TimeoutExpired:
        pytest.fail(f"peaceops grade did not finish in {timeout} s (a hang on a submission)")


def test_the_issues_answers_file_is_graded_and_stops_no_one_in_its_batch(course, capsys):
    expected = {}
    for student in ("ada", "zed"):
        answers, expected[(student, EXAM)] = answers_for(EXAM, student, 1.0)
        submit(course, student, EXAM, answers)
    text, expected[("surrogate", EXAM)] = issue_answers_file("surrogate")
    submit(course, "surrogate", EXAM, text)
    answers, points = answers_for(MLT, "writer", 1.0)
    submit(course, "writer", MLT, answers, with_reflection(course, "I wrote x\\udfff."))
    expected[("writer", MLT)] = points

    assert main(["grade", "--course", str(course), "--quiet"]) == 0
    err = capsys.readouterr().err
    assert f"FLAG surrogate/{EXAM}: the answers file names learner 'x\\udfff'" in err
    assert scores(course) == expected
    report = json.loads((course / "autograded" / "surrogate" / EXAM / RECORD).read_bytes())
    assert report["flags"][0] == "the answers file names learner 'x\\udfff', not 'surrogate'"
    graded = (course / "autograded" / "writer" / MLT / f"{MLT}.ipynb").read_text("utf-8")
    assert "I wrote x\\\\udfff." in graded  # the surrogate as visible text in the JSON
    assert main(["export", "--course", str(course), "--format", "moodle"]) == 0

    ledger = (course / "peaceops-attempts.jsonl").read_bytes()
    assert len(ledger.splitlines()) == len(expected)
    assert main(["grade", "--course", str(course), "--quiet"]) == 0  # a rerun adds nothing
    assert (course / "peaceops-attempts.jsonl").read_bytes() == ledger


def test_a_fifo_or_an_endless_timestamp_is_flagged_and_the_others_graded(course):
    expected = {}
    for student in ("ada", "fifo", "zero"):
        answers, expected[(student, EXAM)] = answers_for(EXAM, student, 1.0)
        submit(course, student, EXAM, answers)
    fifo = course / "submitted" / "fifo" / EXAM / "timestamp.txt"
    fifo.unlink()
    os.mkfifo(fifo)
    zero = course / "submitted" / "zero" / EXAM / "timestamp.txt"
    zero.unlink()
    zero.symlink_to("/dev/zero")

    run = grade_in_a_process(course)
    assert run.returncode == 0, run.stderr[-3000:]
    assert f"FLAG fifo/{EXAM}: timestamp.txt is not a regular file" in run.stderr
    assert f"FLAG zero/{EXAM}: timestamp.txt is a symbolic link" in run.stderr
    assert scores(course) == expected
    for student in ("fifo", "zero"):  # graded without a submission time, never copied
        assert not (course / "autograded" / student / EXAM / "timestamp.txt").exists()


def test_a_linked_submission_secret_is_neither_read_nor_copied(course, capsys):
    answers, _ = answers_for(EXAM, "linker", 1.0)
    folder = submit(course, "linker", EXAM, answers)
    (folder / "submission_secret.txt").symlink_to(course / "solutions" / "keys" /
                                                  "exam-keys.yaml")
    assert main(["grade", "--course", str(course), "--quiet"]) == 0
    assert f"FLAG linker/{EXAM}: submission_secret.txt is a symbolic link" in \
        capsys.readouterr().err
    assert not (course / "autograded" / "linker" / EXAM / "submission_secret.txt").exists()


def test_learner_text_in_flag_lines_cannot_move_the_cursor_or_rewrite_a_line(course, capsys):
    answers, _ = answers_for(EXAM, "escaper", 1.0)
    answers["learner"] = "\x1b[2K\rFLAG nobody: all is well\x07"
    submit(course, "escaper", EXAM, answers)
    assert main(["grade", "--course", str(course), "--quiet"]) == 0
    out, err = capsys.readouterr()
    for control in ("\x1b", "\r", "\x07"):
        assert control not in out + err
    assert "names learner '\\x1b[2K\\rFLAG nobody: all is well\\x07'" in err
    report = json.loads((course / "autograded" / "escaper" / EXAM / RECORD).read_text())
    assert "\x1b" not in report["flags"][0]


def test_stock_autograde_logs_learner_text_escaped(course):
    answers, _ = answers_for(EXAM, "escaper", 1.0)
    answers["learner"] = "\x1b[2K\rforged"
    submit(course, "escaper", EXAM, answers)
    run = nbgrader(course, "autograde", EXAM)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "\x1b[2K" not in run.stdout + run.stderr
    assert "names learner '\\x1b[2K\\rforged'" in run.stderr


@pytest.mark.parametrize("grader", ["peaceops", "nbgrader"])
def test_a_script_in_a_reflection_never_reaches_the_feedback_as_html(course, grader):
    written = f"My plan.\n\n{SCRIPT}\n\n[notes](javascript:alert(2)) <img src=x onerror=alert(3)>"
    answers, _ = answers_for(MLT, "mallory", 1.0)
    submit(course, "mallory", MLT, answers, with_reflection(course, json.dumps(written)[1:-1]))
    if grader == "peaceops":
        assert main(["grade", "--course", str(course), "--quiet"]) == 0
    else:
        assert nbgrader(course, "autograde", MLT).returncode == 0
    run = nbgrader(course, "generate_feedback", MLT)
    assert run.returncode == 0, run.stderr[-3000:]
    page = (course / "feedback" / "mallory" / MLT / f"{MLT}.html").read_text()
    assert "My plan." in page  # the reflection is shown, as text
    assert "alert(1)" in page and SCRIPT not in page and "<script>alert" not in page
    assert 'href="javascript:' not in page and "<img src=x" not in page


def test_every_folder_the_graders_pass_over_is_listed_with_the_reason(course, capsys):
    answers, _ = answers_for(EXAM, "ada", 1.0)
    submit(course, "ada", EXAM, answers)
    answers, _ = answers_for(EXAM, ".dot", 1.0)
    submit(course, ".dot", EXAM, answers)
    (course / "submitted" / "ada" / ".hidden-assignment").mkdir()
    (course / "submitted" / "notes.txt").write_text("not a submission")
    (course / "submitted" / "ada" / "stray.ipynb").write_text("{}")
    assert main(["grade", "--course", str(course), "--quiet"]) == 1
    out, err = capsys.readouterr()
    assert "Graded 1," in out
    listed = {line.split(": ", 1)[0]: line for line in err.splitlines()
              if line.startswith("NOT GRADED")}
    assert set(listed) == {f"NOT GRADED submitted/{p}" for p in (
        ".dot", "ada/.hidden-assignment", "ada/stray.ipynb", "notes.txt")}
    assert "hidden" in listed["NOT GRADED submitted/.dot"]
    assert "not a folder" in listed["NOT GRADED submitted/notes.txt"]
    assert scores(course) == {("ada", EXAM): answers_for(EXAM, "ada", 1.0)[1]}
