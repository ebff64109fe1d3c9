"""Read and validate every content file in data/ (pandas for the tables, YAML for the rest)."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .bank import read_bank
from .errors import ContentError, ContentIssue
from .model import Check, Course, Scenario
from .schema import CHECK_KINDS, PRINCIPLES, TABLES, WEIGHTS, Table
from .sources import SECTIONS, bad_citation
from .yamlload import SafeLoader


def data_dir() -> Path:
    """The content folder: $PEACEOPS_DATA, the repository's data/, or the installed copy."""
    if env := os.environ.get("PEACEOPS_DATA"):
        return Path(env)
    repo = Path(__file__).resolve().parents[3] / "data"
    if repo.is_dir():
        return repo
    return Path(__file__).resolve().parents[1] / "data"


@functools.cache
def _cached(path: str) -> Course:
    return load_course(Path(path), cache=False)


def load_course(directory: Path | str | None = None, *, cache: bool = True) -> Course:
    """Load and validate all content; raise ContentError naming every bad file/row/field."""
    directory = Path(directory) if directory is not None else data_dir()
    if cache:
        return _cached(str(directory.resolve()))
    issues: list[ContentIssue] = []
    tables = {table.name: _read_table(directory, table, issues) for table in TABLES}
    _check_references(tables, issues)
    scenarios, scenario_ids = _read_scenarios(directory, tables, issues)
    checks = _read_checks(directory, tables, scenario_ids, issues)
    bank = read_bank(directory, set(tables["lessons"]["id"]), issues)
    if issues:
        raise ContentError(issues)
    return Course(tables=tables, scenarios=scenarios, checks=checks, bank=bank)


# --- CSV tables ---------------------------------------------------------------------------


def _read_table(directory: Path, table: Table, issues: list[ContentIssue]) -> pd.DataFrame:
    path = directory / table.filename
    where = f"data/{table.filename}"
    empty = pd.DataFrame(columns=[c.name for c in table.columns])
    if not path.is_file():
        issues.append(ContentIssue(where, "", "", "file not found; restore it from git"))
        return empty
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        issues.append(ContentIssue(where, "", "", f"not valid CSV ({exc}); check quoting"))
        return empty
    missing = [c.name for c in table.columns if c.name not in frame.columns]
    if missing:
        issues.append(
            ContentIssue(where, "line 1", missing[0], f"missing column(s) {missing} in the header")
        )
        return empty
    frame = frame.map(lambda value: value.strip() if isinstance(value, str) else value)
    if len(frame) < table.min_rows:
        issues.append(
            ContentIssue(where, "", "", f"needs at least {table.min_rows} rows, has {len(frame)}")
        )
    seen: dict[str, int] = {}
    for index, row in frame.iterrows():
        line = f"line {int(index) + 2}"  # header is line 1
        for column in table.columns:
            value = row[column.name]
            if not value and not column.optional:
                message = (
                    bad_citation(value)
                    if column.name == "source"
                    else "empty; every row needs a value here"
                )
                issues.append(ContentIssue(where, line, column.name, str(message)))
                continue
            if column.allowed and value not in column.allowed:
                issues.append(
                    ContentIssue(
                        where,
                        line,
                        column.name,
                        f"'{value}' is not allowed; use one of {', '.join(column.allowed)}",
                    )
                )
            if column.name == "source" and value and (problem := bad_citation(value)):
                issues.append(ContentIssue(where, line, "source", problem))
        key = row[table.key]
        if key in seen:
            issues.append(
                ContentIssue(
                    where,
                    line,
                    table.key,
                    f"duplicate {table.key} '{key}' (first on line {seen[key]}); make ids unique",
                )
            )
        elif key:
            seen[key] = int(index) + 2
    return frame


def _check_references(tables: dict[str, pd.DataFrame], issues: list[ContentIssue]) -> None:
    for table in TABLES:
        for column in table.columns:
            if not column.ref:
                continue
            target_table, target_column = column.ref.split(".")
            known = set(tables[target_table][target_column])
            for index, value in tables[table.name][column.name].items():
                if value and value not in known:
                    issues.append(
                        ContentIssue(
                            f"data/{table.filename}",
                            f"line {int(index) + 2}",
                            column.name,
                            f"unknown {target_table[:-1]} '{value}'; use one of "
                            f"{', '.join(sorted(known))} or add it to data/{target_table}.csv",
                        )
                    )
    principles = set(tables["principles"]["id"])
    if principles and principles != set(PRINCIPLES):
        issues.append(
            ContentIssue(
                "data/principles.csv",
                "",
                "id",
                f"the principles must be exactly {', '.join(PRINCIPLES)}; found "
                f"{', '.join(sorted(principles))}",
            )
        )


