"""Benchmark: grade one synthetic cohort three ways, in one run, and compare.

1. stock `nbgrader autograde` with nbgrader's default pipeline (Execute: a kernel per
   notebook), the grade cells computing each score in the kernel from the answers file
   (left out with --skip-kernel);
2. stock `nbgrader autograde` with this course's configuration (TrustedGrade: no kernel);
3. `peaceops grade` (cold, then again with nothing changed), then `peaceops report`,
   `export` and `certify` (cold, then again with nothing new) on its gradebook.

Every learner submits every assignment. The script prints the wall time of each, the ratios,
and checks that the gradebooks hold identical scores for every submission.

    python benchmarks/grade_cohort.py --learners 100 [--skip-kernel] [--json FILE]

--scaling 100,1000,10000 instead times `peaceops grade` (cold and rerun), report, export and
certify alone at each cohort size, with each command's peak memory (ru_maxrss), and grading's
marginal cost per submission between sizes (what scaling alone costs, without start-up).
The gradebooks are nbgrader's, with only the indexes `peaceops grade` itself creates.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from peaceops.content import load_course, load_keys  # noqa: E402
from peaceops.exercises import build  # noqa: E402
from peaceops.exercises.store import FILENAME, SCHEMA  # noqa: E402
from tests.factories import answers_for, submit  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
       "PYTHONWARNINGS": "ignore"}
ENV.pop("PYTHONDONTWRITEBYTECODE", None)  # see `cached_bytecode`
IGNORE = shutil.ignore_patterns("_build", ".git", ".venv", ".*cache", "node_modules",
                                "gradebook.db", "submitted", "autograded", "feedback",
                                "reports", "certificates", "docs")

KERNEL_GRADING = '''"""Benchmark only: grade in the learner's kernel (what a kernel-graded course does)."""
import json, os
from peaceops.assignments import find_spec
from peaceops.content import load_course, load_keys
from peaceops.exercises.grading import grade_record
from peaceops.exercises.store import read


def score(exercise_id):
    course = load_course()
    keys = load_keys(course, os.environ["PEACEOPS_KEYS"])
    loaded = read("peaceops-answers.json")
    spec = find_spec(exercise_id)[1]
    return grade_record(course, spec, loaded.records.get(exercise_id), loaded.learner, keys).points
