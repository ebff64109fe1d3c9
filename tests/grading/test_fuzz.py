"""The grading fuzzer (issue 26, item 8): structure-aware mutations of a valid submission's
answers file, notebook and timestamp.txt (`tests.factories.mutations`: wrong types, lone
surrogates, control characters, huge numbers, NaN and Infinity literals, duplicate keys,
deep nesting, byte-order marks, truncation) graded by `peaceops grade`'s own code for one
submission, `CohortGrader.prepare`, in this process. For every example:

- no exception escapes, and no example hangs (hypothesis's deadline, and a hard alarm that
  stops an example that never returns);
- the submission is graded (a broken timestamp.txt may instead make it "not graded", with
  the reason naming the file), its flags are printable, and what `peaceops grade` writes
  of it (the graded notebook, the report) can be written;
- no score above what the answers earn: each exercise scores at most what the valid file
  scored it, never above its maximum; an exercise the mutation did not touch keeps its score
  while the file is still valid JSON; a mutated notebook or timestamp changes no score.

Then `peaceops grade` itself, on a cohort seeded with mutated submissions, grades every
valid one as it should (`test_a_cohort_seeded_with_mutated_submissions_grades_the_rest`).

Examples: `PEACEOPS_FUZZ_EXAMPLES` in total over the three in-process fuzz tests (default
3,000 under CI=true, about a minute, half of them answers files; 300 on a developer's run),
and a cohort run per 1,000 of them (at least 2). A longer run: `PEACEOPS_FUZZ_EXAMPLES=100000 pytest tests/grading/test_fuzz.py`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import math
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from nbgrader.utils import determine_grade, is_grade, is_solution

from peaceops.cli import main
from peaceops.content import CourseDir
from peaceops.exercises.store import FILENAME
from peaceops.grading.cohort import CohortGrader
from peaceops.grading.discovery import Submission
from peaceops.grading.intake import TIMESTAMP
from peaceops.grading.pipeline import Outcome
from peaceops.grading.safe_text import printable
from tests.conftest import IN_CI
from tests.factories import answers_for, nbgrader, submit
from tests.factories.mutations import (
    VALID_TIMESTAMP,
    Mutated,
    answers_scope,
    mutated_json,
    mutated_timestamp,
)
from tests.grading.test_hostile_cohort import grade_in_a_process, scores

EXAMPLES = int(os.environ.get("PEACEOPS_FUZZ_EXAMPLES", "3000" if IN_CI else "300"))
#: Slower than this, an example fails (hypothesis's deadline: a real one grades in ~5 ms).
DEADLINE_MS = 5_000
#: An example still running after this is stopped (a hang: the deadline only reports after).
HARD_SECONDS = 30
ASSIGNMENTS = ("certification-exam", "mlt-roles", "polarities", "principles-politics",
               "rights-wps-conduct")
LEARNERS = ("amina", "bo")
FRACTIONS = (0.0, 0.5, 1.0)  # of each exercise's items answered right
REFLECTION = "My reflection: a stand-up every morning."
LOG = logging.getLogger(__name__)


def fuzz_settings(share: float) -> settings:
    """`share` of the run's examples, each within the deadline."""
    return settings(max_examples=max(10, round(EXAMPLES * share)), deadline=DEADLINE_MS,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


class Hang(BaseException):
    """An example ran past `HARD_SECONDS` (a BaseException: the grader's own
    `except Exception`, which makes a broken submission "not graded", must not catch it)."""


@contextlib.contextmanager
def hard_deadline(seconds: float) -> Iterator[None]:
    def stop(signum, frame):
        raise Hang(f"grading one submission ran over {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# -- the grader, in this process -----------------------------------------------------------

@pytest.fixture(scope="module")
def grader(tmp_path_factory) -> CohortGrader:
    """`peaceops grade`'s grader on a copy of the course, as its run sets it up (every
    assignment known to the gradebook); it grades each submission again (`force`)."""
    from tests.factories import copy_course

    course = copy_course(tmp_path_factory.mktemp("fuzz") / "course")
    grader = CohortGrader(CourseDir.resolve(course), force=True)
    grader.known = set(grader.context.assignments)  # what `run` reads from the gradebook
    return grader


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """The submission folder each example writes its files to."""
    return tmp_path_factory.mktemp("fuzz-submission") / "submission"


def notebook_with_reflection(course: Path, assignment: str) -> bytes:
    """The released notebook, its reflection (if it has one) written."""
    notebook = json.loads((course / "exercises" / assignment / f"{assignment}.ipynb").read_bytes())
    for cell in notebook["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("grade_id") == "reflection":
            cell["source"] = REFLECTION
    return json.dumps(notebook, indent=1).encode()


@functools.cache
def base(course: Path, assignment: str, learner: str, fraction: float
         ) -> tuple[dict, bytes, float]:
    """A valid submission: the answers file (decoded), the notebook, and the points the
    answers earn."""
    answers, points = answers_for(assignment, learner, fraction)
    return answers, notebook_with_reflection(course, assignment), points


def grade_one(grader: CohortGrader, folder: Path, learner: str, assignment: str,
              answers: bytes, notebook: bytes, timestamp: bytes = VALID_TIMESTAMP) -> Outcome:
    """`CohortGrader.prepare` of a submission holding these files, within `HARD_SECONDS`."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    (folder / FILENAME).write_bytes(answers)
    (folder / f"{assignment}.ipynb").write_bytes(notebook)
    (folder / TIMESTAMP).write_bytes(timestamp)
    with hard_deadline(HARD_SECONDS):
        return grader.prepare(Submission(learner, assignment, folder))


@functools.cache
def baseline(grader: CohortGrader, folder: Path, assignment: str, learner: str,
             fraction: float) -> dict[str, float]:
    """Each exercise's points for the valid submission (their sum: what answers_for says)."""
    answers, notebook, points = base(grader.course_dir.root, assignment, learner, fraction)
    outcome = grade_one(grader, folder, learner, assignment, json.dumps(answers).encode(),
                        notebook)
    assert outcome.status == "graded" and outcome.flags == [], outcome
    earned = exercise_points(outcome)
    assert math.isclose(sum(earned.values()), points)
    return earned


def exercise_points(outcome: Outcome) -> dict[str, float]:
    """Each exercise's points as nbgrader reads them from the graded notebook (what goes into
    the gradebook), checked against the grading report and the maxima; the reflection (a
    manually graded cell) gets no automatic points."""
    report = outcome.pending.record
    earned = {}
    for cell in outcome.pending.notebook.cells:
        if not is_grade(cell):
            continue
        points, max_points = determine_grade(cell, LOG)
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        if is_solution(cell):
            assert points in (None, 0), (grade_id, points)
            continue
        result = report.results[grade_id]
        assert math.isfinite(points) and 0 <= points <= max_points, (grade_id, points)
        assert points == result["points"] and max_points == result["max_points"]
        earned[grade_id] = points
    return earned


def check_outcome(outcome: Outcome, timestamp_broken: bool = False) -> dict[str, float]:
    """What every example must satisfy: graded (or, for a broken timestamp.txt, not graded
    with the reason naming it), printable flags, writable output. Returns its points."""
    if timestamp_broken and outcome.status == "error":
        assert TIMESTAMP in outcome.error, outcome.error
        return {}
    assert outcome.status == "graded", outcome.error
    assert all(printable(flag) == flag for flag in outcome.flags), outcome.flags
    pending = outcome.pending
    assert pending.record.flags == outcome.flags
    pending.record.to_json().encode("ascii")  # written as the report
    graded = json.loads(pending.notebook_text.encode("utf-8"))  # written as the notebook
    assert len(graded["cells"]) >= len(pending.notebook.cells)
    return exercise_points(outcome)


def parses(data: bytes) -> bool:
    """Whether `data` is still JSON an answers file reader can decode."""
    try:
        return isinstance(json.loads(data.decode("utf-8-sig")), dict)
    except (ValueError, RecursionError):
        return False


SUBMISSIONS = st.tuples(st.sampled_from(ASSIGNMENTS), st.sampled_from(LEARNERS),
                        st.sampled_from(FRACTIONS))


# -- the fuzz tests ------------------------------------------------------------------------

@fuzz_settings(0.5)
@given(submission=SUBMISSIONS, data=st.data())
def test_a_mutated_answers_file_never_crashes_hangs_or_earns_more(grader, folder,
                                                                  submission, data):
    assignment, learner, fraction = submission
    answers, notebook, _ = base(grader.course_dir.root, *submission)
    valid = baseline(grader, folder, *submission)
    mutated: Mutated = data.draw(mutated_json(answers, answers_scope), label="answers")
    earned = check_outcome(grade_one(grader, folder, learner, assignment, mutated.data,
                                     notebook))
    assert set(earned) == set(valid)
    still_json = parses(mutated.data)
    event("still JSON" if still_json else "no longer JSON")
    total, was = sum(earned.values()), sum(valid.values())
    event("score kept" if total == was else "score 0" if total == 0 else "score lowered")
    for exercise, points in earned.items():
        assert points <= valid[exercise], (exercise, mutated.done)
        if still_json and not mutated.may_touch(exercise):
            assert points == valid[exercise], (exercise, mutated.done)


@fuzz_settings(0.25)
@given(submission=SUBMISSIONS, data=st.data())
def test_a_mutated_notebook_changes_no_score(grader, folder, submission, data):
    assignment, learner, fraction = submission
    answers, notebook, _ = base(grader.course_dir.root, *submission)
    valid = baseline(grader, folder, *submission)
    mutated = data.draw(mutated_json(json.loads(notebook)), label="notebook")
    earned = check_outcome(grade_one(grader, folder, learner, assignment,
                                     json.dumps(answers).encode(), mutated.data))
    assert earned == valid, mutated.done


@fuzz_settings(0.25)
@given(submission=SUBMISSIONS, timestamp=mutated_timestamp())
def test_a_mutated_timestamp_changes_no_score(grader, folder, submission, timestamp):
    assignment, learner, fraction = submission
    answers, notebook, _ = base(grader.course_dir.root, *submission)
    valid = baseline(grader, folder, *submission)
    earned = check_outcome(grade_one(grader, folder, learner, assignment,
                                     json.dumps(answers).encode(), notebook, timestamp.data),
                           timestamp_broken=True)
    event("graded" if earned else "not graded (timestamp.txt named)")
    assert earned in ({}, valid), timestamp.done


@pytest.mark.parametrize("variant", ["\ud800", "x\udfff\x1b[2K", "v" * 100_000])
def test_a_hostile_variant_is_quoted_escaped_and_bounded(grader, folder, variant):
    """Found by the fuzzer: a record's "variant" was echoed raw in the rejection reason, so a
    lone surrogate there reached the graded notebook's feedback and `peaceops grade` failed
    writing it (after the gradebook commit: that submission and the rest of its batch got no
    graded folder, and every rerun appended to the ledger again)."""
    answers, notebook, _ = base(grader.course_dir.root, "certification-exam", "amina", 1.0)
    answers = json.loads(json.dumps(answers))
    answers["exercises"]["exam-roles"]["variant"] = variant
    outcome = grade_one(grader, folder, "amina", "certification-exam",
                        json.dumps(answers).encode(), notebook)
    earned = check_outcome(outcome)  # the graded notebook and report can be written
    assert earned["exam-roles"] == 0
    reason = outcome.pending.record.results["exam-roles"]["reason"]
    assert reason.startswith("the record is for variant '") and len(reason) < 200
    assert reason.isprintable()


# -- a cohort, through `peaceops grade` ----------------------------------------------------

COHORT_ASSIGNMENTS = ("certification-exam", "mlt-roles")


@pytest.fixture(scope="module")
def generated(tmp_path_factory, course_dir_factory) -> Path:
    """A copy of the course with the cohort's assignments released."""
    course = course_dir_factory(tmp_path_factory.mktemp("fuzz-cohort") / "course")
    for assignment in COHORT_ASSIGNMENTS:
        assert nbgrader(course, "generate_assignment", assignment, "--force").returncode == 0
    return course


@st.composite
def mutated_submission(draw, course: Path, assignment: str, learner: str
                       ) -> tuple[list[bytes], float]:
    """A submission of `learner` with its answers file, notebook or timestamp.txt mutated
    (their bytes), and the points of its answers before."""
    answers, notebook, points = base(course, assignment, learner,
                                     draw(st.sampled_from(FRACTIONS)))
    files = [json.dumps(answers).encode(), notebook, VALID_TIMESTAMP]
    which = draw(st.sampled_from(["answers", "notebook", "timestamp"]))
    if which == "answers":
        files[0] = draw(mutated_json(answers, answers_scope)).data
    elif which == "notebook":
        files[1] = draw(mutated_json(json.loads(notebook))).data
    else:
        files[2] = draw(mutated_timestamp()).data
    return files, points


@pytest.mark.slow
@settings(max_examples=max(2, EXAMPLES // 1000), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_cohort_seeded_with_mutated_submissions_grades_the_rest(generated, tmp_path, data):
    """`peaceops grade` (its own process, bounded in time and memory) on 6 valid and 10
    mutated submissions: every valid one graded right; each mutated one graded (at most
    the points of its answers) or listed NOT GRADED with the reason."""
    course = Path(shutil.copytree(generated, tmp_path / f"course-{os.urandom(4).hex()}"))
    expected, mutated = {}, {}
    for n in range(6):
        assignment, fraction = COHORT_ASSIGNMENTS[n % 2], FRACTIONS[n % 3]
        answers, expected[(f"valid{n}", assignment)] = answers_for(assignment, f"valid{n}",
                                                                   fraction)
        submit(course, f"valid{n}", assignment, answers,
               notebook_with_reflection(course, assignment).decode())
    for n in range(10):
        student, assignment = f"mutated{n}", COHORT_ASSIGNMENTS[n % 2]
        files, mutated[(student, assignment)] = data.draw(
            mutated_submission(course, assignment, student), label=student)
        folder = submit(course, student, assignment, None)
        for name, content in zip((FILENAME, f"{assignment}.ipynb", TIMESTAMP), files,
                                 strict=True):
            (folder / name).write_bytes(content)

    run = grade_in_a_process(course)
    assert run.returncode in (0, 1), run.stderr[-3000:]
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    graded = scores(course)
    for submission, points in expected.items():
        assert graded.get(submission) == points, (submission, run.stderr[-3000:])
        assert (course / "autograded" / submission[0] / submission[1] / "peaceops-grading.json"
                ).is_file()
    not_graded = {line.split(":", 1)[0].removeprefix("NOT GRADED ")
                  for line in run.stderr.splitlines() if line.startswith("NOT GRADED ")}
    for (student, assignment), most in mutated.items():
        if (student, assignment) in graded:
            assert graded[(student, assignment)] <= most
        else:
            assert f"{student}/{assignment}" in not_graded, run.stderr[-3000:]
    assert run.returncode == (1 if not_graded else 0)
    event(f"{len(not_graded)} of {len(mutated)} mutated submissions not graded")
    assert main(["grade", "--course", str(course), "--quiet"]) == run.returncode  # a rerun
    assert scores(course) == graded
