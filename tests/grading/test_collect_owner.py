"""`nbgrader collect` with the course's collector (`OwnerCheckedCollect`), on real files in a
temporary exchange: a submission made under another learner's id (`nbgrader submit
--student=<victim>`) is refused, the owner's own is collected. Tests cannot create Unix
users, so the owner lookup is replaced by a table of who made each inbound folder."""

import logging
import os
import shutil
from pathlib import Path

import pytest
from nbgrader.api import Gradebook
from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory

from peaceops.grading.exchange import OwnerCheckedCollect
from tests.factories import BIN

pytestmark = pytest.mark.slow  # nbgrader's gradebook and collect on real files

ASSIGNMENT = "mlt-roles"


class Inbound:
    """A course folder and an exchange whose inbound folders are "owned" as the test says."""

    def __init__(self, base: Path, monkeypatch, gradebook: Path):
        self.course, self.root = base / "course", base / "exchange"
        self.course.mkdir()
        shutil.copy(gradebook, self.course / "gradebook.db")
        self.inbound = self.root / "peaceops" / "inbound"
        self.inbound.mkdir(parents=True)
        self.owners: dict[str, str] = {}
        monkeypatch.setattr(OwnerCheckedCollect, "owner",
                            lambda collect, path: self.owners[Path(path).name])

    def submit(self, claimed: str, owner: str, when: str, text: str) -> Path:
        """What `nbgrader submit --student=<claimed>` run by Unix user `owner` leaves."""
        folder = self.inbound / f"{claimed}+{ASSIGNMENT}+{when}+{len(self.owners)}"
        folder.mkdir()
        (folder / "timestamp.txt").write_text(when)
        (folder / "peaceops-answers.json").write_text(text)
        self.owners[folder.name] = owner
        return folder

    def collect(self, caplog, **config) -> str:
        caplog.clear()
        coursedir = CourseDirectory(root=str(self.course), course_id="peaceops",
                                    assignment_id=ASSIGNMENT)
        collector = OwnerCheckedCollect(coursedir=coursedir, authenticator=Authenticator(),
                                        root=str(self.root), log=logging.getLogger("collect"),
                                        **config)
        with caplog.at_level(logging.INFO, logger="collect"):
            collector.start()
        return caplog.text

    def collected(self, student: str) -> str | None:
        path = self.course / "submitted" / student / ASSIGNMENT / "peaceops-answers.json"
        return path.read_text() if path.exists() else None


@pytest.fixture(scope="module")
def gradebook(tmp_path_factory) -> Path:
    """An empty gradebook, made once (nbgrader runs alembic to make one)."""
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PATH", BIN + os.pathsep + os.environ.get("PATH", ""))
        Gradebook(f"sqlite:///{path}", "peaceops").close()
    return path


@pytest.fixture
def exchange(tmp_path, monkeypatch, gradebook) -> Inbound:
    return Inbound(tmp_path, monkeypatch, gradebook)


def test_a_submission_under_another_learners_id_is_refused(exchange, caplog):
    exchange.submit("amina", "amina", "2026-11-22 10:00:00.000000 UTC", "amina's own")
    forged = exchange.submit("amina", "mallory", "2026-11-22 11:00:00.000000 UTC", "forged")
    log = exchange.collect(caplog)
    assert exchange.collected("amina") == "amina's own"  # the later forgery hides nothing
    assert f"Not collecting {forged}" in log
    assert "claims to be submitted by 'amina'" in log and "Unix user 'mallory'" in log


def test_a_forgery_never_replaces_what_was_collected(exchange, caplog):
    exchange.submit("amina", "amina", "2026-11-22 10:00:00.000000 UTC", "amina's own")
    exchange.collect(caplog)
    exchange.submit("amina", "mallory", "2026-11-22 11:00:00.000000 UTC", "forged")
    log = exchange.collect(caplog, update=True)
    assert exchange.collected("amina") == "amina's own"
    assert "No newer submission to collect: amina" in log and "Unix user 'mallory'" in log


def test_only_forgeries_collect_nothing(exchange, caplog):
    exchange.submit("victim", "mallory", "2026-11-22 11:00:00.000000 UTC", "forged")
    log = exchange.collect(caplog)
    assert exchange.collected("victim") is None
    assert not (exchange.course / "submitted" / "victim").exists()
    assert "Not collecting" in log and "No submissions of 'mlt-roles'" in log


def test_a_learners_own_submission_is_collected_without_warning(exchange, caplog):
    exchange.submit("amina", "amina", "2026-11-22 10:00:00.000000 UTC", "first")
    exchange.submit("amina", "amina", "2026-11-22 12:00:00.000000 UTC", "latest")
    exchange.submit("ben", "ben", "2026-11-22 10:30:00.000000 UTC", "ben's")
    log = exchange.collect(caplog)
    assert exchange.collected("amina") == "latest" and exchange.collected("ben") == "ben's"
    assert "Not collecting" not in log and "cheating" not in log


def test_owner_ids_map_unix_names_that_differ_from_learner_ids(exchange, caplog):
    exchange.submit("amina", "jupyter-amina", "2026-11-22 10:00:00.000000 UTC", "hers")
    assert exchange.collect(caplog, owner_ids={"jupyter-amina": "amina"})
    assert exchange.collected("amina") == "hers"


def test_trusted_owners_and_a_shared_unix_user_collect_any_claimed_id(exchange, caplog):
    """Where the owner says nothing (one uid for everyone), the check is switched off; an
    instructor's own test submissions are collected when the instructor is trusted."""
    exchange.submit("test-learner", "instructor", "2026-11-22 10:00:00.000000 UTC", "trial")
    exchange.submit("amina", "jovyan", "2026-11-22 10:00:00.000000 UTC", "hers")
    log = exchange.collect(caplog, trusted_owners=["instructor"])
    assert exchange.collected("test-learner") == "trial" and exchange.collected("amina") is None
    assert "Unix user 'jovyan'" in log
    log = exchange.collect(caplog, check_owner=False)
    assert exchange.collected("amina") == "hers" and "Not collecting" not in log


def test_the_owner_is_read_from_the_file_system(tmp_path):
    import getpass

    collector = OwnerCheckedCollect()
    assert collector.owner(str(tmp_path)) == getpass.getuser()
