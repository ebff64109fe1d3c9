"""`peaceops report`: a cohort's scores, item analysis, wrong roles and Cronbach's alpha as
one self-contained HTML page plus CSVs.

Layers: `stats` (pure functions on the tidy tables of `Results`), `analysis` (every table of
the report), `plots` (matplotlib, PNG bytes), `html` (the page); `build_report` writes them.
`simulate` makes ability-based simulated learners for tests and benchmarks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..grading.results import Results
from . import plots
from .analysis import Analysis, Thresholds, analyse
from .html import render
from .stats import ASSIGNMENT_COLUMNS, ITEM_COLUMNS, SCORE_COLUMNS, WRONG_ROLE_COLUMNS

HTML = "report.html"
CSVS = {"scores.csv": SCORE_COLUMNS, "assignments.csv": ASSIGNMENT_COLUMNS,
        "items.csv": ITEM_COLUMNS, "wrong_roles.csv": WRONG_ROLE_COLUMNS}


def figures(a: Analysis) -> tuple[dict[str, bytes], dict[str, bytes], bytes | None]:
    """The report's plots: score histograms and item maps per assignment, the role heatmap."""
    histograms, item_maps = {}, {}
    for _, row in a.assignments.iterrows():
        rows = a.scores[a.scores["assignment"] == row["assignment"]]
        histograms[row["assignment"]] = plots.score_histogram(
            rows["score"], row["max_score"], row["max_score"] * a.pass_percent / 100,
            row["title"])
    for assignment, rows in a.items.groupby("assignment", sort=True):
        if rows["discrimination"].notna().any():
            title = dict(zip(a.assignments["assignment"], a.assignments["title"],
                             strict=True)).get(assignment, assignment)
            t = a.thresholds
            item_maps[assignment] = plots.item_map(rows, title, t.too_easy, t.too_hard,
                                                   t.low_discrimination)
    heatmap = None
    if not a.wrong_roles.empty:
        heatmap = plots.confusion_heatmap(a.confusion)
    return histograms, item_maps, heatmap


def build_report(
    results: Results,
    out_dir: Path | str,
    pass_percent: float = 75.0,
    course: Any = None,
    thresholds: Thresholds | None = None,
) -> Path:
    """Write report.html and the CSVs (scores, assignments, items, wrong_roles) into
    `out_dir`; return the path of report.html. `course` (default: `load_course()`) gives role
    names and statements. An empty cohort gets a report that says so."""
    a = analyse(results, pass_percent, course, thresholds)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = {"scores.csv": a.scores, "assignments.csv": a.assignments,
              "items.csv": a.items, "wrong_roles.csv": a.wrong_roles}
    for name, frame in tables.items():
        frame[CSVS[name]].to_csv(out / name, index=False, float_format="%.6g")
    page = render(a, *figures(a)) if not a.empty else render(a)
    path = out / HTML
    path.write_text(page, encoding="utf-8")
    return path


__all__ = ["Analysis", "CSVS", "HTML", "Thresholds", "analyse", "build_report", "figures"]
