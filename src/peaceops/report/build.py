"""`peaceops report`: a cohort's scores, item analysis, wrong roles and Cronbach's alpha as
one self-contained HTML page plus CSVs.

Layers: `stats` (pure functions on the tidy tables of `Results`), `analysis` (every table of
the report), `plots` (matplotlib, PNG bytes) drawn through a `figure_workers` (in worker
processes, or here), `html` (the page); `build_report` writes them.
(Simulated learners for its tests and benchmarks are a test factory: tests/factories/simulate.py.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..results import Results
from .analysis import Analysis, Thresholds, analyse
from .figure_workers import FigureWorkers
from .grid import Grid
from .html import MIN_LEARNERS_FOR_PLOTS, render
from .stats import ASSIGNMENT_COLUMNS, ITEM_COLUMNS, SCORE_COLUMNS, WRONG_ROLE_COLUMNS

HTML = "report.html"
CSVS = {"scores.csv": SCORE_COLUMNS, "assignments.csv": ASSIGNMENT_COLUMNS,
        "items.csv": ITEM_COLUMNS, "wrong_roles.csv": WRONG_ROLE_COLUMNS}


def figures(a: Analysis, workers: FigureWorkers | None = None
            ) -> tuple[dict[str, bytes], dict[str, bytes], bytes | None]:
    """The report's plots: score histograms and item maps per assignment, the role heatmap;
    drawn by `workers` (default: in this process), all started before any is awaited."""
    if a.n_learners < MIN_LEARNERS_FOR_PLOTS:  # a few points: the page says so instead
        return {}, {}, None
    png = (workers or FigureWorkers(jobs=1)).render
    histograms, item_maps = {}, {}
    for _, row in a.assignments.iterrows():
        rows = a.scores[a.scores["assignment"] == row["assignment"]]
        mark = row["max_score"] * a.pass_percent / 100 if row["certification"] else None
        histograms[row["assignment"]] = png(
            "score_histogram", rows["score"], row["max_score"], mark, row["title"])
    titles = dict(zip(a.assignments["assignment"], a.assignments["title"], strict=True))
    t = a.thresholds
    for assignment, rows in a.items.groupby("assignment", sort=True):
        if rows["discrimination"].notna().any():
            item_maps[assignment] = png("item_map", rows, titles.get(assignment, assignment),
                                         t.too_easy, t.too_hard, t.low_discrimination)
    heatmap = png("confusion_heatmap", a.confusion) if not a.wrong_roles.empty else None
    return ({k: ready() for k, ready in histograms.items()},
            {k: ready() for k, ready in item_maps.items()},
            heatmap() if heatmap else None)


def build_report(
    results: Results,
    out_dir: Path | str,
    pass_percent: float = 75.0,
    course: Any = None,
    thresholds: Thresholds | None = None,
    workers: FigureWorkers | None = None,
    grid: Grid | None = None,
) -> Path:
    """Write report.html and the CSVs (scores, assignments, items, wrong_roles) into
    `out_dir`; return the path of report.html. `course` (default: `load_course()`) gives role
    names and statements; `workers` draws the figures (default: in this process). An empty
    cohort gets a report that says so. `grid`: the learners × assignments view
    (`grid.build_grid`), shown first."""
    a = analyse(results, pass_percent, course, thresholds)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = {"scores.csv": a.scores, "assignments.csv": a.assignments,
              "items.csv": a.items, "wrong_roles.csv": a.wrong_roles}
    for name, frame in tables.items():
        frame[CSVS[name]].to_csv(out / name, index=False, float_format="%.6g")
    page = render(a, *figures(a, workers), grid=grid) if not a.empty else render(a)
    path = out / HTML
    path.write_text(page, encoding="utf-8")
    return path


__all__ = ["Analysis", "CSVS", "HTML", "Thresholds", "analyse", "build_report", "figures"]
