"""The `peaceops` command: every verb is listed and explains itself."""

import subprocess
import sys
from pathlib import Path

import pytest

from peaceops.cli import main

VERBS = ["grade", "report", "export", "certify", "keys", "verify", "revoke", "progress", "learner",
         "generate-sources", "translations"]


def test_main_help_lists_every_verb(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    for verb in VERBS:
        assert f"\n    {verb} " in text or f"\n    {verb}\n" in text, verb  # a long one wraps


@pytest.mark.parametrize("verb", [*VERBS, "keys init"])
def test_each_verb_has_a_description(verb, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([*verb.split(), "--help"])
    assert exit_.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("usage: peaceops " + verb)
    description = text.split("\n\n")[1]
    assert len(description.split()) >= 8, f"'{verb} --help' does not explain itself"


def test_the_console_script_runs():
    script = Path(sys.executable).with_name("peaceops")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("peaceops ")


def test_no_verb_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main([])
    assert exit_.value.code == 2


# -- the options every verb shares, and one meaning per name --------------------------------

#: A command line of every verb that works on a course directory.
COURSE_VERBS = [
    ["grade"], ["report"], ["export"], ["certify"], ["keys", "init"], ["keys", "publish"],
    ["verify", "cert.json"], ["revoke", "some-id", "--reason", "why"], ["bank", "audit"],
    ["bank", "review", "sheet", "--mode", "cold", "--folder", "f"],
    ["bank", "review", "record", "--mode", "cold", "--folder", "f", "--reviewer", "r",
     "--date", "2026-12-01", "--out", "o.yaml"],
    ["bank", "standard-setting", "sheets", "--folder", "f", "--panelists", "p1"],
    ["bank", "standard-setting", "import", "--folder", "f", "--version", "2027.1"],
    ["generate-sources"], ["lms", "passback"],
    ["translations", "check"], ["translations", "stamp", "glossary"],
]


def _parse(*argv: str):
    from peaceops.cli import parser

    return parser().parse_args(argv)


@pytest.mark.parametrize("verb", COURSE_VERBS, ids=" ".join)
def test_every_course_verb_takes_the_shared_course_option(verb):
    assert _parse(*verb).course == "."
    assert _parse(*verb, "--course", "/srv/course").course == "/srv/course"


@pytest.mark.parametrize("verb", [["grade"], ["report"], ["export"], ["certify"],
                                  ["lms", "passback"]], ids=" ".join)
def test_the_verbs_that_read_the_gradebook_take_db_url(verb):
    assert _parse(*verb, "--db-url", "sqlite:////g.db").db_url == "sqlite:////g.db"


def test_the_shared_options_are_declared_in_one_place():
    """--course, --db-url and --answer-keys are declared only in peaceops/options.py (the
    exam-bank audit script's own --bank is the one other declaration of --bank)."""
    import re

    package = Path(__file__).resolve().parents[1] / "src" / "peaceops"
    found = {}
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"""(?:add_argument\(|add_renamed\(\s*\w+,)\s*["']"""
                               r"""(--course|--db-url|--bank|--answer-keys|--keys)["']""", text):
            found.setdefault(name, set()).add(path.relative_to(package).as_posix())
    assert found == {"--course": {"options.py"}, "--db-url": {"options.py"},
                     "--answer-keys": {"options.py"},
                     "--bank": {"options.py", "bank/meaning.py"}}  # no --keys: renamed


@pytest.mark.parametrize("verb", [["grade"], ["certify"], ["bank", "audit"]], ids=" ".join)
def test_answer_keys_and_the_old_spelling_keys_mean_the_same(verb, capsys):
    assert _parse(*verb, "--answer-keys", "k.yaml").answer_keys == "k.yaml"
    assert _parse(*verb, "--keys", "k.yaml").answer_keys == "k.yaml"  # the old spelling
    assert _parse(*verb).answer_keys is None
    with pytest.raises(SystemExit):
        main([*verb, "--help"])
    text = capsys.readouterr().out
    assert "--answer-keys FILE" in text and "--keys" not in text.replace("--answer-keys", "")


def test_verify_s_keys_are_public_keys_and_the_old_spelling_works(capsys):
    assert _parse("verify", "c.json", "--public-keys", "pk").public_keys == Path("pk")
    assert _parse("verify", "c.json", "--keys", "pk").public_keys == Path("pk")
    assert _parse("verify", "c.json").public_keys is None
    with pytest.raises(SystemExit):
        main(["verify", "--help"])
    text = capsys.readouterr().out
    assert "--public-keys DIR_OR_FILE" in text
    assert "--keys" not in text.replace("--public-keys", "")


def test_the_cli_builds_the_course_directory_once_from_the_options(tmp_path):
    from peaceops.content import CourseDir

    args = _parse("grade", "--course", str(tmp_path), "--bank", "b.yaml", "--keys", "k.yaml",
                  "--db-url", "sqlite:////g.db")
    course = CourseDir.from_args(args)
    assert CourseDir.from_args(args) is course
    assert (course.root, course.bank_path.name, course.keys_path.name, course.gradebook_url) == (
        tmp_path, "b.yaml", "k.yaml", "sqlite:////g.db")
