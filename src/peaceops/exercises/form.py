"""The form of a text as numbers: what a reader who cannot read the content words still sees.

Counts of each function word and punctuation mark, length, capitals, digits, word-class
suffixes of the content words and what a conjunction joins; never a content word itself."""

from __future__ import annotations

import numpy as np

from .words import (
    CONJUNCTIONS,
    FUNCTION_WORDS,
    PUNCTUATION,
    SUFFIXES,
    is_function,
    tokens,
    tokens_and_marks,
)

_SHAPE = ("words", "characters", "mean word length", "capitalised share", "all-capital words",
          "digits", "first word ends in -ing", "first word is a function word")
_JOINS = ("conjunction before an -ing word", "conjunction before a content word",
          "conjunction before an article", "comma before a conjunction")
#: The name of each feature, in the order of `features`.
NAMES: tuple[str, ...] = (*(f"'{w}'" for w in FUNCTION_WORDS),
                          *(f"'{p}'" for p in PUNCTUATION),
                          *_SHAPE, *(f"-{s}" for s in SUFFIXES), *_JOINS)


def features(text: str) -> np.ndarray:
    """The form features of `text` (see `NAMES`)."""
    words = tokens(text)
    lower = [w.lower() for w in words]
    counts = {w: 0 for w in FUNCTION_WORDS}
    for w in lower:
        if w in counts:
            counts[w] += 1
    content = [w for w in lower if not is_function(w)]
    later = words[1:]
    shape = [len(words), len(text), (sum(map(len, words)) / len(words)) if words else 0.0,
             (sum(w[0].isupper() for w in later) / len(later)) if later else 0.0,
             sum(len(w) > 1 and w.isupper() for w in words),
             sum(c.isdigit() for c in text),
             float(bool(lower) and lower[0].endswith("ing")),
             float(bool(lower) and is_function(lower[0]))]
    suffixes = [sum(w.endswith(s) for w in content) for s in SUFFIXES]
    return np.array([*counts.values(), *(text.count(p) for p in PUNCTUATION), *shape,
                     *suffixes, *joins(text)], dtype=float)


def joins(text: str) -> list[int]:
    """What the conjunctions of `text` join (see `_JOINS`)."""
    marks = tokens_and_marks(text)
    pairs = list(zip(marks, marks[1:], strict=False))
    after = [b for a, b in pairs if a in CONJUNCTIONS]
    return [sum(b.endswith("ing") for b in after),
            sum(b.isalpha() and not is_function(b) for b in after),
            sum(b in ("the", "a", "an") for b in after),
            sum(a == "," and b in CONJUNCTIONS for a, b in pairs)]
