"""The revocation list: public-keys/revoked.json, signed by the issuer like a credential, so a
list edited by anyone else fails verification."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .credential import CERTIFICATE_ID
from .errors import CertifyError, Exit, VerifyError
from .keys import load_public_keys, publish_public_key
from .signed import open_signed, parse, sign

FORMAT = "peaceops.revocations/1"
NAME = "revoked.json"
ENTRY_FIELDS = {"certificate_id", "reason", "revoked_at"}


def load_revocations(
    path: Path | str, public_keys: dict[str, Ed25519PublicKey]
) -> dict[str, dict[str, Any]]:
    """Revoked certificates by id; raises `VerifyError(BAD_REVOCATION_LIST)` unless the list
    is well formed and signed by a published key."""
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
    return revoked


def revoke(
    certificate_id: str,
    reason: str,
    key: Ed25519PrivateKey,
    path: Path | str,
    now: datetime | None = None,
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
    publish_public_key(key.public_key(), path.parent)
    revoked: dict[str, dict[str, Any]] = {}
    if path.exists():
        try:
            revoked = load_revocations(path, load_public_keys(path.parent))
        except VerifyError as error:
            raise CertifyError(
                f"{error}; not changing it: restore the issuer's list (e.g. from git) first"
            ) from error
    if certificate_id in revoked:
        return False, revoked[certificate_id]
    when = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    stamp = when.isoformat().replace("+00:00", "Z")
    entry = {"certificate_id": certificate_id, "reason": reason.strip(), "revoked_at": stamp}
    entries = [*revoked.values(), entry]
    document = sign({"format": FORMAT, "updated_at": stamp, "revoked": entries}, key)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return True, entry
