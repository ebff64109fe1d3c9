"""The content loads, and each kind of corruption gets an error naming file, row and field."""

import re
from pathlib import Path

import pytest
import yaml

from peaceops.content import PRINCIPLES, ContentError, load_course
from tests.conftest import ROOT


def test_all_content_loads_and_validates():
    course = load_course(cache=False)
    assert set(course.roles["id"]) >= {"hom", "dsrsg_pol", "dsrsg_rchc", "fc", "pc", "cos", "dms"}
    assert set(course.roles[course.roles.team == "reinforcing"]["id"]) == {
        "human_rights",
        "gender",
        "strategic_comms",
        "security",
    }
    counts = course.responsibilities.groupby("role").size()
    core = course.roles[course.roles.team == "core"]["id"]
    assert all(counts.get(role, 0) >= 2 for role in core)
    assert list(course.principles["id"]) == list(PRINCIPLES)
    assert len(course.considerations) == 8
    assert len(course.leadership_characteristics) == 8
    scenarios = [e for e in course.pools["scenarios"].values() if not e.graded]
    assert len(scenarios) >= 6
    assert {s.public["section"] for s in scenarios} == {"1.1.1", "1.1.2", "1.1.3", "1.1.4"}


def test_glossary_covers_every_acronym_used_in_data_and_lessons():
    course = load_course()
    terms = set(course.glossary["term"])
    root = Path(__file__).resolve().parents[2]
    text = " ".join(p.read_text() for p in [*root.glob("book/*.md"), *root.glob("data/*.csv")])
    used = set(
        re.findall(
            r"\b(?:MLT|HoM|SRSG|DSRSG|UNCT|HCT|FC|PC|COS|DMS|CMS|OHCHR|HRDDP|WPS|SEA|"
            r"OIOS|TCCs?|PCCs?|RC/HC|DPO|USG|CEB)\b",
            text,
        )
    )
    expanded = {t.rstrip("s") for t in used}
    known = terms | {part for t in terms for part in re.split(r"[/-]", t)}
    assert expanded <= known, expanded - known


def _error(data_dir: Path) -> ContentError:
    with pytest.raises(ContentError) as info:
        load_course(data_dir, cache=False)
    return info.value


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_unknown_role(data_copy):
    _edit(
        data_copy / "responsibilities.csv",
        "Sets up the police chain of command.,pc,",
        "Sets up the police chain of command.,pcx,",
    )
    (issue,) = _error(data_copy).issues
    lines = (ROOT / "data" / "responsibilities.csv").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, start=1)
                if "Sets up the police chain of command.,pc," in text)
    assert (issue.file, issue.row, issue.field) == ("data/responsibilities.csv", f"line {line}", "role")
    assert "unknown role 'pcx'" in issue.message and "hom" in issue.message


def test_duplicate_id(data_copy):
    _edit(data_copy / "roles.csv", "cos,Chief of Staff", "fc,Chief of Staff")
    (issue,) = [i for i in _error(data_copy).issues if i.file == "data/roles.csv"]
    assert (issue.file, issue.row, issue.field) == ("data/roles.csv", "line 7", "id")
    assert "duplicate id 'fc' (first on line 5)" in issue.message


def test_missing_citation(data_copy):
    _edit(
        data_copy / "political_process.csv",
        "National reconciliation,1.1.1",
        "National reconciliation,",
    )
    (issue,) = _error(data_copy).issues
    assert (issue.file, issue.row, issue.field) == (
        "data/political_process.csv",
        "line 6",
        "source",
    )
    assert "missing citation" in issue.message


def test_unknown_citation(data_copy):
    path = data_copy / "glossary.csv"
    path.write_text(re.sub(r"(?m)^(SEA,.*),1\.1\.4$", r"\1,1.1.9", path.read_text()))
    (issue,) = _error(data_copy).issues
    assert issue.field == "source" and "unknown citation '1.1.9'" in str(issue)


def test_value_not_allowed(data_copy):
    _edit(data_copy / "roles.csv", "FC,uniformed,core", "FC,military,core")
    (issue,) = _error(data_copy).issues
    assert (issue.row, issue.field) == ("line 5", "component")
    assert "use one of civilian, uniformed" in issue.message


