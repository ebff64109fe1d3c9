"""The credential verbs (keys, verify, revoke) through argparse, as the `peaceops` command
wires them."""

from __future__ import annotations

import argparse
import json

import pytest

from peaceops.credentials import Exit
from peaceops.credentials.cli import add_parsers


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="peaceops")
    add_parsers(parser.add_subparsers(dest="verb"))
    return parser


def run(*argv: str) -> int:
    args = _parser().parse_args(argv)
    return args.func(args)


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A course directory with keys made through the CLI."""
    course = tmp_path / "course"
    course.mkdir()
    monkeypatch.setenv("PEACEOPS_KEY_DIR", str(tmp_path / "private"))
    assert run("keys", "init", "--course", str(course)) == 0
    return course


@pytest.mark.parametrize("verb", [["keys"], ["keys", "init"], ["verify"], ["revoke"]])
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


def test_keys_init_says_what_to_keep_and_what_to_publish(tmp_path, capsys):
    assert run("keys", "init", "--dir", str(tmp_path / "k"), "--course", str(tmp_path)) == 0
    out = capsys.readouterr().out
    assert "made key" in out and "never commit it" in out and "commit and publish" in out
    assert run("keys", "init", "--dir", str(tmp_path / "k"), "--course", str(tmp_path)) == 1
    assert "never overwritten" in capsys.readouterr().err


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
    from peaceops.credentials import didkey, load_private_key

    key = load_private_key(tmp_path / "k2" / "peaceops-issuer.pem")
    assert profile["id"] == didkey.did(key.public_key())  # the profile's id resolves to the key
