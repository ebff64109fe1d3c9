"""The `peaceops export` verb."""

from __future__ import annotations

import argparse
from pathlib import Path

DESCRIPTION = """\
Write the cohort's gradebook (after `peaceops grade` or `nbgrader autograde`, manual grades
included) as a CSV file an LMS imports:

  canvas  Canvas Gradebook > Import: Student, ID, SIS User ID, SIS Login ID, Section, one
          column per assignment and a "Points Possible" row. Learners are matched by SIS
          Login ID (the nbgrader student id) or by ID (the gradebook's lms_user_id).
  moodle  Moodle Grades > Import > CSV file: map users by Username, Email address or ID
          number; map each assignment column to a grade item (points; --percent for 0-100).
  csv     one row per learner: each assignment's score, maximum and percent."""


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "export", help="a gradebook file for Canvas or Moodle, or a plain wide CSV",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--format", choices=("canvas", "moodle", "csv"), default="csv", dest="fmt",
                        help="the file's format (default: csv)")
    parser.add_argument("--course", default=".", help="the course directory (default: .)")
    parser.add_argument("--out", type=Path,
                        help="the file to write (default: exports/<format>-grades.csv)")
    parser.add_argument("--percent", action="store_true",
                        help="moodle: grades as percent instead of points")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..content import CourseDir
    from ..grading.results import load_results
    from .lms import export

    results = load_results(CourseDir.from_args(args), items=False)  # grades only
    out = args.out or CourseDir.from_args(args).exports / f"{args.fmt}-grades.csv"
    path = export(results, args.fmt, out, percent=args.percent)
    learners = len(set(results.students.student) | set(results.submissions.student))
    print(f"Wrote {path} ({learners} learners, {results.submissions.assignment.nunique()} "
          f"assignments, format {args.fmt}).")
    return 0
