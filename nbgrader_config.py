"""nbgrader configuration: this repository is the course directory.

Grading is trusted: autograde does not execute the learner's notebook. TrustedGrade
rebuilds it from the release and scores each exercise from peaceops-answers.json;
FlagForReview marks submissions that could not be graded cleanly for the instructor.

Instructor commands are safe without activating the environment, and never lose the
committed release: see `_find_tools_of_this_environment` and `_guard_the_release`.
"""

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = "peaceops"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
#: Never copied by generate_assignment, release, fetch, submit or collect. The learner's
#: answers file (peaceops-answers.json) must travel through the exchange (it is what is
#: graded), so only the backups of unreadable answers files and a save's temporary and lock
#: files are left out here; generate_assignment and release_assignment keep an instructor's
#: own answers file out of the release (`_keep_answers_out_of_the_release` below).
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "peaceops-answers.unreadable-*",
    ".peaceops-answers.json.*",  # a save's temporary file
    "peaceops-answers.json.lock",
    "peaceops-grading.json",
]

# `nbgrader collect` refuses a submission whose Unix owner is not the learner it claims to be
# from (`nbgrader submit --student=<victim>` would spend the victim's attempts). Where every
# learner's server runs as one Unix user, the owner proves nothing: set
# `c.ExchangeCollect.check_owner = False` (README, "Running a cohort on JupyterHub").
c.ExchangeFactory.collect = "peaceops.grading.exchange.OwnerCheckedCollect"
# The exam's server clock (window, time limit): releases make the folder of fetch records,
# fetches record their time, collect logs each submission's (peaceops.grading.session).
c.ExchangeFactory.release_assignment = "peaceops.grading.exchange.RecordedRelease"
c.ExchangeFactory.fetch_assignment = "peaceops.grading.exchange.RecordedFetch"
c.ExchangeFactory.fetch_feedback = "peaceops.grading.exchange.RecordedFetchFeedback"

# On a hub the gradebook is a PostgreSQL database (README, "Running a cohort on
# JupyterHub"); peaceops reads the same setting.
if os.environ.get("PEACEOPS_GRADEBOOK_URL"):
    c.CourseDirectory.db_url = os.environ["PEACEOPS_GRADEBOOK_URL"]

