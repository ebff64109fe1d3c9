"""`peaceops grade` in batches: killed (SIGKILL) at random points and resumed, it loses
nothing and grades nothing twice; with --jobs it writes what a serial run writes."""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys

import pytest
from nbgrader.api import Gradebook

from peaceops.content import CourseDir
from peaceops.grading import grade
from peaceops.grading.attempts import read_ledger
from peaceops.results.record import FILENAME as RECORD
from tests.conftest import IN_CI
from tests.factories import answers_for, nbgrader, submit

pytestmark = pytest.mark.slow
EXAM, MLT = "certification-exam", "mlt-roles"
LEARNERS = 7  # x 2 assignments = 14 submissions, in batches of 3

# Runs `peaceops grade` in batches of 3 and kills itself (SIGKILL: no cleanup, no finally)
# at the n-th call of one of the steps between staging a batch and its last folder swap.
#: Kill-and-resume trials: three under CI=true, one on a developer's (and a newcomer's) run.
TRIALS = 3 if IN_CI else 1
KILLER = """
import os, signal, sys
from peaceops.content import CourseDir
from peaceops.grading import attempts, cohort, folders, gradebook
course, point, nth = sys.argv[1], sys.argv[2], int(sys.argv[3])
calls = [0]
def killing(real):
    def wrapper(*args, **kwargs):
        calls[0] += 1
        if calls[0] == nth:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return wrapper
if point == "commit":  # before the batch's transaction commits
    gradebook.GradebookWriter.scores = killing(gradebook.GradebookWriter.scores)
elif point == "ledger":  # after the commit, before the attempts are appended
    attempts.Ledger.append = killing(attempts.Ledger.append)
elif point == "swap":  # after the ledger, between two folder swaps
    folders.swap_in = killing(folders.swap_in)
elif point == "rename":  # inside a swap: between moving the old folder away and the new in
    os.replace = killing(os.replace)
summary = cohort.grade(CourseDir.resolve(course), progress=False, batch=3)
sys.exit(1 if summary.errors else 0)
"""


@pytest.fixture(scope="module")
def cohort_course(tmp_path_factory, course_dir_factory):
    course = course_dir_factory(tmp_path_factory.mktemp("batches") / "course")
    for assignment in (EXAM, MLT):
        assert nbgrader(course, "generate_assignment", assignment, "--force").returncode == 0
    rng = random.Random(14)
    for n in range(LEARNERS):
        for assignment in (EXAM, MLT):
            answers, _ = answers_for(assignment, f"learner{n}", rng.choice([0.25, 0.5, 1.0]))
            submit(course, f"learner{n}", assignment, answers)
    return course


