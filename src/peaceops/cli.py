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


def parser() -> argparse.ArgumentParser:
    from .bank.cli import add_parser as add_bank
    from .certify.cli import add_parser as add_certify
    from .credentials.cli import add_parsers as add_credentials
    from .export.cli import add_parser as add_export
    from .grading.cli import add_parser as add_grade
    from .grading.cli import add_sources_parser
    from .lti.cli import add_parser as add_lms
    from .progress.cli import add_learner_parser
    from .progress.cli import add_parser as add_progress
    from .report.cli import add_parser as add_report
    from .translations.cli import add_parser as add_translations

    main = argparse.ArgumentParser(prog="peaceops", description=DESCRIPTION,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    main.add_argument("--version", action="version", version=f"peaceops {__version__}")
    verbs = main.add_subparsers(dest="verb", metavar="VERB", required=True)
    add_grade(verbs)
    add_report(verbs)
    add_export(verbs)
    add_certify(verbs)
    add_credentials(verbs)
    add_progress(verbs)
    add_learner_parser(verbs)
    add_bank(verbs)
    add_lms(verbs)
    add_sources_parser(verbs)
    add_translations(verbs)
    return main


def defer_iri_grammar() -> None:
    """Build jsonschema's IRI grammar only if an "iri" format is ever checked.

    Importing nbformat imports jsonschema, which imports `rfc3987_syntax`, which builds a
    Lark grammar at import (0.7-0.95 s, most of a verb's start-up); nothing peaceops or
    nbgrader runs checks that format. A stand-in module offers the one function jsonschema
    takes from it and imports the real module on first use: behaviour unchanged, cost
    deferred. Nothing is done when the module is absent or already imported."""
    import importlib
    import importlib.util
    import types

    name = "rfc3987_syntax"
    if name in sys.modules or importlib.util.find_spec(name) is None:
        return

    def real() -> types.ModuleType:
        if getattr(sys.modules.get(name), "__peaceops_stand_in__", False):
            del sys.modules[name]
        module = importlib.import_module(name)
        stand_in.__dict__.update(module.__dict__)
        return module

    def is_valid_syntax(*args, **kwargs):
        return real().is_valid_syntax(*args, **kwargs)

    stand_in = types.ModuleType(name, "peaceops: imports rfc3987_syntax on first use")
    stand_in.__peaceops_stand_in__ = True
    stand_in.is_valid_syntax = is_valid_syntax
    def attribute(attr: str):
        if attr.startswith("__"):  # the import system asks for __path__, __spec__, ...
            raise AttributeError(attr)
        return getattr(real(), attr)

    stand_in.__getattr__ = attribute
    sys.modules[name] = stand_in


def main(argv: Sequence[str] | None = None) -> int:
    defer_iri_grammar()
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (FileNotFoundError, ValueError) as exc:
        print(f"peaceops {args.verb}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
