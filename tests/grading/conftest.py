"""Fixtures of the grading tests (the factories themselves are in `tests.factories`)."""

from pathlib import Path

import pytest

from tests.factories import copy_course


@pytest.fixture(scope="session")
def course_dir(tmp_path_factory) -> Path:
    """A copy of the course, for the nbgrader end-to-end tests."""
    return copy_course(tmp_path_factory.mktemp("course") / "peaceops")
