"""Issue 13: verify never crashes or guesses on hostile input, and says what it did not check.
Each test reproduces a reported problem."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from peaceops.certify import decide, new_credential
from peaceops.certify.pdf import render
from peaceops.credentials import Exit, VerifyError, verify
from tests.factories.certificates import cohort


@pytest.fixture
def credential(certification, keypair) -> dict:
    decision = decide(cohort({"amina": [18]}), certification.rule(), "amina")
    return new_credential(decision, certification, keypair[0])


def _code(cert, keys, **kwargs) -> Exit:
    try:
        verify(cert, keys, **kwargs)
    except VerifyError as error:
        return error.code
    return Exit.VALID


def test_duplicate_keys_are_malformed(credential, keypair):
    """Two `score` fields: json.loads kept the last one, so two readers could disagree."""
    text = json.dumps(credential)
    score = f'"score": {credential["payload"]["score"]}'
    doubled = text.replace(score, f'"score": 20, {score}')
    assert doubled != text
    with pytest.raises(VerifyError, match="appears twice") as error:
        verify(doubled.encode(), keypair[1])
    assert error.value.code == Exit.MALFORMED
    top = text[:-1] + ', "algorithm": "Ed25519"}'
    assert _code(top.encode(), keypair[1]) == Exit.MALFORMED


def test_nan_is_malformed(credential, keypair):
    text = json.dumps(credential).replace(
        f'"max_score": {credential["payload"]["max_score"]}', '"max_score": NaN'
    )
    assert _code(text.encode(), keypair[1]) == Exit.MALFORMED


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_deeply_nested_json_is_malformed_not_a_recursion_error(keypair, opening):
    deep = (opening * 10_000 + "1" + ("]" if opening == "[" else "}") * 10_000).encode()
    with pytest.raises(VerifyError, match="nested deeper") as error:
        verify(deep, keypair[1])
    assert error.value.code == Exit.MALFORMED


def test_deeply_nested_json_on_stdin_exits_1_without_a_traceback(keypair):
    deep = b"[" * 10_000 + b"]" * 10_000
    done = subprocess.run(
        [sys.executable, "-m", "peaceops.cli", "verify", "-", "--keys", str(keypair[1])],
        input=deep,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert b"Traceback" not in done.stderr and b"malformed" not in done.stdout
    assert done.stderr.startswith(b"invalid: ")


def test_deeply_nested_json_as_the_pdf_attachment_is_malformed(keypair, credential, tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.embed_file(bytes=b"[" * 10_000 + b"]" * 10_000, basename="credential.json")
    path = tmp_path / "deep.pdf"
    path.write_bytes(bytes(pdf.output()))
    assert _code(path, keypair[1]) == Exit.MALFORMED


@pytest.mark.parametrize("cut", [0.1, 0.5, 0.9, 0.99])
def test_truncated_pdfs_are_malformed(keypair, credential, tmp_path, cut):
    whole = render(credential, "CODE-CODE-CO")
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: int(len(whole) * cut)])
    assert _code(path, keypair[1]) in (Exit.MALFORMED, Exit.VALID)  # never a traceback


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n" + bytes(range(256)) * 40,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 1 0 R >> endobj\ntrailer << /Root 1 0 R >>",
        b"%PDF-1.4\n" + b"<<" * 5000,
        b"\xff\xfe\x00garbage",
        b"HTTPS://EXAMPLE.ORG/CERT?ID=1",  # a QR code of something else
        b'{"payload": {"key_id": "\\ud800"}, "signature": "", "algorithm": "Ed25519"}',
        "\u202e{}".encode(),
        b"eyJhbGciOiJFZERTQSJ9.bm90IGpzb24.AAAA",
        b"a.b.c",
    ],
)
def test_garbage_and_odd_qr_text_are_malformed_or_rejected(keypair, data):
    assert _code(data, keypair[1]) in (Exit.MALFORMED, Exit.UNKNOWN_KEY)


def test_stdin_garbage_never_prints_a_traceback(keypair):
    from peaceops.credentials.cli import run_verify

    class Args:
        cert = "-"
        course = keypair[1].parent
        public_keys = keypair[1]
        revoked = None

    for data in [b"\x00" * 10, b"%PDF-", b"[" * 5000]:
        stdin = sys.stdin
        sys.stdin = io.TextIOWrapper(io.BytesIO(data))
        try:
            args = Args()
            for name in ("trust", "require_status", "status_list"):
                setattr(args, name, None)
            assert run_verify(args) == Exit.MALFORMED
        finally:
            sys.stdin = stdin
