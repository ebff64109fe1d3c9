"""Revocation: a revoked certificate fails verify; a tampered list is detected."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from peaceops.certify import decide, new_credential
from peaceops.credentials import CertifyError, Exit, VerifyError, load_revocations, revoke, verify
from peaceops.credentials.keys import load_public_keys
from peaceops.credentials.signed import sign
from tests.factories.certificates import cohort


@pytest.fixture
def issued(tmp_path, certification, keypair):
    """Two credentials on disk: amina's and bo's."""
    results = cohort({"amina": [16], "bo": [17]})
    paths = {}
    for student in ("amina", "bo"):
        decision = decide(results, certification.rule(), student)
        credential = new_credential(decision, certification, keypair[0])
        paths[student] = tmp_path / f"{student}.json"
        paths[student].write_text(json.dumps(credential))
    return paths


def _id(path) -> str:
    return json.loads(path.read_text())["payload"]["certificate_id"]


def _code(cert, keys, **kwargs) -> Exit:
    try:
        verify(cert, keys, **kwargs)
    except VerifyError as error:
        return error.code
    return Exit.VALID


def test_a_revoked_certificate_fails_and_the_others_stay_valid(issued, keypair):
    key, public = keypair
    new, entry = revoke(_id(issued["amina"]), "issued in error", key, public / "revoked.json")
    assert new and entry["reason"] == "issued in error"
    with pytest.raises(VerifyError, match="revoked on 20..-..-..: issued in error") as error:
        verify(issued["amina"], public)
    assert error.value.code == Exit.REVOKED
    assert verify(issued["bo"], public).revocations == public / "revoked.json"


def test_revoking_twice_changes_nothing_and_the_list_grows(issued, keypair):
    key, public = keypair
    path = public / "revoked.json"
    revoke(_id(issued["amina"]), "one", key, path)
    before = path.read_bytes()
    new, entry = revoke(_id(issued["amina"]), "again", key, path)
    assert not new and entry["reason"] == "one" and path.read_bytes() == before
    revoke(_id(issued["bo"]), "two", key, path)
    assert set(load_revocations(path, load_public_keys(public))) == {
        _id(issued["amina"]),
        _id(issued["bo"]),
    }


@pytest.mark.parametrize(
    "tamper", ["drop entry", "edit reason", "append entry", "garbage", "foreign signer"]
)
def test_a_tampered_revocation_list_is_detected(issued, keypair, tamper):
    key, public = keypair
    path = public / "revoked.json"
    revoke(_id(issued["amina"]), "issued in error", key, path)
    document = json.loads(path.read_text())
    if tamper == "drop entry":
        document["payload"]["revoked"] = []
    elif tamper == "edit reason":
        document["payload"]["revoked"][0]["reason"] = "typo"
    elif tamper == "append entry":
        document["payload"]["revoked"].append(
            {"certificate_id": _id(issued["bo"]), "reason": "x", "revoked_at": "2026-01-01"}
        )
    elif tamper == "foreign signer":
        document = sign(document["payload"], Ed25519PrivateKey.generate())
    path.write_text("{oops" if tamper == "garbage" else json.dumps(document))
    for cert in issued.values():  # the list is rejected, whoever's certificate it is
        assert _code(cert, public) == Exit.BAD_REVOCATION_LIST
    with pytest.raises(VerifyError, match="revocation list"):
        verify(issued["bo"], public)
    with pytest.raises(CertifyError, match="not changing it: restore"):
        revoke(_id(issued["bo"]), "more", key, path)


def test_the_list_is_optional_unless_named(issued, keypair, tmp_path):
    _, public = keypair
    assert _code(issued["amina"], public) == Exit.VALID
    assert (
        _code(issued["amina"], public, revoked=tmp_path / "none.json") == Exit.BAD_REVOCATION_LIST
    )


def test_revoke_checks_its_input(keypair):
    key, public = keypair
    with pytest.raises(CertifyError, match="not a certificate id"):
        revoke("amina", "why", key, public / "revoked.json")
    with pytest.raises(CertifyError, match="give the reason"):
        revoke("0" * 32, "  ", key, public / "revoked.json")
    assert not (public / "revoked.json").exists()
