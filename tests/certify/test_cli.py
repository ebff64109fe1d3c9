"""The certify verb through argparse, as the `peaceops` command wires it (with the
credential verbs: the whole story goes keys init -> certify -> verify -> revoke)."""

from __future__ import annotations

import argparse
import io
import json
import sys

import pytest

import peaceops.results as results_module
from peaceops.certify.cli import add_parser
from peaceops.credentials import Exit
from peaceops.credentials.cli import add_parsers
from tests.factories.certificates import LESSONS, cohort


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="peaceops")
    verbs = parser.add_subparsers(dest="verb")
    add_parser(verbs)
    add_parsers(verbs)
    return parser


def run(*argv: str) -> int:
    args = _parser().parse_args(argv)
    return args.func(args)


def test_certify_explains_itself(capsys):
    with pytest.raises(SystemExit) as done:
        _parser().parse_args(["certify", "--help"])
    assert done.value.code == 0
    assert len(capsys.readouterr().out) > 250


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A course directory whose results are fabricated; keys made through the CLI."""
    course = tmp_path / "course"
    course.mkdir()
    monkeypatch.setattr(
        results_module,
        "load_results",
        lambda course_dir, **_: cohort(
            {"amina": [16], "bo": [10, 12], "chen": [18]}, lessons={"chen": LESSONS[:2]}
        ),
    )
    monkeypatch.setenv("PEACEOPS_KEY_DIR", str(tmp_path / "private"))
    assert run("keys", "init", "--course", str(course)) == 0
    return course


def test_the_whole_story(course, capsys, monkeypatch):
    (public,) = (course / "public-keys").glob("*.pem")

    # issue 27: the reference bank's keys are public: refused unless for training
    assert run("certify", "--course", str(course)) == 1
    err = capsys.readouterr().err
    assert "reference bank" in err and "--training" in err and "--bank" in err
    assert not (course / "certificates" / "2026.1").exists()
    assert run("certify", "--course", str(course), "--training") == 0
    out = capsys.readouterr().out
    assert "issued 1\n  amina  Amina Diallo  code " in out
    assert "not passing 2" in out and "bo: exam attempt 1: 10/20 (50 %)" in out
    assert "chen: " in out and "has not submitted rights-wps-conduct" in out
    assert run("certify", "--course", str(course), "--training") == 0
    assert "issued 0\nalready certified 1\n  amina" in capsys.readouterr().out

    cert = course / "certificates" / "2026.1" / "amina.json"
    assert run("verify", str(cert), "--course", str(course)) == 0
    out = capsys.readouterr().out
    assert out.startswith("valid: Amina Diallo, Leading United Nations")
    assert "[reference bank: for training, not certification]" in out.splitlines()[0]
    assert run("verify", str(cert.with_suffix(".pdf")), "--keys", str(public)) == 0
    capsys.readouterr()
    qr_text = json.dumps(json.loads(cert.read_text()), separators=(",", ":"))
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(qr_text.encode())))
    assert run("verify", "-", "--course", str(course)) == 0
    capsys.readouterr()

    forged = json.loads(cert.read_text())
    forged["payload"]["score"] = 20
    (course / "forged.json").write_text(json.dumps(forged))
    assert run("verify", str(course / "forged.json"), "--course", str(course)) == 3
    assert "invalid: " in capsys.readouterr().err

    cert_id = forged["payload"]["certificate_id"]
    assert run("revoke", cert_id, "--reason", "exam irregularity", "--course", str(course)) == 0
    assert "revoked" in capsys.readouterr().out
    assert run("revoke", str(cert), "--reason", "again", "--course", str(course)) == 0
    assert "revoked already" in capsys.readouterr().out
    assert run("verify", str(cert), "--course", str(course)) == Exit.REVOKED
    assert "exam irregularity" in capsys.readouterr().err

    revoked = course / "public-keys" / "revoked.json"
    revoked.write_text(revoked.read_text().replace("exam irregularity", "typo"))
    assert run("verify", str(cert), "--course", str(course)) == Exit.BAD_REVOCATION_LIST
    assert run("verify", str(course / "nothing.json"), "--course", str(course)) == 1


def test_certify_errors_are_clear(course, tmp_path, capsys):
    assert run("certify", "--course", str(course), "--rule", "1999.1") == 1
    assert "no pass rule '1999.1'" in capsys.readouterr().err
    assert run("certify", "--course", str(course), "--key", str(tmp_path / "nokey.pem")) == 1
    assert "keys init" in capsys.readouterr().err
    bad = tmp_path / "certification.yaml"
    bad.write_text("course: {}\n")
    assert run("certify", "--course", str(course), "--config", str(bad)) == 1
    assert "field 'course.id'" in capsys.readouterr().err


def test_certify_exits_1_when_a_learner_needs_attention(course, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(
        results_module, "load_results", lambda course_dir, **_: cohort({"amina": [16], "x9": [20]})
    )
    assert run("certify", "--course", str(course), "--training") == 1
    captured = capsys.readouterr()
    assert "issued 1" in captured.out and "need attention 1\n  x9: " in captured.err


class _Unread:
    """A per-item table that fails when certify reads it."""

    def __getattr__(self, name):
        raise AssertionError(f"certify read the per-item table ({name})")

    def __getitem__(self, key):
        raise AssertionError("certify read the per-item table")


def test_certify_loads_no_per_item_table(course, monkeypatch, capsys):
    """The pass rule decides on submissions and attempts: certify asks `load_results` to
    leave the per-item table out, and issues the same with or without it."""
    from dataclasses import replace

    asked = []

    def load(course_dir, **options):
        asked.append(options)
        results = cohort({"amina": [16], "bo": [10, 12]})
        return results if options.get("items", True) else replace(results, items=_Unread())

    monkeypatch.setattr(results_module, "load_results", load)
    assert run("certify", "--course", str(course), "--training") == 0
    assert asked == [{"items": False}]
    assert "issued 1\n  amina  " in capsys.readouterr().out


def test_certify_reads_the_courses_roster_without_roster(course, capsys):
    """The course's roster.csv (`CourseDir.roster_file`, shared with grading's feedback) is
    the roster when --roster is not given: amina's certificate is in French; without the
    file it is in --language's (English)."""
    (course / "roster.csv").write_text("id,language\namina,fr\n", encoding="utf-8")
    assert run("certify", "--course", str(course), "--training") == 0
    assert f"{course / 'certificates' / '2026.1' / 'amina.pdf'}  (fr)" in capsys.readouterr().out
    (course / "roster.csv").write_text("id,language\namina,de\n", encoding="utf-8")
    other = course.parent / "other"
    assert run("certify", "--course", str(course), "--training", "--out", str(other)) == 1
    assert "amina's language is 'de' (roster.csv, row 2)" in capsys.readouterr().err
    (course / "roster.csv").write_text("id,first_name\namina,Amina\n")  # nbgrader's only
    third = course.parent / "third"
    assert run("certify", "--course", str(course), "--training", "--out", str(third)) == 0
    assert f"{third / '2026.1' / 'amina.pdf'}  (en)" in capsys.readouterr().out