def test_missing_column(data_copy):
    _edit(data_copy / "principles.csv", "id,name,definition,source", "id,name,meaning,source")
    (issue,) = _error(data_copy).issues
    assert (issue.file, issue.field) == ("data/principles.csv", "definition")


def test_missing_file(data_copy):
    (data_copy / "considerations.csv").unlink()
    issues = _error(data_copy).issues
    assert issues[0].file == "data/considerations.csv" and "file not found" in issues[0].message


def _scenarios(data_copy: Path):
    return yaml.safe_load((data_copy / "scenarios.yaml").read_text())


def _write_scenarios(data_copy: Path, scenarios) -> None:
    (data_copy / "scenarios.yaml").write_text(yaml.safe_dump(scenarios, sort_keys=False))


def test_weight_range_out_of_bounds(data_copy):
    scenarios = _scenarios(data_copy)
    scenarios[1]["key"]["legitimacy"] = [2, 5]
    _write_scenarios(data_copy, scenarios)
    (issue,) = _error(data_copy).issues
    assert issue.file == "data/scenarios.yaml"
    assert issue.row == "entry 2 (id 'reconciliation-plan')" and issue.field == "key.legitimacy"
    assert "out of bounds" in issue.message


def test_decisive_principle_must_allow_top_weight(data_copy):
    scenarios = _scenarios(data_copy)
    scenarios[0]["key"]["consent"] = [1, 2]
    _write_scenarios(data_copy, scenarios)
    (issue,) = _error(data_copy).issues
    assert issue.field == "key" and "decisive principle 'consent'" in issue.message


def test_unknown_principle_and_missing_rationale(data_copy):
    scenarios = _scenarios(data_copy)
    scenarios[2]["decisive"] = "neutrality"
    del scenarios[2]["rationale"]["ownership"]
    _write_scenarios(data_copy, scenarios)
    fields = {i.field for i in _error(data_copy).issues}
    assert fields == {"decisive", "rationale.ownership"}


def test_scenario_must_be_fictional_and_cite_a_section(data_copy):
    scenarios = _scenarios(data_copy)
    scenarios[3]["fictional"] = False
    scenarios[3]["section"] = "9.9"
    _write_scenarios(data_copy, scenarios)
    fields = {i.field for i in _error(data_copy).issues}
    assert fields == {"fictional", "section"}


def test_duplicate_scenario_id(data_copy):
    scenarios = _scenarios(data_copy)
    scenarios[1]["id"] = scenarios[0]["id"]
    _write_scenarios(data_copy, scenarios)
    issues = _error(data_copy).issues
    assert any(i.row.startswith("entry 2") and "duplicate id" in i.message for i in issues)


def test_invalid_yaml(data_copy):
    (data_copy / "scenarios.yaml").write_text("- id: [unclosed\n")
    issues = _error(data_copy).issues
    assert issues[0].file == "data/scenarios.yaml" and "not valid YAML" in issues[0].message


def test_check_with_unknown_items_and_wrong_correct(data_copy):
    checks = yaml.safe_load((data_copy / "checks.yaml").read_text())
    by_id = {c["id"]: c for c in checks}
    by_id["mlt-roles"]["items"].append("no-such-responsibility")
    by_id["glossary-acronyms"]["correct"] = ["Something else"]
    (data_copy / "checks.yaml").write_text(yaml.safe_dump(checks, sort_keys=False))
    issues = {(i.row.split(" (")[1], i.field): i.message for i in _error(data_copy).issues}
    assert "unknown item 'no-such-responsibility'" in issues[("id 'mlt-roles')", "items")]
    assert "is not one of the options" in issues[("id 'glossary-acronyms')", "correct")]


def test_error_lists_every_problem_in_one_message(data_copy):
    _edit(data_copy / "roles.csv", "FC,uniformed,core", "FC,military,core")
    _edit(data_copy / "responsibilities.csv", ",pc,MLT roles", ",zz,MLT roles")
    message = str(_error(data_copy))
    assert "data/roles.csv, line 5, field 'component'" in message
    lines = (ROOT / "data" / "responsibilities.csv").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if ",pc,MLT roles," in text)
    assert f"data/responsibilities.csv, line {line}, field 'role'" in message
