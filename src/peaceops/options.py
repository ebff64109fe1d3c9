"""The command-line options every verb shares, declared once.

Each verb's parser takes them as its parent (argparse `parents=[course_options(...)]`);
`peaceops.content.CourseDir.from_args` then builds the verb's course directory from them,
once. This module imports nothing of peaceops, so any layer's cli may use it.
"""

from __future__ import annotations

import argparse

#: What "keys" means where a verb takes a file of them: hidden answer keys of a bank
#: (`--answer-keys`); `peaceops verify` takes published public keys (`--public-keys`).
ANSWER_KEYS_HELP = ("a private copy of a bank's hidden answer keys (default: the files in "
                    "solutions/keys/); it replaces the keys of the bank whose items it keys")
PRIVATE_BANK_HELP = ("a certifying body's private exam bank (public part, same schema as "
                     "data/exam-bank.yaml), kept outside the repository")
DB_URL_HELP = ("the nbgrader gradebook, e.g. postgresql://user@host/peaceops (default: "
               "c.CourseDirectory.db_url of nbgrader_config.py, else gradebook.db in the "
               "course)")


def course_options(*, gradebook: bool = False, private_bank: bool = False
                   ) -> argparse.ArgumentParser:
    """The parent parser of a verb that works on a course directory: `--course DIR`; with
    `gradebook`, `--db-url URL`; with `private_bank`, `--bank FILE` and `--answer-keys FILE`
    (its old spelling `--keys` still works, hidden from the help)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--course", default=".", metavar="DIR",
                        help="the course directory (default: .)")
    if gradebook:
        parser.add_argument("--db-url", metavar="URL", help=DB_URL_HELP)
    if private_bank:
        parser.add_argument("--bank", metavar="FILE", help=PRIVATE_BANK_HELP)
        add_renamed(parser, "--answer-keys", "--keys", metavar="FILE", help=ANSWER_KEYS_HELP)
    return parser


def add_renamed(parser: argparse.ArgumentParser, name: str, old: str, **kwargs) -> None:
    """Option `name`, and its former spelling `old` for the same destination, which still
    works but is left out of the help."""
    action = parser.add_argument(name, **kwargs)
    parser.add_argument(old, **{**kwargs, "dest": action.dest, "help": argparse.SUPPRESS})
