"""`peaceops progress`: a learner's own progress, from their saved files.

The API (`learner`) is imported on first use, so the command line starts quickly."""

from __future__ import annotations

from typing import Any

__all__ = ["PRACTICE_LOG", "MixedLearners", "Progress", "merge_logs", "progress", "read_log",
           "record_check"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import learner

        return getattr(learner, name)
    raise AttributeError(name)
