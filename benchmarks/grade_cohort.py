"""Benchmark: grade one synthetic cohort three ways, in one run, and compare.

1. stock `nbgrader autograde` with nbgrader's default pipeline (Execute: a kernel per
   notebook), the grade cells computing each score in the kernel from the answers file;
2. stock `nbgrader autograde` with this course's configuration (TrustedGrade: no kernel);
3. `peaceops grade`.

Every learner submits every assignment. The script prints the wall time of each, the ratios,
and checks that the three gradebooks hold identical scores for every submission.

    python benchmarks/grade_cohort.py --learners 100
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from peaceops.content import load_course  # noqa: E402
from tests.factories import answers_for, submit  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
       "PYTHONWARNINGS": "ignore"}
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


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, env=env or ENV, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{result.stderr[-3000:]}")
    return elapsed


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
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="peaceops-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    assignments = list(load_course().assignments)
    base = work / "base"
    shutil.rmtree(base, ignore_errors=True)
    shutil.copytree(ROOT, base, ignore=IGNORE)
    for assignment in assignments:
        run([str(BIN / "nbgrader"), "generate_assignment", assignment, "--force"], base)
    n = make_cohort(base, args.learners, assignments, args.seed)
    print(f"Cohort: {args.learners} learners x {len(assignments)} assignments = {n} submissions")

    courses = {name: work / name for name in ("kernel", "trusted", "peaceops")}
    for course in courses.values():
        shutil.rmtree(course, ignore_errors=True)
    kernel_graded_copy(base, courses["kernel"], assignments)
    shutil.copytree(base, courses["trusted"])
    shutil.copytree(base, courses["peaceops"])

    times = {}
    kernel_env = {**ENV, "PEACEOPS_KEYS": str(ROOT / "solutions" / "keys" / "bank-keys.yaml")}
    times["kernel"] = sum(
        run([str(BIN / "nbgrader"), "autograde", a], courses["kernel"], kernel_env)
        for a in assignments
    )
    times["trusted"] = sum(
        run([str(BIN / "nbgrader"), "autograde", a], courses["trusted"]) for a in assignments
    )
    times["peaceops"] = run([str(BIN / "peaceops"), "grade", "--quiet"], courses["peaceops"])
    times["peaceops (rerun, nothing changed)"] = run(
        [str(BIN / "peaceops"), "grade", "--quiet"], courses["peaceops"]
    )

    results = {name: scores(course) for name, course in courses.items()}
    identical = results["kernel"] == results["trusted"] == results["peaceops"]
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
    print(f"\nScores identical across the three gradebooks ({n} submissions): {identical}")
    figures = {"learners": args.learners, "submissions": n, "seconds": times,
               "ratio_vs_kernel": times["kernel"] / times["peaceops"],
               "ratio_vs_trusted": times["trusted"] / times["peaceops"],
               "scores_identical": identical, "python": sys.version.split()[0],
               "cpus": os.cpu_count()}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    print(json.dumps(figures, indent=1))
    return 0 if identical else 1


if __name__ == "__main__":
    raise SystemExit(main())
