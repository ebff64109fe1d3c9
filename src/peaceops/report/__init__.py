"""`peaceops report`: a cohort report with item analysis (self-contained HTML + CSVs).

The API (`build`) is imported on first use, so the command line starts quickly."""

from __future__ import annotations

from typing import Any

__all__ = ["Analysis", "CSVS", "HTML", "Thresholds", "analyse", "build_report", "figures"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import build

        return getattr(build, name)
    raise AttributeError(name)
