"""Which failed checks fail `peaceops bank audit`, and which only warn.

The exam bank must pass every check. The lesson bank and practice content run the same
checks; a check that failed there when the form audits came in (issue 24) only warns, and
every other check, old or new, is enforced there too: a check that passes cannot regress."""

from __future__ import annotations

from dataclasses import replace

from ..content import EXAM_BANK
from ..exercises.findings import Finding

PRACTICE = "practice"

_IDS = "ids vs keys: neighbours sharing a key, "
_ID_WORDS = "ids vs keys: id words naming the key"
_STEM = "key shares more words with the stem than every distractor"
_OPTIONS = "form-only classifier, leave-one-out (the top option by form)"
_WIDEST = "the widest option (most inclusive, joint, consultative) is keyed as often as chance"

#: (bank, pool, check) that failed on 2026-12-07 outside the exam bank: warnings only.
#: Remove an entry once its check passes there (it is then enforced).
KNOWN: frozenset[tuple[str, str, str]] = frozenset({
    ("lessons", "roles", _IDS + "ordered by id"),
    ("lessons", "roles", _IDS + "in file order"),
    ("lessons", "roles", _ID_WORDS),
    ("lessons", "roles", _STEM),
    ("lessons", "polarities", _IDS + "in file order"),
    ("lessons", "questions", _ID_WORDS),
    ("lessons", "questions", _OPTIONS),
    ("lessons", "scenarios", _ID_WORDS),
    # The values check (bank.values) came in on 2026-12-07 (issue 24, third review); the
    # lesson bank's questions failed it then (17 of 32 keyed on the widest option).
    ("lessons", "questions", _WIDEST),
    # The grammar checks came in on 2026-12-07 (issue 24, round 5) and failed in the lesson
    # bank (the odd one out a distractor in all 11 items singling one out); since the
    # loaded-words rewording of round 8 (10 such items, chance band reached) it passes, so
    # it is enforced there too.
    # The blind scenario answers that failed in the lessons and practice (the same weight
    # everywhere; the theme decisive) pass since scenarios are scored by order (issue 25):
    # enforced there too.
})


def judge(finding: Finding) -> Finding:
    """The finding, enforced unless it is a known failure outside the exam bank."""
    warn = finding.bank != EXAM_BANK and (finding.bank, finding.pool, finding.check) in KNOWN
    return replace(finding, enforced=not warn)
