"""The certification verbs through argparse, as the `peaceops` command wires them."""

from __future__ import annotations

import argparse
import io
import json
import sys

import pytest

import peaceops.results as results_module
from peaceops.certify import Exit
from peaceops.certify.cli import add_parsers

from .conftest import LESSONS, cohort


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="peaceops")
    add_parsers(parser.add_subparsers(dest="verb"))
    return parser


def run(*argv: str) -> int:
    args = _parser().parse_args(argv)
    return args.func(args)


@pytest.mark.parametrize("verb", [["certify"], ["keys"], ["keys", "init"], ["verify"], ["revoke"]])
def test_every_verb_explains_itself(verb, capsys):
    with pytest.raises(SystemExit) as done:
        _parser().parse_args([*verb, "--help"])
    assert done.value.code == 0
    assert len(capsys.readouterr().out) > 250


def test_verify_help_documents_each_exit_code(capsys):
    with pytest.raises(SystemExit):
        _parser().parse_args(["verify", "--help"])
    text = capsys.readouterr().out
    for code in Exit:
        assert f"  {code.value}  " in text


def test_keys_without_a_verb_prints_help(capsys):
    assert run("keys") == 2
    assert "init" in capsys.readouterr().err


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


def test_keys_init_says_what_to_keep_and_what_to_publish(tmp_path, capsys):
    assert run("keys", "init", "--dir", str(tmp_path / "k"), "--course", str(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "made key" in out and "never commit it" in out and "commit and publish" in out
    assert run("keys", "init", "--dir", str(tmp_path / "k"), "--course", str(tmp_path)) == 1
    assert "never overwritten" in capsys.readouterr().err


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


def test_keys_init_refuses_the_course_repository(tmp_path, capsys):
    import subprocess

    subprocess.run(["git", "init", "-q", str(tmp_path / "repo")], check=True)
    assert (
        run(
            "keys",
            "init",
            "--dir",
            str(tmp_path / "repo" / "keys"),
            "--course",
            str(tmp_path / "repo"),
        )
        == 1
    )
    assert "git work tree" in capsys.readouterr().err


def test_revoke_warns_about_an_unknown_id(course, capsys):
    assert run("revoke", "f" * 32, "--reason", "test", "--course", str(course)) == 0
    assert "is not in" in capsys.readouterr().err


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


def test_keys_init_names_the_issuer_and_publishes_its_profile(tmp_path, capsys):
    """Issue 27, item 3: never an empty name or an unresolvable urn:uuid issuer."""
    course = tmp_path / "c1"
    assert run("keys", "init", "--dir", str(tmp_path / "k1"), "--course", str(course)) == 0
    issuer = json.loads((course / "public-keys" / "issuer.json").read_text())
    assert issuer["name"] == "The peaceops course team"  # data/certification.yaml's
    assert issuer["id"].startswith("did:key:z6Mk")
    course = tmp_path / "c2"
    assert run("keys", "init", "--dir", str(tmp_path / "k2"), "--course", str(course),
               "--name", "UN Peace Ops Academy", "--url", "https://academy.example/certs/",
               "--email", "certs@academy.example") == 0
    profile = json.loads((course / "public-keys" / "profile.json").read_text())
    assert profile["@context"][1].startswith("https://purl.imsglobal.org/spec/ob/v3p0/")
    assert (profile["name"], profile["url"], profile["email"]) == (
        "UN Peace Ops Academy", "https://academy.example/certs/", "certs@academy.example")
    from peaceops.certify import didkey, load_private_key

    key = load_private_key(tmp_path / "k2" / "peaceops-issuer.pem")
    assert profile["id"] == didkey.did(key.public_key())  # the profile's id resolves to the key
