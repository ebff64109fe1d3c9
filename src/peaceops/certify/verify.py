"""Offline verification of a certificate (its JSON credential, its PDF, or the text of its QR
code) against the issuer's published public keys and signed revocation list."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .credential import check_payload, summary, verification_code
from .errors import Exit, VerifyError
from .keys import PUBLIC_DIR, load_public_keys
from .pdf import ATTACHMENT
from .revocation import NAME as REVOKED_NAME
from .revocation import load_revocations
from .signed import open_signed, parse


@dataclass(frozen=True)
class Verified:
    payload: dict[str, Any]
    code: str
    revocations: Path | None  # the list checked, if any

    def line(self) -> str:
        return f"valid: {summary(self.payload)}, code {self.code}"


def read_credential(data: bytes, name: str = "certificate") -> dict[str, Any]:
    """The signed credential in a .json file's bytes, a QR code's text, or a PDF certificate."""
    if data.lstrip().startswith(b"%PDF"):
        data = _pdf_attachment(data, name)
    return parse(data.strip(), name)


def verify(
    cert: Path | str | bytes, keys: Path | str = PUBLIC_DIR, revoked: Path | str | None = None
) -> Verified:
    """Verify a certificate (a path, or its bytes); raises `VerifyError` with the exit code.
    The revocation list defaults to revoked.json beside the keys and is checked if it exists."""
    if isinstance(cert, bytes):
        data, name = cert, "certificate"
    else:
        try:
            data, name = Path(cert).read_bytes(), str(cert)
        except OSError as error:
            raise VerifyError(Exit.MALFORMED, f"cannot read {cert}: {error.strerror}") from error
    document = read_credential(data, name)
    public_keys = load_public_keys(keys)
    payload = check_payload(open_signed(document, public_keys))
    keys_dir = Path(keys) if Path(keys).is_dir() else Path(keys).parent
    revoked_path = Path(revoked) if revoked else keys_dir / REVOKED_NAME
    if revoked or revoked_path.exists():
        entry = load_revocations(revoked_path, public_keys).get(payload["certificate_id"])
        if entry:
            raise VerifyError(
                Exit.REVOKED,
                f"revoked: {payload['learner_name']}'s certificate "
                f"{payload['certificate_id']} was revoked on "
                f"{entry['revoked_at'][:10]}: {entry['reason']}",
            )
    else:
        revoked_path = None
    return Verified(payload, verification_code(document), revoked_path)


def _pdf_attachment(data: bytes, name: str) -> bytes:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError as error:
        raise VerifyError(
            Exit.MALFORMED,
            "reading a PDF certificate needs pypdf (pip install "
            "pypdf); or verify its .json credential",
        ) from error
    try:
        files = PdfReader(io.BytesIO(data)).attachments.get(ATTACHMENT)
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise VerifyError(Exit.MALFORMED, f"{name} is not a readable PDF: {error}") from error
    except Exception as error:  # noqa: BLE001 - a hostile PDF may break the reader anywhere
        raise VerifyError(
            Exit.MALFORMED, f"{name} is not a readable PDF ({type(error).__name__}: {error})"
        ) from error
    if not files:
        raise VerifyError(
            Exit.MALFORMED, f"{name} has no attached {ATTACHMENT}: it is not a peaceops certificate"
        )
    return files[0]
