"""Strict JSON for credentials: one value per key, no NaN or Infinity, bounded nesting.

`json.loads` keeps the last of two duplicate keys (so two readers may see two different
credentials in one file), accepts NaN, and overflows the stack on deeply nested input
(RecursionError). Credentials are read only through `loads` here, which refuses all three.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import Exit, VerifyError

MAX_DEPTH = 32  # a credential nests a few levels; anything deeper is not one
MAX_CHARS = 1_000_000  # a credential is a few kilobytes


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"the key {key!r} appears twice in one object")
        result[key] = value
    return result


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON `text` (strings skipped)."""
    deepest = level = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            level += 1
            deepest = max(deepest, level)
        elif char in "]}":
            level -= 1
    return deepest


def loads(data: str | bytes, what: str = "certificate", code: Exit = Exit.MALFORMED) -> Any:
    """The JSON value in `data`; raises `VerifyError(code)` naming `what` for anything that is
    not strict JSON (duplicate keys, NaN/Infinity, nesting deeper than MAX_DEPTH)."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError as error:
        raise VerifyError(code, f"the {what} is not JSON: not UTF-8 text ({error})") from error
    if len(text) > MAX_CHARS:
        raise VerifyError(code, f"the {what} is not a credential: over {MAX_CHARS} characters")
    if depth(text) > MAX_DEPTH:
        raise VerifyError(
            code, f"the {what} is not a credential: JSON nested deeper than {MAX_DEPTH} levels"
        )
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except (ValueError, RecursionError) as error:
        raise VerifyError(code, f"the {what} is not JSON: {error}") from error
