"""`nbgrader collect` that believes the file system, not the submitter, about who submitted.

nbgrader's exchange names an inbound submission `<student>+<assignment>+<time>+<random>` from
whatever `--student` the submitter passed, and the inbound folder is writable by everyone:
`nbgrader submit --student=<victim>` would spend the victim's attempts. Stock collect only
warns when the folder's Unix owner is not the claimed student and collects it anyway.
`OwnerCheckedCollect` refuses such a submission (a warning names the folder, the claimed id
and the owner) and collects each student's latest submission that they own.

On a hub with a Unix user per learner (LocalProcessSpawner) the owner is the author. Where
every server runs as one Unix user (one `jovyan` uid on Kubernetes, SimpleLocalProcessSpawner)
the owner says nothing: set `c.ExchangeCollect.check_owner = False` there (the exchange then
cannot prove identity). `owner_ids` maps Unix user names that differ from student ids;
`trusted_owners` (an instructor trying the workflow) may submit under any id.

Configure it with `c.ExchangeFactory.collect = "peaceops.grading.exchange.OwnerCheckedCollect"`.

The exam's server clock (`grading.session`): `RecordedRelease` makes a folder in the
exchange where learners can write but not read (like nbgrader's inbound), `RecordedFetch`
and `RecordedFetchFeedback` leave an empty record there each time a learner fetches the
assignment or its feedback, and `OwnerCheckedCollect` appends to `peaceops-sessions.jsonl`,
per collected submission, when it was received and when its learner fetched (ctimes: the
server's clock, which no user can set back).
"""

from __future__ import annotations

import os
import pwd
import uuid
from datetime import UTC, datetime
from pathlib import Path

from nbgrader.exchange.default.collect import ExchangeCollect
from nbgrader.exchange.default.fetch_assignment import ExchangeFetchAssignment
from nbgrader.exchange.default.fetch_feedback import ExchangeFetchFeedback
from nbgrader.exchange.default.release_assignment import ExchangeReleaseAssignment
from nbgrader.utils import get_username
from traitlets import Dict, List, Unicode

from .attempts import submission_digest
from .intake import read_submission
from .session import SessionLog, ctime

__all__ = ["OwnerCheckedCollect", "RecordedFetch", "RecordedFetchFeedback", "RecordedRelease"]

#: The exchange folder (beside inbound/) of the learners' fetch records.
FETCHED = "peaceops-fetched"


def _fetched_folder(root: str, course_id: str) -> str:
    return os.path.join(root, course_id, FETCHED)


class RecordedRelease(ExchangeReleaseAssignment):
    """`nbgrader release_assignment`, which also makes the fetch records' folder: learners
    may add a record, not read or list the others' (mode 1733, as inbound/)."""

    def copy_files(self):
        super().copy_files()
        folder = _fetched_folder(self.root, self.coursedir.course_id)
        try:
            os.makedirs(folder, exist_ok=True)
            os.chmod(folder, 0o1733)
        except OSError as exc:  # made by another instructor: theirs stays as it is
            self.log.warning("Could not prepare %s for the learners' fetch records (%s)",
                             folder, exc)


def _record_fetch(exchange, student: str) -> None:
    """Leave the record of a fetch (its ctime is the server's time of the fetch)."""
    folder = _fetched_folder(exchange.root, exchange.coursedir.course_id)
    name = f"{student}+{exchange.coursedir.assignment_id}+{uuid.uuid4().hex}"
    try:
        with open(os.path.join(folder, name), "x"):
            pass
    except OSError as exc:
        exchange.log.warning("Could not record the time of this fetch (%s): an exam with a "
                             "time limit may not be certified; tell your instructor", exc)


class RecordedFetch(ExchangeFetchAssignment):
    """`nbgrader fetch_assignment`, recording the fetch's time in the exchange."""

    def copy_files(self):
        super().copy_files()
        student = self.coursedir.student_id
        _record_fetch(self, student if student != "*" else get_username())


class RecordedFetchFeedback(ExchangeFetchFeedback):
    """`nbgrader fetch_feedback`, recording its time (it starts the next exam attempt)."""

    def copy_files(self):
        super().copy_files()
        student = self.coursedir.student_id
        _record_fetch(self, student if student != "*" else get_username())


class OwnerCheckedCollect(ExchangeCollect):
    """Collect only submissions owned by the student they claim to come from (while
    `check_owner`, nbgrader's own switch, is on)."""

    owner_ids = Dict(
        key_trait=Unicode(), value_trait=Unicode(),
        help="Unix user name -> student id, for learners whose user name is not their id.",
    ).tag(config=True)
    trusted_owners = List(
        Unicode(),
        help="Unix users whose submissions are collected under any claimed id (for example "
             "the instructor's own test submissions).",
    ).tag(config=True)

    def owner(self, path: str) -> str:
        """The Unix user name owning `path` (its uid as text if it has no name)."""
        uid = os.stat(path, follow_symlinks=False).st_uid
        try:
            return pwd.getpwuid(uid).pw_name
        except KeyError:
            return str(uid)

    def _path_to_record(self, path):
        record = super()._path_to_record(path)
        record["refused"] = self._refusal(path, record["username"])
        if record["refused"]:
            self.log.warning(record["refused"])
        return record

    def _refusal(self, path: str, claimed: str) -> str:
        """Why the submission at `path` must not be collected as `claimed`'s ('' if it may)."""
        if not self.check_owner:
            return ""
        owner = self.owner(path)
        if owner in self.trusted_owners or self.owner_ids.get(owner, owner) == claimed:
            return ""
        return (f"Not collecting {path}: it claims to be submitted by '{claimed}' but is owned "
                f"by the Unix user '{owner}'. Someone may have submitted under another "
                "learner's id; the submission stays in the exchange. If Unix users are not "
                "learners here, see c.ExchangeCollect.check_owner, "
                "c.OwnerCheckedCollect.owner_ids and trusted_owners.")

    def _sort_by_timestamp(self, records):
        """Latest first, the submissions the claimed student owns before any other: nbgrader
        takes the first, so a forged later submission never hides the student's own."""
        return sorted(records, key=lambda r: (not r["refused"], r["timestamp"]), reverse=True)

    def do_copy(self, src, dest):
        """Copy a submission, then log its server times (`grading.session`)."""
        super().do_copy(src, dest)
        student, assignment = Path(dest).parent.name, self.coursedir.assignment_id
        intake = read_submission(Path(dest), assignment)
        folder = _fetched_folder(self.root, self.coursedir.course_id)
        fetched = []
        if os.path.isdir(folder):
            for name in os.listdir(folder):
                path = os.path.join(folder, name)
                if name.startswith(f"{student}+{assignment}+") and not self._refusal(path, student):
                    fetched.append(datetime.fromtimestamp(os.lstat(path).st_ctime, UTC))
        SessionLog.of(self.coursedir.root).record(
            student, assignment, submission_digest(intake.answers, intake.notebook),
            ctime(src), fetched)

    def copy_files(self):
        self.src_records = [r for r in self.src_records if not r["refused"]]
        check_owner, self.check_owner = self.check_owner, False  # checked above: no 2nd warning
        try:
            super().copy_files()
        finally:
            self.check_owner = check_owner
