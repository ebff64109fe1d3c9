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
from pathlib import Path

ATTRIBUTE = "data-peaceops-next-attempt"
_MARKER = re.compile(rf'{ATTRIBUTE}="(\d{{1,3}})"')


def marker(next_attempt: int) -> str:
    """The hidden element of a feedback page that tells the kernel the next attempt."""
    return f'<span hidden {ATTRIBUTE}="{int(next_attempt)}"></span>'


def attempt_in(folder: Path | str = ".") -> int:
    """The attempt the learner works on in the assignment folder `folder`: the highest next
    attempt named by a fetched feedback page (`feedback/*/*.html`), else 1."""
    found = [1]
    for page in Path(folder).glob("feedback/*/*.html"):
        try:
            with page.open(encoding="utf-8", errors="replace") as file:
                text = file.read(4_000_000)
        except OSError:
            continue
        found += [int(n) for n in _MARKER.findall(text)]
    return max(found)
