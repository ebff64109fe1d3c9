"""Every notebook under book/ and exercises/ executes headless (nbclient) without error."""

from pathlib import Path

import jupytext
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

NOTEBOOKS = sorted(ROOT.glob("book/*.md")) + sorted(ROOT.glob("exercises/**/*.ipynb"))


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_executes(path: Path, tmp_path, monkeypatch):
    monkeypatch.setenv("PEACEOPS_LEARNER", "ci-learner")
    nb = jupytext.read(path)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    errors = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert not errors
    widgets = [
        o
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    if "check(" in path.read_text(errors="ignore"):
        assert widgets, "the practice exercise did not display a widget"
