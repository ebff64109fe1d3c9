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

    from ..content.messages import _
    from .learner import MixedLearners, progress

    try:
        result = progress(args.folder)
    except MixedLearners as exc:
        print(f"peaceops progress: {exc}", file=sys.stderr)
        return 2
    print(_("Learner: {learner}").format(learner=result.learner or _("(not set yet)")) + "\n")
    print(_("Practice (lessons)") + "\n")
    print(result.practice.to_string(index=False))
    print("\n" + _("Graded exercises (answered and saved)") + "\n")
    print(result.assignments.to_string(index=False))
    print("\n" + result.summary())
    return 0


LEARNER_DESCRIPTION = """\
Your learner id decides which items each graded exercise draws for you, and your instructor's
grader draws the same items from the student id nbgrader submits your work under: the two
must agree. On JupyterHub they do by themselves. Elsewhere they are your OS user name, unless
your instructor gave you another id: then set it once, in your course folder (where you run
`nbgrader fetch_assignment`):

  peaceops learner set ID    writes peaceops-learner.json (read by the exercises) and
                             nbgrader_config.py (c.CourseDirectory.student_id = ID, read by
                             nbgrader fetch_assignment, submit and fetch_feedback run there)
  peaceops learner show      the learner id the exercises and nbgrader will use here"""


def add_learner_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "learner", help="a learner's id: set it once for your course folder, or show it",
        description=LEARNER_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    set_id = actions.add_parser("set", help="set your learner id for this course folder")
    set_id.add_argument("learner", metavar="ID", help="the learner id your instructor gave you")
    set_id.add_argument("--folder", default=".", help="your course folder (default: here)")
    show = actions.add_parser("show", help="show the learner id used here")
    show.add_argument("--folder", default=".", help="your course folder (default: here)")
    parser.set_defaults(func=run_learner)


def run_learner(args: argparse.Namespace) -> int:
    from ..exercises.identity import resolve, set_learner, submitting_student

    if args.action == "set":
        written = set_learner(args.folder, args.learner)
        print(f"Learner id {args.learner.strip()!r} set for {args.folder}: "
              + ", ".join(str(p) for p in written) + ". Restart any open kernel.")
        return 0
    learner, submitter = resolve(args.folder), submitting_student(args.folder)
    print(f"Learner id: {learner}\nnbgrader submits as: {submitter}")
    if learner != submitter:
        print(f"They differ: run `peaceops learner set {learner}` here.")
        return 1
    return 0
