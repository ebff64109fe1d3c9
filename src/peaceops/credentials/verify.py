"""Offline verification of a certificate (its JSON credential, its Open Badges 3.0 VC-JWT,
its PDF, or the text of its QR code) against the issuer's declared public keys, its signed
revocation list and its Bitstring Status List. Says which key signed it, and whether (and
against which list) revocation was checked."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from . import jws
from .b64 import unb64url
from .credential import TRAINING_NOTE, check_payload, is_training, summary, verification_code
from .dataintegrity import ATTACHMENT as DI_ATTACHMENT
from .dataintegrity import CRYPTOSUITE, is_secured, open_secured
from .dataintegrity import MAX_BYTES as DI_MAX_BYTES
from .errors import Exit, VerifyError
from .issuer import NAME as ISSUER_NAME
from .issuer import STATUS_NAME, trusted_keys
from .keys import PUBLIC_DIR, load_public_keys
from .openbadges import ATTACHMENT as JWT_ATTACHMENT
from .openbadges import CLAIMS, OpenedBadge, open_badge
from .revocation import NAME as REVOKED_NAME
from .revocation import load_revocation_list
from .signed import ATTACHMENT, open_signed, parse
from .statuslist import is_set, load_list, parse_time, stamp
from .strictjson import loads


@dataclass(frozen=True)
class Verified:
    payload: dict[str, Any]  # the signed facts (the peaceops payload, or the badge's facts)
    code: str
    revocations: Path | None  # the revocation list checked, if any
    key_id: str = ""
    checks: list[str] = field(default_factory=list)  # what was checked, one line each
    revocation_checked: bool = True  # every applicable list was there and current
    badge: OpenedBadge | None = None
    lists: list[str] = field(default_factory=list)  # each revocation list checked, with its date
    secured: OpenedBadge | None = None  # the credential whose Data Integrity proof was checked

    @property
    def training(self) -> bool:
        """Graded from the public reference bank: for training, not certification."""
        return is_training(self.payload.get("exam_bank"))

    def line(self) -> str:
        """The verdict, naming the revocation list(s) checked and their dates (or none)."""
        lists = "; ".join(self.lists) if self.lists else "no revocation list"
        if self.revocation_checked:
            status = f"revocation checked against {lists}"
        else:
            status = f"revocation NOT checked (against {lists})"
        return f"valid: {summary(self.payload)}, code {self.code}; {status}"

    def report(self) -> str:
        """The verdict line, the key, and what revocation was (or was not) checked against."""
        lines = [self.line(), *(f"  {c}" for c in self.checks)]
        if self.training:
            lines.insert(1, f"  {TRAINING_NOTE}: the exam's answer keys are public, so this "
                         "certificate proves no competence")
        return "\n".join(lines)


@dataclass(frozen=True)
class Found:
    """What a certificate file holds: the peaceops signed JSON and/or the VC-JWT."""

    document: dict[str, Any] | None
    token: str | None
    secured: dict[str, Any] | None = None  # the badge with its Data Integrity proof


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
        secured = _secured(files[DI_ATTACHMENT], name) if DI_ATTACHMENT in files else None
        if secured is not None and not is_secured(secured):
            raise VerifyError(Exit.MALFORMED, f"{name}'s {DI_ATTACHMENT} has no embedded proof")
        if document is None and token is None and secured is None:
            raise VerifyError(
                Exit.MALFORMED,
                f"{name} has no attached {ATTACHMENT}: it is not a peaceops certificate",
            )
        return Found(document, token, secured)
    text = _unlink(_clean(data), name)
    _bounded(text, name)
    if text[:1] != b"{":
        token = b"".join(text.split())  # a JWS has no whitespace: a scanner's line breaks
        if jws.is_compact(_text(token, name)):
            return Found(None, _text(token, name))
    if b'"@context"' in text:  # perhaps JSON-LD: the Data Integrity form
        document = _secured(text, name)
        if is_secured(document):
            return Found(None, None, document)
    return Found(parse(text, name), None)


def _bounded(text: bytes, name: str) -> None:
    """Refuse, by its length alone, a text larger than any credential (before any decoding)."""
    if len(text) > DI_MAX_BYTES:
        raise VerifyError(Exit.MALFORMED, f"{name} is larger than any credential ({DI_MAX_BYTES} "
                          "bytes)")


def _secured(text: bytes, name: str) -> Any:
    _bounded(text, name)
    return loads(_clean(text), name)


BOM = b"\xef\xbb\xbf"
LINK_FRAGMENT = b"#c="  # = pdf.LINK_FRAGMENT: a verifier link carrying the credential


def _unlink(text: bytes, name: str) -> bytes:
    """The credential a verifier link (the QR code's https://.../verify.html#c=...) carries."""
    if not text.startswith((b"https://", b"http://")) or LINK_FRAGMENT not in text:
        return text
    try:
        return unb64url(text.split(LINK_FRAGMENT, 1)[1].strip().decode("ascii"))
    except (ValueError, UnicodeDecodeError) as error:
        raise VerifyError(Exit.MALFORMED, f"{name} is a link that carries no credential") from error


def _clean(data: bytes) -> bytes:
    """QR or pasted text without a byte-order mark and the whitespace around it."""
    text = data.strip()
    while text.startswith(BOM):
        text = text[len(BOM):].strip()
    return text


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
        secured = open_secured(found.secured, public_keys) if found.secured else None
    except VerifyError as error:
        raise _explain_unknown(error, keys_dir) from error
    if badge and secured:
        _same_badge(badge, secured, name)
    proofs = [form for form, opened in (("VC-JWT (EdDSA)", badge),
                                        (f"Data Integrity proof ({CRYPTOSUITE})", secured))
              if opened]
    badge = badge or secured
    if payload and badge:
        _agree(payload, badge, name)
    facts = payload or (badge.facts() if badge else {})
    kid = facts["key_id"]
    _in_validity(facts, badge, now)
    code = verification_code(facts["certificate_id"])
    lists: list[str] = []
    checks = [f"signed with key {kid}, declared the issuer's in {keys_dir / ISSUER_NAME}"]
    if not keys_dir.joinpath(ISSUER_NAME).exists() or trust or Path(keys).is_file():
        checks[0] = f"signed with key {kid} (trusted: {', '.join(trust or [str(keys)])})"
    if proofs:
        checks.append(f"Open Badges 3.0 credential checked: {' and '.join(proofs)}")
    checked = True
    revoked_path = None
    if payload:
        revoked_path = Path(revoked) if revoked else keys_dir / REVOKED_NAME
        if revoked or revoked_path.exists():
            listed = load_revocation_list(revoked_path, public_keys)
            entry = listed.revoked.get(payload["certificate_id"])
            if entry:
                raise _revoked(facts, entry["revoked_at"], entry["reason"])
            lists.append(f"{revoked_path.name} ({listed.window()})")
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
            lists.append(f"{list_path.name} ({status.window()})")
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
    return Verified(facts, code, revoked_path, kid, checks, checked, badge, lists, secured)


#: How far a verifier's clock may lag the issuer's (a credential issued a moment ago is valid).
CLOCK_SKEW = timedelta(minutes=5)


def _in_validity(facts: dict[str, Any], badge: OpenedBadge | None, now: datetime) -> None:
    """`VerifyError(NOT_IN_VALIDITY)` when the certificate is not valid at `now`: issued (its
    validFrom) in the future, or its validUntil past (VC Data Model 2.0, Open Badges 3.0)."""
    start = parse_time(facts["issued_at"])
    if start > now + CLOCK_SKEW:
        raise VerifyError(
            Exit.NOT_IN_VALIDITY,
            f"not valid yet: {facts['learner_name']}'s certificate {facts['certificate_id']} is "
            f"valid from {facts['issued_at']} (it is {stamp(now)} now)",
        )
    until = badge.credential.get("validUntil") if badge else None
    if until and parse_time(until) < now - CLOCK_SKEW:
        raise VerifyError(
            Exit.NOT_IN_VALIDITY,
            f"expired: {facts['learner_name']}'s certificate {facts['certificate_id']} was valid "
            f"until {until} (it is {stamp(now)} now)",
        )


def _revoked(facts: dict[str, Any], when: str, reason: str) -> VerifyError:
    return VerifyError(
        Exit.REVOKED,
        f"revoked: {facts['learner_name']}'s certificate {facts['certificate_id']} was "
        f"revoked on {when[:10]}: {reason}",
    )


def _same_badge(badge: OpenedBadge, secured: OpenedBadge, name: str) -> None:
    """The PDF's VC-JWT and Data Integrity credential must be the same credential."""
    unsecured = {k: v for k, v in badge.credential.items() if k not in CLAIMS}
    if unsecured != secured.credential or badge.key_id != secured.key_id:
        raise VerifyError(
            Exit.BAD_SIGNATURE,
            f"{name}'s two Open Badges credentials ({JWT_ATTACHMENT}, {DI_ATTACHMENT}) differ: "
            "one was replaced",
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
    ] + [k for k in ("score", "max_score") if float(facts[k]) != float(payload[k])] + (
        ["exam_bank"] if badge.training != is_training(payload.get("exam_bank")) else [])
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
        files = {k: attachments[k] for k in (ATTACHMENT, JWT_ATTACHMENT, DI_ATTACHMENT)
                 if k in attachments}
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise VerifyError(Exit.MALFORMED, f"{name} is not a readable PDF: {error}") from error
    except Exception as error:  # noqa: BLE001 - a hostile PDF may break the reader anywhere
        raise VerifyError(
            Exit.MALFORMED, f"{name} is not a readable PDF ({type(error).__name__}: {error})"
        ) from error
    return {k: v[0] for k, v in files.items() if v}
