"""Learner text made safe for where the grader shows or writes it.

Whatever a submission holds (the answers file's "learner" and ids, a reflection, a folder's
name) may reach an instructor's terminal, a log, a UTF-8 file or a rendered page:

- `printable`: one line of plain text for a terminal, a log or a flag: every control
  character (C0, DEL, C1, the bidirectional overrides) and lone surrogate is written as
  its escape (``\\r``, ``\\x1b``, ``\\u202e``, ``\\udfff``), so learner text can neither
  move the cursor, erase or forge a line, nor stop a UTF-8 write;
- `well_formed`: multi-line text encodable as UTF-8 (lone surrogates written as escapes);
- `as_plain_text`: Markdown that shows text exactly as written (a fenced code block), so
  that markup, scripts and links in it are never rendered.
"""

from __future__ import annotations

import re

#: C0 and C1 controls, DEL, the bidirectional marks and overrides, line and paragraph
#: separators, and surrogates (a lone one cannot be encoded as UTF-8).
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_BACKTICKS = re.compile("`+")
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    """A character's escape as Python writes it: \\t, \\n, \\r, \\x1b, \\u202e, \\udfff."""
    char = match.group()
    code = ord(char)
    return _SHORT.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(text: str) -> str:
    """`text` as one printable line: controls and surrogates written as escapes. Applying
    it again changes nothing."""
    return _UNPRINTABLE.sub(_escape, text)


def well_formed(text: str) -> str:
    """`text` with each lone surrogate written as its escape (valid UTF-8; lines kept)."""
    return _SURROGATE.sub(_escape, text)


def as_plain_text(text: str) -> str:
    """Markdown that renders `text` verbatim, as preformatted text: a code fence longer than
    any run of backticks in it, which nothing in `text` can close."""
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{well_formed(text)}\n{fence}"
