"""Public keys as verifiers read them: key ids and the published PEM files."""

from __future__ import annotations

import hashlib
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .errors import Exit, VerifyError


def key_id(public_key: Ed25519PublicKey) -> str:
    """First 16 hex digits of the SHA-256 of the raw public key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]



def load_public_keys(source: Path | str) -> dict[str, Ed25519PublicKey]:
    """The published public keys by key id (computed from each key, not its file name):
    every `*.pem` of a folder, or one file."""
    source = Path(source)
    if source.is_dir():
        files = sorted(source.glob("*.pem"))
    elif source.is_file():
        files = [source]
    else:
        raise VerifyError(
            Exit.KEYS,
            f"no public keys at {source}: pass --public-keys with the "
            "folder (or .pem file) of the issuer's published public keys",
        )
    keys = {}
    for file in files:
        try:
            key = serialization.load_pem_public_key(file.read_bytes())
        except (OSError, ValueError, UnsupportedAlgorithm) as error:
            raise VerifyError(Exit.KEYS, f"{file} is not a PEM public key: {error}") from error
        if not isinstance(key, Ed25519PublicKey):
            raise VerifyError(Exit.KEYS, f"{file} is not an Ed25519 public key")
        keys[key_id(key)] = key
    return keys
