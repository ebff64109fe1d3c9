"""The signed JSON credential of one certificate: its format (read by `verify`), and its short
verification code. `peaceops.certify` signs new ones (certify.award.new_credential)."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from .errors import Exit, VerifyError

FORMAT = "peaceops.certificate/2"  # /2 adds exam_bank; /1 credentials still verify
FORMAT_1 = "peaceops.certificate/1"
TEXT_FIELDS = (
    "format",
    "certificate_id",
    "learner_id",
    "learner_name",
    "course_id",
    "course_title",
    "course_version",
    "rule_version",
    "issued_at",
    "issuer",
    "key_id",
)
NUMBER_FIELDS = ("score", "max_score")
FIELDS = TEXT_FIELDS + ("exam_bank",) + NUMBER_FIELDS
FIELDS_1 = TEXT_FIELDS + NUMBER_FIELDS
CERTIFICATE_ID = re.compile(r"^[0-9a-f]{32}$")


def check_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload of a signed credential, checked for this format's fields."""
    fields = {FORMAT: FIELDS, FORMAT_1: FIELDS_1}.get(payload.get("format"))
    if fields is None:
        raise VerifyError(
            Exit.MALFORMED,
            f"unsupported credential format "
            f"{payload.get('format')!r}: this verifier reads {FORMAT} and {FORMAT_1}",
        )
    if set(payload) != set(fields):
        raise VerifyError(
            Exit.MALFORMED,
            f"the credential must have exactly the fields {', '.join(sorted(fields))}",
        )
    for field in (f for f in fields if f not in NUMBER_FIELDS):
        if not isinstance(payload[field], str) or not payload[field]:
            raise VerifyError(Exit.MALFORMED, f"the credential's {field} is not text")
    for field in NUMBER_FIELDS:
        if isinstance(payload[field], bool) or not isinstance(payload[field], int | float):
            raise VerifyError(Exit.MALFORMED, f"the credential's {field} is not a number")
    return payload


CODE_DOMAIN = "peaceops verification code:"


def verification_code(certificate: dict[str, Any] | str) -> str:
    """The certificate's verification code, the same in every form it takes (the signed JSON,
    the VC-JWT, the Data Integrity credential, the PDF): ten base32 characters of the SHA-256
    of its certificate id, grouped: K7Q2-XM4A-P9. `certificate`: a signed credential, or the
    certificate id (32 hex digits)."""
    cid = certificate if isinstance(certificate, str) else certificate["payload"]["certificate_id"]
    digest = hashlib.sha256((CODE_DOMAIN + cid).encode("ascii")).digest()
    code = base64.b32encode(digest).decode("ascii")[:10]
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


REFERENCE_BANK = "reference bank"
TRAINING_NOTE = "reference bank: for training, not certification"


def is_training(exam_bank: str | None) -> bool:
    """Whether a certificate was graded from the public reference bank, whose keys anyone can
    read: a training certificate, never a certification."""
    return bool(exam_bank) and str(exam_bank).startswith(REFERENCE_BANK)


def percent(payload: dict[str, Any]) -> str:
    score, maximum = payload["score"], payload["max_score"]
    return f"{int(1000 * score / maximum) / 10:g}" if maximum else "0"


def summary(payload: dict[str, Any]) -> str:
    """One line: name, course and version, score, issue date (and the training mark)."""
    return (
        f"{payload['learner_name']}, {payload['course_title']} {payload['course_version']}, "
        f"score {payload['score']:g}/{payload['max_score']:g} ({percent(payload)} %), "
        f"issued {payload['issued_at'][:10]}"
        + (f" [{TRAINING_NOTE}]" if is_training(payload.get("exam_bank")) else "")
    )
