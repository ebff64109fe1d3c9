"""Who the learner is, set once and never typed per exercise.

The learner id decides which items each drawn exercise gives, and the grader recomputes the
same draw from the nbgrader student id the notebook is submitted under: the two must agree.
In order, the learner id is

1. `$JUPYTERHUB_USER` on a hub, or `$PEACEOPS_LEARNER` if set;
2. the id set once with `peaceops learner set ID` in the learner's course folder
   (`peaceops-learner.json`, found from the notebook's folder upwards). The same command
   writes the folder's `nbgrader_config.py` with `c.CourseDirectory.student_id = ID`, so
   `nbgrader fetch_assignment`, `submit` and `fetch_feedback` run there use the same id;
3. an id already saved in the answers file;
4. otherwise nbgrader's own student id: the OS user name (what `nbgrader submit` uses).

The submitting student is what `nbgrader submit`, run in the course folder, will use:
the set id, else `$PEACEOPS_STUDENT_ID` (the hub's configuration), else the OS user name.
A learner id that differs from it is caught at the first save (`mismatch`).
"""

from __future__ import annotations

import getpass
import json
import os
import re
from pathlib import Path

from ..content.messages import _

LEARNER_FILE = "peaceops-learner.json"
LEARNER_VARIABLES = ("JUPYTERHUB_USER", "PEACEOPS_LEARNER")
CONFIG_MARK = "# written by `peaceops learner set`"
VALID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,127}")


def nbgrader_student() -> str:
    """The student id `nbgrader submit` uses when none is configured (nbgrader.utils.
    get_username: the OS user, or $JUPYTERHUB_USER for "jovyan"), or $PEACEOPS_STUDENT_ID,
    which the hub's nbgrader configuration passes as c.CourseDirectory.student_id."""
    if explicit := os.environ.get("PEACEOPS_STUDENT_ID", "").strip():
        return explicit
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no user name (an odd container): nothing to compare with
        return ""
    return os.environ.get("JUPYTERHUB_USER", "jovyan") if name == "jovyan" else name


def set_learner_file(folder: Path | str) -> tuple[str, Path] | None:
    """The id set with `peaceops learner set` for `folder` (it or a folder above), and
    the file it is in; None if none is set."""
    start = Path(folder).resolve()
    for place in (start, *start.parents):
        path = place / LEARNER_FILE
        if path.is_file():
            try:
                learner = json.loads(path.read_text(encoding="utf-8")).get("learner", "")
            except (OSError, ValueError, AttributeError):
                continue
            if isinstance(learner, str) and VALID.fullmatch(learner):
                return learner, path
    return None


def resolve(folder: Path | str = ".", saved: str = "") -> str:
    """The learner id for a notebook in `folder` (order in the module docstring); `saved` is
    the id already in its answers file."""
    for name in LEARNER_VARIABLES:
        if value := os.environ.get(name, "").strip():
            return value
    if found := set_learner_file(folder):
        return found[0]
    return saved or nbgrader_student()


def submitting_student(folder: Path | str = ".") -> str:
    """The student id the notebook in `folder` will be submitted under by nbgrader."""
    if found := set_learner_file(folder):
        return found[0]
    return nbgrader_student()


def mismatch(learner: str, folder: Path | str = ".", saved: str = "") -> str:
    """"" if `learner` is who will submit the notebook in `folder` (and whose answers the
    file holds, `saved`); else what is wrong and how to fix it, for the learner."""
    if saved and saved != learner:
        return _("⚠ This folder's answers file belongs to learner '{saved}', but you are "
                 "'{learner}'. Fetch the assignment into your own course folder: answers "
                 "saved here would be graded for the wrong learner.").format(
            saved=saved, learner=learner)
    submitter = submitting_student(folder)
    if submitter and submitter != learner:
        return _("⚠ Your answers are saved for learner id '{learner}', but nbgrader will "
                 "submit this notebook as '{submitter}', and the grader draws your items "
                 "from that id: they would not match. In your course folder run `peaceops "
                 "learner set {learner}` (or the id your instructor gave you), then restart "
                 "the kernel and answer again.").format(learner=learner, submitter=submitter)
    return ""


def set_learner(folder: Path | str, learner: str) -> list[Path]:
    """`peaceops learner set`: record `learner` for the course folder `folder` and make
    nbgrader submit from it under the same id. Returns the files written."""
    learner = learner.strip()
    if not VALID.fullmatch(learner):
        raise ValueError(
            f"'{learner}' is not a usable learner id: use letters, digits and . _ @ - only "
            "(nbgrader refuses * and +), starting with a letter or digit, as your instructor "
            "gave it.")
    folder = Path(folder)
    config = folder / "nbgrader_config.py"
    if config.exists() and CONFIG_MARK not in config.read_text(encoding="utf-8"):
        raise ValueError(
            f"{config} exists and was not written by `peaceops learner set` (is {folder} the "
            "instructor's course directory?): run the command in your own course folder, "
            "where you fetch assignments, or add `c.CourseDirectory.student_id = "
            f"{learner!r}` to that file yourself.")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / LEARNER_FILE).write_text(json.dumps({"learner": learner}) + "\n", encoding="utf-8")
    config.write_text(
        f"{CONFIG_MARK}: nbgrader fetches, submits and fetches feedback from this folder under\n"
        "# the learner id the course's exercises use. Change it with that command.\n"
        f"c = get_config()  # noqa: F821\nc.CourseDirectory.student_id = {learner!r}\n",
        encoding="utf-8")
    return [folder / LEARNER_FILE, config]
