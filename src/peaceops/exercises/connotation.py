"""Connotation: does the wording of an answer, not its substance, say it is right or wrong?

A key reviewer of the exam pool found a sorting item whose wrong pole drew its results "from
a patchwork of component and section plans": the pejorative word tells a reader who knows
nothing that one pole is bad, so the item is a problem, not a polarity. The same family
covers an option worded as careless, lazy or blind ("merely", "blindly", "rubber-stamp") or as
wise and balanced ("judicious", "sensible"): a naive reader's guess follows the word.

The words of that family are listed below: those that two reviewers, reading every graded
item and practice check without their keys, found loaded in this course's items ("patchwork",
"irrelevant", "bypasses", "genuinely": solutions/keys/exam-reviews/
2026-12-07-connotation-review.yaml), so that no rewording brings them back anywhere, and
common words of the same family. A lexicon finds only the words it lists: the review by
readers is the audit of the family, this check keeps what it found from returning. It reads
what a candidate chooses between: each option of an item with options of its own, and the
statement or challenge of an item sorted into fixed classes (a role, problem or polarity).
A scenario's story is not an answer, and its weights are not worded, so it is not read.

One row: no item carries a loaded word (one is enough to give its key away, or to mislead:
either way the item measures the wording)."""

from __future__ import annotations

import re

from .findings import CuePool, Row

#: Words whose connotation disparages what they describe (English, then French), matched
#: as whole words or phrases, case-insensitively; a final "*" matches any ending.
DISPARAGING: tuple[str, ...] = (
    "patchwork", "piecemeal", "haphazard*", "hodgepodge", "jumble", "merely", "mere",
    "blindly", "rubber-stamp*", "lip service", "box-ticking", "tick-box", "knee-jerk",
    "reckless*", "careless*", "sloppy", "lazy", "naive*", "naïve*", "half-hearted*",
    "heavy-handed*", "rashly", "hastily", "wishful", "arbitrarily", "dogmatic*", "rigidly",
    "tokenism", "token gesture", "window dressing", "afterthought", "paper over",
    "brush aside", "dismissively", "irrelevant", "bypass*", "cynical*", "glib*", "red tape",
    # French
    "rafistol*", "saupoudrage", "au coup par coup", "à l'aveugle", "aveuglément",
    "de pure forme", "imprudemment", "négligemment", "hâtivement", "arbitrairement",
    "sans importance", "court-circuit*", "cynique*", "paperasse*",
)
#: Words whose connotation approves what they describe.
APPROVING: tuple[str, ...] = (
    "judicious*", "sensible", "sensibly", "wise", "wisely", "prudently", "thoughtful*",
    "well-judged", "genuine*", "meaningful*", "holistic*", "enlightened", "savvy",
    # French
    "judicieu*", "sensé*", "avisé*", "sagement", "prudemment", "véritablement",
    "authentique*", "holistique*",
)

CHECK = "no option or pole is worded to look right or wrong (loaded words)"


def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    parts = [re.escape(w[:-1]) + r"[\w'’-]*" if w.endswith("*") else re.escape(w)
             for w in words]
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)


_DISPARAGING = _pattern(DISPARAGING)
_APPROVING = _pattern(APPROVING)


def loaded(text: str) -> list[str]:
    """The loaded words of `text`, each marked "-" (disparaging) or "+" (approving)."""
    text = text.replace("’", "'")
    return ([f"-{m.group(0).lower()}" for m in _DISPARAGING.finditer(text)]
            + [f"+{m.group(0).lower()}" for m in _APPROVING.finditer(text)])


def answers(pool: CuePool) -> list[tuple[str, tuple[str, ...]]]:
    """Each item's id and the texts a candidate chooses between (see the module's note)."""
    if pool.story:
        return []
    return [(item.id, (item.stem,) if pool.fixed else item.candidates) for item in pool.items]


def connotation_row(pool: CuePool) -> Row | None:
    """The row, or None for a pool whose items are stories (scenarios)."""
    read = answers(pool)
    if not read:
        return None
    found = {item: words for item, texts in read
             if (words := [w for t in texts for w in loaded(t)])}
    return (CHECK, f"{len(found)} of {len(read)} items", "0", not found,
            "; ".join(f"{item}: {', '.join(dict.fromkeys(words))}" for item, words in found.items()))
