"""The `peaceops lms` verbs: `key` (the tool's key pair for the LMS) and `passback`
(scores to the LMS's gradebook through LTI Assignment and Grade Services)."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from ..options import course_options

DESCRIPTION = """\
The course in an LMS through LTI 1.3 (README, "Launching from Moodle or Canvas").

  key       make the tool's private key (once; outside any git work tree) and print its
            public key in the forms the LMS asks for: Moodle's "Public key" (PEM), Canvas's
            "Public JWK" (JSON).
  passback  post each learner's score per assignment, and their certification result, to
            the LMS's gradebook (one column per assignment, created once, updated after);
            scores waiting for manual grading are sent as pending, with no score."""

PASSBACK = """\
Post the graded results to the LMS through LTI Assignment and Grade Services (AGS).

Each learner who launched the course from the LMS gets, in the LMS course they launched
from: one column per assignment (found by its resource id and the tag 'peaceops', created
the first time, updated afterwards: never a duplicate column) holding their score, and a
'Certification' column (1 certified, 0 not certified within the attempts allowed, pending
otherwise). A score waiting for manual grading is sent with no score, marked PendingManual.
Run it again after any grading: each score replaces the previous one.

What is needed: lti.yaml in the course (or $PEACEOPS_LTI_CONFIG), the tool's key
(`peaceops lms key`; $PEACEOPS_LTI_KEY), and the hub that kept the launches: --hub-url
(default $JUPYTERHUB_API_URL) and a token with the scopes admin:auth_state and list:users
in $PEACEOPS_HUB_TOKEN (or $JUPYTERHUB_API_TOKEN). Every score sent or refused is appended
to exports/lms-passback.jsonl. Exit status 1 if anything was refused."""


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("lms", help="LTI 1.3: the tool's key, grade passback",
                                   description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    verbs = parser.add_subparsers(dest="lms_verb", metavar="{key,passback}", required=True)
    key = verbs.add_parser("key", help="make and print the tool's key pair")
    key.add_argument("--key", type=Path, help="the private key's file (default: "
                     "$PEACEOPS_LTI_KEY, else ~/.config/peaceops/lti/tool-key.pem)")
    key.set_defaults(func=run_key)
    send = verbs.add_parser("passback", help="scores to the LMS's gradebook (AGS)",
                            description=PASSBACK, parents=[course_options(gradebook=True)],
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    send.add_argument("--config", type=Path, help="lti.yaml (default: $PEACEOPS_LTI_CONFIG, "
                      "else lti.yaml in the course directory)")
    send.add_argument("--key", type=Path, help="the tool's private key (see `lms key`)")
    send.add_argument("--hub-url", help="the hub that kept the launches (default: "
                      "$JUPYTERHUB_API_URL)")
    send.add_argument("--no-certification", action="store_true",
                      help="send the assignments' scores only")
    send.set_defaults(func=run_passback)


def run_key(args: argparse.Namespace) -> int:
    from .config import init_key, load_key

    path = init_key(args.key)
    key = load_key(path)
    print(f"The tool's private key: {path} (keep it there; never commit it).")
    print(f"Key id (kid): {key.kid}\n")
    print("Moodle > Tool settings > Public key type 'RSA key' > Public key:")
    print(key.public_pem)
    print("Canvas > Developer Keys > LTI key > Public JWK:")
    print(json.dumps(key.jwk, indent=2))
    return 0


def run_passback(args: argparse.Namespace) -> int:
    from ..content import CourseDir
    from ..credentials.credential import is_training
    from ..results import load_results
    from .config import config_path, load_key, load_platform
    from .hub import hub_token, launches
    from .passback import LOG_FILE, passback

    course_dir = CourseDir.from_args(args)
    platform = load_platform(args.config or config_path(course_dir.root))
    key = load_key(args.key)
    hub_url = args.hub_url or os.environ.get("JUPYTERHUB_API_URL", "")
    if not hub_url:
        raise ValueError("which hub kept the launches? Pass --hub-url https://hub.example.org "
                         "(or set $JUPYTERHUB_API_URL)")
    results = load_results(course_dir, items=False)
    rule = None
    training = False
    if not args.no_certification:
        rule = course_dir.certification().rule(None)
        training = is_training(course_dir.exam_bank())
    learners = set(results.submissions.student) | set(results.students.student)
    found = launches(hub_url, hub_token(), learners)
    log = course_dir.exports / LOG_FILE
    report = passback(results, found, platform, key, log, rule, training)
    sent = [s for s in report.sent if s.status == "sent"]
    pending = [s for s in sent if s.score_given is None]
    print(f"Sent {len(sent)} score(s) to {platform.issuer} ({len(pending)} pending, with no "
          f"score); {len(report.created)} column(s) created"
          + (f": {', '.join(report.created)}" if report.created else "") + f". Log: {log}")
    for learner, why in report.not_launched:
        print(f"Not sent: {learner} {why}.")
    failed = [s for s in report.sent if s.status != "sent"]
    for message in report.errors:
        print(f"Refused: {message}")
    for s in failed:
        if not any(s.message in e for e in report.errors):
            print(f"Refused: {s.learner}/{s.column}: {s.message}")
    return 0 if report.ok else 1
