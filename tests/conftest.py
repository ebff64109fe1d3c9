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


@pytest.fixture(scope="session")
def built_book(tmp_path_factory, course_dir_factory) -> Path:
    """`jupyter-book build . -W -n --keep-going` in a copy of the repository, once per
    session (the strict-build test and the browser tests share it); returns the copy."""
    import os
    import subprocess
    import sys

    build = course_dir_factory(tmp_path_factory.mktemp("book") / "peaceops")
    result = subprocess.run(
        [str(Path(sys.executable).with_name("jupyter-book")), "build", ".", "-W", "-n",
         "--keep-going"],
        cwd=build,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return build
