"""Plot a `grade_cohort.py --scaling` run: cost per submission and peak memory by cohort size.

    python benchmarks/plot_scaling.py SCALING.json docs/scaling.png
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COMMANDS = ["grade", "grade (rerun, nothing changed)", "report", "export", "certify",
            "certify (rerun, nothing new)"]


def main(source: Path, out: Path) -> None:
    figures = json.loads(source.read_text())
    rows = figures["scaling"]
    sizes = [r["submissions"] for r in rows]
    fig, (cost, memory) = plt.subplots(1, 2, figsize=(11, 4.2))
    for command in COMMANDS:
        if all(command in r for r in rows):
            cost.plot(sizes, [r[command]["ms_per_submission"] for r in rows], "o-",
                      label=f"peaceops {command}")
            memory.plot(sizes, [r[command]["peak_mib"] for r in rows], "o-",
                        label=f"peaceops {command}")
    for key, style, label in [
            ("ms_per_submission_after_startup", "D-", "peaceops grade, beyond its start-up"),
            ("marginal_ms_per_submission", "s--", "peaceops grade, marginal (beyond the "
                                                  "previous size)")]:
        points = [(r["submissions"], r["grade"][key]) for r in rows if key in r.get("grade", {})]
        if points:
            cost.plot(*zip(*points, strict=True), style, color="black" if style == "D-"
                      else "grey", label=label)
    for ax, label in ((cost, "wall time per submission (ms)"), (memory, "peak memory (MiB)")):
        ax.set_xscale("log")
        ax.set_xlabel("submissions (learners x 5 assignments)")
        ax.set_ylabel(label)
        ax.set_ylim(bottom=0)
        ax.grid(True, alpha=0.3)
    cost.legend(fontsize=7)
    load = figures.get("load_average_at_end") or ["?"]
    load = f"{load[-1]:.1f}" if isinstance(load[-1], float) else load[-1]
    fig.suptitle(f"peaceops at scale ({figures.get('cpus')} CPUs; 15-minute load average at "
                 f"the end {load}; each command run alone, one after the other)", fontsize=9)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
