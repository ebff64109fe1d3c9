"""Offline verification of a certificate (its JSON credential, its Open Badges 3.0 VC-JWT,
its PDF, or the text of its QR code) against the issuer's declared public keys, its signed
revocation list and its Bitstring Status List. Says which key signed it, and whether (and
against which list) revocation was checked."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import jws
from .credential import check_payload, summary, verification_code
from .errors import Exit, VerifyError
from .issuer import NAME as ISSUER_NAME
from .issuer import STATUS_NAME, trusted_keys
from .keys import PUBLIC_DIR, load_public_keys
from .openbadges import ATTACHMENT as JWT_ATTACHMENT
from .openbadges import OpenedBadge, open_badge
from .revocation import NAME as REVOKED_NAME
from .revocation import load_revocation_list
from .signed import ATTACHMENT, open_signed, parse
from .statuslist import is_set, load_list


@dataclass(frozen=True)
class Verified:
    payload: dict[str, Any]  # the signed facts (the peaceops payload, or the badge's facts)
    code: str
    revocations: Path | None  # the revocation list checked, if any
    key_id: str = ""
    checks: list[str] = field(default_factory=list)  # what was checked, one line each
    revocation_checked: bool = True  # every applicable list was there and current
    badge: OpenedBadge | None = None

    def line(self) -> str:
        return f"valid: {summary(self.payload)}, code {self.code}"

    def report(self) -> str:
        """The verdict line, the key, and what revocation was (or was not) checked against."""
        return "\n".join([self.line(), *(f"  {c}" for c in self.checks)])


@dataclass(frozen=True)
class Found:
    """What a certificate file holds: the peaceops signed JSON and/or the VC-JWT."""

    document: dict[str, Any] | None
    token: str | None


def read_credential(data: bytes, name: str = "certificate") -> dict[str, Any]:
    """The signed credential in a .json file's bytes, a QR code's text, or a PDF certificate."""
    found = read_any(data, name)
    if found.document is None:
        raise VerifyError(Exit.MALFORMED, f"{name} holds no peaceops JSON credential")
    return found.document


def read_any(data: bytes, name: str = "certificate") -> Found:
    if data.lstrip().startswith(b"%PDF"):
        files = _pdf_attachments(data, name)
        document = parse(files[ATTACHMENT].strip(), name) if ATTACHMENT in files else None
        token = _text(files[JWT_ATTACHMENT], name) if JWT_ATTACHMENT in files else None
        if document is None and token is None:
            raise VerifyError(
                Exit.MALFORMED,
                f"{name} has no attached {ATTACHMENT}: it is not a peaceops certificate",
            )
        return Found(document, token)
    text = data.strip()
    if text[:1] != b"{" and jws.is_compact(_text(text, name)):
        return Found(None, _text(text, name))
    return Found(parse(text, name), None)


def _text(data: bytes, name: str) -> str:
    try:
        return data.decode("ascii").strip()
    except UnicodeDecodeError as error:
        raise VerifyError(Exit.MALFORMED, f"{name} is not a credential (not text)") from error


def verify(
    cert: Path | str | bytes,
    keys: Path | str = PUBLIC_DIR,
    revoked: Path | str | None = None,
    trust: list[str] | None = None,
    status_list: Path | str | None = None,
    now: datetime | None = None,
) -> Verified:
    """Verify a certificate (a path, or its bytes); raises `VerifyError` with the exit code.

    Keys: those declared in `keys`/issuer.json (or a .pem file given as `keys`), narrowed
    to `trust` when given. Revocation: revoked.json (for the JSON credential) and
    status-list.jwt (for the VC-JWT) beside the keys, or the files named; each is checked
    when present, and `Verified.checks` says which were missing or out of date."""
    if isinstance(cert, bytes):
        data, name = cert, "certificate"
    else:
        try:
            data, name = Path(cert).read_bytes(), str(cert)
        except OSError as error:
            raise VerifyError(Exit.MALFORMED, f"cannot read {cert}: {error.strerror}") from error
    found = read_any(data, name)
    public_keys = trusted_keys(keys, trust)
    keys_dir = Path(keys) if Path(keys).is_dir() else Path(keys).parent
    now = now or datetime.now(UTC)
    try:
        payload = (
            check_payload(open_signed(found.document, public_keys)) if found.document else None
        )
        badge = open_badge(found.token, public_keys) if found.token else None
    except VerifyError as error:
        raise _explain_unknown(error, keys_dir) from error
    if payload and badge:
        _agree(payload, badge, name)
    facts = payload or (badge.facts() if badge else {})
    kid = facts["key_id"]
    signed = found.document or {"signature": jws.b64url(badge.signature)}  # type: ignore[union-attr]
    code = verification_code(signed)
    checks = [f"signed with key {kid}, declared the issuer's in {keys_dir / ISSUER_NAME}"]
    if not keys_dir.joinpath(ISSUER_NAME).exists() or trust or Path(keys).is_file():
        checks[0] = f"signed with key {kid} (trusted: {', '.join(trust or [str(keys)])})"
    checked = True
    revoked_path = None
    if payload:
        revoked_path = Path(revoked) if revoked else keys_dir / REVOKED_NAME
        if revoked or revoked_path.exists():
            listed = load_revocation_list(revoked_path, public_keys)
            entry = listed.revoked.get(payload["certificate_id"])
            if entry:
                raise _revoked(facts, entry["revoked_at"], entry["reason"])
            if listed.current(now):
                checks.append(f"not revoked: checked against {revoked_path} ({listed.window()})")
            else:
                checked = False
                checks.append(
                    f"revocation NOT checked: the revocation list {revoked_path} is out of date "
                    f"({listed.window()}); ask the issuer for the current one"
                )
        else:
            revoked_path, checked = None, False
            checks.append(
                f"revocation NOT checked: no revocation list {keys_dir / REVOKED_NAME}; get the "
                "issuer's current list (or pass --revoked)"
            )
    if badge and badge.status_index is not None:
        list_path = Path(status_list) if status_list else keys_dir / STATUS_NAME
        if status_list or list_path.exists():
            status = load_list(list_path, public_keys, badge.status_list)
            if is_set(status.bits, badge.status_index):
                raise _revoked(facts, status.window()[7:17], "listed as revoked in the status list")
            if status.current(now):
                checks.append(f"not revoked: checked against {list_path} ({status.window()})")
            else:
                checked = False
                checks.append(
                    f"revocation NOT checked: the status list {list_path} is out of date "
                    f"({status.window()}); ask the issuer for the current one"
                )
        else:
            checked = False
            checks.append(
                f"revocation NOT checked: no status list {list_path}; get the issuer's "
                "current one (or pass --status-list)"
            )
    return Verified(facts, code, revoked_path, kid, checks, checked, badge)


def _revoked(facts: dict[str, Any], when: str, reason: str) -> VerifyError:
    return VerifyError(
        Exit.REVOKED,
        f"revoked: {facts['learner_name']}'s certificate {facts['certificate_id']} was "
        f"revoked on {when[:10]}: {reason}",
    )


def _agree(payload: dict[str, Any], badge: OpenedBadge, name: str) -> None:
    """The PDF's two credentials must state the same facts."""
    facts = badge.facts()
    differ = [
        k
        for k in (
            "certificate_id",
            "learner_name",
            "course_title",
            "course_version",
            "issued_at",
            "key_id",
            "issuer",
        )
        if facts[k] != payload[k]
    ] + [k for k in ("score", "max_score") if float(facts[k]) != float(payload[k])]
    if differ:
        raise VerifyError(
            Exit.BAD_SIGNATURE,
            f"{name}'s two credentials ({ATTACHMENT}, {JWT_ATTACHMENT}) disagree on "
            f"{', '.join(differ)}: one was replaced",
        )


