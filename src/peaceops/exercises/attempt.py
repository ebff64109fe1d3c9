"""Which attempt the learner's kernel shows: the grader decides, the kernel only learns it.

The grader counts attempts in its own ledger and scores attempt k on draw k only (a
learner cannot choose their draw). Each exam feedback page it writes carries the number of
the next attempt (`marker`); `nbgrader fetch_feedback` puts the page in the assignment's
`feedback/<time>/` folder, where the kernel reads the highest number (`attempt_in`): after
fetching attempt k's feedback, the notebook shows draw k + 1. A forged or deleted marker
only makes the kernel show a draw the grader will not score.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..content.certification import PassRule
from ..content.messages import _

ATTRIBUTE = "data-peaceops-next-attempt"
_MARKER = re.compile(rf'{ATTRIBUTE}="(\d{{1,3}})"')


def marker(next_attempt: int) -> str:
    """The hidden element of a feedback page that tells the kernel the next attempt."""
    return f'<span hidden {ATTRIBUTE}="{int(next_attempt)}"></span>'


def attempt_in(folder: Path | str = ".") -> int:
    """The attempt the learner works on in the assignment folder `folder`: the highest next
    attempt named by a fetched feedback page (`feedback/*/*.html`), else 1."""
    return max((n for n, _ in _announced(folder)), default=1)


def started_at(folder: Path | str = ".") -> datetime | None:
    """When this attempt reached the learner, by the server's clock (the change time of the
    fetched notebook, or of the feedback folder that announced the attempt): what the
    learner's page counts the time left from. The grader counts from the exchange's own
    record of the fetch (`grading.session`), never from this."""
    announced = sorted(_announced(folder))
    paths = [announced[-1][1]] if announced else sorted(Path(folder).glob("*.ipynb"))
    try:
        return datetime.fromtimestamp(min(p.stat().st_ctime for p in paths), UTC) if paths \
            else None
    except OSError:
        return None


def time_left(rule: PassRule, started: datetime | None, now: datetime) -> timedelta | None:
    """How long the learner has left at `now` (the server's clock): the sooner of the time
    limit and the window's close; None when neither applies."""
    ends = [t for t in (rule.closes,
                        started + timedelta(minutes=rule.time_limit_minutes)
                        if started and rule.time_limit_minutes else None) if t]
    return max(min(ends) - now, timedelta(0)) if ends else None


def time_left_text(rule: PassRule, folder: Path | str = ".", now: datetime | None = None) -> str:
    """The sentence the learner's page shows ("" when the exam has no time limit or window)."""
    left = time_left(rule, started_at(folder), now or datetime.now(UTC))
    if left is None:
        return ""
    minutes = int(left.total_seconds() // 60)
    if minutes <= 0:
        return _("Time is up for this attempt: submit now (a late submission is flagged and "
                 "not certified).")
    return _("Time left: {minutes} min (by the server's clock; the grader checks the "
             "exchange's times, not this notebook's).").format(minutes=minutes)


def _announced(folder: Path | str) -> list[tuple[int, Path]]:
    """(next attempt, feedback folder) for every marker of the fetched feedback pages."""
    found = []
    for page in Path(folder).glob("feedback/*/*.html"):
        try:
            with page.open(encoding="utf-8", errors="replace") as file:
                text = file.read(4_000_000)
        except OSError:
            continue
        found += [(int(n), page.parent) for n in _MARKER.findall(text)]
    return found
