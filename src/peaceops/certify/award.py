"""What a passing decision earns: the signed peaceops credential, and the same certificate as
an Open Badges 3.0 credential (with the course's badge image), before it is secured; both in
the learner's language (the course title, and the Open Badges texts).

The Open Badges achievement is in the learner's language: its `name` and `description` are
plain strings (the OB 3.0 JSON Schema requires strings there), `inLanguage` says which
language, and `related` lists the achievement's edition in each other language of the course
(OB 3.0: `related` "identifies another Achievement that should be considered the same for
most purposes. It is primarily intended to identify alternate language editions"), each with
its `inLanguage`, `version`, and its `name` and `description` (terms the OB context defines:
schema.org's), so that a wallet shows the learner's language and keeps the other one."""

from __future__ import annotations

import secrets
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..content.language import DEFAULT, LANGUAGES
from ..content.messages import _
from ..credentials import openbadges, statuslist
from ..credentials.credential import FORMAT, TRAINING_NOTE, is_training
from ..credentials.errors import CertifyError
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
    language: str = DEFAULT,
) -> dict[str, Any]:
    """Sign a new credential for a passing decision, naming the course in `language`."""
    if not decision.passed or decision.score is None or decision.max_score is None:
        raise ValueError(f"{decision.student} does not pass: no credential")
    issued = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    payload = {
        "format": FORMAT,
        "certificate_id": uuid.uuid4().hex,
        "learner_id": decision.student,
        "learner_name": decision.name,
        "course_id": certification.course_id,
        "course_title": certification.title(language),
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
    payload: dict[str, Any], certification: Certification, issuer: Issuer, status_index: int,
    language: str = DEFAULT,
) -> dict[str, Any]:
    """The OpenBadgeCredential of a signed peaceops payload (same certificate, same facts), in
    `language`, with the achievement's editions in the other languages (`related`)."""
    rule = certification.rule(payload["rule_version"])
    achievement = openbadges.achievement_id(issuer, payload["course_id"], rule.version, language)
    if payload["course_title"] != certification.title(language):
        raise CertifyError(f"the credential names the course {payload['course_title']!r}, not "
                         f"its {language} title {certification.title(language)!r}")
    salt = secrets.token_hex(16)
    return {
        "@context": [openbadges.VC_CONTEXT, openbadges.OB_CONTEXT],
        "id": f"urn:uuid:{uuid.UUID(hex=payload['certificate_id'])}",
        "type": openbadges.TYPE,
        "issuer": {**issuer.profile(), "name": payload["issuer"]},
        "validFrom": payload["issued_at"],
        "name": _("{course}: certificate", language).format(course=payload["course_title"]),
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
                "image": badge_image(certification.course_title, _(
                    "The badge of the course {course}", language).format(
                        course=payload["course_title"])),
                "description": _description(payload, certification, language),
                "criteria": {"narrative": rule.describe(language) + (
                    _("; exam graded from the {bank}", language).format(
                        bank=payload["exam_bank"]) if payload.get("exam_bank") else "")},
                "version": payload["course_version"],
                "inLanguage": language,
                "related": [
                    {
                        "id": openbadges.achievement_id(issuer, payload["course_id"],
                                                        rule.version, other),
                        "type": ["Related"],
                        "inLanguage": other,
                        "version": payload["course_version"],
                        "name": certification.title(other),
                        "description": _description(payload, certification, other),
                    }
                    for other in LANGUAGES if other != language
                ],
                **({"tag": [TRAINING_NOTE]} if is_training(payload.get("exam_bank")) else {}),
                "resultDescription": [
                    {
                        "id": f"{achievement}#score",
                        "type": ["ResultDescription"],
                        "name": _("Certification exam score", language),
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


def _description(payload: dict[str, Any], certification: Certification, language: str) -> str:
    """The achievement's description in `language`."""
    return _("Passed the certification exam of the course {course} (course version "
             "{version}), under pass rule {rule}.", language).format(
        course=certification.title(language), version=payload["course_version"],
        rule=payload["rule_version"])
