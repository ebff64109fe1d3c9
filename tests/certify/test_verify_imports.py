"""`peaceops verify` imports only what verification needs: a certificate check starts fast
and works where the course's heavy dependencies are broken or absent."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from peaceops.certify import decide, new_credential

from .conftest import cohort

HEAVY = ("ipywidgets", "pandas", "matplotlib", "fpdf", "nbgrader", "nbformat")
PROBE = """
import sys
from peaceops.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print("EXIT", code)
print("LOADED", " ".join(sorted(m for m in {heavy!r} if m in sys.modules)))
"""


def _run(*argv) -> tuple[int, set[str]]:
    result = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *map(str, argv)],
                            capture_output=True, text=True, timeout=120)
    lines = dict(line.split(" ", 1) if " " in line else (line, "")
                 for line in result.stdout.splitlines() if line.startswith(("EXIT", "LOADED")))
    assert "EXIT" in lines, result.stderr[-2000:]
    return int(lines["EXIT"]), set(lines["LOADED"].split())


def test_verify_loads_no_heavy_module(tmp_path, certification, keypair):
    decision = decide(cohort({"dara": [18]}), certification.rule(), "dara")
    path = tmp_path / "cert.json"
    path.write_text(json.dumps(new_credential(decision, certification, keypair[0])))
    code, loaded = _run("verify", path, "--keys", keypair[1])
    assert code == 0
    assert loaded == set(), f"verify imported {sorted(loaded)}"


@pytest.mark.slow
def test_the_probe_sees_heavy_modules(tmp_path):
    """The other direction: verbs that need pandas, or nbgrader, are seen loading them."""
    code, loaded = _run("report", "--course", tmp_path)
    assert code == 1  # no gradebook there
    assert "pandas" in loaded
    code, loaded = _run("grade", "--course", tmp_path)
    assert "nbgrader" in loaded, code