def test_certify_issues_in_the_roster_language(course, tmp_path, capsys):
    """Issue 31: `--roster` (a language column) or `--language` chooses each certificate's
    language; a roster that cannot say, or an unknown --language, is a clear error before
    anything is issued."""
    from pypdf import PdfReader

    roster = tmp_path / "roster.csv"
    roster.write_text("id,first_name,last_name,language\nchen,Chen,Wei,en\n", encoding="utf-8")
    assert run("certify", "--course", str(course), "--training", "--language", "de") == 1
    assert "--language 'de' is not a language of the certificates: use one of en, fr" in \
        capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text("id,lang\namina,fr\n", encoding="utf-8")
    assert run("certify", "--course", str(course), "--training", "--roster", str(bad)) == 1
    assert f"the roster {bad} has no column language" in capsys.readouterr().err
    assert not (course / "certificates" / "2026.1").exists()
    # amina is not in the roster: --language gives hers
    assert run("certify", "--course", str(course), "--training", "--roster", str(roster),
               "--language", "fr") == 0
    out = capsys.readouterr().out
    assert "issued 1\n  amina  Amina Diallo  code " in out
    pdf = course / "certificates" / "2026.1" / "amina.pdf"
    assert f"{pdf}  (fr)" in out
    text = PdfReader(pdf).pages[0].extract_text()
    assert "Certificat d'entraînement" in text and "Le présent certificat atteste que" in text
    assert run("verify", str(pdf), "--course", str(course)) == 0
    assert "Amina Diallo, Diriger les opérations de paix des Nations Unies 0.1.0" in \
        capsys.readouterr().out
