"""`kill -9` of either grader at any point, then a plain rerun: the gradebook, the attempts
ledger and every autograded file are those of a clean run (issue 26, item 6).

Both graders are killed (SIGKILL of the process group, no cleanup) at random points drawn
with a fixed seed: at the N-th durable step (a file opened to write, a rename, a removal, a
copy, a folder made, a gradebook commit: `kill_points`), and after a random delay. Each trial
kills once or twice, then runs the grader plainly and compares with the clean run.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from peaceops.results.record import FILENAME as RECORD
from tests.conftest import IN_CI
from tests.factories import BIN, answers_for, copy_course, nbgrader, submit

pytestmark = pytest.mark.slow
EXAM, LESSON = "certification-exam", "mlt-roles"
LEARNERS = ("c11", "c12", "c13", "c14")
KILLER = Path(__file__).with_name("kill_points.py")
SEED = 2026
#: Trials per grader (each a kill point or two): every one under CI=true, one on a developer's run.
TRIALS = {"peaceops": 4, "nbgrader": 3} if IN_CI else {"peaceops": 1, "nbgrader": 1}


@pytest.fixture(scope="module")
def cohort(tmp_path_factory) -> Path:
    """A course with the exam and a lesson released, and a handful of learners' submissions:
    full, partial and wrong answers, one lesson without an answers file (flagged)."""
    course = copy_course(tmp_path_factory.mktemp("kill") / "course")
    for assignment in (EXAM, LESSON):
        result = nbgrader(course, "generate_assignment", assignment, "--force")
        assert result.returncode == 0, result.stderr[-3000:]
    for n, learner in enumerate(LEARNERS):
        for assignment in (EXAM, LESSON):
            answers, _ = answers_for(assignment, learner, (1.0, 0.5, 0.25, 0.0)[n])
            submit(course, learner, assignment,
                   None if (learner, assignment) == ("c14", LESSON) else answers)
    return course


# -- the two graders ---------------------------------------------------------------------

def _commands(grader: str) -> list[list[str]]:
    if grader == "peaceops":
        return [["peaceops", "grade", "--quiet"]]
    return [["nbgrader", "autograde", assignment] for assignment in (EXAM, LESSON)]


def _env() -> dict[str, str]:
    return {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}


def _run(course: Path, command: list[str], nth: int = 0, delay: float | None = None,
         ) -> tuple[bool, int, float]:
    """Run `command` in `course` under `kill_points`: killed before its `nth` durable step,
    or `delay` seconds after its first one. Returns (killed, durable steps seen, seconds
    from the first durable step to the end)."""
    count = course.parent / f"{course.name}.steps"
    count.write_text("0")
    process = subprocess.Popen([sys.executable, str(KILLER), str(nth), str(count), *command],
                               cwd=course, env=_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    while process.poll() is None and count.read_text() in ("", "0"):
        time.sleep(0.01)  # imports and configuration: nothing to kill yet
    started = time.monotonic()
    try:
        output, _ = process.communicate(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate()
    seconds = time.monotonic() - started
    steps = int(count.read_text() or 0)
    if process.returncode == -signal.SIGKILL:
        return True, steps, seconds
    assert process.returncode == 0, (command, output[-4000:])
    return False, steps, seconds


# -- what grading leaves -----------------------------------------------------------------

def _gradebook(course: Path) -> dict:
    """Every gradebook row of a submission by student, assignment and grade id (no row ids)."""
    rows = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        students = sorted(s.id for s in gb.students)
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                key = (sub.student.id, assignment.name)
                rows[key] = (sub.score, sub.max_score, sub.needs_manual_grade,
                             str(sub.timestamp), sub.late_submission_penalty)
                for nb in sub.notebooks:
                    for g in nb.grades:
                        rows[(*key, nb.name, "grade", g.name)] = (
                            g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade)
                    for c in nb.comments:
                        rows[(*key, nb.name, "comment", c.name)] = (c.auto_comment,
                                                                    c.manual_comment)
                    rows[(*key, nb.name)] = (nb.flagged, nb.late_submission_penalty)
    return {"students": students, "rows": rows}


def _autograded(course: Path) -> dict[str, object]:
    """Every file under autograded/ (hidden ones included: a leftover is a difference), the
    notebooks and reports parsed (their key order and indentation are not content)."""
    files: dict[str, object] = {}
    for path in sorted((course / "autograded").rglob("*")):
        name = path.relative_to(course).as_posix()
        if path.is_dir():
            files[name] = "<folder>"
        elif path.suffix == ".ipynb" or path.name == RECORD:
            files[name] = json.loads(path.read_text())
        else:
            files[name] = path.read_bytes()
    return files


def _state(course: Path) -> dict:
    ledger = course / "peaceops-attempts.jsonl"
    return {"gradebook": _gradebook(course),
            "ledger": ledger.read_text().splitlines() if ledger.exists() else None,
            "autograded": _autograded(course)}


def _differences(got: dict, want: dict) -> list[str]:
    """Readable differences of two `_state`s."""
    out = []
    for part in ("gradebook", "ledger", "autograded"):
        if got[part] == want[part]:
            continue
        if part == "ledger":
            out.append(f"ledger: {got[part]!r} != {want[part]!r}")
            continue
        g, w = ((x["rows"] if part == "gradebook" else x) for x in (got[part], want[part]))
        for key in sorted(set(g) | set(w), key=str):
            if g.get(key) != w.get(key):
                out.append(f"{part} {key}: {str(g.get(key))[:300]} != {str(w.get(key))[:300]}")
    return out


# -- the tests ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def clean(cohort, tmp_path_factory) -> dict[str, tuple[dict, list[int], list[float]]]:
    """Per grader: a clean run's state, and each command's durable steps and seconds."""
    runs = {}
    for grader in ("peaceops", "nbgrader"):
        course = tmp_path_factory.mktemp(f"clean-{grader}") / "course"
        shutil.copytree(cohort, course)
        steps, seconds = [], []
        for command in _commands(grader):
            _, seen, took = _run(course, command)
            steps.append(seen)
            seconds.append(took)
        state = _state(course)
        assert state["ledger"] and state["autograded"] and state["gradebook"]["rows"]
        runs[grader] = (state, steps, seconds)
    return runs


@pytest.mark.parametrize("grader", ["peaceops", "nbgrader"])
def test_killed_anywhere_then_rerun_plainly_equals_a_clean_run(grader, cohort, clean,
                                                                tmp_path):
    """Each trial runs the grader's commands in order; one of them is killed once or twice
    (at a durable step, or after a delay, alternately), then run plainly, and the rest run."""
    want, steps, seconds = clean[grader]
    commands = _commands(grader)
    rng = random.Random(f"{SEED}-{grader}")
    for trial in range(TRIALS[grader]):
        course = tmp_path / f"trial{trial}"
        shutil.copytree(cohort, course)
        k, kills = rng.randrange(len(commands)), []
        for command in commands[:k]:
            _run(course, command)
        for _ in range(rng.choice([1, 1, 2])):
            if trial % 2 == 0:
                point = f"step {rng.randint(1, steps[k])}"
                killed, seen, _ = _run(course, commands[k], nth=int(point.split()[1]))
            else:
                point = f"{rng.uniform(0, seconds[k]):.2f} s"
                killed, seen, _ = _run(course, commands[k], delay=float(point.split()[0]))
            kills.append((" ".join(commands[k]), point, "killed" if killed else "finished",
                          f"{seen} steps"))
        for command in commands[k:]:  # the plain rerun, then the commands not run yet
            _run(course, command)
        print(grader, trial, kills)  # shown with -s
        got = _state(course)
        assert not _differences(got, want), (trial, kills, _differences(got, want))
