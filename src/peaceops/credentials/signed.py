"""Signed JSON documents: {"payload": {...}, "signature": base64url, "algorithm": "Ed25519"}.

The signature covers the canonical payload: JSON with sorted keys, separators (",", ":"),
UTF-8, no ASCII escaping. The payload names the signing key in `key_id`.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .b64 import b64url, unb64url  # noqa: F401 (re-exported)
from .errors import Exit, VerifyError
from .keys import key_id
from .strictjson import loads

#: The name of the credential embedded in a certificate PDF.
ATTACHMENT = "credential.json"

ALGORITHM = "Ed25519"


def canonical(payload: dict[str, Any]) -> bytes:
    """The bytes that are signed."""
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def compact(document: dict[str, Any]) -> str:
    """A signed document as one line of ASCII JSON (what the QR code holds)."""
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def sign(payload: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """Sign `payload` (its `key_id` is set to the key's)."""
    payload = {**payload, "key_id": key_id(key.public_key())}
    return {
        "payload": payload,
        "signature": b64url(key.sign(canonical(payload))),
        "algorithm": ALGORITHM,
    }


def signature_bytes(document: dict[str, Any]) -> bytes:
    return unb64url(document["signature"])


def parse(
    text: str | bytes, what: str = "certificate", code: Exit = Exit.MALFORMED
) -> dict[str, Any]:
    """The signed document in `text`, checked for shape only; raises `VerifyError(code)`."""
    document = loads(text, what, code)
    if not isinstance(document, dict) or set(document) != {"payload", "signature", "algorithm"}:
        raise VerifyError(
            code,
            f"the {what} is not a signed document: expected exactly "
            "the fields payload, signature and algorithm",
        )
    if document["algorithm"] != ALGORITHM:
        raise VerifyError(
            code,
            f"the {what}'s algorithm is {document['algorithm']!r}; only {ALGORITHM} is supported",
        )
    payload = document["payload"]
    if not isinstance(payload, dict) or not isinstance(payload.get("key_id"), str):
        raise VerifyError(code, f"the {what}'s payload has no key_id")
    if not isinstance(document["signature"], str):
        raise VerifyError(code, f"the {what}'s signature is not text")
    return document


def open_signed(
    document: dict[str, Any],
    public_keys: dict[str, Ed25519PublicKey],
    what: str = "certificate",
    unknown: Exit = Exit.UNKNOWN_KEY,
    bad: Exit = Exit.BAD_SIGNATURE,
) -> dict[str, Any]:
    """The payload, once its signature is checked against the published key it names."""
    kid = document["payload"]["key_id"]
    if kid not in public_keys:
        known = ", ".join(sorted(public_keys)) or "none"
        raise VerifyError(
            unknown,
            f"the {what} is signed with key {kid}, which is not among "
            f"the published public keys ({known})",
        )
    try:
        public_keys[kid].verify(signature_bytes(document), canonical(document["payload"]))
    except (InvalidSignature, ValueError) as error:
        raise VerifyError(
            bad,
            f"the {what}'s signature does not match its content: a field "
            "was changed after signing (or the signature was)",
        ) from error
    return document["payload"]