'''

KERNEL_CONFIG = '''c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "peaceops"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
'''


# Runs a command and prints its wall time and peak memory (the child's ru_maxrss, in KiB).
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def cached_bytecode(work: Path) -> None:
    """Time commands as an installed package runs: with its bytecode compiled once and
    cached (here under the work folder, never in the repository), not compiled from source
    at every start as under PYTHONDONTWRITEBYTECODE."""
    ENV["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], env=ENV,
                   check=True)


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env or ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{result.stderr[-3000:]}")
    return elapsed


def measure(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """(wall seconds, peak memory in MiB) of a command."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], cwd=cwd, env=env or ENV,
                         capture_output=True, text=True)
    seconds, rss, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd} (exit {code}): {out.stderr[-3000:]}")
    return float(seconds), int(rss) / 1024


def name_learners(course: Path, learners: int) -> None:
    """Names in the gradebook (a certificate needs one), as `nbgrader db student add` would."""
    with sqlite3.connect(course / "gradebook.db") as db:
        db.executemany("INSERT OR IGNORE INTO student (id, first_name, last_name) VALUES (?,?,?)",
                       [(f"learner{n:04d}", "Learner", f"No. {n}") for n in range(learners)])


def fast_cohort(base: Path, learners: int, assignments: list[str], seed: int) -> int:
    """Like `make_cohort` (same answers as tests.grading.conftest.answers_for), with the
    content loaded once and the unchanged notebook hard-linked: for cohorts of 10,000."""
    course = load_course(base / "data")
    keys = load_keys(course)
    rng = random.Random(seed)
    count = 0
    for n in range(learners):
        learner = f"learner{n:04d}"
        for assignment in assignments:
            fraction = rng.choice([0, 0.25, 0.5, 0.75, 1])
            exercises = {}
            for spec in course.assignments[assignment].exercises:
                exercise, key = build(course, spec, learner, keys)
                n_right = round(len(exercise.items) * fraction)
                answers = {}
                for i, item in enumerate(exercise.items):
                    accepted = sorted(key[item.id].accept, key=str)
                    if i < n_right:
                        answers[item.id] = sorted(accepted[0]) if item.multiple else accepted[0]
                    else:
                        wrong = [v for v, _ in item.choices if v not in key[item.id].accept]
                        answers[item.id] = ([wrong[0]] if item.multiple and wrong
                                            else (wrong[0] if wrong else None))
                exercises[spec.id] = {"exercise": spec.id, "variant": exercise.variant,
                                      "learner": learner, "saved_at": "2026-11-22T10:00:00+00:00",
                                      "answers": answers}
            folder = base / "submitted" / learner / assignment
            folder.mkdir(parents=True, exist_ok=True)
            os.link(base / "exercises" / assignment / f"{assignment}.ipynb",
                    folder / f"{assignment}.ipynb")
            (folder / FILENAME).write_text(json.dumps(
                {"schema": SCHEMA, "learner": learner, "exercises": exercises}))
            (folder / "timestamp.txt").write_text("2026-11-22 10:00:00.000000 UTC")
            count += 1
    return count


def verbs(course: Path, env: dict, rows: int) -> dict[str, dict[str, float]]:
    """Time report, export and certify (then certify again, nothing new) on a graded course."""
    peaceops = str(BIN / "peaceops")
    figures = {}
    for label, cmd in [("report", ["report"]), ("export", ["export", "--format", "canvas"]),
                       ("certify", ["certify"]), ("certify (rerun, nothing new)", ["certify"])]:
        seconds, mib = measure([peaceops, *cmd, "--course", str(course)], course, env)
        figures[label] = {"seconds": seconds, "peak_mib": mib,
                          "ms_per_submission": 1000 * seconds / rows}
    return figures


def key_env(work: Path) -> dict:
    keys = work / "issuer-key"
    env = {**ENV, "PEACEOPS_KEY_DIR": str(keys)}
    return env


def scaling(work: Path, template: Path, sizes: list[int], assignments: list[str],
            seed: int, jobs: int) -> list[dict]:
    results = []
    for learners in sizes:
        course = work / f"scale-{learners}"
        shutil.rmtree(course, ignore_errors=True)
        shutil.copytree(template, course)
        made = time.perf_counter()
        n = fast_cohort(course, learners, assignments, seed)
        made = time.perf_counter() - made
        name_learners(course, learners)
        env = key_env(work)
        grade = [str(BIN / "peaceops"), "grade", "--quiet", "--course", str(course),
                 "--jobs", str(jobs)]
        cold, cold_mib = measure(grade, course)
        rerun, rerun_mib = measure(grade, course)
        row = {"learners": learners, "submissions": n, "cohort_made_s": made,
               "grade": {"seconds": cold, "peak_mib": cold_mib,
                         "ms_per_submission": 1000 * cold / n},
               "grade (rerun, nothing changed)": {"seconds": rerun, "peak_mib": rerun_mib,
                                                  "ms_per_submission": 1000 * rerun / n},
               **verbs(course, env, n)}
        if results:  # the cost of each submission beyond the previous size's
            before = results[-1]
            row["grade"]["marginal_ms_per_submission"] = 1000 * (
                cold - before["grade"]["seconds"]) / (n - before["submissions"])
        print(json.dumps(row), flush=True)
        results.append(row)
        shutil.rmtree(course, ignore_errors=True)
    return results


def scores(course: Path) -> dict[tuple[str, str], float]:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "peaceops") as gradebook:
        return {
            (s.student.id, a.name): round(float(s.score), 6)
            for a in gradebook.assignments
            for s in a.submissions
        }


def make_cohort(base: Path, learners: int, assignments: list[str], seed: int) -> int:
    rng = random.Random(seed)
    count = 0
    for n in range(learners):
        learner = f"learner{n:04d}"
        for assignment in assignments:
            answers, _ = answers_for(assignment, learner, rng.choice([0, 0.25, 0.5, 0.75, 1]))
            submit(base, learner, assignment, answers)
            count += 1
    return count


def kernel_graded_copy(base: Path, dest: Path, assignments: list[str]) -> None:
    """A copy whose grade cells score in the kernel, graded with nbgrader's defaults."""
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    (dest / "nbgrader_config.py").write_text(KERNEL_CONFIG)
    for assignment in assignments:
        path = dest / "solutions" / assignment / f"{assignment}.ipynb"
        nb = nbformat.read(path, 4)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and cell.cell_type == "code":
                cell.source = f'import kernel_grading\nkernel_grading.score("{meta["grade_id"]}")'
        nbformat.write(nb, path)
        (path.parent / "kernel_grading.py").write_text(KERNEL_GRADING)
        run([str(BIN / "nbgrader"), "generate_assignment", assignment, "--force"], dest)
    shutil.copytree(base / "submitted", dest / "submitted")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=100)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", type=Path, help="keep the courses here (default: a temp dir)")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    parser.add_argument("--skip-kernel", action="store_true",
                        help="compare only with autograde + TrustedGrade (no kernel pipeline)")
    parser.add_argument("--jobs", type=int, default=1, help="peaceops grade --jobs")
    parser.add_argument("--scaling", metavar="N,N,...",
                        help="time peaceops alone at these cohort sizes (learners)")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="peaceops-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    cached_bytecode(work)
    assignments = list(load_course().assignments)
    base = work / "base"
    shutil.rmtree(base, ignore_errors=True)
    shutil.copytree(ROOT, base, ignore=IGNORE)
    for assignment in assignments:
        run([str(BIN / "nbgrader"), "generate_assignment", assignment, "--force"], base)
    keys = work / "issuer-key"
    if not (keys / "peaceops-issuer.pem").exists():
        run([str(BIN / "peaceops"), "keys", "init", "--course", str(base), "--dir", str(keys)],
            base)
    if args.scaling:
        sizes = [int(x) for x in args.scaling.split(",")]
        rows = scaling(work, base, sizes, assignments, args.seed, args.jobs)
        figures = {"scaling": rows, "jobs": args.jobs,
                   "python": sys.version.split()[0], "cpus": os.cpu_count(),
                   "load_average_at_end": os.getloadavg()}
        if args.json:
            args.json.write_text(json.dumps(figures, indent=1))
        return 0
    n = make_cohort(base, args.learners, assignments, args.seed)
    name_learners(base, args.learners)
    print(f"Cohort: {args.learners} learners x {len(assignments)} assignments = {n} submissions")

    graders = ("trusted", "peaceops") if args.skip_kernel else ("kernel", "trusted", "peaceops")
    courses = {name: work / name for name in graders}
    for course in courses.values():
        shutil.rmtree(course, ignore_errors=True)
    if "kernel" in courses:
        kernel_graded_copy(base, courses["kernel"], assignments)
    shutil.copytree(base, courses["trusted"])
    shutil.copytree(base, courses["peaceops"])

    times = {}
    kernel_env = {**ENV, "PEACEOPS_KEYS": str(ROOT / "solutions" / "keys" / "bank-keys.yaml")}
    if "kernel" in courses:
        times["kernel"] = sum(
            run([str(BIN / "nbgrader"), "autograde", a], courses["kernel"], kernel_env)
            for a in assignments
        )
    times["trusted"] = sum(
        run([str(BIN / "nbgrader"), "autograde", a], courses["trusted"]) for a in assignments
    )
    grade = [str(BIN / "peaceops"), "grade", "--quiet", "--jobs", str(args.jobs)]
    times["peaceops"], peak = measure(grade, courses["peaceops"])
    times["peaceops (rerun, nothing changed)"], _ = measure(grade, courses["peaceops"])
    others = verbs(courses["peaceops"], key_env(work), n)

    results = {name: scores(course) for name, course in courses.items()}
    identical = all(r == results["peaceops"] for r in results.values())
    assert len(results["peaceops"]) == n, f"{len(results['peaceops'])} of {n} graded"
    labels = {
        "kernel": "nbgrader autograde, default pipeline (a kernel per notebook)",
        "trusted": "nbgrader autograde, this course's TrustedGrade (no kernel)",
        "peaceops": "peaceops grade",
        "peaceops (rerun, nothing changed)": "peaceops grade again (all unchanged)",
    }
    print("\n| grader | wall time (s) | per submission (ms) | peaceops grade is faster by |")
    print("|---|---:|---:|---:|")
    for name, seconds in times.items():
        ratio = seconds / times["peaceops"]
        print(f"| {labels[name]} | {seconds:.1f} | {1000 * seconds / n:.0f} | "
              f"{ratio:.1f}x |" if name in ("kernel", "trusted") else
              f"| {labels[name]} | {seconds:.1f} | {1000 * seconds / n:.0f} | |")
    for name, row in others.items():
        print(f"| peaceops {name} | {row['seconds']:.1f} | | |")
    print(f"\nScores identical across the gradebooks ({n} submissions): {identical}")
    figures = {"learners": args.learners, "submissions": n, "seconds": times,
               "peaceops_grade_peak_mib": peak, "verbs": others, "jobs": args.jobs,
               "ratio_vs_trusted": times["trusted"] / times["peaceops"],
               "scores_identical": identical, "python": sys.version.split()[0],
               "cpus": os.cpu_count(), "load_average_at_end": os.getloadavg()}
    if "kernel" in times:
        figures["ratio_vs_kernel"] = times["kernel"] / times["peaceops"]
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    print(json.dumps(figures, indent=1))
    return 0 if identical else 1


if __name__ == "__main__":
    raise SystemExit(main())
