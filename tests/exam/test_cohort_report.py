"""A simulated cohort sits the certification exam; `peaceops grade` and `peaceops report`
question no key of the exam pool (a wrong key shows as negative discrimination)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peaceops.cli import main
from peaceops.content import load_course, load_keys
from tests.factories import nbgrader, submit
from tests.factories.simulate import abilities, answers_file

pytestmark = pytest.mark.slow
EXAM = "certification-exam"


def test_no_exam_key_is_questioned(tmp_path, course_dir_factory):
    course_dir = course_dir_factory(tmp_path / "course")
    assert nbgrader(course_dir, "generate_assignment", EXAM, "--force").returncode == 0
    course = load_course()
    keys = load_keys(course)
    rng = np.random.default_rng(5)
    for learner, theta in abilities(600, seed=5).items():
        submit(course_dir, learner, EXAM,
               answers_file(course, course.assignments[EXAM], learner, theta, keys, rng,
                            slope=2.0))
    assert main(["grade", "--course", str(course_dir), "--quiet"]) == 0
    assert main(["report", "--course", str(course_dir), "--out", str(tmp_path / "out")]) == 0
    items = pd.read_csv(tmp_path / "out" / "items.csv")
    exam = items[items.assignment == EXAM]
    assert len(exam) > 100 and exam["item"].str.startswith("x-").all()
    assert not exam.check_key.astype(bool).any(), exam[exam.check_key.astype(bool)]
