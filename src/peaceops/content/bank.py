"""The graded item bank: public parts in data/bank.yaml, keys in solutions/keys/bank-keys.yaml.

Learners (the release, the book, the installed package) only ever get the public part; the
keys are read by trusted grading code from the course directory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, ContentIssue
from .model import Scenario
from .schema import PRINCIPLES, WEIGHTS
from .sources import SECTIONS, bad_citation
from .yamlload import SafeLoader

KEYS_PATH = Path("solutions") / "keys" / "bank-keys.yaml"
SECTIONS_OF_BANK = ("roles", "polarities", "scenarios", "questions")


@dataclass(frozen=True)
class Question:
    id: str
    lesson: str
    kind: str  # choice | multi
    prompt: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Bank:
    """Public graded items: what a learner may see."""

    roles: dict[str, str] = field(default_factory=dict)  # id -> statement
    polarities: dict[str, str] = field(default_factory=dict)  # id -> challenge
    scenarios: dict[str, dict[str, str]] = field(
        default_factory=dict
    )  # id -> title, section, situation
    questions: dict[str, Question] = field(default_factory=dict)


@dataclass(frozen=True)
class Keys:
    """The hidden keys of the bank."""

    roles: dict[str, tuple[str, str]]  # id -> (role id, source)
    polarities: dict[str, tuple[str, str, str]]  # id -> (kind, explanation, source)
    scenarios: dict[str, Scenario]
    questions: dict[str, tuple[tuple[str, ...], str, str]]  # id -> (correct, explanation, source)


def _load(path: Path, where: str, issues: list[ContentIssue]) -> dict[str, Any]:
    if not path.is_file():
        issues.append(ContentIssue(where, "", "", "file not found"))
        return {}
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader) or {}
    except yaml.YAMLError as exc:
        issues.append(ContentIssue(where, "", "", f"not valid YAML: {exc}"))
        return {}
    if not isinstance(data, dict):
        issues.append(ContentIssue(where, "", "", f"must map {', '.join(SECTIONS_OF_BANK)}"))
        return {}
    return data


def read_bank(directory: Path, lessons: set[str], issues: list[ContentIssue]) -> Bank:
    where = "data/bank.yaml"
    data = _load(directory / "bank.yaml", where, issues)
    bank = Bank()
    seen: set[str] = set()
    for part in SECTIONS_OF_BANK:
        entries = data.get(part, [])
        if not isinstance(entries, list):
            issues.append(ContentIssue(where, part, "", "must be a list"))
            continue
        for number, entry in enumerate(entries, start=1):
            row = f"{part} entry {number}"
            if not isinstance(entry, dict) or not str(entry.get("id", "")).strip():
                issues.append(ContentIssue(where, row, "id", "missing id"))
                continue
            item_id = entry["id"]
            row = f"{part} entry {number} (id '{item_id}')"
            if item_id in seen:
                issues.append(ContentIssue(where, row, "id", f"duplicate id '{item_id}'"))
                continue
            seen.add(item_id)

            def text(name: str, entry=entry, row=row) -> str:
                value = entry.get(name)
                if not isinstance(value, str) or not value.strip():
                    issues.append(ContentIssue(where, row, name, "missing or empty text"))
                    return ""
                return " ".join(value.split())

            if part == "roles":
                bank.roles[item_id] = text("statement")
            elif part == "polarities":
                bank.polarities[item_id] = text("challenge")
            elif part == "scenarios":
                if entry.get("fictional") is not True:
                    issues.append(ContentIssue(where, row, "fictional", "must be true"))
                if str(entry.get("section")) not in SECTIONS:
                    issues.append(ContentIssue(where, row, "section", "not a source section"))
                bank.scenarios[item_id] = {
                    "title": text("title"),
                    "situation": text("situation"),
                    "section": str(entry.get("section")),
                }
            else:
                options = entry.get("options")
                if (
                    not isinstance(options, list)
                    or len(options) < 2
                    or len(set(options)) != len(options)
                ):
                    issues.append(
                        ContentIssue(where, row, "options", "give at least two distinct options")
                    )
                    options = []
                if entry.get("kind") not in ("choice", "multi"):
                    issues.append(ContentIssue(where, row, "kind", "use choice or multi"))
                if entry.get("lesson") not in lessons:
                    issues.append(
                        ContentIssue(
                            where, row, "lesson", f"unknown lesson '{entry.get('lesson')}'"
                        )
                    )
                bank.questions[item_id] = Question(
                    item_id,
                    str(entry.get("lesson")),
                    str(entry.get("kind")),
                    text("prompt"),
                    tuple(map(str, options)),
                )
    return bank


def load_keys(course, path: Path | str | None = None) -> Keys:
    """Read and validate the hidden keys against the public bank; ContentError if bad."""
    from .loader import _weight_key  # shared weight-range validation

    path = Path(path) if path else Path(__file__).resolve().parents[3] / KEYS_PATH
    where = str(KEYS_PATH) if path.name == KEYS_PATH.name else str(path)
    issues: list[ContentIssue] = []
    data = _load(path, where, issues)
    bank: Bank = course.bank
    roles = set(course.roles[course.roles.team == "core"]["id"])
    keys = Keys({}, {}, {}, {})
    for part in SECTIONS_OF_BANK:
        public = getattr(bank, part)
        given = data.get(part, {}) or {}
        if not isinstance(given, dict):
            issues.append(ContentIssue(where, part, "", "must map item ids to keys"))
            continue
        for item_id in sorted(set(public) - set(given)):
            issues.append(
                ContentIssue(where, f"{part}.{item_id}", "", "missing key for this bank item")
            )
        for item_id, entry in given.items():
            row = f"{part}.{item_id}"
            if item_id not in public:
                issues.append(
                    ContentIssue(where, row, "", "key for an item that is not in data/bank.yaml")
                )
                continue
            if not isinstance(entry, dict):
                issues.append(ContentIssue(where, row, "", "must be a mapping"))
                continue
            source = str(
                entry.get("source", public[item_id]["section"] if part == "scenarios" else "")
            )
            if part != "scenarios" and (problem := bad_citation(source)):
                issues.append(ContentIssue(where, row, "source", problem))
            if part == "roles":
                if entry.get("role") not in roles:
                    issues.append(
                        ContentIssue(where, row, "role", f"unknown core role '{entry.get('role')}'")
                    )
                keys.roles[item_id] = (str(entry.get("role")), source)
            elif part == "polarities":
                if entry.get("kind") not in ("problem", "polarity"):
                    issues.append(ContentIssue(where, row, "kind", "use problem or polarity"))
                keys.polarities[item_id] = (
                    str(entry.get("kind")),
                    str(entry.get("explanation", "")),
                    source,
                )
            elif part == "questions":
                question = public[item_id]
                correct = entry.get("correct")
                if (
                    not isinstance(correct, list)
                    or not correct
                    or any(c not in question.options for c in correct)
                ):
                    issues.append(
                        ContentIssue(
                            where, row, "correct", "list correct options exactly as in bank.yaml"
                        )
                    )
                    correct = []
                elif question.kind == "choice" and len(correct) != 1:
                    issues.append(
                        ContentIssue(
                            where, row, "correct", "a choice question has one correct option"
                        )
                    )
                keys.questions[item_id] = (
                    tuple(correct),
                    " ".join(str(entry.get("explanation", "")).split()),
                    source,
                )
            else:
                before = len(issues)
                key = _weight_key(entry.get("key"), where, row, issues)
                decisive = entry.get("decisive")
                rationale = entry.get("rationale") or {}
                if decisive not in PRINCIPLES or (
                    decisive in key and key[decisive][1] != max(WEIGHTS)
                ):
                    issues.append(
                        ContentIssue(where, row, "decisive", "a principle whose range includes 3")
                    )
                for principle in PRINCIPLES:
                    if not str(rationale.get(principle, "")).strip():
                        issues.append(
                            ContentIssue(where, row, f"rationale.{principle}", "missing rationale")
                        )
                if len(issues) == before:
                    info = public[item_id]
                    keys.scenarios[item_id] = Scenario(
                        id=item_id,
                        title=info["title"],
                        section=info["section"],
                        situation=info["situation"],
                        at_stake=tuple(entry.get("at_stake") or ()),
                        decisive=decisive,
                        key=key,
                        rationale={p: " ".join(str(rationale[p]).split()) for p in PRINCIPLES},
                    )
    if issues:
        raise ContentError(issues)
    return keys
