"""`peaceops translations check|stamp`: a thin layer over `peaceops.content.translations`."""

from __future__ import annotations

import argparse
import sys

from ..options import course_options

DESCRIPTION = """\
The course's translations live in data/i18n/<language>/, one CSV per content table with the
same ids, and one YAML mapping per item file (checks, scenarios, bank, exam-bank, and the
hidden solutions/keys/i18n/<language>/bank-keys.yaml; data/README.md). `check` reports every
missing, stale or unknown row or item, every list of another length, field not in the
English or field left in English, every official term a translation lacks
(data/i18n/<language>/terms.csv), and every message of the
code's catalogue (src/peaceops/locale/<language>/LC_MESSAGES/peaceops.po) that is missing,
left in English or off in its placeholders. After re-translating a
row or item whose English changed, `stamp TABLE ID...` (a table, or an item file: checks,
scenarios, bank, exam-bank, bank-keys) records the English source's current hash in its
source_sha."""


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "translations", help="check the translations of data/i18n/, stamp re-translated rows",
        description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser("check", parents=[course_options()],
                               help="report every problem of a language's translations")
    check.add_argument("--language", default="fr")
    check.set_defaults(func=run_check)
    stamp = actions.add_parser("stamp", parents=[course_options()],
                               help="record the English source hash of re-translated rows")
    stamp.add_argument("table", help="the table (e.g. glossary) or item file (checks, scenarios, bank, "
                       "exam-bank, bank-keys)")
    stamp.add_argument("ids", nargs="*", help="the ids re-translated (default: every row)")
    stamp.add_argument("--language", default="fr")
    stamp.set_defaults(func=run_stamp)


def _data(args: argparse.Namespace):
    from ..content import CourseDir

    return CourseDir.resolve(args.course).data


def run_check(args: argparse.Namespace) -> int:
    from ..content.item_translations import check_items
    from ..content.messages import check_catalogue
    from ..content.translations import check_translations

    data = _data(args)
    issues = [str(issue) for issue in check_translations(data, args.language)]
    issues += [str(issue) for issue in check_items(data, args.language)]
    issues += check_catalogue(args.language)
    for issue in issues:
        print(f"  - {issue}", file=sys.stderr)
    print(f"{len(issues)} problem(s) in the '{args.language}' translations")
    return 1 if issues else 0


def run_stamp(args: argparse.Namespace) -> int:
    from ..content.item_translations import ITEM_FILES, shown, stamp_items, translation_path
    from ..content.translations import FIELDS, stamp

    if args.table not in FIELDS and args.table not in ITEM_FILES:
        raise ValueError(f"unknown table or item file '{args.table}'; use one of "
                         f"{', '.join([*FIELDS, *ITEM_FILES])}")
    data = _data(args)
    try:
        if args.table in FIELDS:
            changed = stamp(args.table, args.ids or None, args.language, data)
            where, what = f"data/i18n/{args.language}/{args.table}.csv", "row(s)"
        else:
            changed = stamp_items(args.table, args.ids or None, args.language, data)
            where = shown(data, translation_path(data, args.table, args.language))
            what = "item(s)"
    except KeyError as exc:
        raise ValueError(exc.args[0]) from None
    print(f"stamped {len(changed)} {what} of {where}"
          + (f": {', '.join(changed)}" if changed else ""))
    return 0
