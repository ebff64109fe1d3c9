"""Benchmark (not a timed test): the course on a real hub on this machine, and grading into
PostgreSQL vs SQLite.

1. Hub load: for each cohort size N, JupyterHub (deploy/jupyterhub_config.py) spawns N
   learners' servers at once; then every learner, all at the same time, fetches the exam,
   opens it (a kernel), runs its setup cell and shows its first exercise: the time until the
   exam is usable. Once every learner's exam is usable (every kernel warm), all of them at
   once, exercise by exercise, show the widget (a cell run) and answer it as in the browser
   (a save: the widget's new state sent to their warm kernel as a comm message, as
   JupyterLab sends it on a click; it ends when the kernel has written the answers file and
   sent back "Saved"), and submit the exam. A learner takes `--think` seconds on average
   (uniform, half to one and a half times) before each show and each save: 2 s by default,
   faster than any candidate reads an exercise; `--think 0` is a stress run with no pause.
   Reports spawn time, p50/p95/max of the time until the exam is usable, p50/p95 latency
   of showing an exercise, of an answer save and of a submission, and errors (with the
   stage: open, answer, submit). "Supported" = no error, p95 of a save <= 0.2 s and of a
   submission under 5 s.
2. Grading throughput: `peaceops grade` of 1,000 and 5,000 fabricated submissions into
   SQLite and into PostgreSQL (fsync on, as in production).

    python benchmarks/hub_load.py --learners 10,20,40 --submissions 1000,5000
    python benchmarks/hub_load.py --learners 30 --submissions ''   (the README's hub table)
    python benchmarks/hub_load.py --learners 30 --submissions '' --think 0   (stress)
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
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tests.factories import answers_for, copy_course, submit  # noqa: E402
from tests.hub.cohort import EXAM, LESSONS, instructor_env  # noqa: E402
from tests.hub.learner import COURSE, Learner  # noqa: E402
from tests.hub.servers import BIN, jupyterhub, postgres_server  # noqa: E402

SETUP = "from peaceops.assignments import answered, show\n_shown = {}"  # the setup cell
# an exercise cell as the exam notebook has it (`show(...)` last, so its widget is displayed)
SHOW = "_shown[{exercise!r}] = show({exercise!r})\n_shown[{exercise!r}]"


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def hub_load(n: int, tmp: Path, think: float, logs: Path | None = None) -> dict:
    names = [f"load{i:03d}" for i in range(n)]
    usable, shows, saves, submits, errors = [], [], [], [], []
    lock = threading.Lock()
    ready = threading.Condition(lock)  # saves begin once every exam is usable (or failed)
    arrived = [0]

    def arrive() -> None:
        with ready:
            arrived[0] += 1
            ready.notify_all()

    def all_warm(kernel) -> None:  # the learner's tab stays open meanwhile
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            with ready:
                if arrived[0] >= n:
                    return
            kernel.wait(1.0)
    with jupyterhub(["instructor"]) as hub:
        course = copy_course(hub.homes / "instructor" / "course")
        env = instructor_env(hub.exchange, f"sqlite:///{course / 'gradebook.db'}", tmp / "k")
        subprocess.run([str(BIN / "peaceops"), "generate-sources"], cwd=course,
                       env=env, check=True, capture_output=True)
        for step in ("generate_assignment", "release_assignment"):
            subprocess.run([str(BIN / "nbgrader"), step, EXAM, "--force"], cwd=course, env=env,
                           check=True, capture_output=True)
        hub.add_users(names, f"nbgrader-{COURSE}")
        start = time.monotonic()
        with ThreadPoolExecutor(n) as pool:  # every server asked for at once
            list(pool.map(lambda name: hub.start_server(name, timeout=900), names))
        spawn = time.monotonic() - start
        people = [Learner(hub.url, name, hub.token_for(name)) for name in names]

        def learner_session(learner: Learner) -> None:
            counted, stage = False, "open"
            pace = random.Random(learner.name)

            def pause(kernel) -> None:  # the learner reads and chooses before each action
                if think:
                    kernel.wait(think * pace.uniform(0.5, 1.5))
            try:
                content, _ = answers_for(EXAM, learner.name, 0.75)
                exercises = list(content["exercises"].items())
                t = time.monotonic()
                learner.fetch(EXAM)
                session, kernel = learner.open_notebook(f"{COURSE}/{EXAM}/{EXAM}.ipynb")
                kernel.run(SETUP)
                kernel.run(SHOW.format(exercise=exercises[0][0]))
                with lock:
                    usable.append(time.monotonic() - t)
                counted = True
                arrive()
                all_warm(kernel)  # every kernel warm: saves measure the steady state, not start-up
                stage = "answer"
                try:
                    for i, (exercise, record) in enumerate(exercises):
                        if i:
                            pause(kernel)
                            t = time.monotonic()
                            kernel.run(SHOW.format(exercise=exercise))
                            with lock:
                                shows.append(time.monotonic() - t)
                        pause(kernel)
                        t = time.monotonic()  # a click: the browser sends the widget's state
                        state = kernel.update_widget(kernel.widgets[-1],
                                                     {"chosen": record["answers"]})
                        with lock:
                            saves.append(time.monotonic() - t)
                        if not str(state.get("status", "")).startswith("✔ Saved"):
                            raise RuntimeError(f"{exercise}: no saved status ({state})")
                    said = kernel.run(f"answered({exercises[-1][0]!r})")
                    if "answered and saved" not in said:
                        raise RuntimeError(f"the last exercise's answers were not saved: {said}")
                finally:
                    learner.close_notebook(session, kernel)
                stage = "submit"
                t = time.monotonic()
                learner.submit(EXAM)
                with lock:
                    submits.append(time.monotonic() - t)
            except Exception as exc:  # counted, reported
                with lock:
                    errors.append(f"{learner.name} ({stage}): {type(exc).__name__}: {exc}"[:300])
            finally:
                if not counted:
                    arrive()  # a learner who failed before the exam was usable holds no one up

        start = time.monotonic()
        with ThreadPoolExecutor(n) as pool:  # every learner at once
            list(pool.map(learner_session, people))
        session_wall = time.monotonic() - start
        if errors and logs:  # the hub's and its servers' log, to find why
            logs.mkdir(parents=True, exist_ok=True)
            shutil.copy(hub.folder / "jupyterhub.log", logs / f"hub-{n}-learners.log")
    result = {
        "learners": n, "think_s": think, "spawn_all_s": round(spawn, 1), "session_wall_s": round(session_wall, 1),
        "usable": len(usable), "usable_p50_s": round(percentile(usable, 50), 2),
        "usable_p95_s": round(percentile(usable, 95), 2),
        "usable_max_s": round(max(usable, default=float("nan")), 2),
        "show_p50_s": round(percentile(shows, 50), 3),
        "show_p95_s": round(percentile(shows, 95), 3),
        "saves": len(saves), "save_p50_s": round(percentile(saves, 50), 3),
        "save_p95_s": round(percentile(saves, 95), 3), "submits": len(submits),
        "submit_p50_s": round(percentile(submits, 50), 3),
        "submit_p95_s": round(percentile(submits, 95), 3), "errors": errors[:5],
        "n_errors": len(errors),
    }
    result["supported"] = (not errors and result["save_p95_s"] <= 0.2
                           and result["submit_p95_s"] < 5)
    return result


def grading_throughput(sizes: list[int], tmp: Path) -> list[dict]:
    assignments = (EXAM, *LESSONS)
    rows = []
    with postgres_server(durable=True) as pg:
        for size in sizes:
            base = copy_course(tmp / f"grade-{size}" / "base")
            subprocess.run([str(BIN / "peaceops"), "generate-sources"], cwd=base,
                           env=instructor_env(tmp / "x", "", tmp / "k"), check=True,
                           capture_output=True)
            learners = -(-size // len(assignments))
            made = 0
            for i in range(learners):
                for assignment in assignments:
                    if made == size:
                        break
                    answers, _ = answers_for(assignment, f"l{i:05d}", (i % 5) / 4)
                    submit(base, f"l{i:05d}", assignment, answers)
                    made += 1
            for backend in ("sqlite", "postgresql"):
                course = base if backend == "sqlite" else base.with_name("pg")
                if backend == "postgresql":
                    subprocess.run(["cp", "-a", str(base), str(course)], check=True)
                    for leftover in ("gradebook.db", "peaceops-attempts.jsonl"):
                        (course / leftover).unlink(missing_ok=True)
                    subprocess.run(["rm", "-rf", str(course / "autograded")], check=True)
                url = (f"sqlite:///{course / 'gradebook.db'}" if backend == "sqlite"
                       else pg.create_database(f"grade_{size}"))
                env = instructor_env(tmp / "x", url, tmp / "k")
                for assignment in assignments:
                    subprocess.run([str(BIN / "nbgrader"), "generate_assignment", assignment,
                                    "--force"], cwd=course, env=env, check=True,
                                   capture_output=True)
                start = time.monotonic()
                done = subprocess.run([str(BIN / "peaceops"), "grade", "--quiet", "--db-url", url],
                                      cwd=course, env=env, capture_output=True, text=True)
                wall = time.monotonic() - start
                rows.append({"submissions": size, "gradebook": backend, "wall_s": round(wall, 1),
                             "per_submission_ms": round(1000 * wall / size, 1),
                             "per_second": round(size / wall, 1), "said": done.stdout.strip(),
                             "exit": done.returncode})
                print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", default="10,20,40")
    parser.add_argument("--submissions", default="1000,5000")
    parser.add_argument("--think", type=float, default=2.0,
                        help="mean seconds a learner takes before each action (0: none)")
    parser.add_argument("--logs", type=Path, help="keep the hub's log here when a learner failed")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    args = parser.parse_args()
    from importlib.metadata import version

    results = {"machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
                          f"JupyterHub {version('jupyterhub')}",
               "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
               "load_average_at_start": os.getloadavg(), "hub": [], "grading": []}
    with tempfile.TemporaryDirectory(prefix="peaceops-bench-") as tmp:
        for n in [int(x) for x in args.learners.split(",") if x]:
            results["hub"].append(hub_load(n, Path(tmp), args.think, args.logs))
            print(json.dumps(results["hub"][-1]), flush=True)
        sizes = [int(x) for x in args.submissions.split(",") if x]
        if sizes:
            results["grading"] = grading_throughput(sizes, Path(tmp))
    results["load_average_at_end"] = os.getloadavg()
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))
    print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
