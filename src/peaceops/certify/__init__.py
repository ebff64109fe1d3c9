"""Certification: a versioned pass rule (data/certification.yaml), Ed25519-signed JSON
credentials and PDF certificates, offline verification and a signed revocation list.

The programmatic API behind `peaceops certify`, `keys init`, `verify` and `revoke`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from .config import Certification, PassRule, load_certification
from .credential import FORMAT, new_credential, verification_code
from .errors import CertifyError, Exit, VerifyError
from .issue import LEDGER, CertifyReport, Issued, issue_certificates, read_ledger
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
from .rule import Decision, decide, evaluate
from .verify import Verified, read_credential, verify

CERTIFICATES_DIR = "certificates"


def certify(
    course_dir: Path | str = ".",
    key_path: Path | str | None = None,
    out_dir: Path | str | None = None,
    rule_version: str | None = None,
    config: Path | str | None = None,
    now: datetime | None = None,
) -> CertifyReport:
    """Issue certificates for a course directory's graded results: into
    `<course>/certificates` by default, publishing the public key to `<course>/public-keys`."""
    from ..grading.results import load_results

    course_dir = Path(course_dir)
    certification = load_certification(config)
    certification.rule(rule_version)  # an unknown version fails before anything is read
    key = load_private_key(key_path)
    results = load_results(course_dir)
    return issue_certificates(
        results,
        certification,
        key,
        Path(out_dir) if out_dir else course_dir / CERTIFICATES_DIR,
        rule_version,
        course_dir / PUBLIC_DIR,
        now,
    )


__all__ = [
    "CERTIFICATES_DIR",
    "FORMAT",
    "LEDGER",
    "PUBLIC_DIR",
    "Certification",
    "CertifyError",
    "CertifyReport",
    "Decision",
    "Exit",
    "Issued",
    "KeyFiles",
    "PassRule",
    "Verified",
    "VerifyError",
    "certify",
    "decide",
    "default_key_dir",
    "default_key_path",
    "evaluate",
    "init_keys",
    "issue_certificates",
    "key_id",
    "load_certification",
    "load_private_key",
    "load_public_keys",
    "load_revocations",
    "new_credential",
    "read_credential",
    "read_ledger",
    "revoke",
    "verification_code",
    "verify",
]
