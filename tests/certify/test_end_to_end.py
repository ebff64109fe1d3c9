"""From collected submissions to a verified certificate, through a real gradebook:
peaceops grade -> keys init -> certify -> verify (and a tampered copy fails)."""

from __future__ import annotations

import json

import pytest
from nbgrader.api import Gradebook

from peaceops.cli import main
from peaceops.content import load_course
from tests.factories import answers_for, nbgrader, submit

pytestmark = pytest.mark.slow
EXAM = "certification-exam"


def test_cohort_to_verified_certificates(tmp_path, course_dir_factory, capsys):
    course = course_dir_factory(tmp_path / "course")
    assignments = list(load_course().assignments)
    for assignment in assignments:
        assert nbgrader(course, "generate_assignment", assignment, "--force").returncode == 0
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "peaceops") as gb:
        gb.update_or_create_student("ready", first_name="Amina", last_name="Diallo")
        gb.update_or_create_student("short", first_name="Bo", last_name="Lind")
        gb.update_or_create_student("weak", first_name="Carla", last_name="Núñez")
    for student, fraction, skip in [("ready", 1.0, None), ("short", 1.0, "polarities"),
                                    ("weak", 0.5, None)]:
        for assignment in assignments:
            if assignment != skip:
                submit(course, student, assignment, answers_for(assignment, student, fraction)[0])
    assert main(["grade", "--course", str(course), "--quiet"]) == 0
    keys = tmp_path / "officer-keys"
    assert main(["keys", "init", "--course", str(course), "--dir", str(keys)]) == 0
    code = main(["certify", "--course", str(course), "--key", str(keys / "peaceops-issuer.pem"),
                 "--training"])
    out = capsys.readouterr().out
    assert code in (0, 1)  # 1: someone needs attention (short and weak do not pass)
    issued = sorted((course / "certificates").rglob("*.json"))
    assert len(issued) == 1, out
    credential = json.loads(issued[0].read_text())
    assert credential["payload"]["learner_id"] == "ready"
    assert credential["payload"]["score"] == credential["payload"]["max_score"] == 28  # the exam form (data/exam-blueprint.yaml)
    assert "short" in out and "weak" in out
    pdf = next(issued[0].parent.glob("*.pdf"))
    capsys.readouterr()
    assert main(["verify", str(issued[0]), "--course", str(course)]) == 0
    assert main(["verify", str(pdf), "--course", str(course)]) == 0
    assert "Amina Diallo" in capsys.readouterr().out
    credential["payload"]["score"] = 27  # one point less than was signed
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(credential))
    assert main(["verify", str(tampered), "--course", str(course)]) == 3
    # again: nobody is certified twice
    main(["certify", "--course", str(course), "--key", str(keys / "peaceops-issuer.pem"),
                 "--training"])
    assert len(sorted((course / "certificates").rglob("*.json"))) == 1
