"""Benchmark: start-up of the `peaceops` command (issue 14 item 5).

Times `peaceops --help`, each verb's `--help`, and `peaceops verify` on an unreadable input
(start-up and exit, the path a verifier pays first), each `--repeat` times in fresh
processes, beside a bare `python -c pass`; prints the medians and writes them as JSON.
Targets: `peaceops --help` <= 0.3 s, a verb's `--help` <= 0.5 s.

    python benchmarks/startup.py [--repeat 9] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
VERBS = ["grade", "report", "export", "certify", "keys", "verify", "revoke", "progress"]


def seconds(cmd: list[str], stdin: str = "") -> float:
    start = time.perf_counter()
    subprocess.run(cmd, input=stdin, capture_output=True, text=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--json", type=Path, help="write the medians here as JSON")
    args = parser.parse_args()
    peaceops = str(BIN / "peaceops")
    cases = {"python -c pass": [sys.executable, "-c", "pass"],
             "peaceops --help": [peaceops, "--help"],
             **{f"peaceops {v} --help": [peaceops, v, "--help"] for v in VERBS},
             "peaceops verify - (unreadable input)": [peaceops, "verify", "-"]}
    runs: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.repeat):  # interleaved, so load changes hit every case alike
        for name, cmd in cases.items():
            runs[name].append(seconds(cmd, stdin="not a credential"))
    medians = {name: statistics.median(times) for name, times in runs.items()}
    for name, median in medians.items():
        print(f"{median:6.3f} s  {name}")
    figures = {"median_seconds": medians, "repeat": args.repeat, "cpus": os.cpu_count(),
               "load_average": os.getloadavg(), "python": sys.version.split()[0]}
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
