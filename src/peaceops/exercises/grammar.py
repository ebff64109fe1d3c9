"""Grammar: is the one option that stands apart by its tense, mood or negation keyed?

A reader who cannot read the content words still sees the auxiliaries: when three options
say "were" and "was" and one says "are", or three say "would" and one "will", or one alone
says "not", that option is the odd one out, and writers who phrase the key last (or set
it apart on purpose) make it a cue. The exam pool's French translator (issue 31) found one (the
only key in the present tense among options in the past); this audit finds the family.

Each option gets a signature: its tense and mood classes (from its auxiliaries and modals,
and a past form after a subject pronoun) and whether it is negated. An option is singled out
when it alone has its signature and every other option shares one. Two rows:
- the pool: among the items with one singled-out option, it is keyed as often as chance
  (both ways, as `overlap.singled_row`);
- the items: no key is singled out (one item is enough to give its key away)."""

from __future__ import annotations

from .findings import CueItem, CuePool, Row
from .overlap import singled_row
from .words import tokens

#: Tense and mood classes by their auxiliaries and modals.
CLASSES: dict[str, frozenset[str]] = {
    "present": frozenset({"is", "are", "am", "has", "have", "does", "do", "isn't", "aren't",
                          "hasn't", "haven't", "doesn't", "don't"}),
    "past": frozenset({"was", "were", "had", "did", "wasn't", "weren't", "hadn't", "didn't"}),
    "conditional": frozenset({"would", "could", "might", "should", "wouldn't", "couldn't",
                              "shouldn't"}),
    "future or obligation": frozenset({"will", "shall", "can", "may", "must", "won't",
                                       "can't", "cannot"}),
}
NEGATIONS = frozenset({"not", "no", "never", "nor", "neither", "cannot"})
SUBJECTS = frozenset({"i", "we", "you", "he", "she", "it", "they", "who"})
#: Common irregular past forms (a regular past is a word in -ed after a subject pronoun);
#: forms that are also present ("put", "set", "cut") are left out.
IRREGULAR_PAST = frozenset({"went", "took", "gave", "made", "kept", "left", "sent", "held",
                            "brought", "told", "said", "came", "saw", "knew", "thought",
                            "found", "felt", "became", "began", "chose", "led", "met", "paid",
                            "ran", "sought", "spent", "stood", "won", "wrote"})

CHECK_POOL = "the option alone in its tense, mood or negation is keyed as often as chance"
CHECK_ITEMS = "no key stands alone in its tense, mood or negation"


def signature(text: str) -> tuple[frozenset[str], bool]:
    """The tense and mood classes of `text` and whether it is negated."""
    words = [w.lower() for w in tokens(text)]
    found = {name for name, marks in CLASSES.items() if marks.intersection(words)}
    if any(a in SUBJECTS and (b in IRREGULAR_PAST or (b.endswith("ed") and len(b) > 4))
           for a, b in zip(words, words[1:], strict=False)):
        found.add("past")
    negated = bool(NEGATIONS.intersection(words)) or any(w.endswith("n't") for w in words)
    return frozenset(found), negated


def odd_one_out(item: CueItem) -> int | None:
    """The index of the one option whose signature no other option has while all the others
    share one, or None."""
    if len(item.candidates) < 3:
        return None
    marks = [signature(c) for c in item.candidates]
    for n, mine in enumerate(marks):
        others = [m for k, m in enumerate(marks) if k != n]
        if mine not in others and len(set(others)) == 1:
            return n
    return None


def grammar_rows(pool: CuePool) -> list[Row]:
    """Both rows, or none for pools whose items all offer the same candidates (roles, kinds)."""
    if pool.fixed:
        return []
    single = [(item, n in item.key) for item in pool.items
              if (n := odd_one_out(item)) is not None]
    keyed = [item.id for item, is_key in single if is_key]
    return [singled_row(CHECK_POOL, single, "odd-grammar"),
            (CHECK_ITEMS, f"{len(keyed)} of {len(pool.items)} items", "0", not keyed,
             ("keyed and alone in its tense, mood or negation: " + ", ".join(keyed))
             if keyed else "")]
