"""Issue 31, item 5: the translation is reviewed, and the reviews are recorded in the
repository (solutions/keys/i18n/<language>/reviews/, beside the keys because a finding may
say which option is keyed). Every translated file is in the scope of a review by someone who
did not translate it, and every finding says what was found and what became of it."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

REVIEWS = ROOT / "solutions" / "keys" / "i18n" / "fr" / "reviews"
KINDS = {"meaning", "term", "consistency", "form", "style"}
SEVERITIES = {"error", "improvement"}


@functools.cache
def records() -> dict[str, dict]:
    return {p.name: yaml.safe_load(p.read_text()) for p in sorted(REVIEWS.glob("*.yaml"))}


def translated_files() -> list[Path]:
    """Every French file a learner's text comes from (the term list is a reference, not a
    translation)."""
    files = [*(ROOT / "locales" / "fr" / "LC_MESSAGES" / "book").glob("*.po"),
             *(p for p in (ROOT / "data" / "i18n" / "fr").iterdir() if p.name != "terms.csv"),
             ROOT / "solutions" / "keys" / "i18n" / "fr" / "bank-keys.yaml",
             ROOT / "src" / "peaceops" / "locale" / "fr" / "LC_MESSAGES" / "peaceops.po"]
    return sorted(files)


def in_scope(path: Path, scopes: str) -> bool:
    """A file is in a review's scope when the scope names it (the exam pool was reviewed as
    its two drafts, exam-bank-part1/2.yaml, now one file)."""
    return path.name in scopes or path.name.split(".")[0] in scopes


def test_every_translated_file_is_in_a_recorded_review():
    found = records()
    assert found, f"no review recorded in {REVIEWS}"
    scopes = " ".join(yaml.safe_dump(record["scope"]) for record in found.values())
    missing = [str(p.relative_to(ROOT)) for p in translated_files() if not in_scope(p, scopes)]
    assert not missing, f"translated but in no review's scope: {missing}"


@pytest.mark.parametrize("name", sorted(records()))
def test_each_review_is_independent_dated_and_every_finding_is_complete(name):
    record = records()[name]
    assert "translated none" in record["reviewer"] and record["date"], name
    assert record["findings"] and record["summary"] and "not_reviewed" in record
    for finding in record["findings"]:
        assert finding["kind"] in KINDS and finding["severity"] in SEVERITIES, finding
        assert finding["file"] and finding["english"], finding
        assert finding.get("french_after") or finding.get("note"), finding


def test_a_file_no_review_names_is_reported(tmp_path):
    """The scope check both ways: a translation file no scope names is caught."""
    stray = tmp_path / "new-table.csv"
    stray.write_text("id\n")
    scopes = " ".join(yaml.safe_dump(record["scope"]) for record in records().values())
    assert not in_scope(stray, scopes)
    assert in_scope(ROOT / "data" / "i18n" / "fr" / "checks.yaml", scopes)
