"""The `certify` verb of the `peaceops` command (the credential verbs, keys, verify and revoke,
are peaceops.credentials.cli's).

`add_parser(subparsers)` adds it to the main parser; its `func(args)` returns the exit code.
The logic lives in the programmatic API (`peaceops.certify`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..credentials.certificate_ledger import CERTIFICATES_DIR, LEDGER
from ..credentials.cli import KEY_HELP, RAW, _error
from ..credentials.errors import CertifyError
from ..credentials.keys import PUBLIC_DIR
from ..options import course_options


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    """Add the verb certify."""
    p = subparsers.add_parser(
        "certify",
        formatter_class=RAW,
        parents=[course_options(gradebook=True, private_bank=True)],
        help="issue PDF certificates and signed credentials to learners who pass",
        description=(
            "Apply the pass rule of data/certification.yaml to the graded results of the course\n"
            "directory and issue, to each learner who passes, a signed JSON credential and a\n"
            f"PDF certificate in {CERTIFICATES_DIR}/<rule version>/, recorded in "
            f"{CERTIFICATES_DIR}/{LEDGER}.\n"
            "Each certificate (PDF and credential) is in its learner's language: the language\n"
            "column of --roster, else --language (default en).\n"
            "Run it again at any time: nobody is certified twice under one rule version.\n"
            f"The public key is published to {PUBLIC_DIR}/ (commit it). Prints who was issued,\n"
            "who was certified already and who does not pass, with the reasons. Exit 0 on\n"
            "success, 1 when something needs your attention (the message says what to do)."
        ),
    )
    p.add_argument("--key", type=Path, help=KEY_HELP)
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help=f"where certificates go (default: <course>/{CERTIFICATES_DIR})",
    )
    p.add_argument(
        "--rule",
        metavar="VERSION",
        help="the pass rule version (default: `current` in data/certification.yaml)",
    )
    p.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="the certification configuration (default: data/certification.yaml)",
    )
    p.add_argument(
        "--roster",
        type=Path,
        metavar="CSV",
        help="each learner's certificate language: a CSV with the columns id (the learner "
        "id, as for `nbgrader db student import`, which ignores the other column) and "
        "language (a language of the course, e.g. fr; empty: --language); any other value "
        "holds that learner's certificate back, with the reason (default: roster.csv of the "
        "course folder, when there is one: the roster graded feedback follows too)",
    )
    p.add_argument(
        "--language",
        metavar="LANG",
        help="the certificates' language for learners the roster does not give one: a "
        "language of the course, e.g. fr (default: en)",
    )
    p.add_argument("--jobs", type=int, metavar="N",
                   help="draw the PDFs in N processes (default: one per CPU)")
    p.add_argument("--training", action="store_true",
                   help="issue from the public reference bank anyway: training certificates, "
                   "each marked 'reference bank: for training, not certification' (without "
                   "it, certify refuses an exam graded from the reference bank)")
    p.set_defaults(func=run_certify)


def run_certify(args: argparse.Namespace) -> int:
    from ..content import ContentError, CourseDir
    from .issue import certify

    try:
        report = certify(CourseDir.from_args(args), args.key, args.out, args.rule, args.config,
                         jobs=args.jobs, training=getattr(args, "training", False),
                         roster=args.roster, language=args.language)
    except (CertifyError, ContentError, OSError) as error:
        return _error("certify", error)
    print(report.rule.describe())
    if report.published_key:
        print(f"published the public key to {report.published_key}: commit it")
    print(f"issued {len(report.issued)}")
    for i in report.issued:
        note = " (recovered from an interrupted run)" if i.recovered else ""
        print(f"  {i.student}  {i.name}  code {i.code}  {i.pdf}  ({i.language}){note}")
    print(f"already certified {len(report.already)}")
    for row in report.already:
        print(f"  {row['student']}  {row['name']}  certificate {row['certificate_id']}")
    print(f"not passing {len(report.not_passing)}")
    for d in report.not_passing:
        print(f"  {d.student}: {'; '.join(d.reasons)}")
    if report.waiting:
        print(f"waiting for manual grading {len(report.waiting)} (grade them in nbgrader's "
              "formgrader, then run certify again)")
        for student, assignment in report.waiting:
            print(f"  {student}/{assignment}")
    if report.problems:
        print(f"need attention {len(report.problems)}", file=sys.stderr)
        for student, problem in report.problems:
            print(f"  {student}: {problem}", file=sys.stderr)
    return 0 if report.ok else 1
