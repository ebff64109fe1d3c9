"""Issuing: certificates for those who pass, once per rule version, nothing lost on a re-run
or after an interrupted run."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, datetime

from pypdf import PdfReader

from peaceops.certify import Certification, issue_certificates
from peaceops.credentials import LEDGER, read_ledger, verification_code, verify
from tests.factories.certificates import EXAM, LESSONS, cohort

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def _results():
    return cohort(
        {"amina": [16], "bo": [10, 11], "chen": [9, 19], "dara": [20]},
        lessons={"dara": LESSONS[1:]},
    )


def test_issues_to_those_who_pass(tmp_path, certification, keypair):
    key, public = keypair
    out = tmp_path / "certificates"
    report = issue_certificates(_results(), certification, key, out, public_dir=public, now=NOW)
    assert report.ok and report.published_key is None  # keys init published it already
    assert [i.student for i in report.issued] == ["amina", "chen"]
    assert {d.student for d in report.not_passing} == {"bo", "dara"}
    for issued in report.issued:
        assert issued.credential == out / "2026.1" / f"{issued.student}.json"
        credential = json.loads(issued.credential.read_text())
        assert verification_code(credential) == issued.code
        assert verify(issued.credential, public).payload["learner_name"] == issued.name
        assert verify(issued.pdf, public).payload == credential["payload"]
        pdf = issued.pdf.read_bytes()
        assert pdf.startswith(b"%PDF")
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        assert issued.name in text and issued.code in text
    rows = read_ledger(out)
    assert [(r["student"], r["rule_version"], r["attempt"], r["score"]) for r in rows] == [
        ("amina", "2026.1", "1", "16"),
        ("chen", "2026.1", "2", "19"),
    ]
    assert rows[0]["verification_code"] == report.issued[0].code


def test_a_rerun_issues_nothing_twice(tmp_path, certification, keypair):
    key, public = keypair
    out = tmp_path / "certificates"
    first = issue_certificates(_results(), certification, key, out, public_dir=public)
    files = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    results = cohort({"amina": [16], "bo": [10, 15], "chen": [9, 19], "dara": [20]})
    second = issue_certificates(results, certification, key, out, public_dir=public)
    assert [i.student for i in second.issued] == ["bo", "dara"]
    assert [r["student"] for r in second.already] == ["amina", "chen"]
    for path, data in files.items():  # nothing rewritten; the ledger only grows
        assert path.read_bytes() == data or (
            path.name == LEDGER and path.read_bytes().startswith(data)
        )
    third = issue_certificates(results, certification, key, out, public_dir=public)
    assert not third.issued and len(third.already) == 4
    ids = [r["certificate_id"] for r in read_ledger(out)]
    assert len(ids) == len(set(ids)) == 4
    assert {i.certificate_id for i in first.issued} < set(ids)


def test_a_new_rule_version_certifies_again(tmp_path, certification, keypair):
    key, public = keypair
    out = tmp_path / "certificates"
    issue_certificates(_results(), certification, key, out, public_dir=public)
    rule = replace(certification.rule(), version="2027.1")
    newer = Certification(
        **{**certification.__dict__, "rules": {"2027.1": rule}, "current": "2027.1"}
    )
    report = issue_certificates(_results(), newer, key, out, public_dir=public)
    assert [i.student for i in report.issued] == ["amina", "chen"]
    assert (out / "2027.1" / "amina.pdf").exists() and (out / "2026.1" / "amina.pdf").exists()


def test_an_interrupted_run_is_recovered_not_duplicated(tmp_path, certification, keypair):
    key, public = keypair
    out = tmp_path / "certificates"
    first = issue_certificates(_results(), certification, key, out, public_dir=public)
    # as if the run had stopped after writing chen's credential, before its PDF and ledger row
    ledger = (out / LEDGER).read_text()
    lines = ledger.splitlines(keepends=True)
    (out / LEDGER).write_text("".join(lines[:2]) + lines[2][:30])  # and a torn last line
    (out / "2026.1" / "chen.pdf").unlink()
    chen = json.loads((out / "2026.1" / "chen.json").read_text())
    report = issue_certificates(_results(), certification, key, out, public_dir=public)
    assert [(i.student, i.recovered) for i in report.issued] == [("chen", True)]
    assert report.issued[0].certificate_id == chen["payload"]["certificate_id"]
    assert report.issued[0].certificate_id == first.issued[1].certificate_id
    assert verify(out / "2026.1" / "chen.pdf", public).payload == chen["payload"]
    assert [r["student"] for r in read_ledger(out)] == ["amina", "chen"]
    with (out / LEDGER).open(newline="") as f:
        assert sum(1 for _ in csv.reader(f)) == 4  # header, amina, the torn line, chen


def test_a_stray_file_is_never_overwritten(tmp_path, certification, keypair):
    key, public = keypair
    out = tmp_path / "certificates"
    (out / "2026.1").mkdir(parents=True)
    stray = out / "2026.1" / "amina.json"
    stray.write_text("my notes")
    report = issue_certificates(_results(), certification, key, out, public_dir=public)
    assert not report.ok and report.problems[0][0] == "amina"
    assert "move it away" in report.problems[0][1]
    assert stray.read_text() == "my notes"
    assert [i.student for i in report.issued] == ["chen"]  # the rest go on


def test_a_learner_without_a_name_is_held_with_instructions(tmp_path, certification, keypair):
    key, public = keypair
    results = cohort({"amina": [16], "x9": [17]})
    report = issue_certificates(results, certification, key, tmp_path / "c", public_dir=public)
    assert [i.student for i in report.issued] == ["amina"]
    assert report.problems[0][0] == "x9" and "nbgrader db student add x9" in report.problems[0][1]


def test_odd_learner_ids_get_distinct_safe_file_names(tmp_path, certification, keypair):
    key, public = keypair
    names = {"a b": ("Ann", "B"), "a_b": ("Ann", "Underscore"), "../up": ("Up", "Dir")}
    results = cohort({s: [18] for s in names}, names=names)
    report = issue_certificates(results, certification, key, tmp_path / "c", public_dir=public)
    assert report.ok and len(report.issued) == 3
    paths = {i.pdf for i in report.issued}
    assert len(paths) == 3 and all(p.parent == tmp_path / "c" / "2026.1" for p in paths)


def test_the_public_key_is_published_when_missing(tmp_path, certification, keypair):
    key, _ = keypair
    fresh = tmp_path / "fresh-public"
    report = issue_certificates(_results(), certification, key, tmp_path / "c", public_dir=fresh)
    assert report.published_key and report.published_key.parent == fresh
    assert verify(report.issued[0].credential, fresh)


def test_certify_says_which_scores_wait_for_manual_grading(tmp_path, certification, keypair):
    key, public = keypair
    results = cohort({"amina": [16], "bo": [19]}, review={"bo": {"needs_manual_grade": True}})
    report = issue_certificates(results, certification, key, tmp_path / "c", public_dir=public,
                                now=NOW)
    assert report.waiting == [("bo", EXAM)]
    assert [i.student for i in report.issued] == ["amina"]  # bo's exam waits: held back
    (bo,) = report.not_passing
    assert "needs manual grading" in "; ".join(bo.reasons)
    none_waiting = issue_certificates(cohort({"bo": [10]}), certification, key,
                                      tmp_path / "d", public_dir=public, now=NOW)
    assert none_waiting.waiting == [] and none_waiting.issued == []
