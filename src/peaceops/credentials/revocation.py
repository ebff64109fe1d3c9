"""The revocation list: public-keys/revoked.json, signed by the issuer like a credential, so a
list edited by anyone else fails verification."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .credential import CERTIFICATE_ID
from .errors import CertifyError, Exit, VerifyError
from .keys import publish_public_key
from .signed import open_signed, parse, sign

FORMAT = "peaceops.revocations/1"
NAME = "revoked.json"
ENTRY_FIELDS = {"certificate_id", "reason", "revoked_at"}


VALID_DAYS = 31  # default validity window of a signed list


@dataclass(frozen=True)
class RevocationList:
    revoked: dict[str, dict[str, Any]]  # by certificate id
    updated_at: str
    valid_until: datetime | None  # None: a list signed before lists had a window

    def current(self, now: datetime | None = None) -> bool:
        return self.valid_until is not None and (now or datetime.now(UTC)) <= self.valid_until

    def window(self) -> str:
        until = self.valid_until.isoformat()[:10] if self.valid_until else "no end date"
        return f"signed {self.updated_at[:10]}, valid until {until}"


def load_revocations(
    path: Path | str, public_keys: dict[str, Ed25519PublicKey]
) -> dict[str, dict[str, Any]]:
    """Revoked certificates by id; raises `VerifyError(BAD_REVOCATION_LIST)` unless the list
    is well formed and signed by a published key."""
    return load_revocation_list(path, public_keys).revoked


def load_revocation_list(
    path: Path | str, public_keys: dict[str, Ed25519PublicKey]
) -> RevocationList:
    """The signed list with its validity window; raises `VerifyError(BAD_REVOCATION_LIST)`
    unless it is well formed and signed by one of `public_keys`."""
    path = Path(path)
    bad = Exit.BAD_REVOCATION_LIST
    try:
        text = path.read_bytes()
    except OSError as error:
        raise VerifyError(
            bad, f"cannot read the revocation list {path}: {error.strerror}"
        ) from error
    what = f"revocation list {path}"
    document = parse(text, what, code=bad)
    payload = open_signed(document, public_keys, what, unknown=bad, bad=bad)
    entries = payload.get("revoked")
    if payload.get("format") != FORMAT or not isinstance(entries, list):
        raise VerifyError(bad, f"the {what} is not in the format {FORMAT}")
    revoked = {}
    for entry in entries:
        if not (
            isinstance(entry, dict)
            and set(entry) == ENTRY_FIELDS
            and all(isinstance(v, str) for v in entry.values())
        ):
            raise VerifyError(bad, f"the {what} has a malformed entry: {entry!r}")
        revoked[entry["certificate_id"]] = entry
    until = payload.get("valid_until")
    try:
        valid_until = datetime.fromisoformat(until.replace("Z", "+00:00")) if until else None
        if valid_until is not None and valid_until.tzinfo is None:
            raise ValueError("no time zone")
    except (AttributeError, ValueError) as error:
        raise VerifyError(bad, f"the {what}'s valid_until is not a date-time: {until!r}") from error
    return RevocationList(revoked, str(payload.get("updated_at", "")), valid_until)


def revoke(
    certificate_id: str,
    reason: str,
    key: Ed25519PrivateKey,
    path: Path | str,
    now: datetime | None = None,
    valid_days: int = VALID_DAYS,
) -> tuple[bool, dict[str, Any]]:
    """Add a certificate to the list at `path` (in the public-keys folder) and re-sign it.
    Returns (newly revoked, its entry); revoking twice changes nothing."""
    path = Path(path)
    if not CERTIFICATE_ID.match(certificate_id):
        raise CertifyError(
            f"'{certificate_id}' is not a certificate id (32 hex digits, as in "
            "the credential's certificate_id and certificates/issued.csv)"
        )
    if not reason.strip():
        raise CertifyError("give the reason for revoking it (--reason)")
    revoked = _current(path, key)
    if certificate_id in revoked:
        return False, revoked[certificate_id]
    when = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    stamp = when.isoformat().replace("+00:00", "Z")
    entry = {"certificate_id": certificate_id, "reason": reason.strip(), "revoked_at": stamp}
    _write(path, [*revoked.values(), entry], key, when, valid_days)
    return True, entry


def refresh(
    key: Ed25519PrivateKey,
    path: Path | str,
    now: datetime | None = None,
    valid_days: int = VALID_DAYS,
) -> Path:
    """Sign the list again with a fresh validity window (an empty list on first use)."""
    path = Path(path)
    revoked = _current(path, key)
    when = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    _write(path, list(revoked.values()), key, when, valid_days)
    return path


def _current(path: Path, key: Ed25519PrivateKey) -> dict[str, dict[str, Any]]:
    publish_public_key(key.public_key(), path.parent)
    if not path.exists():
        return {}
    from .issuer import trusted_keys

    try:
        return load_revocations(path, trusted_keys(path.parent))
    except VerifyError as error:
        raise CertifyError(
            f"{error}; not changing it: restore the issuer's list (e.g. from git) first"
        ) from error


def _write(
    path: Path, entries: list[dict[str, Any]], key: Ed25519PrivateKey, when: datetime, days: int
) -> None:
    stamp = when.isoformat().replace("+00:00", "Z")
    until = (when + timedelta(days=days)).isoformat().replace("+00:00", "Z")
    payload = {"format": FORMAT, "updated_at": stamp, "valid_until": until, "revoked": entries}
    document = sign(payload, key)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
