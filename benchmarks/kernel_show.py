"""Benchmark: showing an exam exercise in a fresh learner's kernel (issue 32 item 7).

Each run is a fresh interpreter that first imports what a Jupyter kernel has loaded already
(IPython), then times the exam notebook's cells: the setup cell
(`from peaceops.assignments import answered, show`) and the first exercise
(`show("exam-roles")`: load the course, draw the learner's variant, build the widget), and
lists the heavy modules it loaded. Prints the medians of `--repeat` runs and writes them as
JSON. Target: the exercise shown within 0.3 s of the import, with no pandas or matplotlib.

    python benchmarks/kernel_show.py [--repeat 9] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

PROBE = """
import json, sys, time
import IPython  # a kernel has it loaded before the first cell
start = time.perf_counter()
from peaceops.assignments import answered, show
imported = time.perf_counter()
show("exam-roles")
shown = time.perf_counter()
heavy = sorted(m for m in ("pandas", "matplotlib", "scipy", "nbgrader") if m in sys.modules)
print(json.dumps({"import_s": imported - start, "show_s": shown - imported, "heavy": heavy}))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--json", help="write the medians here as JSON")
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "PEACEOPS_STUDENT_ID": "learner-01"}
        for _ in range(args.repeat):
            out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                                 cwd=folder, env=env, check=True).stdout
            runs.append(json.loads(out.splitlines()[-1]))
    result = {
        "runs": args.repeat,
        "import_s": round(statistics.median(r["import_s"] for r in runs), 3),
        "show_s": round(statistics.median(r["show_s"] for r in runs), 3),
        "heavy_modules": sorted({m for r in runs for m in r["heavy"]}),
        "load_average": os.getloadavg()[0],
    }
    print(json.dumps(result, indent=2))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(result, handle, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
