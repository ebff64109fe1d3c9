"""The `peaceops` command: instructor and certification tools for what nbgrader and
jupyter-book do not already do. Each verb is a thin layer over its subpackage's API."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__

DESCRIPTION = """\
peaceops: grading, reports, LMS export, certificates and progress for the course.

Run the verbs in the course directory (this repository), or pass --course DIR.
Typical cohort workflow:  nbgrader collect -> peaceops grade -> nbgrader generate_feedback
-> peaceops report -> peaceops export --format canvas -> peaceops certify."""
GRADEBOOK_VERBS = ("grade", "report", "export", "certify")  # each takes --db-url


def parser() -> argparse.ArgumentParser:
    from .certify.cli import add_parsers as add_certification
    from .export.cli import add_parser as add_export
    from .grading.cli import add_parser as add_grade
    from .progress.cli import add_parser as add_progress
    from .report.cli import add_parser as add_report

    main = argparse.ArgumentParser(prog="peaceops", description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    main.add_argument("--version", action="version", version=f"peaceops {__version__}")
    verbs = main.add_subparsers(dest="verb", metavar="VERB", required=True)
    add_grade(verbs)
    add_report(verbs)
    add_export(verbs)
    add_certification(verbs)
    add_progress(verbs)
    for name in GRADEBOOK_VERBS:
        verbs.choices[name].add_argument(
            "--db-url", metavar="URL",
            help="the nbgrader gradebook, e.g. postgresql://user@host/peaceops (default: "
                 "c.CourseDirectory.db_url of nbgrader_config.py, else gradebook.db in "
                 "the course)")
    return main


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, ValueError) as exc:
        print(f"peaceops {args.verb}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
