"""Two graders at once on one PostgreSQL gradebook (issue 15, point 4; issue 13's lock):
the course-level lock makes the second wait, then find the work done, so every submission
is graded once, the attempts ledger has no duplicate and neither grader errs; with
--no-wait the second exits at once saying who holds the lock."""

from __future__ import annotations

import json
import os
import subprocess
import time

import pytest
from nbgrader.api import Gradebook

from peaceops.content import CourseDir
from peaceops.grading.lock import FILENAME as LOCK
from peaceops.grading.lock import grader_lock
from tests.factories import answers_for, copy_course, submit
from tests.hub.cohort import EXAM, instructor_env, run
from tests.hub.servers import BIN

pytestmark = [pytest.mark.hub, pytest.mark.slow]
N = 40


@pytest.fixture(scope="module")
def course(postgres, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("graders")
    course = copy_course(tmp / "course")
    url = postgres.create_database("two_graders")
    env = instructor_env(tmp / "exchange", url, tmp / "keys")
    run(["peaceops", "generate-sources"], course, env)
    run(["nbgrader", "generate_assignment", EXAM, "--force"], course, env)
    expected = {}
    for n in range(N):
        student = f"s{n:03d}"
        answers, expected[student] = answers_for(EXAM, student, (n % 5) / 4)
        submit(course, student, EXAM, answers)
    return course, env, url, expected


def _grader(course, env) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / "peaceops"), "grade", "--quiet"], cwd=course, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_two_graders_at_once_grade_everything_once(course):
    course, env, url, expected = course
    with grader_lock(course):  # both start while the course is being graded (here: held)
        first, second = _grader(course, env), _grader(course, env)
        deadline = time.monotonic() + 120
        for grader in (first, second):  # each says it waits, and does
            said: list[str] = []
            while not any("Waiting for the grader" in line for line in said):
                said.append(grader.stderr.readline())
                assert said[-1] and time.monotonic() < deadline, said
            assert grader.poll() is None
    outputs = [p.communicate(timeout=600) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    said = [out.splitlines()[0] for out, _ in outputs]  # then a line per assignment
    assert sorted(said) == sorted([f"Graded {N}, unchanged (skipped) 0, flagged for review 0, "
                                   "not graded 0.",
                                   f"Graded 0, unchanged (skipped) {N}, flagged for review 0, "
                                   "not graded 0."]), outputs
    with Gradebook(url, "peaceops") as gradebook:
        scores = {s.student.id: s.score for s in gradebook.find_assignment(EXAM).submissions}
    assert scores == expected
    lines = [json.loads(line) for line in
             (course / "peaceops-attempts.jsonl").read_text().splitlines()]
    assert len(lines) == N and len({(r["student"], r["timestamp"]) for r in lines}) == N
    assert not (course / "gradebook.db").exists()  # everything went to PostgreSQL


def test_a_second_grader_with_no_wait_exits_with_a_clear_message(course):
    course, env, url, _ = course
    with grader_lock(course):
        result = subprocess.run([str(BIN / "peaceops"), "grade", "--no-wait", "--quiet"],
                                cwd=course, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 3
    assert "another grader is grading this course" in result.stderr
    assert f"pid {os.getpid()}" in result.stderr and LOCK in result.stderr


def test_every_verb_reads_the_postgresql_gradebook_from_nbgrader_config(course):
    course, env, url, expected = course
    assert CourseDir.resolve(course, db_url=url).gradebook_url == url
    run(["peaceops", "report"], course, env)
    run(["peaceops", "export", "--format", "canvas"], course, env)
    run(["peaceops", "keys", "init"], course, env)
    run(["peaceops", "certify", "--training"], course, env, ok=(0, 1))
    text = (course / "exports" / "canvas-grades.csv").read_text()
    assert all(student in text for student in expected)
    # the same through --db-url, with no PEACEOPS_GRADEBOOK_URL for nbgrader_config.py
    bare = {k: v for k, v in env.items() if k != "PEACEOPS_GRADEBOOK_URL"}
    run(["peaceops", "export", "--format", "csv", "--db-url", url, "--out",
         str(course / "exports" / "by-option.csv")], course, bare)
    assert all(s in (course / "exports" / "by-option.csv").read_text() for s in expected)
    assert not (course / "gradebook.db").exists()
