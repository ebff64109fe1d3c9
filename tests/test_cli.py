"""The `peaceops` command: every verb is listed and explains itself."""

import subprocess
import sys
from pathlib import Path

import pytest

from peaceops.cli import main

VERBS = ["grade", "report", "export", "certify", "keys", "verify", "revoke", "progress", "learner",
         "generate-sources"]


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
