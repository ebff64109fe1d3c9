"""Does a rationale give a reason, or merely restate its key?

A rationale that only says what the answer is ("This is a responsibility of the Chief of
Staff.") teaches nothing the key does not: feedback must say *why*, from the source. The test
is on words: once the words of the key, of the question and of the stock phrases that name an
answer are set aside, a reason has at least `MIN_REASON` content words of its own."""

from __future__ import annotations

from .words import content_stems

#: Content words of its own that a rationale needs, beyond the key, the question and the
#: stock words below.
MIN_REASON = 4
#: Words that name an answer without giving a reason.
STOCK = content_stems(
    "this that is a the responsibility responsibilities role holds held belongs task job "
    "duty answer correct key right option choice here it one"
)


def own_words(rationale: str, key: str, question: str) -> set[str]:
    """The rationale's content words that are in neither the key, the question nor STOCK."""
    return content_stems(rationale) - content_stems(key) - content_stems(question) - STOCK


def restates(rationale: str, key: str, question: str) -> bool:
    """True when `rationale` says no more than its `key` (as the learner reads it) and the
    `question` it answers."""
    return len(own_words(rationale, key, question)) < MIN_REASON