# Named by import path (nbconvert imports each when autograde registers it): every
# `peaceops` verb reads this file for the gradebook's URL, and importing nbgrader's
# preprocessors here would cost each of them 1-2 s of start-up.
c.Autograde.autograde_preprocessors = [
    "peaceops.grading.nbgrader.DropLinkedFiles",  # removes copies of a submission's links' targets
    "peaceops.grading.nbgrader.TrustedGrade",  # replaces Execute: nothing of it runs
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "peaceops.grading.nbgrader.FlagForReview",  # flagged submissions need review
    "nbgrader.preprocessors.AssignLatePenalties",
    "peaceops.grading.nbgrader.RecordAttempt",  # each new submission is an attempt
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.ClearMetadataPreprocessor.enabled = True
c.ClearMetadataPreprocessor.preserve_cell_metadata_mask = [("nbgrader")]
c.ClearMetadataPreprocessor.preserve_nb_metadata_mask = [("language_info", "name"), ("kernelspec",),
                                                         ("peaceops",)]

# Feedback pages: nbgrader's template without MathJax from a CDN, and for the certification
# exam no score of one cell (src/peaceops/grading/templates/peaceops_feedback/index.html.j2).
# Only `nbgrader generate_feedback` uses it: formgrader's "Generate feedback" button forces
# nbgrader's own template, which shows each cell's score: use the command for the exam.
if len(sys.argv) > 1 and sys.argv[1] == "generate_feedback":
    from importlib.util import find_spec

    c.HTMLExporter.template_name = "peaceops_feedback"
    c.HTMLExporter.template_file = "peaceops_feedback.html.j2"
    c.HTMLExporter.extra_template_basedirs = [
        os.path.join(find_spec("peaceops").submodule_search_locations[0], "grading", "templates"),
        os.path.join(find_spec("nbgrader").submodule_search_locations[0], "server_extensions",
                     "formgrader", "templates"),
    ]


# -- instructor commands: safe without activation, never losing the release ---------------

COURSE_ROOT = Path(__file__).resolve().parent


def _find_tools_of_this_environment() -> None:
    """nbgrader runs `alembic` (and others) from PATH: put the bin folder of the interpreter
    running nbgrader first, so that `.venv/bin/nbgrader ...` works without activation."""
    bin_dir = os.path.dirname(sys.executable)
    parts = os.environ.get("PATH", "").split(os.pathsep)
    if parts[:1] != [bin_dir]:
        os.environ["PATH"] = os.pathsep.join([bin_dir, *(p for p in parts if p != bin_dir)])


def _running(*commands: str) -> bool:
    """Whether this process is `nbgrader <one of commands> ...`."""
    return len(sys.argv) > 1 and sys.argv[1] in commands


def _gradebook_url() -> str:
    """The gradebook the command will use: --db / --CourseDirectory.db_url on its command
    line, else this configuration's (PEACEOPS_GRADEBOOK_URL), else nbgrader's default."""
    for arg in sys.argv[2:]:
        for option in ("--db=", "--CourseDirectory.db_url="):
            if arg.startswith(option):
                return arg[len(option):]
    if "db_url" in c.CourseDirectory:
        return c.CourseDirectory.db_url
    return f"sqlite:///{COURSE_ROOT / 'gradebook.db'}"


def _guard_the_release() -> None:
    """`nbgrader generate_assignment --force` deletes the release folder *before* it opens
    the gradebook and converts, and deletes the half-written one on failure. So: open the
    gradebook first (a broken database or tool stops the command before anything is
    deleted), keep a copy of the release, and put back at exit every assignment folder that
    the command removed and did not write again."""
    if getattr(sys, "_peaceops_release_guarded", False):  # the config is read more than once
        return
    sys._peaceops_release_guarded = True
    from nbgrader.api import Gradebook

    url = _gradebook_url()
    try:
        with Gradebook(url, "peaceops"):
            pass
    except Exception as exc:  # noqa: BLE001 (any failure: stop before deleting anything)
        print(f"[peaceops] the gradebook {url} cannot be opened "
              f"({type(exc).__name__}: {exc}); nothing was changed. Fix it (`nbgrader db "
              "upgrade`, or move a broken gradebook.db aside), then run the command again.",
              file=sys.stderr)
        raise SystemExit(1) from exc
    release = COURSE_ROOT / c.CourseDirectory.release_directory
    if not release.is_dir():
        return
    backup = Path(tempfile.mkdtemp(prefix="peaceops-release-"))
    shutil.copytree(release, backup / "exercises")

    def restore() -> None:
        for folder in (backup / "exercises").iterdir():
            target = release / folder.name
            if folder.is_dir() and not target.exists():
                shutil.copytree(folder, target)
                print(f"[peaceops] generate_assignment failed: restored {target} as it was.",
                      file=sys.stderr)
        shutil.rmtree(backup, ignore_errors=True)

    atexit.register(restore)


def _keep_answers_out_of_the_release() -> None:
    """An instructor who tried a notebook of solutions/ or exercises/ has a
    peaceops-answers.json beside it: generate_assignment and release_assignment must not copy
    it to learners (submit and collect must copy the learners' own)."""
    c.CourseDirectory.ignore = [*c.CourseDirectory.ignore, "peaceops-answers.json"]


_find_tools_of_this_environment()
if _running("generate_assignment"):
    _guard_the_release()
if _running("generate_assignment", "release_assignment"):
    _keep_answers_out_of_the_release()

# `nbgrader autograde` holds the course's grading lock (as `peaceops grade` does) from here
# to the end of its process, however it ends: it waits while another grader runs.
# A killed `nbgrader autograde` leaves a half-written autograded/ folder, which nbgrader would
# skip as done on the next run (even one holding the sanitized, ungraded notebook): each
# folder is marked while autograde writes it (the pre- and post-convert hooks), and a folder
# still marked, or without its complete notebook, is removed here so it is graded again.
if _running("autograde"):
    import functools

    from peaceops.content import CourseDir
    from peaceops.grading.lock import hold_until_exit
    from peaceops.grading.nbgrader import begin_autograde, end_autograde, remove_half_graded

    hold_until_exit(COURSE_ROOT, on_wait=lambda message: print(f"[peaceops] {message}",
                                                               file=sys.stderr, flush=True))
    _course = CourseDir.resolve(COURSE_ROOT, config=c)  # the folders this file names
    c.Autograde.pre_convert_hook = functools.partial(begin_autograde, _course)
    c.Autograde.post_convert_hook = functools.partial(end_autograde, _course)

    for _folder in remove_half_graded(_course):
        print(f"[peaceops] regrading the half-graded {_folder}", file=sys.stderr)
