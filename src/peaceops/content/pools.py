"""The pools of entries: practice content, the graded banks (public parts) and their keys.

Each pool is read by the kind that owns it (`content.kinds`), so this module knows no kind:
it reads files, checks what every entry has in common (id, lesson, level, review) and hands
each entry to its kind.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .course import EXAM_BANK, LESSON_BANK, Entry, Keys
from .errors import ContentIssue, Say
from .kinds import REGISTRY, ContentKind, pool_owner, pools
from .schema import LEVELS, REVIEW
from .yamlfile import entries, read_yaml

if TYPE_CHECKING:
    from .csv_tables import Rows

#: The public files of the graded banks, in data/; the exam bank is optional (a certifying
#: body may keep its own private one, passed as a path).
BANK_FILES = {LESSON_BANK: "bank.yaml", EXAM_BANK: "exam-bank.yaml"}
#: Their hidden keys, in the course's source folder (nbgrader's, solutions/ here: never
#: released, never in the package).
KEY_FILES = {LESSON_BANK: Path("keys/bank-keys.yaml"), EXAM_BANK: Path("keys/exam-keys.yaml")}
ENTRY_META = ("id", "lesson", "level", "review")


def context(tables: dict[str, Rows]) -> dict[str, Any]:
    """What kinds may consult while validating (tables and the lesson ids)."""
    return {"tables": tables, "lessons": set(tables["lessons"]["id"]),
            "invalid": set()}  # ids of entries that failed (reported once, where defined)


def _meta(say: Say, entry: dict, ctx: dict[str, Any], graded: bool) -> dict[str, str]:
    meta = {name: say.optional_text(entry, name) for name in ("lesson", "level", "review")}
    if meta["lesson"]:
        say.one_of(meta["lesson"], ctx["lessons"], "lesson", "lesson")
    if meta["level"]:
        say.one_of(meta["level"], set(LEVELS), "level", "level")
    if meta["review"]:
        say.one_of(meta["review"], set(REVIEW), "review", "review status")
    return meta


def read_practice(directory: Path, ctx: dict[str, Any],
                  issues: list[ContentIssue]) -> dict[str, dict[str, Entry]]:
    """Practice entries of every pool, keys included (practice keys are public)."""
    result: dict[str, dict[str, Entry]] = {pool: {} for pool in pools()}
    for cls in REGISTRY.values():
        if not (cls.owns_pool and cls.practice_source):
            continue
        if cls.practice_source.endswith((".yaml", ".yml")):
            where = f"data/{cls.practice_source}"
            rows = entries(read_yaml(directory / cls.practice_source, where, issues, list),
                           where, issues)
        else:
            where = f"data/{cls.practice_source}.csv"
            table = ctx["tables"][cls.practice_source]
            rows = ((Say(issues, where, f"line {n + 2}"), dict(row))
                    for n, row in enumerate(table))
        for say, row in rows:
            entry = _entry(cls, say, row, ctx, key=row, bank="")
            if entry is not None:
                result[cls.pool][entry.id] = entry
            else:
                ctx["invalid"].add(str(row.get("id", "")))
    return result


def _entry(cls: type[ContentKind], say: Say, row: dict, ctx: dict[str, Any], key: dict | None,
           bank: str) -> Entry | None:
    meta = _meta(say, row, ctx, bool(bank))
    public = cls.read_public(row, ctx, say)
    key_fields = cls.read_key(key, public, ctx, say) if key is not None else None
    if not say.ok:
        return None
    source = (key_fields or {}).get("source", "") or public.get("source", "")
    extra = {k: v for k, v in (key or {}).items() if k in ("evidence", "angoff")}
    return Entry(str(row["id"]), cls.pool, public, key_fields, meta["lesson"], source, bank,
                 meta["level"], meta["review"], extra)


def _known_sections(data: dict, where: str, issues: list[ContentIssue]) -> None:
    """A bank or keys file has one section per pool a kind owns, and no other."""
    for section in data:
        if section not in pools():
            issues.append(ContentIssue(where, str(section), "",
                                       f"unknown pool; use {', '.join(pools())}"))


def read_bank(path: Path, where: str, bank: str, ctx: dict[str, Any],
              issues: list[ContentIssue], required: bool = True) -> dict[str, dict[str, Entry]]:
    """The public part of one graded bank: {pool: {id: entry}} (keys hidden)."""
    data = read_yaml(path, where, issues, dict, required)
    result: dict[str, dict[str, Entry]] = {}
    _known_sections(data, where, issues)
    for pool in pools():
        cls = pool_owner(pool)
        result[pool] = {}
        for say, row in entries(data.get(pool, []), where, issues, f"{pool} "):
            entry = _entry(cls, say, row, ctx, key=None, bank=bank)
            if entry is not None:
                result[pool][entry.id] = entry
    return result


def merge(target: dict[str, dict[str, Entry]], more: dict[str, dict[str, Entry]], where: str,
          issues: list[ContentIssue]) -> None:
    """Add `more` to `target`; an id may live in one place only."""
    for pool, items in more.items():
        into = target.setdefault(pool, {})
        for item_id, entry in items.items():
            if item_id in into:
                issues.append(ContentIssue(where, f"{pool} '{item_id}'", "id",
                                           "this id is used elsewhere already; make ids unique"))
            else:
                into[item_id] = entry


def read_keys(path: Path, where: str, bank_pools: dict[str, dict[str, Entry]],
              ctx: dict[str, Any], issues: list[ContentIssue]) -> Keys:
    """The hidden keys of one bank, validated against its public entries."""
    data = read_yaml(path, where, issues, dict)
    keys: Keys = {}
    _known_sections(data, where, issues)
    for pool in pools():
        cls = pool_owner(pool)
        public = bank_pools.get(pool, {})
        given = data.get(pool, {}) or {}
        keys[pool] = {}
        if not isinstance(given, dict):
            issues.append(ContentIssue(where, pool, "", "must map item ids to keys"))
            continue
        for item_id in sorted(set(public) - set(given)):
            issues.append(ContentIssue(where, f"{pool}.{item_id}", "",
                                       "missing key for this bank item"))
        for item_id, raw in given.items():
            say = Say(issues, where, f"{pool}.{item_id}")
            if item_id not in public:
                say("", "key for an item that is not in the bank's public file")
                continue
            if not isinstance(raw, dict):
                say("", "must be a mapping")
                continue
            key = cls.read_key(raw, dict(public[item_id].public), ctx, say)
            if say.ok:
                keys[pool][item_id] = {**key, **{k: raw[k] for k in ("evidence", "angoff")
                                                 if k in raw}}
    return keys
