"""The one YAML reader of the content layer: every YAML file is read and shaped here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentIssue, Say

#: YAML's C-accelerated safe loader when libyaml is present (same results, ~10x faster).
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path, where: str, issues: list[ContentIssue], shape: type,
              required: bool = True) -> Any:
    """The YAML document of `path` if it has `shape` (list or dict); else record why and
    return an empty one. A missing optional file is simply empty."""
    if not path.is_file():
        if required:
            issues.append(ContentIssue(where, "", "", "file not found: restore it from git, or write it as data/README.md describes"))
        return shape()
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as exc:
        issues.append(ContentIssue(where, "", "", f"not valid YAML: {exc}"))
        return shape()
    if data is None:
        return shape()
    if not isinstance(data, shape):
        what = "a list of entries" if shape is list else "a mapping"
        issues.append(ContentIssue(where, "", "", f"must be {what}"))
        return shape()
    return data


def entries(items: Any, where: str, issues: list[ContentIssue],
            prefix: str = "") -> Iterator[tuple[Say, dict]]:
    """Each well-formed entry of a YAML list with its reporter; missing, duplicate or
    malformed ids are reported (`prefix` names the list, e.g. "roles ")."""
    if not isinstance(items, list):
        issues.append(ContentIssue(where, prefix.strip(), "", "must be a list of entries"))
        return
    seen: set[str] = set()
    for number, entry in enumerate(items, start=1):
        if not isinstance(entry, dict):
            issues.append(ContentIssue(where, f"{prefix}entry {number}", "", "must be a mapping"))
            continue
        entry_id = str(entry.get("id", "") or "").strip()
        if not entry_id:
            issues.append(ContentIssue(where, f"{prefix}entry {number}", "id", "missing id"))
            continue
        say = Say(issues, where, f"{prefix}entry {number} (id '{entry_id}')")
        if entry_id in seen:
            say("id", f"duplicate id '{entry_id}'; make ids unique")
            continue
        seen.add(entry_id)
        yield say, entry
