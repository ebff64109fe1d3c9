"""Revocation by a W3C Bitstring Status List: public-keys/status-list.jwt, a
BitstringStatusListCredential signed (VC-JOSE, compact JWS) with the issuer's key.

Each Open Badges credential names a random index in the list; its bit set means revoked.
The list is valid for a window (validFrom .. validUntil): a verifier given an older list
after it expired, or no list, says that revocation was not checked. `peaceops revoke` sets a
bit and signs the list again; `peaceops keys publish` re-signs it with a fresh window.
"""

from __future__ import annotations

import base64
import gzip
import os
import secrets
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from . import jws
from .errors import Exit, VerifyError
from .issuer import STATUS_NAME, Issuer
from .keys import key_id
from .strictjson import loads

SIZE = 131_072  # bits: the specification's minimum (16 KiB), for herd privacy
VALID_DAYS = 31  # default validity window of a signed list
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
PURPOSE = "revocation"


def stamp(when: datetime) -> str:
    return when.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def parse_time(text: Any) -> datetime:
    """An XML Schema dateTime with a time zone, as VC 2.0 requires; ValueError otherwise."""
    if not isinstance(text, str):
        raise ValueError("not a date-time")
    when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if when.tzinfo is None:
        raise ValueError(f"{text} has no time zone")
    return when


def encode(bits: bytearray) -> str:
    """The encodedList: multibase base64url (prefix u) of the GZIP of the bitstring."""
    return "u" + base64.urlsafe_b64encode(gzip.compress(bytes(bits), mtime=0)).rstrip(b"=").decode()


def decode(encoded: Any) -> bytearray:
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise ValueError("encodedList is not multibase base64url (u...)")
    body = encoded[1:]
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        bits = gzip.decompress(raw)
    except (ValueError, OSError, EOFError, zlib.error) as error:
        raise ValueError(f"encodedList is not GZIP in base64url: {error}") from error
    if len(bits) * 8 < SIZE:
        raise ValueError(f"the list has {len(bits) * 8} bits, fewer than {SIZE}")
    return bytearray(bits)


def is_set(bits: bytearray, index: int) -> bool:
    """Bit `index`, counting from the left-most bit of the first byte (as the spec says)."""
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def set_bit(bits: bytearray, index: int) -> None:
    bits[index // 8] |= 0x80 >> (index % 8)


def new_index(used: set[int]) -> int:
    """A random index not yet used by any certificate."""
    if len(used) >= SIZE:
        raise ValueError("the status list is full")
    while True:
        index = secrets.randbelow(SIZE)
        if index not in used:
            return index


def entry(issuer: Issuer, index: int) -> dict[str, str]:
    """A credential's credentialStatus (BitstringStatusListEntry)."""
    return {
        "id": f"{issuer.status_list}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": PURPOSE,
        "statusListIndex": str(index),
        "statusListCredential": issuer.status_list,
    }


@dataclass(frozen=True)
class StatusList:
    id: str
    bits: bytearray
    valid_from: datetime
    valid_until: datetime
    key_id: str

    def current(self, now: datetime | None = None) -> bool:
        now = now or datetime.now(UTC)
        return self.valid_from <= now <= self.valid_until

    def window(self) -> str:
        return f"signed {stamp(self.valid_from)[:10]}, valid until {stamp(self.valid_until)[:10]}"


def sign_list(
    issuer: Issuer,
    bits: bytearray,
    key: Ed25519PrivateKey,
    now: datetime | None = None,
    valid_days: int = VALID_DAYS,
) -> str:
    """The status list credential as a VC-JOSE compact JWS."""
    now = now or datetime.now(UTC)
    credential = {
        "@context": [VC_CONTEXT],
        "id": issuer.status_list,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.id,
        "validFrom": stamp(now),
        "validUntil": stamp(now + timedelta(days=valid_days)),
        "credentialSubject": {
            "id": f"{issuer.status_list}#list",
            "type": "BitstringStatusList",
            "statusPurpose": PURPOSE,
            "encodedList": encode(bits),
        },
    }
    header = {"kid": key_id(key.public_key()), "typ": "vc+jwt", "cty": "vc"}
    return jws.sign(credential, key, header)


def load_list(
    path: Path | str, public_keys: dict[str, Ed25519PublicKey], list_id: str | None = None
) -> StatusList:
    """The status list at `path`, signed by one of `public_keys`; raises
    `VerifyError(BAD_REVOCATION_LIST)` when it is unreadable, tampered or not the issuer's."""
    path = Path(path)
    bad = Exit.BAD_REVOCATION_LIST
    what = f"status list {path}"
    try:
        token = path.read_text("ascii")
    except (OSError, UnicodeDecodeError) as error:
        raise VerifyError(bad, f"cannot read the {what}: {error}") from error
    header, payload, signing_input, signature = jws.decode(token, what, bad)
    kid = header.get("kid")
    if kid not in public_keys:
        raise VerifyError(bad, f"the {what} is signed with key {kid}, not a trusted issuer key")
    jws.check(public_keys[kid], signing_input, signature, what, bad)
    credential = loads(payload, what, bad)
    try:
        subject = credential["credentialSubject"]
        if "BitstringStatusListCredential" not in credential["type"]:
            raise ValueError("not a BitstringStatusListCredential")
        if subject.get("statusPurpose") != PURPOSE:
            raise ValueError(f"its purpose is not {PURPOSE}")
        if list_id is not None and credential["id"] != list_id:
            raise ValueError(f"it is the list {credential['id']}, not {list_id}")
        status = StatusList(
            credential["id"],
            decode(subject["encodedList"]),
            parse_time(credential["validFrom"]),
            parse_time(credential["validUntil"]),
            kid,
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise VerifyError(bad, f"the {what} is not a revocation status list: {error}") from error
    return status


def write_list(path: Path | str, token: str) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(token + "\n", "ascii")
    os.replace(tmp, path)


def update(
    public_dir: Path | str,
    issuer: Issuer,
    key: Ed25519PrivateKey,
    revoke_index: int | None = None,
    now: datetime | None = None,
    valid_days: int = VALID_DAYS,
) -> Path:
    """Sign the issuer's list again (made empty on first use) with a fresh validity window,
    with bit `revoke_index` set when given. A list that is not the issuer's is never
    overwritten."""
    path = Path(public_dir) / STATUS_NAME
    bits = bytearray(SIZE // 8)
    if path.exists():
        bits = load_list(path, issuer.public_keys(), issuer.status_list).bits
    if revoke_index is not None:
        set_bit(bits, revoke_index)
    write_list(path, sign_list(issuer, bits, key, now, valid_days))
    return path
