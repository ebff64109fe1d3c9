"""did:key identifiers of Ed25519 keys (W3C did:key method, Multikey): the issuer's key named
so that any verifier can resolve it offline, from the identifier itself. The JWT's `kid` and
the Data Integrity proof's `verificationMethod` are `did:key:z6Mk...#z6Mk...`."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_PUB = b"\xed\x01"  # the multicodec prefix of an Ed25519 public key
PREFIX = "did:key:"


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, digit = divmod(number, 58)
        out = ALPHABET[digit] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        digit = ALPHABET.find(char)
        if digit < 0:
            raise ValueError(f"{char!r} is not a base58btc character")
        number = number * 58 + digit
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def multibase(public_key: Ed25519PublicKey) -> str:
    """The key's publicKeyMultibase (Multikey): z + base58btc(0xed01 + the 32 raw bytes)."""
    return "z" + b58encode(ED25519_PUB + public_key.public_bytes_raw())


def did(public_key: Ed25519PublicKey) -> str:
    return PREFIX + multibase(public_key)


def verification_method(public_key: Ed25519PublicKey) -> str:
    """did:key:z6Mk...#z6Mk...: the key as a verification method (a JWT kid, a proof's
    verificationMethod)."""
    fingerprint = multibase(public_key)
    return f"{PREFIX}{fingerprint}#{fingerprint}"


def method_of(controller: str, public_key: Ed25519PublicKey) -> str:
    """The key as a verification method of `controller` (the issuer's id): under the
    issuer's own DID when it is one (did:web:...#z6Mk..., its DID document lists it), else
    the key's did:key. Wallets require the proof's method to be the issuer's."""
    fingerprint = multibase(public_key)
    if controller.startswith("did:") and not controller.startswith(PREFIX):
        return f"{controller}#{fingerprint}"
    return verification_method(public_key)


def from_multibase(text: str) -> Ed25519PublicKey:
    """The Ed25519 key of a publicKeyMultibase; ValueError when it is not one."""
    if not text.startswith("z"):
        raise ValueError("not base58btc multibase (z...)")
    raw = b58decode(text[1:])
    if len(raw) != 34 or raw[:2] != ED25519_PUB:
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def resolve(method: str) -> Ed25519PublicKey:
    """The key a verification method names: a did:key (or its DID), or another DID's
    `#z6Mk...` method whose fragment is the key's Multikey fingerprint (whether that DID is
    the issuer's is for the caller's trusted keys to say); ValueError otherwise."""
    if not isinstance(method, str) or not method.startswith("did:"):
        raise ValueError("not a DID URL")
    if not method.startswith(PREFIX):
        _, _, fragment = method.partition("#")
        return from_multibase(fragment)
    identifier, _, fragment = method[len(PREFIX):].partition("#")
    if fragment and fragment != identifier:
        raise ValueError("its fragment is not the key's fingerprint")
    return from_multibase(identifier)
