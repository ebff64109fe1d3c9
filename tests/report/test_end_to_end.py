"""A simulated cohort graded by `peaceops grade` with one deliberately wrong key: the report
built from the gradebook flags exactly that item, and nothing when every key is right."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import yaml

from peaceops.cli import main
from peaceops.content import load_course, load_keys
from tests.factories import nbgrader, submit
from tests.factories.simulate import abilities, answers_file

pytestmark = pytest.mark.slow
ASSIGNMENT, WRONG, TRUE, LURE = "mlt-roles", "b-role-fc-deploy", "fc", "pc"


@pytest.fixture(scope="module")
def cohort(tmp_path_factory, course_dir_factory):
    course_dir = course_dir_factory(tmp_path_factory.mktemp("report") / "course")
    assert nbgrader(course_dir, "generate_assignment", ASSIGNMENT, "--force").returncode == 0
    course = load_course()
    keys = load_keys(course)
    assignment = course.assignments[ASSIGNMENT]
    rng = np.random.default_rng(11)
    for learner, theta in abilities(400, seed=11).items():
        answers = answers_file(course, assignment, learner, theta, keys, rng, slope=2.0,
                               lures={WRONG: LURE})
        submit(course_dir, learner, ASSIGNMENT, answers)
    falsified = yaml.safe_load((course_dir / "solutions/keys/bank-keys.yaml").read_text())
    assert falsified["roles"][WRONG]["role"] == TRUE
    falsified["roles"][WRONG]["role"] = LURE  # the deliberate mistake
    wrong_keys = tmp_path_factory.mktemp("keys") / "wrong-keys.yaml"
    wrong_keys.write_text(yaml.safe_dump(falsified))
    return course_dir, wrong_keys


def _items(course_dir, out) -> pd.DataFrame:
    assert main(["report", "--course", str(course_dir), "--out", str(out)]) == 0
    return pd.read_csv(out / "items.csv")


def test_the_report_flags_the_item_with_the_wrong_key(cohort, tmp_path):
    course_dir, wrong_keys = cohort
    assert main(["grade", "--course", str(course_dir), "--keys", str(wrong_keys), "--quiet"]) == 0
    items = _items(course_dir, tmp_path / "wrong")
    checked = items[items.check_key.astype(bool)]
    assert list(checked.item) == [WRONG]
    assert checked.iloc[0].discrimination < 0
    page = (tmp_path / "wrong" / "report.html").read_text()
    assert WRONG in page and "heck the key" in page


def test_with_the_right_keys_no_key_is_questioned(cohort, tmp_path):
    course_dir, _ = cohort
    assert main(["grade", "--course", str(course_dir), "--quiet"]) == 0  # keys changed: regrade
    items = _items(course_dir, tmp_path / "right")
    assert not items.check_key.astype(bool).any()
    fc = items.set_index("item").loc[WRONG]
    assert fc.discrimination > 0.2
    first = sorted((course_dir / "autograded").glob(f"*/{ASSIGNMENT}/peaceops-grading.json"))[0]
    report = json.loads(first.read_text())
    assert report["results"]["mlt-roles-matching"]["kind"] == "role_matching"
