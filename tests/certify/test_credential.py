"""The credential's payload and verification code."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from peaceops.certify import decide, new_credential
from peaceops.credentials import FORMAT, verification_code
from peaceops.credentials.credential import FIELDS
from tests.factories.certificates import cohort

NOW = datetime(2026, 11, 22, 9, 30, 15, 123456, tzinfo=UTC)


def test_the_payload_names_learner_course_score_rule_time_and_key(certification, keypair):
    key, _ = keypair
    decision = decide(cohort({"dara": [12, 17.5]}), certification.rule(), "dara")
    credential = new_credential(decision, certification, key, NOW)
    p = credential["payload"]
    assert set(p) == set(FIELDS)
    assert re.fullmatch(r"[0-9a-f]{32}", p["certificate_id"])
    assert (p["learner_id"], p["learner_name"]) == ("dara", "Dara Ó Súilleabháin")
    assert (p["course_id"], p["course_version"], p["rule_version"]) == (
        "peaceops",
        certification.course_version,
        "2026.1",
    )
    assert (p["score"], p["max_score"]) == (17.5, 20)
    assert p["issued_at"] == "2026-11-22T09:30:15Z" and p["format"] == FORMAT
    again = new_credential(decision, certification, key, NOW)
    assert again["payload"]["certificate_id"] != p["certificate_id"]


def test_no_credential_for_a_learner_who_does_not_pass(certification, keypair):
    decision = decide(cohort({"bo": [1]}), certification.rule(), "bo")
    with pytest.raises(ValueError, match="does not pass"):
        new_credential(decision, certification, keypair[0])


def test_the_verification_code_is_ten_base32_characters_from_the_signature(certification, keypair):
    decision = decide(cohort({"amina": [20]}), certification.rule(), "amina")
    one = new_credential(decision, certification, keypair[0], NOW)
    two = new_credential(decision, certification, keypair[0], NOW)
    assert re.fullmatch(r"[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{2}", verification_code(one))
    assert verification_code(one) == verification_code(dict(one))
    assert verification_code(one) != verification_code(two)