def _explain_unknown(error: VerifyError, keys_dir: Path) -> VerifyError:
    """An unknown key that sits in the folder without being declared: say so."""
    if error.code != Exit.UNKNOWN_KEY or not keys_dir.is_dir():
        return error
    try:
        on_disk = load_public_keys(keys_dir)
    except VerifyError:
        return error
    for kid in on_disk:
        if f"key {kid}," in str(error):
            return VerifyError(
                Exit.UNKNOWN_KEY,
                f"{error}. Its public key is in {keys_dir} but not declared the issuer's in "
                f"{ISSUER_NAME}: a key file that merely sits in the folder is not trusted",
            )
    return error


def _pdf_attachments(data: bytes, name: str) -> dict[str, bytes]:
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
        attachments = PdfReader(io.BytesIO(data)).attachments
        files = {k: attachments[k] for k in (ATTACHMENT, JWT_ATTACHMENT) if k in attachments}
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise VerifyError(Exit.MALFORMED, f"{name} is not a readable PDF: {error}") from error
    except Exception as error:  # noqa: BLE001 - a hostile PDF may break the reader anywhere
        raise VerifyError(
            Exit.MALFORMED, f"{name} is not a readable PDF ({type(error).__name__}: {error})"
        ) from error
    return {k: v[0] for k, v in files.items() if v}
