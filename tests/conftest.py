import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE_TEXTS = ROOT.parent / "shared" / "source-texts"


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of data/ to corrupt."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


@pytest.fixture(scope="session")
def course_dir_factory():
    """Make a copy of the course directory at a given path."""
    from tests.grading.conftest import copy_course

    return copy_course
