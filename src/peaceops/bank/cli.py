"""The `peaceops bank` verb: `peaceops bank audit`."""

from __future__ import annotations

import argparse
import sys

DESCRIPTION = """\
Audit the graded banks for cues that give answers away without knowledge: the key's
position among the options (chi-square test of uniformity), the key being the longest
option, a word that only one class of items uses (like "while" in every polarity), fewer
than four options in a single-choice question, "all/none of the above". Prints every
figure; exit status 1 when any check fails, 0 when all pass.

Give a certifying body's private exam bank with --bank and --keys."""


def add_parser(subparsers) -> None:
    bank = subparsers.add_parser("bank", help="audit the graded item banks for answer cues",
                                 description=DESCRIPTION,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = bank.add_subparsers(dest="bank_verb", metavar="VERB", required=True)
    audit = verbs.add_parser("audit", help="print the audit figures (exit 1 on a failure)",
                             description=DESCRIPTION,
                             formatter_class=argparse.RawDescriptionHelpFormatter)
    audit.add_argument("--course", default=".", help="the course directory (default: .)")
    audit.add_argument("--bank", metavar="FILE", help="a private exam bank's public file")
    audit.add_argument("--keys", metavar="FILE", help="the private exam bank's keys")
    audit.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..content import CourseDir
    from .audit import audit

    course_dir = CourseDir.from_args(args)
    result = audit(course_dir.content(), course_dir.keys())
    for line in result.lines():
        print(line)
    if result.failures:
        print(f"{len(result.failures)} check(s) failed: reword those items.", file=sys.stderr)
        return 1
    print("Every check passed.")
    return 0
