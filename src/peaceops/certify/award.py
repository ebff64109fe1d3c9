"""What a passing decision earns: the signed peaceops credential, and the same certificate as
an Open Badges 3.0 credential (with the course's badge image), before it is secured."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..credentials import openbadges, statuslist
from ..credentials.credential import FORMAT, TRAINING_NOTE, is_training
from ..credentials.issuer import Issuer
from ..credentials.signed import sign
from .badge import image as badge_image

if TYPE_CHECKING:  # types only
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ..content import Certification
    from .rule import Decision


def new_credential(
    decision: Decision,
    certification: Certification,
    key: Ed25519PrivateKey,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Sign a new credential for a passing decision."""
    if not decision.passed or decision.score is None or decision.max_score is None:
        raise ValueError(f"{decision.student} does not pass: no credential")
    issued = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    payload = {
        "format": FORMAT,
        "certificate_id": uuid.uuid4().hex,
        "learner_id": decision.student,
        "learner_name": decision.name,
        "course_id": certification.course_id,
        "course_title": certification.course_title,
        "course_version": certification.course_version,
        "score": decision.score,
        "max_score": decision.max_score,
        "rule_version": decision.rule_version,
        "issued_at": issued.isoformat().replace("+00:00", "Z"),
        "issuer": certification.issuer,
        "exam_bank": certification.exam_bank or "unknown bank",
    }
    return sign(payload, key)


def open_badge_credential(
    payload: dict[str, Any], certification: Certification, issuer: Issuer, status_index: int
) -> dict[str, Any]:
    """The OpenBadgeCredential of a signed peaceops payload (same certificate, same facts)."""
    rule = certification.rule(payload["rule_version"])
    achievement = openbadges.achievement_id(issuer, payload["course_id"], rule.version)
    salt = secrets.token_hex(16)
    return {
        "@context": [openbadges.VC_CONTEXT, openbadges.OB_CONTEXT],
        "id": f"urn:uuid:{uuid.UUID(hex=payload['certificate_id'])}",
        "type": openbadges.TYPE,
        "issuer": {**issuer.profile(), "name": payload["issuer"]},
        "validFrom": payload["issued_at"],
        "name": f"{payload['course_title']}: certificate",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": payload["learner_name"],
                },
                {
                    "type": "IdentityObject",
                    "identityType": "identifier",
                    "hashed": True,
                    "identityHash": openbadges.identity_hash(payload["learner_id"], salt),
                    "salt": salt,
                },
            ],
            "achievement": {
                "id": achievement,
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": payload["course_title"],
                "image": badge_image(payload["course_title"]),
                "description": (
                    f"Passed the certification exam of the course {payload['course_title']} "
                    f"(course version {payload['course_version']}), under pass rule "
                    f"{rule.version}."
                ),
                "criteria": {"narrative": rule.describe() + (
                    f"; exam graded from the {payload['exam_bank']}"
                    if payload.get("exam_bank") else "")},
                "version": payload["course_version"],
                **({"tag": [TRAINING_NOTE]} if is_training(payload.get("exam_bank")) else {}),
                "resultDescription": [
                    {
                        "id": f"{achievement}#score",
                        "type": ["ResultDescription"],
                        "name": "Certification exam score",
                        "resultType": "RawScore",
                        "valueMin": "0",
                        "valueMax": f"{payload['max_score']:g}",
                    }
                ],
            },
            "result": [
                {
                    "type": ["Result"],
                    "resultDescription": f"{achievement}#score",
                    "value": f"{payload['score']:g}",
                }
            ],
        },
        "credentialStatus": statuslist.entry(issuer, status_index),
    }
