"""The CSV tables are read without pandas (`Rows`), and give the same DataFrames pandas
reads; a malformed file is reported, naming it."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from peaceops.content import ContentError, load_course
from peaceops.content.csv_tables import read_tables
from peaceops.content.schema import TABLES
from tests.conftest import ROOT


def _pandas(path) -> pd.DataFrame:
    """How the loader read a table before (pandas), stripped."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, skipinitialspace=True)
    return frame.map(lambda v: v.strip() if isinstance(v, str) else v)


def test_every_table_is_the_dataframe_pandas_reads():
    course = load_course(ROOT / "data", cache=False)
    for table in TABLES:
        expected = _pandas(ROOT / "data" / table.filename)
        pd.testing.assert_frame_equal(course.tables[table.name], expected)
        assert getattr(course, table.name) is course.tables[table.name]
        assert list(course.rows[table.name][table.key]) == list(expected[table.key])


def test_a_doctored_table_is_not_the_same_dataframe(tmp_path):
    """The other direction: the comparison sees one changed value."""
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "roles.csv"
    path.write_text(path.read_text().replace("Chief of Staff", "Chief of Stuff"))
    issues = []
    rows = read_tables(data, issues)["roles"]
    with pytest.raises(AssertionError):
        pd.testing.assert_frame_equal(rows.frame(), _pandas(ROOT / "data" / "roles.csv"))


def test_blank_lines_and_padding_are_read_as_pandas_would(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "roles.csv"
    path.write_text("\ufeff" + path.read_text().replace("\n", "\n\n", 1) + "\n\n")
    issues = []
    rows = read_tables(data, issues)["roles"]
    assert issues == []
    pd.testing.assert_frame_equal(rows.frame(), _pandas(ROOT / "data" / "roles.csv"))


def test_a_row_with_too_many_fields_is_reported_naming_the_file(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    path = data / "lessons.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines[:2], lines[2] + ",extra", *lines[3:]]) + "\n")
    with pytest.raises(ContentError) as error:
        load_course(data, cache=False)
    (issue,) = [i for i in error.value.issues if i.file == "data/lessons.csv"]
    assert "not valid CSV" in issue.message and "line 3 has 4 fields" in issue.message
