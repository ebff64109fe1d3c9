"""Compact JWS with EdDSA (Ed25519), as RFC 7515 and RFC 8037 define it: what VC-JOSE
(`typ: vc+jwt`) secures a credential with. Only the compact form, only alg EdDSA, and no
header parameter that would make a verifier fetch or trust a key from the token itself."""

from __future__ import annotations

import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from .b64 import b64url, unb64url
from .errors import Exit, VerifyError
from .strictjson import loads

ALG = "EdDSA"
#: Header parameters this verifier understands; any other (jku, x5u, crit, ...) is refused.
HEADER_FIELDS = {"alg", "kid", "typ", "cty"}


def jwk(public_key: Ed25519PublicKey) -> dict[str, str]:
    """The public key as an RFC 8037 JWK."""
    return {"kty": "OKP", "crv": "Ed25519", "x": b64url(public_key.public_bytes_raw())}


def from_jwk(key: Any) -> Ed25519PublicKey:
    """The Ed25519 public key of an RFC 8037 JWK; ValueError when it is not one."""
    if not isinstance(key, dict) or key.get("kty") != "OKP" or key.get("crv") != "Ed25519":
        raise ValueError("not an Ed25519 JWK (kty OKP, crv Ed25519)")
    raw = unb64url(str(key.get("x", "")))
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key has 32 bytes")
    return Ed25519PublicKey.from_public_bytes(raw)


def _json(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign(payload: dict[str, Any] | bytes, key: Ed25519PrivateKey, header: dict[str, str]) -> str:
    """A compact JWS of `payload` (JSON, or bytes as they are) with {"alg": "EdDSA", ...}."""
    protected = b64url(_json({"alg": ALG, **header}))
    body = b64url(payload if isinstance(payload, bytes) else _json(payload))
    signing_input = f"{protected}.{body}".encode("ascii")
    return f"{protected}.{body}.{b64url(key.sign(signing_input))}"


def is_compact(text: str) -> bool:
    parts = text.split(".")
    return len(parts) == 3 and all(parts[:2]) and text.isascii()


def decode(
    token: str, what: str = "credential", code: Exit = Exit.MALFORMED
) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    """(header, payload bytes, signing input, signature) of a compact JWS, checked for shape."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise VerifyError(code, f"the {what} is not a compact JWS (three base64url parts)")
    try:
        raw_header, payload, signature = (unb64url(p) for p in parts)
    except ValueError as error:
        raise VerifyError(code, f"the {what} is not a compact JWS: {error}") from error
    header = loads(raw_header, f"{what}'s JOSE header", code)
    if not isinstance(header, dict):
        raise VerifyError(code, f"the {what}'s JOSE header is not a JSON object")
    if header.get("alg") != ALG:
        raise VerifyError(
            code, f"the {what}'s alg is {header.get('alg')!r}; only EdDSA is accepted"
        )
    unknown = set(header) - HEADER_FIELDS
    if unknown:
        raise VerifyError(
            code,
            f"the {what}'s JOSE header has parameters this verifier does not accept: "
            f"{', '.join(sorted(unknown))}",
        )
    if not all(isinstance(v, str) for v in header.values()):
        raise VerifyError(code, f"the {what}'s JOSE header has a value that is not text")
    signing_input = f"{parts[0]}.{parts[1]}".encode("ascii")
    return header, payload, signing_input, signature


def check(
    public_key: Ed25519PublicKey,
    signing_input: bytes,
    signature: bytes,
    what: str = "credential",
    bad: Exit = Exit.BAD_SIGNATURE,
) -> None:
    """Raise `VerifyError(bad)` unless `signature` is the key's over `signing_input`."""
    try:
        public_key.verify(signature, signing_input)
    except InvalidSignature as error:
        raise VerifyError(
            bad,
            f"the {what}'s signature does not match its content: a field was changed after "
            "signing (or the signature was)",
        ) from error