# --- YAML files ---------------------------------------------------------------------------


def _read_yaml_list(path: Path, issues: list[ContentIssue]) -> list[Any]:
    where = f"data/{path.name}"
    if not path.is_file():
        issues.append(ContentIssue(where, "", "", "file not found; restore it from git"))
        return []
    try:
        entries = yaml.load(path.read_text(encoding="utf-8"), Loader=SafeLoader)
    except yaml.YAMLError as exc:
        issues.append(ContentIssue(where, "", "", f"not valid YAML: {exc}"))
        return []
    if not isinstance(entries, list):
        issues.append(ContentIssue(where, "", "", "must be a YAML list of entries"))
        return []
    return entries


def _entries(path: Path, issues: list[ContentIssue]):
    """Yield (row label, entry dict) for each well-formed entry, reporting the rest."""
    where = f"data/{path.name}"
    seen: set[str] = set()
    for number, entry in enumerate(_read_yaml_list(path, issues), start=1):
        if not isinstance(entry, dict):
            issues.append(ContentIssue(where, f"entry {number}", "", "must be a mapping"))
            continue
        entry_id = str(entry.get("id", "")).strip()
        row = f"entry {number} (id '{entry_id}')"
        if not entry_id:
            issues.append(ContentIssue(where, f"entry {number}", "id", "missing id"))
            continue
        if entry_id in seen:
            issues.append(ContentIssue(where, row, "id", f"duplicate id '{entry_id}'"))
            continue
        seen.add(entry_id)
        yield row, entry


def _reporter(issues: list[ContentIssue], where: str, row: str):
    """A function that records an issue of one entry: say(field, message)."""

    def say(field: str, message: str) -> None:
        issues.append(ContentIssue(where, row, field, message))

    return say


def _text(entry: dict, name: str, where: str, row: str, issues: list[ContentIssue]) -> str:
    value = entry.get(name)
    if not isinstance(value, str) or not value.strip():
        issues.append(ContentIssue(where, row, name, "missing or empty text"))
        return ""
    return " ".join(value.split())


def _read_scenarios(
    directory: Path, tables: dict[str, pd.DataFrame], issues: list[ContentIssue]
) -> tuple[dict[str, Scenario], set[str]]:
    path = directory / "scenarios.yaml"
    where = "data/scenarios.yaml"
    scenarios: dict[str, Scenario] = {}
    ids: set[str] = set()  # every scenario id in the file, valid or not
    for row, entry in _entries(path, issues):
        ids.add(entry["id"])
        before = len(issues)
        say = _reporter(issues, where, row)
        text = {name: _text(entry, name, where, row, issues) for name in ("title", "situation")}
        section = str(entry.get("section", "")).strip()
        if section not in SECTIONS:
            say("section", f"'{section}' is not a source section; use one of {', '.join(SECTIONS)}")
        if entry.get("fictional") is not True:
            say("fictional", "must be true: scenarios are fictional training situations")
        at_stake = entry.get("at_stake")
        if not isinstance(at_stake, list) or not at_stake:
            say("at_stake", "list the principles at stake")
            at_stake = []
        for principle in at_stake:
            if principle not in PRINCIPLES:
                say(
                    "at_stake",
                    f"unknown principle '{principle}'; use one of {', '.join(PRINCIPLES)}",
                )
        decisive = entry.get("decisive")
        if decisive not in PRINCIPLES:
            say("decisive", f"unknown principle '{decisive}'; use one of {', '.join(PRINCIPLES)}")
        key = _weight_key(entry.get("key"), where, row, issues)
        if decisive in key and key[decisive][1] != max(WEIGHTS):
            say("key", f"the decisive principle '{decisive}' must allow weight {max(WEIGHTS)}")
        rationale = entry.get("rationale")
        if not isinstance(rationale, dict):
            say("rationale", "give a rationale for every principle")
            rationale = {}
        for principle in PRINCIPLES:
            if not str(rationale.get(principle, "")).strip():
                say(f"rationale.{principle}", "missing rationale for this principle")
        for principle in rationale:
            if principle not in PRINCIPLES:
                say("rationale", f"unknown principle '{principle}'")
        if len(issues) == before:
            scenarios[entry["id"]] = Scenario(
                id=entry["id"],
                title=text["title"],
                section=section,
                situation=text["situation"],
                at_stake=tuple(at_stake),
                decisive=decisive,
                key=key,
                rationale={p: " ".join(str(rationale[p]).split()) for p in PRINCIPLES},
            )
    return scenarios, ids


