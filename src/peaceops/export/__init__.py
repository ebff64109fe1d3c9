"""`peaceops export`: the cohort's grades as CSV files that Canvas and Moodle import.

The API (`lms`) is imported on first use, so the command line starts quickly."""

from __future__ import annotations

from typing import Any

__all__ = ["FORMATS", "canvas", "export", "moodle", "wide"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import lms

        return getattr(lms, name)
    raise AttributeError(name)
