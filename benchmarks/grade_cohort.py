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

--scaling 100,1000,10000 [--repeat 3] instead times `peaceops grade` (cold, the median of
--repeat runs, and rerun), report, export and certify alone at each cohort size, with each
command's peak memory (ru_maxrss) and CPU time. It first times grading's start-up: the same
command with nothing submitted (imports, content, keys, gradebook). Grading's cost per
submission is given with and without that start-up, and as the marginal cost between sizes;
"flatness" is the largest over the smallest across sizes. Each command runs after the disk's
dirty pages are flushed. The gradebooks are nbgrader's, with only the indexes `peaceops grade`
itself creates.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

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


# Runs a command and prints its wall time, peak memory (the child's ru_maxrss, in KiB), its
# user and system CPU seconds, and its exit code.
MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
used = resource.getrusage(resource.RUSAGE_CHILDREN)
print(time.perf_counter() - start, used.ru_maxrss, used.ru_utime, used.ru_stime, code)
"""


def cached_bytecode(work: Path) -> None:
    """Time commands as an installed package runs: with its bytecode compiled once and
    cached (here under the work folder, never in the repository), not compiled from source
    at every start as under PYTHONDONTWRITEBYTECODE. The cache is apart from the installed
    libraries' own, so they are compiled into it too (else the first command to import each
    one would pay for it; a file that does not compile is left out)."""
    ENV["PYTHONPYCACHEPREFIX"] = str(work / "pycache")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "src")], env=ENV,
                   check=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "-j", "0",
                    sysconfig.get_paths()["purelib"]], env=ENV, capture_output=True)


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env or ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{result.stderr[-3000:]}")
    return elapsed


class Timing(NamedTuple):
    seconds: float  # wall time
    peak_mib: float
    user_s: float  # CPU time in the command's own code and libraries
    sys_s: float  # CPU time in the kernel on its behalf (file system, page cache)


def measure(cmd: list[str], cwd: Path, env: dict | None = None) -> Timing:
    """A command's wall time, peak memory and CPU time, after flushing the disk's dirty
    pages (so that a run never pays for writing out what came before it)."""
    os.sync()
    out = subprocess.run([sys.executable, "-c", MEASURE, *cmd], cwd=cwd, env=env or ENV,
                         capture_output=True, text=True)
    seconds, rss, user, system, code = out.stdout.split()
    if code != "0":
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd} (exit {code}): {out.stderr[-3000:]}")
    return Timing(float(seconds), int(rss) / 1024, float(user), float(system))


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
        took = measure([peaceops, *cmd, "--course", str(course)], course, env)
        figures[label] = {"seconds": took.seconds, "peak_mib": took.peak_mib,
                          "ms_per_submission": 1000 * took.seconds / rows}
    return figures


def key_env(work: Path) -> dict:
    keys = work / "issuer-key"
    env = {**ENV, "PEACEOPS_KEY_DIR": str(keys)}
    return env


def _reset(course: Path, gradebook: Path, trash: Path) -> None:
    """The course as before its first grading: no autograded folders, no attempts ledger,
    the gradebook as it was (assignments and named learners, no submissions). The graded
    folders are moved into `trash`, deleted after every timing: deleting 50,000 folders just
    before a run tripled its system time on this machine."""
    if (course / "autograded").exists():
        trash.mkdir(parents=True, exist_ok=True)
        os.replace(course / "autograded", trash / f"{course.name}-{len(list(trash.iterdir()))}")
    (course / "peaceops-attempts.jsonl").unlink(missing_ok=True)
    shutil.copy2(gradebook, course / "gradebook.db")


def _cold(grade: list[str], course: Path, gradebook: Path, repeat: int,
          trash: Path) -> list[Timing]:
    """`repeat` cold runs of `grade`, each on the course reset to ungraded."""
    runs = []
    for _ in range(repeat):
        _reset(course, gradebook, trash)
        runs.append(measure(grade, course))
    return runs


def _summary(runs: list[Timing], n: int, startup: dict | None = None) -> dict:
    """The median run of several, per submission; beyond start-up when `startup` is given
    (wall and CPU time of a run with nothing to grade)."""
    seconds = statistics.median([r.seconds for r in runs])
    cpu = statistics.median([r.user_s + r.sys_s for r in runs])
    row = {"seconds": seconds, "runs": [{"s": round(r.seconds, 3), "user_s": round(r.user_s, 3),
                                         "sys_s": round(r.sys_s, 3)} for r in runs],
           "peak_mib": max(r.peak_mib for r in runs), "cpu_s": cpu,
           "user_s": statistics.median([r.user_s for r in runs]),
           "sys_s": statistics.median([r.sys_s for r in runs])}
    if n:
        row["ms_per_submission"] = 1000 * seconds / n
    if startup and n:
        row["ms_per_submission_after_startup"] = 1000 * (seconds - startup["seconds"]) / n
        row["cpu_ms_per_submission_after_startup"] = 1000 * (cpu - startup["cpu_s"]) / n
    return row


def scaling(work: Path, template: Path, sizes: list[int], assignments: list[str],
            seed: int, jobs: int, repeat: int) -> dict:
    """Per cohort size: `peaceops grade` cold (`repeat` times, the median kept), again with
    nothing changed, then report, export and certify. Start-up is timed first: the same
    command on the course with nothing submitted (imports, content, keys and gradebook)."""
    grade_args = ["grade", "--quiet", "--jobs", str(jobs)]
    trash = work / "trash"  # what the runs wrote, deleted once all are timed
    shutil.rmtree(trash, ignore_errors=True)
    empty = work / "scale-0"
    shutil.rmtree(empty, ignore_errors=True)
    shutil.copytree(template, empty)
    (empty / "submitted").mkdir(exist_ok=True)
    pristine = work / "gradebook-ungraded.db"
    shutil.copy2(empty / "gradebook.db", pristine)
    grade = [str(BIN / "peaceops"), *grade_args, "--course", str(empty)]
    startup = _summary(_cold(grade, empty, pristine, max(repeat, 3), trash), 0)
    print(json.dumps({"grade start-up (nothing submitted)": startup}), flush=True)
    results = []
    for learners in sizes:
        course = work / f"scale-{learners}"
        shutil.rmtree(course, ignore_errors=True)
        shutil.copytree(template, course)
        made = time.perf_counter()
        n = fast_cohort(course, learners, assignments, seed)
        made = time.perf_counter() - made
        name_learners(course, learners)
        shutil.copy2(course / "gradebook.db", pristine)
        env = key_env(work)
        grade = [str(BIN / "peaceops"), *grade_args, "--course", str(course)]
        cold = _summary(_cold(grade, course, pristine, repeat, trash), n, startup)
        rerun = _summary([measure(grade, course)], n)
        row = {"learners": learners, "submissions": n, "cohort_made_s": made,
               "grade": cold, "grade (rerun, nothing changed)": rerun,
               **verbs(course, env, n)}
        if results:  # the cost of each submission beyond the previous size's
            before = results[-1]
            row["grade"]["marginal_ms_per_submission"] = 1000 * (
                cold["seconds"] - before["grade"]["seconds"]) / (n - before["submissions"])
        print(json.dumps(row), flush=True)
        results.append(row)
    for folder in [trash, empty, *(work / f"scale-{learners}" for learners in sizes)]:
        shutil.rmtree(folder, ignore_errors=True)
    return {"grade_startup": startup, "scaling": results, "flatness": _flatness(results)}


def _flatness(rows: list[dict]) -> dict:
    """Largest over smallest across the sizes: grading's cost per submission (wall and CPU,
    beyond start-up, and wall including it) and its peak memory."""
    def spread(values: list[float]) -> dict:
        return {"min": min(values), "max": max(values), "max_over_min": max(values) / min(values)}

    grades = [r["grade"] for r in rows]
    keys = ["ms_per_submission_after_startup", "cpu_ms_per_submission_after_startup",
            "ms_per_submission", "peak_mib"]
    return {f"grade {key}": spread([g[key] for g in grades]) for key in keys
            if all(key in g for g in grades)}


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
    parser.add_argument("--repeat", type=int, default=1,
                        help="with --scaling: cold grading runs per size (the median is kept)")
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
        figures = {**scaling(work, base, sizes, assignments, args.seed, args.jobs, args.repeat),
                   "jobs": args.jobs, "repeat": args.repeat,
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
    times["peaceops"], peak = measure(grade, courses["peaceops"])[:2]
    times["peaceops (rerun, nothing changed)"] = measure(grade, courses["peaceops"]).seconds
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