def _weight_key(
    key: Any, where: str, row: str, issues: list[ContentIssue]
) -> dict[str, tuple[int, int]]:
    if not isinstance(key, dict):
        issues.append(
            ContentIssue(where, row, "key", "give a [low, high] weight range per principle")
        )
        return {}
    result: dict[str, tuple[int, int]] = {}
    low_bound, high_bound = min(WEIGHTS), max(WEIGHTS)
    for principle in PRINCIPLES:
        bounds = key.get(principle)
        field = f"key.{principle}"
        if (
            not isinstance(bounds, list)
            or len(bounds) != 2
            or not all(isinstance(b, int) and not isinstance(b, bool) for b in bounds)
        ):
            issues.append(ContentIssue(where, row, field, "must be [low, high], two whole numbers"))
            continue
        low, high = bounds
        if not low_bound <= low <= high <= high_bound:
            issues.append(
                ContentIssue(
                    where,
                    row,
                    field,
                    f"weight range {bounds} out of bounds; need {low_bound} <= low <= high <= "
                    f"{high_bound}",
                )
            )
            continue
        result[principle] = (low, high)
    for principle in key:
        if principle not in PRINCIPLES:
            issues.append(ContentIssue(where, row, f"key.{principle}", "unknown principle"))
    return result


def _read_checks(
    directory: Path,
    tables: dict[str, pd.DataFrame],
    scenarios: set[str],
    issues: list[ContentIssue],
) -> dict[str, Check]:
    path = directory / "checks.yaml"
    where = "data/checks.yaml"
    lessons = set(tables["lessons"]["id"])
    responsibilities = set(tables["responsibilities"]["id"])
    polarities = set(tables["polarities"]["id"])
    checks: dict[str, Check] = {}
    for row, entry in _entries(path, issues):
        before = len(issues)
        say = _reporter(issues, where, row)
        kind = entry.get("kind")
        if kind not in CHECK_KINDS:
            say("kind", f"unknown kind '{kind}'; use one of {', '.join(CHECK_KINDS)}")
            continue
        if entry.get("lesson") not in lessons:
            say("lesson", f"unknown lesson '{entry.get('lesson')}'; see data/lessons.csv")
        source = str(entry.get("source", ""))
        if problem := bad_citation(source):
            say("source", problem)
        fields: dict[str, Any] = {}
        if kind in ("choice", "multi"):
            fields["prompt"] = _text(entry, "prompt", where, row, issues)
            options = entry.get("options")
            correct = entry.get("correct")
            if (
                not isinstance(options, list)
                or len(options) < 2
                or len(set(options)) != len(options)
            ):
                say("options", "give at least two distinct options")
                options = []
            if not isinstance(correct, list) or not correct:
                say("correct", "list the correct option(s)")
                correct = []
            for answer in correct:
                if answer not in options:
                    say("correct", f"'{answer}' is not one of the options")
            if kind == "choice" and len(correct) != 1:
                say("correct", "a 'choice' check has exactly one correct option")
            fields.update(options=tuple(map(str, options)), correct=tuple(map(str, correct)))
        elif kind in ("role_matching", "polarity_sorting"):
            known = responsibilities if kind == "role_matching" else polarities
            items = entry.get("items")
            if not isinstance(items, list) or not items:
                say("items", "list the item ids")
                items = []
            for item in items:
                if item not in known:
                    table = "responsibilities" if kind == "role_matching" else "polarities"
                    say("items", f"unknown item '{item}'; use an id from data/{table}.csv")
            fields["items"] = tuple(items)
        else:
            if entry.get("scenario") not in scenarios:
                say(
                    "scenario",
                    f"unknown scenario '{entry.get('scenario')}'; see data/scenarios.yaml",
                )
            fields["scenario"] = entry.get("scenario", "")
        if len(issues) == before:
            checks[entry["id"]] = Check(
                id=entry["id"],
                lesson=entry["lesson"],
                kind=kind,
                source=source,
                hint=" ".join(str(entry.get("hint", "")).split()),
                explanation=" ".join(str(entry.get("explanation", "")).split()),
                **fields,
            )
    return checks