def _state(course) -> dict:
    """What grading leaves: gradebook rows (no ids), graded files, the attempts."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        rows = {}
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                nb = sub.notebooks[0]
                rows[(sub.student.id, assignment.name)] = (
                    sub.score, sub.max_score, sub.needs_manual_grade, str(sub.timestamp),
                    sorted((g.name, g.auto_score, g.manual_score, g.needs_manual_grade)
                           for g in nb.grades),
                    sorted((c.name, c.auto_comment) for c in nb.comments),
                    nb.late_submission_penalty)
    files = {}
    for path in sorted((course / "autograded").rglob("*")):
        if path.is_file():
            text = path.read_text()
            if path.name == RECORD:
                text = json.dumps(json.loads(text), sort_keys=True)
            files[path.relative_to(course).as_posix()] = text
    attempts = sorted((r["student"], r["assignment"], r["attempt"], r["score"], r["submission"])
                      for r in read_ledger(course / "peaceops-attempts.jsonl"))
    return {"gradebook": rows, "files": files, "attempts": attempts}


@pytest.fixture(scope="module")
def serial(cohort_course, tmp_path_factory):
    course = tmp_path_factory.mktemp("serial") / "course"
    shutil.copytree(cohort_course, course)
    summary = grade(CourseDir.resolve(course), progress=False, batch=3)
    assert summary.count("graded") == 2 * LEARNERS and not summary.errors
    return _state(course)


def test_killed_at_random_points_and_resumed_loses_nothing_and_grades_nothing_twice(
    cohort_course, serial, tmp_path
):
    rng = random.Random(2026)
    for trial in range(TRIALS):
        course = tmp_path / f"trial{trial}"
        shutil.copytree(cohort_course, course)
        kills = 0
        while True:  # kill at a random step of a random batch, resume, until a run ends
            point = rng.choice(["commit", "ledger", "swap", "rename"])
            nth = rng.randint(1, 4 if point in ("commit", "ledger") else 10)
            run = subprocess.run([sys.executable, "-c", KILLER, str(course), point, str(nth)],
                                 capture_output=True, text=True, timeout=600)
            if run.returncode == -signal.SIGKILL:
                kills += 1
                assert kills < 30, "never finished"
                continue
            assert run.returncode == 0, run.stderr[-3000:]
            break
        assert kills > 0
        assert _state(course) == serial, (trial, kills)
        ledger = read_ledger(course / "peaceops-attempts.jsonl")
        assert {r["attempt"] for r in ledger} == {1}  # regrading never made a second attempt
        assert not list((course / "autograded").glob("*/.*"))  # no staging folder left
        again = grade(CourseDir.resolve(course), progress=False)
        assert again.count("skipped") == 2 * LEARNERS


def test_a_torn_ledger_line_never_swallows_the_next(cohort_course, serial, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(cohort_course, course)
    (course / "peaceops-attempts.jsonl").write_text('{"student": "learner0", "assign')
    grade(CourseDir.resolve(course), progress=False, batch=3)
    assert _state(course)["attempts"] == serial["attempts"]


def test_parallel_jobs_write_what_a_serial_run_writes(cohort_course, serial, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(cohort_course, course)
    summary = grade(CourseDir.resolve(course), progress=False, jobs=2, batch=3)
    assert [(o.submission.student, o.submission.assignment) for o in summary.outcomes] == [
        (s, a) for s in sorted(f"learner{n}" for n in range(LEARNERS))
        for a in sorted([EXAM, MLT])]
    assert _state(course) == serial


def test_batch_size_changes_nothing(cohort_course, serial, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(cohort_course, course)
    grade(CourseDir.resolve(course), progress=False, batch=1)
    assert _state(course) == serial


def test_a_batch_another_grader_wrote_into_is_redone_through_nbgraders_own_code(
    cohort_course, serial, tmp_path, monkeypatch
):
    """The bulk insert of a batch fails when one of its submissions was written since the
    run read the gradebook (another grader): the batch is redone one submission at a time
    through nbgrader's ORM, which updates that one, and the end state is a serial run's."""
    from peaceops.grading.gradebook import GradebookWriter

    course = tmp_path / "course"
    shutil.copytree(cohort_course, course)
    grade(CourseDir.resolve(course), ["certification-exam"], ["learner1"],
          progress=False)  # the other grader
    shutil.rmtree(course / "autograded" / "learner1")  # so that this run grades it again
    real_load, real_orm, calls = GradebookWriter.load, GradebookWriter._stage_orm, []

    def read_before_the_other_grader_wrote(self, gradebook):
        real_load(self, gradebook)
        if not calls:
            self.submitted = {}
        calls.append("load")

    def orm(self, *args, **kwargs):
        calls.append("orm")
        return real_orm(self, *args, **kwargs)

    monkeypatch.setattr(GradebookWriter, "load", read_before_the_other_grader_wrote)
    monkeypatch.setattr(GradebookWriter, "_stage_orm", orm)
    summary = grade(CourseDir.resolve(course), progress=False, batch=3)
    assert not summary.errors and summary.count("graded") == 2 * LEARNERS
    assert calls.count("load") == 2 and calls.count("orm") == 3  # one batch redone, then bulk
    assert _state(course) == serial
