"""Issue 16: revocation by a Bitstring Status List with a validity window; issue 13: a
missing or out-of-date list never passes silently as 'valid'."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta

import pytest

from peaceops.credentials import Exit, VerifyError, statuslist, verify
from peaceops.credentials.certificate_ledger import status_indices
from peaceops.credentials.issuer import load_issuer
from peaceops.credentials.publish import publish
from peaceops.credentials.revocation import revoke

LATER = datetime.now(UTC) + timedelta(days=statuslist.VALID_DAYS + 1)


def _code(cert, public, **kwargs) -> Exit:
    try:
        verify(cert, public, **kwargs)
    except VerifyError as error:
        return error.code
    return Exit.VALID


def _certs(course, student):
    stem = course / "certificates" / "2026.1" / student
    return stem.with_suffix(".json"), stem.with_suffix(".jwt"), stem.with_suffix(".pdf")


def test_bit_order_and_encoding_follow_the_spec():
    bits = bytearray(statuslist.SIZE // 8)
    statuslist.set_bit(bits, 0)
    statuslist.set_bit(bits, 9)
    assert bits[:2] == b"\x80\x40"  # index 0 is the left-most bit of the first byte
    decoded = statuslist.decode(statuslist.encode(bits))
    assert decoded == bits and statuslist.encode(bits).startswith("u")
    assert statuslist.is_set(decoded, 9) and not statuslist.is_set(decoded, 8)
    with pytest.raises(ValueError, match="fewer than"):
        statuslist.decode(statuslist.encode(bytearray(100)))


def test_each_credential_has_its_own_index(issued_course):
    course, _, _ = issued_course
    indices = status_indices(course / "certificates")
    assert len(indices) == 3 and len(set(indices.values())) == 3


def test_a_later_run_never_takes_an_index_already_issued(issued_course, certification,
                                                        monkeypatch):
    """The random draw lands on indices taken by the first run's certificates, and on one this
    run just gave; each is drawn again."""
    from peaceops.certify.issue import issue_certificates
    from tests.factories.certificates import cohort

    course, public, key = issued_course
    taken = sorted(status_indices(course / "certificates").values())
    draws = iter([*taken, 7, 7, *taken, 8])
    monkeypatch.setattr(statuslist.secrets, "randbelow", lambda n: next(draws))
    results = cohort({"amina": [16], "dara": [18], "chen": [20], "bo": [19], "eve": [17]},
                     names={"bo": ("Bo", "L"), "eve": ("Eve", "M")})
    report = issue_certificates(results, certification, key, course / "certificates", None,
                                public)
    assert [i.student for i in report.issued] == ["bo", "eve"]
    indices = status_indices(course / "certificates")
    assert [indices[i.certificate_id] for i in report.issued] == [7, 8]


def test_a_valid_credential_says_what_revocation_was_checked_against(issued_course):
    course, public, _ = issued_course
    for cert in _certs(course, "amina"):
        verified = verify(cert, public)
        assert verified.revocation_checked, verified.checks
        assert verified.key_id in verified.checks[0]
        assert any("not revoked: checked against" in c for c in verified.checks)
    pdf = verify(_certs(course, "amina")[2], public)
    assert len(pdf.checks) == 4  # the key, the badge proofs, revoked.json, the status list


def test_revoke_sets_the_bit_and_every_form_is_revoked(issued_course):
    from peaceops.credentials.cli import run_revoke

    course, public, key = issued_course
    json_path, jwt_path, pdf_path = _certs(course, "dara")
    cert_id = json.loads(json_path.read_text())["payload"]["certificate_id"]
    args = type("Args", (), {})()
    args.cert_id, args.reason, args.course = cert_id, "exam irregularity", course
    args.key, args.list, args.valid_days = None, None, statuslist.VALID_DAYS
    import peaceops.credentials.keys as keys

    old = keys.load_private_key
    keys.load_private_key = lambda path=None: key  # the verb imports it when it runs
    try:
        assert run_revoke(args) == 0
    finally:
        keys.load_private_key = old
    index = status_indices(course / "certificates")[cert_id]
    status = statuslist.load_list(public / "status-list.jwt", load_issuer(public).public_keys())
    assert statuslist.is_set(status.bits, index)
    for cert in (json_path, jwt_path, pdf_path):
        assert _code(cert, public) == Exit.REVOKED, cert
    # the JWT alone, checked only against the status list, is revoked too
    only_status = public.parent / "only-status"
    shutil.copytree(public, only_status)
    (only_status / "revoked.json").unlink()
    assert _code(jwt_path, only_status) == Exit.REVOKED
    for cert in _certs(course, "amina"):  # the others stay valid
        assert _code(cert, public) == Exit.VALID


@pytest.mark.parametrize("missing", ["status-list.jwt", "revoked.json"])
def test_a_deleted_list_says_revocation_was_not_checked(issued_course, missing):
    """Issue 13: with the list deleted, verify printed `valid` and nothing else."""
    course, public, _ = issued_course
    (public / missing).unlink()
    cert = _certs(course, "amina")[1 if missing == "status-list.jwt" else 0]
    verified = verify(cert, public)
    assert not verified.revocation_checked
    assert any(
        c.startswith(
            f"revocation NOT checked: no {'status' if 'status' in missing else 'revocation'} list"
        )
        for c in verified.checks
    )


def test_an_outdated_list_is_detected(issued_course, capsys):
    """Issue 16: an older signed list (say, from before a revocation) is no longer current
    once its validity window has passed: verify says revocation was not checked."""
    course, public, key = issued_course
    for cert in _certs(course, "amina"):
        verified = verify(cert, public, now=LATER)
        assert not verified.revocation_checked
        assert any("out of date" in c for c in verified.checks), verified.checks
    import argparse

    from peaceops.credentials.cli import add_parsers

    parser = argparse.ArgumentParser()
    add_parsers(parser.add_subparsers())
    args = parser.parse_args(["verify", str(_certs(course, "amina")[1]), "--keys", str(public)])
    assert args.func(args) == 0
    assert "not revoked: checked against" in capsys.readouterr().out
    # an old list kept past its window: re-signed now with a 0-day window, checked later
    publish(public, key, valid_days=0, now=datetime.now(UTC) - timedelta(days=2))
    args = parser.parse_args(
        ["verify", str(_certs(course, "amina")[1]), "--keys", str(public), "--require-status"]
    )
    assert args.func(args) == Exit.STATUS_UNKNOWN
    out = capsys.readouterr()
    assert out.out.startswith("valid: ") and "revocation NOT checked" in out.out
    assert "--require-status" in out.err


def test_a_tampered_or_foreign_status_list_is_rejected(issued_course):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    course, public, key = issued_course
    jwt_path = _certs(course, "amina")[1]
    path = public / "status-list.jwt"
    header, body, signature = path.read_text().strip().split(".")
    flipped = "B" if signature[10] != "B" else "C"  # a changed signature, in canonical base64url
    path.write_text(f"{header}.{body}.{signature[:10]}{flipped}{signature[11:]}")
    assert _code(jwt_path, public) == Exit.BAD_REVOCATION_LIST
    issuer = load_issuer(public)
    path.write_text(
        statuslist.sign_list(issuer, bytearray(statuslist.SIZE // 8), Ed25519PrivateKey.generate())
    )
    assert _code(jwt_path, public) == Exit.BAD_REVOCATION_LIST
    with pytest.raises(Exception, match="not a trusted issuer key"):
        statuslist.update(public, issuer, key)  # never overwrites a list that is not the issuer's


def test_revoked_json_carries_a_window(issued_course):
    course, public, key = issued_course
    cert_id = json.loads(_certs(course, "chen")[0].read_text())["payload"]["certificate_id"]
    revoke(cert_id, "test", key, public / "revoked.json", valid_days=7)
    payload = json.loads((public / "revoked.json").read_text())["payload"]
    assert payload["valid_until"] > payload["updated_at"]
