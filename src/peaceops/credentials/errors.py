"""Errors of signing, keys, revocation and verification (certification raises CertifyError
too); each says what went wrong and what to do."""

from __future__ import annotations

from enum import IntEnum


class CertifyError(Exception):
    """Certificates cannot be issued, keys made or a certificate revoked; the message says why."""


class Exit(IntEnum):
    """Exit codes of `peaceops verify` (documented in its --help)."""

    VALID = 0
    MALFORMED = 1  # unreadable file, not a credential, unsupported algorithm or format
    KEYS = 2  # options or public keys unusable (no such folder, not an Ed25519 public key)
    BAD_SIGNATURE = 3  # the signature does not match: a field changed after signing
    UNKNOWN_KEY = 4  # signed by a key that is not among the published public keys
    REVOKED = 5  # the issuer revoked the certificate
    BAD_REVOCATION_LIST = 6  # the revocation list is unreadable, tampered or not the issuer's
    STATUS_UNKNOWN = 7  # valid, but revocation not checked (no list, or out of date): --require-status
    NOT_IN_VALIDITY = 8  # signed and intact, but not valid now: validFrom ahead, validUntil past


class VerifyError(Exception):
    """A credential (or the revocation list) failed verification; `code` is the exit code."""

    def __init__(self, code: Exit, message: str):
        self.code = code
        super().__init__(message)
