"""tests/startup/sitecustomize.py: the processes the tests start defer jsonschema's IRI
grammar (as `peaceops` does) and still check IRIs; a sitecustomize it hides still runs."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import STARTUP

CHECK = """
import sys
import nbformat  # imports jsonschema, which imports rfc3987_syntax
from jsonschema import FormatChecker
deferred = getattr(sys.modules["rfc3987_syntax"], "__peaceops_stand_in__", False)
checker = FormatChecker()
print(deferred, checker.conforms("http://example.org/a", "iri"),
      checker.conforms("not an iri", "iri"))
"""


def _python(code: str, pythonpath: list[str]) -> str:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(pythonpath)}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.split()


def test_a_process_the_tests_start_defers_the_iri_grammar_and_still_checks_iris():
    assert str(STARTUP) in os.environ["PYTHONPATH"].split(os.pathsep)
    source = [p for p in os.environ["PYTHONPATH"].split(os.pathsep) if p != str(STARTUP)]
    assert _python(CHECK, [str(STARTUP), *source]) == ["True", "True", "False"]
    assert _python(CHECK, source) == ["False", "True", "False"]  # without it: built at import


def test_the_sitecustomize_it_hides_still_runs(tmp_path):
    (tmp_path / "sitecustomize.py").write_text("import builtins\nbuiltins.HIDDEN_RAN = True\n")
    code = "import builtins, sys\nprint(getattr(builtins, 'HIDDEN_RAN', False), " \
           "'rfc3987_syntax' in sys.modules)"
    source = [p for p in os.environ["PYTHONPATH"].split(os.pathsep) if p != str(STARTUP)]
    # the stand-in is in place (deferred) and the hidden sitecustomize ran
    assert _python(code, [str(STARTUP), str(tmp_path), *source]) == ["True", "True"]
