"""A certifying body runs the exam from its own private bank kept outside the repository:
draw, grade and certify from it, and the credential says which bank graded the exam."""

from __future__ import annotations

import json

import pytest
import yaml

from peaceops.cli import main
from peaceops.content import load_course
from peaceops.results import SubmissionRecord
from tests.factories import answers_for, nbgrader, submit

pytestmark = pytest.mark.slow
EXAM = "certification-exam"


def _private_bank(course, folder):
    """A private bank of the same schema: the reference items reworded, every role key moved
    to another role (so grading with the reference keys would lose those points)."""
    bank = yaml.safe_load((course / "data" / "exam-bank.yaml").read_text())
    keys = yaml.safe_load((course / "solutions" / "keys" / "exam-keys.yaml").read_text())
    for entry in bank["roles"]:
        entry["statement"] = "In this private bank: " + entry["statement"]
    roles = ["hom", "dsrsg_pol", "dsrsg_rchc", "fc", "pc", "cos", "dms"]
    for key in keys["roles"].values():
        key["role"] = roles[(roles.index(key["role"]) + 1) % len(roles)]
    folder.mkdir()
    (folder / "exam-bank.yaml").write_text(yaml.safe_dump(bank, sort_keys=False))
    (folder / "exam-keys.yaml").write_text(yaml.safe_dump(keys, sort_keys=False))
    return folder / "exam-bank.yaml", folder / "exam-keys.yaml"


def test_draw_grade_and_certify_from_a_private_bank(tmp_path, course_dir_factory, monkeypatch):
    course = course_dir_factory(tmp_path / "course")
    bank, keys = _private_bank(course, tmp_path / "private")
    (course / "solutions" / "keys" / "exam-keys.yaml").unlink()  # only the private copy
    rule = yaml.safe_load((course / "data" / "certification.yaml").read_text())
    rule["rules"][0]["require_submitted"] = []
    config = tmp_path / "certification.yaml"
    config.write_text(yaml.safe_dump(rule))
    assert nbgrader(course, "generate_assignment", EXAM, "--force").returncode == 0

    # the learner's server is set to the private bank: the draw shows its wording
    monkeypatch.setenv("PEACEOPS_EXAM_BANK", str(bank))
    private = load_course(course / "data", cache=False)
    first = yaml.safe_load(bank.read_text())["roles"][0]["id"]
    assert private.entry("roles", first).public["statement"].startswith("In this private")
    monkeypatch.delenv("PEACEOPS_EXAM_BANK")
    answers, expected = answers_for(EXAM, "amina", 1.0, data=course / "data", bank=bank,
                                    keys=keys)
    text = json.dumps(answers)
    assert "In this private bank" not in text  # answers are values, never wording
    submit(course, "amina", EXAM, answers)

    base = ["--course", str(course), "--bank", str(bank), "--answer-keys", str(keys)]
    assert main(["grade", *base, "--quiet"]) == 0
    report = SubmissionRecord.read(course / "autograded" / "amina" / EXAM)
    assert report.score == report.max_score == expected == 28 and not report.flags

    key_dir = tmp_path / "issuer"
    monkeypatch.setenv("PEACEOPS_KEY_DIR", str(key_dir))
    assert main(["keys", "init", "--course", str(course)]) == 0
    assert nbgrader(course, "db", "student", "add", "amina", "--first-name", "Amina",
                    "--last-name", "Diallo").returncode == 0
    assert main(["certify", *base, "--config", str(config)]) == 0
    (credential,) = (course / "certificates").glob("*/amina.json")
    payload = json.loads(credential.read_text())["payload"]
    assert payload["exam_bank"].startswith("private bank sha256:")
    assert main(["verify", str(credential), "--public-keys", str(course / "public-keys")]) == 0


def test_the_reference_bank_is_named_as_such(tmp_path, course_dir_factory):
    from peaceops.content import CourseDir

    course = course_dir_factory(tmp_path / "course")
    assert CourseDir.resolve(course).exam_bank().startswith("reference bank sha256:")
    bank, keys = _private_bank(course, tmp_path / "private")
    named = CourseDir.resolve(course, bank=bank, keys=keys).exam_bank()
    assert named.startswith("private bank sha256:")
    assert named != CourseDir.resolve(course).exam_bank().replace("reference", "private")
