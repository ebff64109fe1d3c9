"""Words of an item's text, as the form audits see them: tokens, English function words,
content words and a crude stem (pure, no NLP library).

Function words carry the form of a sentence and no topic; the form-only classifier counts
them, and the stem-overlap audit removes them to compare content."""

from __future__ import annotations

import functools
import re

#: A fixed list of English function words and conjunctions (each one a form feature).
FUNCTION_WORDS: tuple[str, ...] = (
    # articles and determiners
    "a", "an", "the", "this", "that", "these", "those", "its", "their", "his", "her", "our",
    "your", "my", "each", "every", "all", "any", "some", "no", "none", "both", "either",
    "neither", "other", "another", "such", "same", "own",
    # quantifiers and degree words
    "only", "more", "most", "less", "least", "much", "many", "few", "enough", "nothing",
    "everything", "anything", "something", "just", "even", "also", "too", "very", "quite",
    "rather", "already", "still", "always", "never", "often", "sometimes", "ever", "again",
    # pronouns
    "it", "they", "them", "he", "she", "him", "we", "us", "you", "i", "one", "who", "whom",
    "whose", "which", "what", "whether", "itself", "themselves",
    # prepositions
    "of", "in", "on", "at", "to", "for", "from", "by", "with", "without", "about", "into",
    "onto", "over", "under", "between", "among", "through", "across", "against", "after",
    "before", "during", "within", "beyond", "towards", "toward", "upon", "than", "as", "like",
    "per", "via", "despite", "instead",
    # conjunctions
    "and", "or", "but", "nor", "yet", "so", "because", "while", "whereas", "although",
    "though", "if", "unless", "until", "when", "where", "once", "since", "then", "how", "why",
    "not",
    # auxiliaries and modals
    "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "having",
    "do", "does", "did", "can", "could", "may", "might", "must", "shall", "should", "will",
    "would", "there", "here", "now",
)
_FUNCTION = frozenset(FUNCTION_WORDS)
#: Conjunctions that join two parts of a sentence (the cue of a "both/and" form).
CONJUNCTIONS = frozenset({"and", "or", "but", "nor", "yet", "while", "whereas", "although",
                          "though"})
#: Punctuation marks counted as form features.
PUNCTUATION = (",", ";", ":", ".", "(", "'", '"', "-", "/", "?", "!", "–")
#: Word-class proxies: suffixes of content words.
SUFFIXES = ("ing", "ed", "ly", "tion", "sion", "ment", "ness", "ity", "al", "ive", "ous",
            "ers", "es", "s", "ise", "ize", "ent", "ant", "able")

_TOKEN = re.compile(r"[A-Za-z][A-Za-z']*")
_TOKEN_OR_MARK = re.compile(r"[A-Za-z][A-Za-z']*|[,;:.]")


def tokens(text: str) -> list[str]:
    """The words of `text` as written (letters and apostrophes)."""
    return _TOKEN.findall(text.replace("’", "'"))


def tokens_and_marks(text: str) -> list[str]:
    """The words of `text` in lower case, with its commas, semicolons, colons and stops."""
    return [t.lower() for t in _TOKEN_OR_MARK.findall(text.replace("’", "'"))]


def is_function(word: str) -> bool:
    return word.lower() in _FUNCTION


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem: lower case, no possessive, plural -s/-es, -ing, -ed or final -e
    stripped, so "forces", "forced", "forcing" and "force" meet."""
    w = word.lower().removesuffix("'s").strip("'")
    for suffix in ("ing", "ed", "ies", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3 and not w.endswith("ss"):
            w = w[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return w[:-1] if w.endswith("e") and len(w) > 3 else w


def content_stems(text: str) -> set[str]:
    """The stems of the content words of `text` (function words and one-letter words
    removed)."""
    return {stem(w) for w in tokens(text) if len(w) > 1 and not is_function(w)}


def same_word(a: str, b: str) -> bool:
    """Do two (stemmed) words name the same thing: equal, or sharing their first six
    letters ("mitigate" and "mitigation")?"""
    return a == b or (len(a) >= 6 and len(b) >= 6 and a[:6] == b[:6])
