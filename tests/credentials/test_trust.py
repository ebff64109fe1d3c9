"""Issue 13: verify trusted any key dropped into public-keys/. Only keys the issuer declares
(issuer.json), or names with --trust, are trusted; verify prints the key id. Issue 16: a
rotated key keeps the old credentials verifying under the old key id; keys can be encrypted."""

from __future__ import annotations

import argparse
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from peaceops.certify import decide, new_credential
from peaceops.certify.issue import issue_certificates
from peaceops.credentials import (
    CertifyError,
    Exit,
    VerifyError,
    init_keys,
    load_private_key,
    verify,
)
from peaceops.credentials.cli import add_parsers
from peaceops.credentials.keys import _publish_pem, key_id
from tests.factories.certificates import cohort


def _run(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    add_parsers(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


def test_a_key_dropped_into_the_folder_is_not_trusted(tmp_path, certification, keypair):
    """Reproduces issue 13: a forger's .pem copied into public-keys/ made their certificate
    valid."""
    _, public = keypair
    forger = Ed25519PrivateKey.generate()
    decision = decide(cohort({"bo": [20]}), certification.rule(), "bo")
    forged = new_credential(decision, certification, forger)
    _publish_pem(forger.public_key(), public)  # only the file, as anyone could drop it
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(forged))
    with pytest.raises(VerifyError, match="not declared the issuer's") as error:
        verify(path, public)
    assert error.value.code == Exit.UNKNOWN_KEY
    # trusting it explicitly is the verifier's own decision
    assert verify(path, public, trust=[key_id(forger.public_key())]).key_id == key_id(
        forger.public_key()
    )


def test_trust_narrows_to_the_named_keys(tmp_path, certification, keypair, capsys):
    key, public = keypair
    decision = decide(cohort({"amina": [18]}), certification.rule(), "amina")
    path = tmp_path / "cert.json"
    path.write_text(json.dumps(new_credential(decision, certification, key)))
    kid = key_id(key.public_key())
    assert _run("verify", str(path), "--keys", str(public), "--trust", kid) == 0
    out = capsys.readouterr().out
    assert f"signed with key {kid}" in out and "revocation NOT checked" in out
    assert _run("verify", str(path), "--keys", str(public), "--trust", "0" * 16) == Exit.KEYS
    (public / "issuer.json").unlink()
    assert _run("verify", str(path), "--keys", str(public)) == Exit.KEYS
    assert "no issuer.json" in capsys.readouterr().err


def test_rotation_keeps_old_credentials_verifying(tmp_path, certification):
    public = tmp_path / "public-keys"
    old = load_private_key(init_keys(tmp_path / "k1", public).private)
    results = cohort({"amina": [18], "bo": [17]})
    out = tmp_path / "certificates"
    issue_certificates(cohort({"amina": [18]}), certification, old, out, None, public)
    new = load_private_key(init_keys(tmp_path / "k2", public).private)  # rotation
    issue_certificates(results, certification, new, out, None, public)
    amina, bo = (out / "2026.1" / f"{s}.jwt" for s in ("amina", "bo"))
    assert verify(amina, public).key_id == key_id(old.public_key())
    assert verify(bo, public).key_id == key_id(new.public_key())
    assert verify(amina.with_suffix(".pdf"), public).revocation_checked
    declared = json.loads((public / "issuer.json").read_text())
    assert [k["key_id"] for k in declared["keys"]] == [
        key_id(old.public_key()),
        key_id(new.public_key()),
    ]


def test_a_passphrase_protects_the_private_key(tmp_path, monkeypatch):
    monkeypatch.delenv("PEACEOPS_KEY_PASSPHRASE", raising=False)
    files = init_keys(tmp_path / "private", tmp_path / "public-keys", passphrase="correct horse")
    assert b"ENCRYPTED PRIVATE KEY" in files.private.read_bytes()
    assert key_id(load_private_key(files.private, "correct horse").public_key()) == files.key_id
    with pytest.raises(CertifyError, match="wrong passphrase"):
        load_private_key(files.private, "wrong horse!")
    monkeypatch.setattr("sys.stdin", open("/dev/null"))  # no terminal to ask on
    with pytest.raises(CertifyError, match="is encrypted: set \\$PEACEOPS_KEY_PASSPHRASE"):
        load_private_key(files.private)
    monkeypatch.setenv("PEACEOPS_KEY_PASSPHRASE", "correct horse")
    assert key_id(load_private_key(files.private).public_key()) == files.key_id
    with pytest.raises(CertifyError, match="at least 8"):
        init_keys(tmp_path / "other", tmp_path / "public-keys", passphrase="short")


def test_keys_init_with_a_passphrase_through_the_cli(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PEACEOPS_KEY_PASSPHRASE", "a long passphrase")
    course = tmp_path / "course"
    assert (
        _run("keys", "init", "--dir", str(tmp_path / "k"), "--course", str(course), "--passphrase")
        == 0
    )
    assert "encrypted with your passphrase" in capsys.readouterr().out
    assert b"ENCRYPTED" in (tmp_path / "k" / "peaceops-issuer.pem").read_bytes()
    for name in ("issuer.json", "revoked.json", "status-list.jwt", "verify.html"):
        assert (course / "public-keys" / name).is_file(), name
    assert (
        _run(
            "keys",
            "publish",
            "--course",
            str(course),
            "--key",
            str(tmp_path / "k" / "peaceops-issuer.pem"),
        )
        == 0
    )
    monkeypatch.setenv("PEACEOPS_KEY_PASSPHRASE", "not the passphrase")
    assert (
        _run(
            "keys",
            "publish",
            "--course",
            str(course),
            "--key",
            str(tmp_path / "k" / "peaceops-issuer.pem"),
        )
        == 1
    )
    assert "wrong passphrase" in capsys.readouterr().err
