"""The `peaceops bank` verb: `peaceops bank audit`."""

from __future__ import annotations

import argparse
import sys

DESCRIPTION = """\
Audit the graded banks (lessons, exam) and the practice content for cues that give answers
away without knowledge. Per pool:
  - the key's position among the options (chi-square test of uniformity), the key being
    the longest option, a word that only one class of items uses (like "while" in every
    polarity), fewer than four options in a single-choice question, "all/none of the
    above";
  - ids vs keys: neighbours sharing a key, ordered by id and in file order, must lie in
    the central 95 % of random orders (blocks and exact alternation both fail); words of
    an id found in its key and in no distractor, at most chance (ids shuffled) + 10 points;
  - a form-only classifier (function words, conjunctions, punctuation, length, word
    classes; never content words), leave-one-out: accuracy at most chance + 10 points
    (pools under 8 items are reported, not judged);
  - the key shares more content words with the stem than every distractor in at most
    chance + 10 points of the items;
  - scenarios: blind answers (the same weight everywhere with the best fixed decisive
    principle; the most-mentioned principle decisive and the rest 1) score at most the
    expected score of random answers + 10 points of the maximum.
Every check prints its figure, its limit and the offending items.

Policy: the exam bank must pass every check. The lesson bank and practice content run the
same checks; the checks they failed when the form audits came in (bank/policy.py) print
"warn" and do not fail; every other check there is enforced, so none can regress. Exit
status 1 when any enforced check fails ("FAIL"), 0 otherwise.

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
    audit.add_argument("--json", action="store_true",
                       help="print the findings as JSON (one object per figure, with its "
                            "status ok, warn or FAIL)")
    audit.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..content import CourseDir
    from .audit import audit

    course_dir = CourseDir.from_args(args)
    result = audit(course_dir.content(), course_dir.keys())
    if args.json:
        print(result.json())
    else:
        for line in result.lines():
            print(line)
    if result.failures:
        print(f"{len(result.failures)} check(s) failed: reword those items.", file=sys.stderr)
        return 1
    if not args.json:
        warned = f" ({len(result.warnings)} known warning(s))" if result.warnings else ""
        print(f"Every check passed{warned}.")
    return 0
