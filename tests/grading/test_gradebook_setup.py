"""Where the gradebook is (nbgrader's CourseDirectory.db_url, or --db-url), the indexes
peaceops adds to it, and the course-level grading lock."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time
import uuid

import pytest
from nbgrader.api import Gradebook
from nbgrader.api import new_uuid as nbgrader_new_uuid
from sqlalchemy import create_engine, inspect

from peaceops.cli import parser
from peaceops.content import CourseDir
from peaceops.content.course_config import course_config
from peaceops.grading import gradebook
from peaceops.grading.cohort import CohortGrader
from peaceops.grading.gradebook import INDEXES, ensure_indexes
from peaceops.grading.lock import GraderBusy, grader_lock
from peaceops.results.tables import sqlite_file
from tests.conftest import ROOT
from tests.factories import BIN


def _indexes(url: str) -> set[str]:
    inspector = inspect(create_engine(url))
    return {ix["name"] for table in ("grade", "comment", "submitted_notebook")
            for ix in inspector.get_indexes(table)}


def test_the_gradebook_url_comes_from_nbgrader_config_unless_given(tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    assert CourseDir.resolve(plain).gradebook_url == f"sqlite:///{plain / 'gradebook.db'}"
    hub = tmp_path / "hub"
    hub.mkdir()
    (hub / "nbgrader_config.py").write_text(
        'c = get_config()\nc.CourseDirectory.db_url = "postgresql://grader@db/peaceops"\n')
    course_config.cache_clear()
    assert CourseDir.resolve(hub).gradebook_url == "postgresql://grader@db/peaceops"
    assert CourseDir.resolve(hub, db_url="sqlite:////x.db").gradebook_url == "sqlite:////x.db"
    args = parser().parse_args(["report", "--course", str(hub), "--db-url", "sqlite:////y.db"])
    assert CourseDir.from_args(args).gradebook_url == "sqlite:////y.db"
    assert sqlite_file(CourseDir.resolve(hub).gradebook_url) is None
    assert sqlite_file(CourseDir.resolve(plain).gradebook_url) == plain / "gradebook.db"


def test_only_the_verbs_that_read_a_gradebook_take_db_url():
    for verb in ("grade", "report", "export", "certify"):
        assert parser().parse_args([verb, "--db-url", "sqlite:////z.db"]).db_url
    with pytest.raises(SystemExit):
        parser().parse_args(["progress", "--db-url", "sqlite:////z.db"])


@pytest.mark.slow
def test_indexes_are_created_once_and_survive_nbgrader_db_upgrade(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", f"{BIN}:{os.environ.get('PATH', '')}")  # nbgrader runs alembic
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url, "peaceops") as gradebook:
        assert not {n for n, _, _ in INDEXES} & _indexes(url)
        ensure_indexes(gradebook)
        ensure_indexes(gradebook)  # idempotent
    assert {n for n, _, _ in INDEXES} <= _indexes(url)
    (tmp_path / "nbgrader_config.py").write_text(
        f'c = get_config()\nc.CourseDirectory.db_url = "{url}"\n')
    result = subprocess.run([f"{BIN}/nbgrader", "db", "upgrade"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=300,
                            env={"PATH": BIN, "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert {n for n, _, _ in INDEXES} <= _indexes(url)
    with Gradebook(url, "peaceops") as gradebook:
        ensure_indexes(gradebook)
        gradebook.add_student("after-upgrade")


def test_the_grader_lock_makes_a_second_grader_wait_or_refuse(tmp_path):
    with grader_lock(tmp_path):
        with pytest.raises(GraderBusy, match="another grader is grading this course"):
            with grader_lock(tmp_path, wait=False):
                pass
        with pytest.raises(GraderBusy, match="gave up waiting"):
            with grader_lock(tmp_path, timeout=0.3):
                pass
    # the other direction: once released, a waiting grader gets it
    told, got = [], []
    first = grader_lock(tmp_path)
    first.__enter__()

    def second() -> None:
        with grader_lock(tmp_path, on_wait=told.append):
            got.append(time.monotonic())

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(0.5)
    assert not got and told and "Waiting for the grader" in told[0]
    first.__exit__(None, None, None)
    thread.join(10)
    assert got


def test_new_rows_get_uuid7_ids_in_creation_order(monkeypatch):
    """The ids peaceops gives gradebook rows have nbgrader's form (32 hex digits, a UUID)
    and sort in creation order, within one millisecond and across a clock set back, so
    that inserts fill an index's last pages; they stay unique across writers."""
    clock = iter([5_000_000_000, 5_000_000_000, 5_001_000_000, 4_000_000_000,
                  *[6_000_000_000] * 5001])
    monkeypatch.setattr(gradebook.time, "time_ns", lambda: next(clock))
    made = gradebook.OrderedIds()
    ids = [made() for _ in range(5004)]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    for value in ids:
        parsed = uuid.UUID(hex=value)
        assert len(value) == 32 and parsed.hex == value
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert uuid.UUID(hex=ids[0]).int >> 80 == 5000  # the milliseconds come first
    assert uuid.UUID(hex=ids[3]).int >> 80 == 5001  # a clock set back counts on
    assert uuid.UUID(hex=ids[-1]).int >> 80 == 6000
    made.counter = (1 << 42) - 1  # a full counter borrows the next millisecond
    after = made()
    assert after > ids[-1] and uuid.UUID(hex=after).int >> 80 == 6001
    other = gradebook.OrderedIds()  # another writer in the same millisecond
    monkeypatch.setattr(gradebook.time, "time_ns", lambda: 6_000_000_000)
    assert not {other() for _ in range(1000)} & set(ids)
    assert uuid.UUID(hex=nbgrader_new_uuid()).version == 4  # nbgrader's are random


def test_the_grader_uses_the_same_configuration_as_autograde(tmp_path):
    """Output limits and metadata masks of `peaceops grade` are those of the course's
    nbgrader configuration (it was read a second time, by the grader, before)."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "solutions" / "keys", tmp_path / "solutions" / "keys")
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    assert CohortGrader(CourseDir.resolve(tmp_path)).limit_output.max_lines == 1000  # nbgrader's
    with (tmp_path / "nbgrader_config.py").open("a") as config:
        config.write("\nc.LimitOutput.max_lines = 7\n")
    course_config.cache_clear()
    assert CohortGrader(CourseDir.resolve(tmp_path)).limit_output.max_lines == 7
