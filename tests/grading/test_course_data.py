"""`--course DIR` grades with that course's own data/ and keys, not the installed package's."""

from __future__ import annotations

import pytest
import yaml

from peaceops.cli import main
from peaceops.results import SubmissionRecord
from peaceops.results.record import FILENAME as RECORD
from tests.factories import answers_for, nbgrader, submit

pytestmark = pytest.mark.slow
MLT = "mlt-roles"


def test_grading_a_course_folder_uses_its_own_data(tmp_path, course_dir_factory):
    course = course_dir_factory(tmp_path / "course")
    assignments = yaml.safe_load((course / "data" / "assignments.yaml").read_text())
    matching = assignments[0]["exercises"][0]
    assert (assignments[0]["id"], matching["id"], matching["draw"]) == (MLT, "mlt-roles-matching", 8)
    matching["draw"] = 3  # this course draws 3 role items; the installed data draws 8
    (course / "data" / "assignments.yaml").write_text(yaml.safe_dump(assignments, sort_keys=False))
    assert nbgrader(course, "generate_assignment", MLT, "--force").returncode == 0

    answers, expected = answers_for(MLT, "amina", 1.0, data=course / "data")
    submit(course, "amina", MLT, answers)
    assert main(["grade", "--course", str(course), "--quiet"]) == 0

    report = SubmissionRecord.read(course / "autograded" / "amina" / MLT)
    assert (course / "autograded" / "amina" / MLT / RECORD).exists()
    assert len(report.results["mlt-roles-matching"]["items"]) == 3
    assert report.flags == []  # the record fits this course's 3-item variant
    assert report.score == expected
