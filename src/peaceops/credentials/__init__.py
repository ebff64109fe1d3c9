"""Signed credentials: the issuer's Ed25519 keys and profile, signed JSON and VC-JOSE (JWS),
Data Integrity proofs, did:key, the signed revocation list and status list, publishing them
with the verifier page, and offline verification.

The programmatic API behind `peaceops keys`, `verify` and `revoke`. A lower layer than
`peaceops.certify` (which decides who passes and issues certificates with it): it imports
only the standard library, cryptography, pyld and pypdf, so verifying stays light.
"""

from __future__ import annotations

from .certificate_ledger import CERTIFICATES_DIR, LEDGER, read_ledger
from .credential import FORMAT, verification_code
from .errors import CertifyError, Exit, VerifyError
from .keys import (
    PUBLIC_DIR,
    KeyFiles,
    default_key_dir,
    default_key_path,
    init_keys,
    key_id,
    load_private_key,
    load_public_keys,
)
from .revocation import load_revocations, revoke
from .verify import Verified, read_credential, verify

__all__ = [
    "CERTIFICATES_DIR", "FORMAT", "LEDGER", "PUBLIC_DIR", "CertifyError", "Exit", "KeyFiles",
    "Verified", "VerifyError", "default_key_dir", "default_key_path", "init_keys", "key_id",
    "load_private_key", "load_public_keys", "load_revocations", "read_credential", "read_ledger",
    "revoke", "verification_code", "verify",
]
