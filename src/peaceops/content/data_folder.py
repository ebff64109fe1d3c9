"""Where the course's content folder is (below the loader, so that every reader of it,
the translations too, finds it without importing the loader)."""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The content folder: $PEACEOPS_DATA, the repository's data/, or the installed copy."""
    if env := os.environ.get("PEACEOPS_DATA"):
        return Path(env)
    repo = Path(__file__).resolve().parents[3] / "data"
    if repo.is_dir():
        return repo
    return Path(__file__).resolve().parents[1] / "data"
