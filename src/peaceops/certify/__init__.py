"""Certification: a versioned pass rule (data/certification.yaml), Ed25519-signed JSON
credentials and PDF certificates, offline verification and a signed revocation list.

The programmatic API behind `peaceops certify`, `keys init`, `verify` and `revoke`. Names
are imported on first use, so `peaceops verify` loads only what verification needs.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "Certification": "..content", "PassRule": "..content",
    "FORMAT": ".credential", "new_credential": ".credential",
    "verification_code": ".credential",
    "CertifyError": ".errors", "Exit": ".errors", "VerifyError": ".errors",
    "LEDGER": ".issue", "CertifyReport": ".issue", "Issued": ".issue",
    "issue_certificates": ".issue", "read_ledger": ".issue", "certify": ".issue",
    "CERTIFICATES_DIR": ".issue",
    "PUBLIC_DIR": ".keys", "KeyFiles": ".keys", "default_key_dir": ".keys",
    "default_key_path": ".keys", "init_keys": ".keys", "key_id": ".keys",
    "load_private_key": ".keys", "load_public_keys": ".keys",
    "load_revocations": ".revocation", "revoke": ".revocation",
    "Decision": ".rule", "decide": ".rule", "evaluate": ".rule",
}

# Verification is light (no pandas, nbgrader or widgets), and `verify` is also the name of its
# module: import it eagerly so the name is the function.
from .verify import Verified, read_credential, verify  # noqa: E402

__all__ = [*sorted(_WHERE), "Verified", "read_credential", "verify"]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name], __name__), name)
    raise AttributeError(name)
