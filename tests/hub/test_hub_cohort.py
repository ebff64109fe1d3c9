"""Issue 15 end to end, on one machine with real servers: PostgreSQL, JupyterHub with
configurable-http-proxy (deploy/jupyterhub_config.py), an instructor and 20 learners.

Through the hub's REST API and each learner's own server: the instructor releases the exam
and the four lesson-group assignments; every learner fetches them, answers in their own
kernel through the assessment widgets (different abilities; the widget writes
peaceops-answers.json), and submits; `nbgrader collect` and `peaceops grade` fill the
PostgreSQL gradebook while more submissions arrive; feedback is released and fetched;
`peaceops certify` issues certificates. Every score equals the one computed from the hidden
keys for the learner's hub name; nbgrader's and peaceops' exports read them."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from sqlalchemy import create_engine, inspect

from peaceops.exercises import build
from peaceops.grading.attempts import read_ledger
from peaceops.grading.gradebook import INDEXES
from tests.conftest import ROOT
from tests.factories import copy_course
from tests.hub.cohort import (
    ASSIGNMENTS,
    EXAM,
    FILENAME,
    answer,
    course_and_keys,
    expected_points,
    instructor_env,
    run,
)
from tests.hub.learner import COURSE, Learner
from tests.hub.servers import jupyterhub

pytestmark = [pytest.mark.hub, pytest.mark.slow]
INSTRUCTOR, N_LEARNERS, WORKERS = "instructor", 20, 3
RESUBMIT = ("learner05", "learner06")  # answer the exam again, all correct: a second attempt
#: Run in a learner's kernel: how it is connected to its server.
TRANSPORT = ("import json\nfrom ipykernel.connect import get_connection_info\n"
             "print(json.loads(get_connection_info())['transport'])")


def _ability(n: int) -> float:
    return (10 - n % 11) / 10


@pytest.fixture(scope="module")
def cohort(postgres, tmp_path_factory):
    """The whole course run once; the tests below check what it left."""
    before = _repository_state()
    tmp = tmp_path_factory.mktemp("hub")
    course_model, keys = course_and_keys()
    learners = [f"learner{n:02d}" for n in range(N_LEARNERS)]
    record: dict = {"variants": {}, "submitted": {}, "graded_while_arriving": 0,
                    "transports": {}}
    with jupyterhub([INSTRUCTOR]) as hub:
        hub_pids = _hub_processes(hub.folder)
        course = copy_course(hub.homes / INSTRUCTOR / "course")
        env = instructor_env(hub.exchange, postgres.url(), tmp / "issuer-keys")
        # the nbgrader sources from data/assignments.yaml, as after any change to it
        run(["peaceops", "generate-sources"], course, env)
        for assignment in ASSIGNMENTS:
            run(["nbgrader", "generate_assignment", assignment, "--force"], course, env)
            run(["nbgrader", "release_assignment", assignment, "--force"], course, env)

        hub.add_users(learners, f"nbgrader-{COURSE}")
        with ThreadPoolExecutor(len(learners)) as pool:  # all at once, as a class starts
            list(pool.map(hub.start_server, learners))
        people = {name: Learner(hub.url, name, hub.token_for(name)) for name in learners}

        def work(name: str) -> None:
            learner = people[name]
            listed = {a["assignment_id"] for a in learner.assignments()}
            assert set(ASSIGNMENTS) <= listed, listed
            for assignment in ASSIGNMENTS:
                learner.fetch(assignment)
            # the learner opens the exam (a kernel of their own) and works through all five
            session, kernel = learner.open_notebook(f"{COURSE}/{EXAM}/{EXAM}.ipynb")
            try:
                record["transports"][name] = kernel.run(TRANSPORT).strip()
                for assignment in ASSIGNMENTS:
                    record["variants"][(name, assignment)] = answer(
                        kernel, name, assignment, _ability(learners.index(name)))
                    record["submitted"][(name, assignment)] = learner.read(
                        f"{COURSE}/{assignment}/{FILENAME}").encode()
                    learner.submit(assignment)
            finally:
                learner.close_notebook(session, kernel)

        first, second = learners[: N_LEARNERS // 2], learners[N_LEARNERS // 2:]
        with ThreadPoolExecutor(WORKERS) as pool:
            list(pool.map(work, first))
        # More submissions arrive while the instructor collects and grades into PostgreSQL.
        errors: list[BaseException] = []

        def second_half() -> None:
            try:
                with ThreadPoolExecutor(WORKERS) as pool:
                    list(pool.map(work, second))
            except BaseException as exc:  # noqa: BLE001 (re-raised below)
                errors.append(exc)

        arriving = threading.Thread(target=second_half)
        arriving.start()
        while arriving.is_alive():
            _collect(course, env)
            graded = run(["peaceops", "grade", "--quiet"], course, env)
            count = re.search(r"Graded (\d+),", graded.stdout)
            record["graded_while_arriving"] += int(count.group(1)) if count else 0
            arriving.join(5)
        assert not errors, errors
        _collect(course, env)
        run(["peaceops", "grade", "--quiet"], course, env)

        # a second attempt at the exam, after the first was graded: as the README tells
        # candidates, they fetch the first attempt's feedback, which announces attempt 2, and
        # their notebook then shows attempt 2's draw (issue 25)
        run(["nbgrader", "generate_feedback", EXAM], course, env, ok=(0, 1))
        run(["nbgrader", "release_feedback", EXAM], course, env)
        for name in RESUBMIT:
            learner = people[name]
            learner.fetch_feedback(EXAM)
            session, kernel = learner.open_notebook(f"{COURSE}/{EXAM}/{EXAM}.ipynb")
            try:
                answer(kernel, name, EXAM, 1.0, attempt=2)
            finally:
                learner.close_notebook(session, kernel)
            record["submitted"][(name, EXAM)] = learner.read(
                f"{COURSE}/{EXAM}/{FILENAME}").encode()
            learner.submit(EXAM)
        _collect(course, env)
        record["final_grade"] = run(["peaceops", "grade", "--quiet"], course, env).stdout

        for assignment in ASSIGNMENTS:
            run(["nbgrader", "generate_feedback", assignment], course, env, ok=(0, 1))
            run(["nbgrader", "release_feedback", assignment], course, env)
        for name in learners:
            people[name].fetch_feedback(EXAM)
        record["feedback"] = {
            name: people[name].listing(f"{COURSE}/{EXAM}/feedback") for name in learners}
        record["progress"] = _progress(people[learners[0]])

        # the roster from the LMS: certificates carry the learners' names
        roster = tmp / "roster.csv"
        roster.write_text("id,first_name,last_name,email\n" + "".join(
            f"{name},Learner,{name[-2:]},{name}@example.org\n" for name in learners))
        run(["nbgrader", "db", "student", "import", str(roster)], course, env)
        run(["peaceops", "keys", "init"], course, env)
        record["certify"] = run(["peaceops", "certify", "--training"], course, env, ok=(0, 1)).stdout
        run(["peaceops", "report"], course, env)
        run(["peaceops", "export", "--format", "csv"], course, env)
        run(["nbgrader", "export"], course, env)
        record["exports"] = {
            "peaceops": _csv(course / "exports" / "csv-grades.csv"),
            "nbgrader": _csv(course / "grades.csv"),
        }
        record["certificates"] = sorted(p.stem for p in course.glob("certificates/*/*.pdf"))
        record["issued"] = _csv(course / "certificates" / "issued.csv")
        record["ledger"] = (course / "peaceops-attempts.jsonl").read_text().splitlines()
        record["ledger_rows"] = read_ledger(course / "peaceops-attempts.jsonl")
        record["sqlite_files"] = sorted(str(p) for p in course.rglob("gradebook.db"))
        record["hub_folder"] = hub.folder
    record.update(learners=learners, course=course_model, keys=keys, hub_pids=hub_pids,
                  before=before, after=_repository_state(), url=postgres.url())
    return record


def _collect(course, env) -> None:
    for assignment in ASSIGNMENTS:
        run(["nbgrader", "collect", assignment, "--update"], course, env)


def _progress(learner: Learner) -> str:
    """`peaceops progress` run by the learner in their own server (from a kernel)."""
    session, kernel = learner.open_notebook(f"{COURSE}/{EXAM}/{EXAM}.ipynb")
    try:
        return kernel.run("import subprocess, sys, os\n"
                          "os.chdir(os.path.expanduser('~'))\n"
                          "print(subprocess.run([os.path.join(os.path.dirname(sys.executable),"
                          " 'peaceops'), 'progress'], capture_output=True, text=True).stdout)")
    finally:
        learner.close_notebook(session, kernel)


def _csv(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _repository_state() -> str:
    """The work tree's changes, ignored files included (Python's bytecode caches left out,
    as .ci/run leaves them out: any Python process run from the tree writes them)."""
    status = subprocess.run(["git", "status", "--porcelain", "--ignored",
                             "--untracked-files=all"], cwd=ROOT, capture_output=True,
                            text=True).stdout
    return "".join(line + "\n" for line in status.splitlines()
                   if "__pycache__" not in line and ".pytest_cache" not in line)


def _hub_processes(folder) -> set[int]:
    """Processes of this hub (their command line or environment names its folder)."""
    found = set()
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            text = (proc / "environ").read_bytes() + (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if str(folder).encode() in text:
            found.add(int(proc.name))
    return found


def _scores(url: str) -> dict[tuple[str, str], float]:
    with Gradebook(url, COURSE) as gradebook:
        return {(s.student.id, a.name): float(s.score)
                for a in gradebook.assignments for s in a.submissions}


# -- the checks ---------------------------------------------------------------------------


def test_every_score_in_postgresql_equals_the_one_computed_from_the_keys(cohort):
    scores = _scores(cohort["url"])
    assert set(scores) == set(cohort["submitted"]) and len(scores) == 5 * N_LEARNERS
    for (student, assignment), answers in cohort["submitted"].items():
        attempt = 2 if (student, assignment) in {(s, EXAM) for s in RESUBMIT} else 1
        expected = expected_points(cohort["course"], cohort["keys"], student, assignment,
                                   answers, attempt)
        assert scores[(student, assignment)] == expected, (student, assignment)
    assert len({scores[(s, EXAM)] for s in cohort["learners"]}) > 5  # different abilities
    assert not cohort["sqlite_files"]  # nothing went to a SQLite gradebook


def test_every_kernel_speaks_to_its_server_over_a_unix_socket(cohort):
    """deploy/jupyterhub_config.py: IPC, not TCP ports that two servers starting kernels at
    once can both pick (one kernel then dies: "Address already in use")."""
    assert set(cohort["transports"]) == set(cohort["learners"])
    assert set(cohort["transports"].values()) == {"ipc"}, cohort["transports"]


def test_each_exam_variant_comes_from_the_hub_user_name(cohort):
    course = cohort["course"]
    for (student, assignment), variants in cohort["variants"].items():
        for spec in course.assignments[assignment].exercises:
            exercise, _ = build(course, spec, student)
            assert variants[spec.id] == exercise.variant, (student, spec.id)
    exam = {tuple(cohort["variants"][(s, EXAM)].values()) for s in cohort["learners"]}
    assert len(exam) == N_LEARNERS  # every learner has their own exam


def test_grading_ran_while_submissions_arrived_and_resubmissions_are_second_attempts(cohort):
    assert cohort["graded_while_arriving"] > 0
    assert "Graded 2," in cohort["final_grade"]  # only the two resubmitted exams
    lines = [json.loads(line) for line in cohort["ledger"]]
    keys = [(r["student"], r["assignment"], r["timestamp"]) for r in lines]
    assert len(keys) == len(set(keys)) == 5 * N_LEARNERS + len(RESUBMIT)  # no duplicates
    attempts = {(r["student"], r["assignment"]): r["attempt"] for r in cohort["ledger_rows"]}
    assert {k for k, v in attempts.items() if v == 2} == {(s, EXAM) for s in RESUBMIT}


def test_nbgrader_export_and_peaceops_export_read_the_postgresql_scores(cohort):
    scores = _scores(cohort["url"])
    nbgrader_rows = cohort["exports"]["nbgrader"]
    assert len(nbgrader_rows) == 5 * N_LEARNERS
    for row in nbgrader_rows:
        assert float(row["raw_score"]) == scores[(row["student_id"], row["assignment"])]
    ours = {row["student"]: row for row in cohort["exports"]["peaceops"]}
    assert set(ours) == set(cohort["learners"])
    for student, row in ours.items():
        assert float(row[f"{EXAM}_score"]) == scores[(student, EXAM)]


def test_feedback_reaches_every_learner_and_certify_follows_the_pass_rule(cohort):
    assert all(cohort["feedback"].values()), cohort["feedback"]
    scores = _scores(cohort["url"])
    with Gradebook(cohort["url"], COURSE) as gradebook:
        maximum = gradebook.find_assignment(EXAM).max_score
    passing = {s for s in cohort["learners"] if scores[(s, EXAM)] / maximum >= 0.75}
    assert passing and passing != set(cohort["learners"])
    assert {row["student"] for row in cohort["issued"]} == passing, cohort["certify"]
    assert len(cohort["certificates"]) == len(passing)
    assert "all answered" in cohort["progress"], cohort["progress"]


def test_the_gradebook_has_the_peaceops_indexes(cohort):
    names = {ix["name"] for table in ("grade", "comment", "submitted_notebook")
             for ix in inspect(create_engine(cohort["url"])).get_indexes(table)}
    assert {name for name, _, _ in INDEXES} <= names


def test_every_server_stopped_and_the_repository_is_untouched(cohort):
    assert cohort["hub_pids"], "the hub's processes were not found while it ran"
    assert not _hub_processes(cohort["hub_folder"])
    assert not cohort["hub_folder"].exists()
    assert cohort["after"] == cohort["before"]
