"""The `peaceops progress` verb."""

from __future__ import annotations

import argparse

DESCRIPTION = """\
Show your own progress from your saved files under FOLDER (default: the current folder):
the practice checks of each lesson you have tried or answered correctly (recorded when you
click Check), and for each graded exercise how many items are answered and saved (never
whether they are right: your instructor's grader decides that).

It shows one learner's progress: run in a folder holding submitted/ or the answers files of
several learners, it says which folder to run it in and exits with status 2."""


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "progress", help="a learner's own progress: practice checks and saved answers",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", default=".", help="your course folder")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import sys

    from .learner import MixedLearners, progress

    try:
        result = progress(args.folder)
    except MixedLearners as exc:
        print(f"peaceops progress: {exc}", file=sys.stderr)
        return 2
    print(f"Learner: {result.learner or '(not set yet)'}\n")
    print("Practice (lessons)\n")
    print(result.practice.to_string(index=False))
    print("\nGraded exercises (answered and saved)\n")
    print(result.assignments.to_string(index=False))
    print("\n" + result.summary())
    return 0
