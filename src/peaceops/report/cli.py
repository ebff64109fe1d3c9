"""The `peaceops report` verb: a thin layer over `peaceops.report.build_report`."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..options import course_options

REPORTS_DIR = "reports"  # in the course directory

DESCRIPTION = """\
Write a cohort report from the graded results in the course directory (the nbgrader
gradebook and autograded/*/*/peaceops-grading.json): one self-contained HTML file that opens
offline (report.html) and CSVs (scores, assignments, items, wrong_roles). It shows the score
distribution and pass rate per assignment, each item's facility and discrimination
(corrected item-total correlation), the wrong roles learners pick in role matching, the
exam's Cronbach's alpha, and the items flagged as too easy, too hard or not discriminating
(a negative discrimination: check the key). It opens with the instructor's grid: every
learner × assignment with its status (not submitted, waiting for manual grading, flagged
with the reason, exam passed or failed, certified), and who is at risk. Run it after
`peaceops grade`."""


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "report", help="cohort report: scores, item analysis, wrong roles, alpha (HTML + CSV)",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[course_options(gradebook=True)])
    parser.add_argument("--out", metavar="DIR",
                        help="where to write the report (default: reports/ in the course)")
    parser.add_argument("--pass-percent", type=float, metavar="P",
                        help="pass mark as a percentage of the maximum (default: the current "
                             "pass rule's, data/certification.yaml)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..content import CourseDir
    from ..credentials.certificate_ledger import CERTIFICATES_DIR
    from ..results import load_results
    from .build import build_report
    from .figure_workers import FigureWorkers
    from .grid import build_grid, read_certified

    course_dir = CourseDir.from_args(args)
    out = Path(args.out) if args.out else course_dir.root / REPORTS_DIR
    with FigureWorkers() as workers:  # its workers import matplotlib while the results are read
        results = load_results(course_dir)
        rule = course_dir.certification().rule()
        if args.pass_percent is None:  # the current pass rule's mark
            args.pass_percent = float(rule.min_percent)
        grid = build_grid(results, rule, read_certified(course_dir.root / CERTIFICATES_DIR,
                                                   rule.version))
        path = build_report(results, out, args.pass_percent, course=course_dir.content(),
                            workers=workers, grid=grid)
    if results.submissions.empty:
        print("No graded submissions yet: run `peaceops grade` first. "
              f"An empty report was written to {path}.")
    else:
        print(f"Report for {results.submissions['student'].nunique()} learners and "
              f"{len(results.submissions)} submissions: {path} (CSVs beside it).")
        waiting = sorted(f"{s}/{a}" for (s, a), c in grid.cells.items() if "waiting" in c.statuses)
        if waiting:
            print(f"{len(waiting)} score(s) wait for manual grading in nbgrader's formgrader "
                  "(not final): " + ", ".join(waiting))
        if grid.at_risk:
            print(f"At risk {len(grid.at_risk)}: "
                  + "; ".join(f"{s} ({why})" for s, _, why in grid.at_risk))
    return 0
