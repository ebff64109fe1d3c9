"""The grading verbs, thin layers over `peaceops.grading`: `peaceops grade` (`grade`) and
`peaceops generate-sources` (`notebooks.write_sources`)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ..options import course_options
from .safe_text import printable

if TYPE_CHECKING:
    from .pipeline import Outcome

DESCRIPTION = """\
Grade every collected submission (submitted/<learner>/<assignment>/) from the learner's
saved answers file, with no kernel: scores, feedback and flags go into the nbgrader
gradebook and autograded/ exactly as `nbgrader autograde` with this course's configuration
would write them, so `nbgrader generate_feedback`, formgrader and `nbgrader export` work as
usual. Safe to interrupt (even to kill) and run again: submissions are committed in batches,
a batch cut short is graded again, unchanged submissions are skipped. A broken submission is
flagged for review and never stops the others. --jobs N grades in N processes. Learner text
in FLAG and NOT GRADED lines is escaped (\\x1b, \\r, \\udfff): it cannot rewrite the output.

One grader at a time: a second `peaceops grade` on the same course waits for the first
(--no-wait: exits with status 3 instead), then skips what the first graded.

Exit status: 0 when every submission was graded (flagged ones included), 1 when some could
not be graded at all or an entry of submitted/ is not a submission the graders read (a
hidden name, a file, an unreadable folder: each listed with the reason), 2 on a usage
error, 3 when another grader is running and --no-wait was given."""


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "grade", help="grade collected submissions from their answers files (fast, no kernel)",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[course_options(gradebook=True, private_bank=True)])
    parser.add_argument("assignments", nargs="*", metavar="ASSIGNMENT",
                        help="assignments to grade (default: every collected one)")
    parser.add_argument("--student", action="append", default=[], metavar="ID",
                        help="grade only this learner (repeatable)")
    parser.add_argument("--force", action="store_true",
                        help="grade again even submissions that have not changed")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="grade in N worker processes (default: 1); the gradebook is the "
                             "same as a serial run's")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--no-wait", dest="wait", action="store_false",
                        help="if another grader is grading this course, exit (status 3) "
                             "instead of waiting for it")
    parser.set_defaults(func=run)


SOURCES = """\
Write the nbgrader source notebook of every assignment in data/assignments.yaml
(solutions/<id>/<id>.ipynb), one line per notebook written. Run it after changing
data/assignments.yaml (or the exercises an assignment draws on), then
`nbgrader generate_assignment <id> --force` for each assignment to make its release.
Regenerating an unchanged assignment changes nothing (stable cell ids).
(`python -m peaceops.grading.notebooks` does the same, for scripts that call it.)"""


def add_sources_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "generate-sources", help="write each assignment's nbgrader source notebook from "
        "data/assignments.yaml (then: nbgrader generate_assignment)",
        description=SOURCES, formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[course_options()])
    parser.set_defaults(func=run_sources)


def run_sources(args: argparse.Namespace) -> int:
    from ..content import CourseDir
    from .notebooks import write_sources

    for written in write_sources(CourseDir.from_args(args)):
        print(written)
    return 0


def run(args: argparse.Namespace) -> int:
    from ..content import CourseDir
    from .cohort import grade
    from .lock import GraderBusy

    def tell(outcome: Outcome) -> None:
        for flag in outcome.flags:
            print(f"FLAG {_name(outcome)}: {printable(flag)}", file=sys.stderr)

    try:
        summary = grade(CourseDir.from_args(args), args.assignments, args.student,
                        force=args.force, progress=not args.quiet, on_flag=tell,
                        wait=args.wait, on_wait=lambda m: print(m, file=sys.stderr),
                        jobs=args.jobs, keep=False)
    except GraderBusy as busy:
        print(f"peaceops grade: {busy}", file=sys.stderr)
        return 3
    not_graded = len(summary.errors) + len(summary.passed_over)
    if not summary.total:
        print("No collected submissions found under submitted/<learner>/<assignment>/.")
    else:
        print(f"Graded {summary.count('graded')}, unchanged (skipped) "
              f"{summary.count('skipped')}, flagged for review {len(summary.flagged)}, "
              f"not graded {not_graded}.")
    for line in summary.per_assignment():
        print(line)
    for outcome in summary.errors:
        print(f"NOT GRADED {_name(outcome)}: {printable(outcome.error)}", file=sys.stderr)
    for path, why in summary.passed_over:
        print(f"NOT GRADED {printable(path)}: {why}", file=sys.stderr)
    return 1 if not_graded else 0


def _name(outcome: Outcome) -> str:
    """`<student>/<assignment>` of an outcome, printable (the folder names are learners')."""
    s = outcome.submission
    return printable(f"{s.student}/{s.assignment}")
