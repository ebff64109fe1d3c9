"""The `peaceops export` verb."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..options import course_options

DESCRIPTION = """\
Write the cohort's gradebook (after `peaceops grade` or `nbgrader autograde`, manual grades
included) as a CSV file an LMS imports:

  canvas  Canvas Gradebook > Import: Student, ID, SIS User ID, SIS Login ID, Section, one
          column per assignment and a "Points Possible" row. Learners are matched by SIS
          Login ID (the nbgrader student id) or by ID (the gradebook's lms_user_id). A column
          headed "Name (12345)" updates Canvas assignment 12345; without an id in
          lms-ids.yaml, Canvas makes a new assignment of the column.
  moodle  Moodle Grades > Import > CSV file: users mapped by Username (or Email address or
          ID number); each column "<grade item> (Real)" maps itself to the grade item of that
          name (from lms-ids.yaml, else the assignment's title). Points; --percent for 0-100.
  csv     one row per learner: each assignment's score, maximum and percent, and whether it
          waits for manual grading.

The ids: lms-ids.yaml in the course directory (or --ids FILE), for example
  canvas: {mlt-roles: 48213, certification-exam: 48217}
  moodle: {mlt-roles: "MLT roles", certification-exam: "Certification exam"}

Scores still waiting for manual grading (reflections not yet graded in nbgrader's formgrader)
are held back from the Canvas and Moodle files (a blank cell: the LMS keeps what it has) and
listed; --include-waiting exports them as they are."""


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "export", help="a gradebook file for Canvas or Moodle, or a plain wide CSV",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[course_options(gradebook=True)])
    parser.add_argument("--format", choices=("canvas", "moodle", "csv"), default="csv", dest="fmt",
                        help="the file's format (default: csv)")
    parser.add_argument("--out", type=Path,
                        help="the file to write (default: exports/<format>-grades.csv)")
    parser.add_argument("--percent", action="store_true",
                        help="moodle: grades as percent instead of points")
    parser.add_argument("--ids", type=Path, metavar="FILE",
                        help="each LMS's ids of the assignments (default: lms-ids.yaml in the "
                             "course directory, if there)")
    parser.add_argument("--include-waiting", action="store_true",
                        help="export scores still waiting for manual grading (held back "
                             "otherwise)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..content import CourseDir
    from ..results import load_results
    from .lms import IDS_FILE, export, load_ids, waiting

    course_dir = CourseDir.from_args(args)
    results = load_results(course_dir, items=False)  # grades only
    ids_file = args.ids or course_dir.root / IDS_FILE
    if args.ids and not args.ids.is_file():
        raise FileNotFoundError(f"--ids {args.ids}: no such file")
    ids = load_ids(ids_file, results.assignments) if ids_file.is_file() else None
    out = args.out or course_dir.exports / f"{args.fmt}-grades.csv"
    path = export(results, args.fmt, out, percent=args.percent, ids=ids,
                  include_waiting=args.include_waiting)
    learners = len(set(results.students.student) | set(results.submissions.student))
    print(f"Wrote {path} ({learners} learners, {results.submissions.assignment.nunique()} "
          f"assignments, format {args.fmt}).")
    pending = waiting(results)
    if pending:
        what = ("exported as they are (--include-waiting)" if args.include_waiting
                or args.fmt == "csv" else "held back (blank: the LMS keeps what it has)")
        print(f"{len(pending)} score(s) wait for manual grading in nbgrader's formgrader, "
              f"{what}: " + ", ".join(f"{s}/{a}" for s, a in pending)
              + ". Grade them (`nbgrader formgrader`), then export again.")
    if args.fmt in ("canvas", "moodle"):
        assigned = getattr(ids, args.fmt, {}) if ids else {}
        missing = sorted(set(results.submissions.assignment) - set(assigned))
        if missing:
            effect = ("Canvas makes a new assignment of each such column" if args.fmt == "canvas"
                      else "each column maps to the grade item named as the assignment's title")
            print(f"No {args.fmt} id in {ids_file} for: {', '.join(missing)}; {effect}.")
    return 0
