"""`peaceops export`: the cohort's grades as CSV files that Canvas and Moodle import.

The API (`lms`) is imported on first use, so the command line starts quickly."""

from __future__ import annotations

from typing import Any

__all__ = ["FORMATS", "IDS_FILE", "LmsIds", "canvas", "export", "load_ids", "moodle", "waiting",
           "wide"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import lms

        return getattr(lms, name)
    raise AttributeError(name)
