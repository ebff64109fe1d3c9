"""verify: a valid certificate passes; every tampering, an unknown key and a malformed file
fail, each with its exit code."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from peaceops.certify import decide, new_credential
from peaceops.certify.pdf import qr_payload, render
from peaceops.credentials import Exit, VerifyError, init_keys, verify
from peaceops.credentials.credential import FIELDS, NUMBER_FIELDS
from peaceops.credentials.signed import sign
from tests.factories.certificates import cohort


@pytest.fixture
def credential(certification, keypair) -> dict:
    decision = decide(cohort({"dara": [18]}), certification.rule(), "dara")
    return new_credential(decision, certification, keypair[0])


def _write(tmp_path: Path, document, name="cert.json") -> Path:
    path = tmp_path / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def _fails(cert, keys, code: Exit, match: str | None = None, **kwargs) -> VerifyError:
    with pytest.raises(VerifyError, match=match) as error:
        verify(cert, keys, **kwargs)
    assert error.value.code == code, error.value
    return error.value


def test_a_valid_certificate_verifies(tmp_path, credential, keypair):
    verified = verify(_write(tmp_path, credential), keypair[1])
    assert verified.payload == credential["payload"]
    assert verified.line().startswith(
        "valid: Dara Ó Súilleabháin, Leading United Nations Peace Operations 0.1.0, "
        "score 18/20 (90 %), issued 20"
    )
    assert verified.revocations is None


def test_the_qr_text_and_the_pdf_verify_too(tmp_path, credential, keypair):
    assert verify(qr_payload(credential).encode(), keypair[1]).payload == credential["payload"]
    pdf = tmp_path / "cert.pdf"
    pdf.write_bytes(render(credential, "CODE-CODE-CO"))
    assert verify(pdf, keypair[1]).payload == credential["payload"]


def _changed(value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value[:-1] + ("0" if value[-1] != "0" else "1")
    return value + 1


@pytest.mark.parametrize("field", FIELDS)
def test_changing_any_payload_field_fails(tmp_path, credential, keypair, field):
    forged = copy.deepcopy(credential)
    forged["payload"][field] = _changed(forged["payload"][field])
    expected = Exit.UNKNOWN_KEY if field == "key_id" else Exit.BAD_SIGNATURE
    _fails(_write(tmp_path, forged), keypair[1], expected)


@pytest.mark.parametrize("field", NUMBER_FIELDS)
def test_a_number_written_as_text_fails(tmp_path, credential, keypair, field):
    forged = copy.deepcopy(credential)
    forged["payload"][field] = str(forged["payload"][field])
    _fails(_write(tmp_path, forged), keypair[1], Exit.BAD_SIGNATURE)


def test_adding_or_removing_a_field_fails(tmp_path, credential, keypair):
    forged = copy.deepcopy(credential)
    forged["payload"]["honours"] = "summa cum laude"
    _fails(_write(tmp_path, forged, "added.json"), keypair[1], Exit.BAD_SIGNATURE)
    del forged["payload"]["honours"], forged["payload"]["score"]
    _fails(_write(tmp_path, forged, "removed.json"), keypair[1], Exit.BAD_SIGNATURE)


def test_a_changed_signature_fails(tmp_path, credential, keypair):
    for n, position in enumerate([0, 40, -1]):
        forged = copy.deepcopy(credential)
        sig = forged["signature"]
        c = sig[position]
        forged["signature"] = (
            sig[:position]
            + ("A" if c != "A" else "B")
            + (sig[position + 1 :] if position != -1 else "")
        )
        _fails(
            _write(tmp_path, forged, f"sig{n}.json"),
            keypair[1],
            Exit.BAD_SIGNATURE,
            "signature does not match",
        )


def test_another_keys_signature_is_an_unknown_key(tmp_path, credential, keypair):
    other = Ed25519PrivateKey.generate()
    forged = sign({k: v for k, v in credential["payload"].items() if k != "key_id"}, other)
    error = _fails(_write(tmp_path, forged), keypair[1], Exit.UNKNOWN_KEY)
    assert "not among the published public keys" in str(error)
    # once its public key is published, the same certificate verifies
    other_dir = tmp_path / "other-keys"
    from peaceops.credentials.keys import publish_public_key

    publish_public_key(other.public_key(), other_dir)
    assert verify(_write(tmp_path, forged), other_dir).payload["learner_id"] == "dara"


def test_a_key_swapped_under_the_published_name_is_unknown(tmp_path, credential, keypair):
    """Key ids come from the keys themselves, never from file names."""
    keys = tmp_path / "swapped"
    init_keys(tmp_path / "other-private", keys)
    (published,) = keys.glob("*.pem")
    published.rename(keys / f"{credential['payload']['key_id']}.pem")
    _fails(_write(tmp_path, credential), keys, Exit.UNKNOWN_KEY)


@pytest.mark.parametrize(
    "text, match",
    [
        ("", "not JSON"),
        ("{not json", "not JSON"),
        ("[]", "not a signed document"),
        ('{"payload": {}, "signature": "x"}', "not a signed document"),
        ('{"payload": {"key_id": "a"}, "signature": "x", "algorithm": "RSA"}', "only Ed25519"),
        ('{"payload": {}, "signature": "x", "algorithm": "Ed25519"}', "no key_id"),
        ('{"payload": {"key_id": "a"}, "signature": 1, "algorithm": "Ed25519"}', "not text"),
        ("%PDF-1.4 nothing", "not a readable PDF"),
    ],
)
def test_malformed_certificates(tmp_path, keypair, text, match):
    _fails(_write(tmp_path, text), keypair[1], Exit.MALFORMED, match)


def test_an_unreadable_file_and_a_pdf_without_credential(tmp_path, keypair):
    _fails(tmp_path / "missing.json", keypair[1], Exit.MALFORMED, "cannot read")
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    path = tmp_path / "plain.pdf"
    path.write_bytes(bytes(pdf.output()))
    _fails(path, keypair[1], Exit.MALFORMED, "no attached credential.json")


def test_a_signed_payload_of_another_format_is_malformed(tmp_path, credential, keypair):
    key = keypair[0]
    payload = {**credential["payload"], "format": "peaceops.certificate/9"}
    _fails(_write(tmp_path, sign(payload, key)), keypair[1], Exit.MALFORMED, "unsupported")
    payload = {**credential["payload"], "score": "18"}
    _fails(_write(tmp_path, sign(payload, key)), keypair[1], Exit.MALFORMED, "not a number")


def test_missing_keys_are_the_keys_code(tmp_path, credential):
    _fails(_write(tmp_path, credential), tmp_path / "no-keys", Exit.KEYS, "pass --public-keys")
