"""Learner data (answers, gradebook, grades, reports, exports, certificates) is ignored by
git by default, and the course's own files are not."""

import shutil
import subprocess

import pytest

from tests.conftest import ROOT

LEARNER_DATA = [
    "grades.csv",
    "roster.csv",
    "gradebook.db",
    "submitted/amina/mlt-roles/peaceops-answers.json",
    "autograded/amina/mlt-roles/mlt-roles.ipynb",
    "feedback/amina/mlt-roles/mlt-roles.html",
    "downloaded/mlt-roles/archive/amina_mlt-roles.ipynb",
    "reports/report.html",
    "reports/scores.csv",
    "exports/canvas-grades.csv",
    "exports/moodle-grades.csv",
    "certificates/issued.csv",
    "certificates/2026.1/amina.pdf",
    "certificates/2026.1/amina.json",
    "peaceops-attempts.jsonl",
    "peaceops-attempts.jsonl.lock",
    "peaceops-sessions.jsonl",
    "peaceops-grading.json",
    "exercises/mlt-roles/peaceops-answers.json",
    "exercises/mlt-roles/peaceops-answers.json.lock",
    "exercises/mlt-roles/peaceops-answers.unreadable-20261122T100000000000.json",
    "book/peaceops-practice.json",
    ".nbgrader.log",
]
COURSE_FILES = [
    "README.md",
    "nbgrader_config.py",
    "data/responsibilities.csv",
    "data/bank.yaml",
    "exercises/mlt-roles/mlt-roles.ipynb",
    "solutions/mlt-roles/mlt-roles.ipynb",
    "solutions/keys/bank-keys.yaml",
    "solutions/keys/i18n/fr/bank-keys.yaml",
    "public-keys/revoked.json",
    "book/mlt.md",
    "benchmarks/grade_cohort.py",
]


def ignored(paths: list[str], tmp_path) -> set[str]:
    """Which of `paths` git ignores under the repository's .gitignore (in a scratch repo)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    shutil.copy(ROOT / ".gitignore", tmp_path / ".gitignore")
    result = subprocess.run(["git", "check-ignore", "--no-index", "--stdin"], cwd=tmp_path,
                            input="\n".join(paths), capture_output=True, text=True)
    return set(result.stdout.split())


def test_learner_data_is_ignored(tmp_path):
    assert ignored(LEARNER_DATA, tmp_path) == set(LEARNER_DATA)


def test_the_course_files_are_not_ignored(tmp_path):
    assert ignored(COURSE_FILES, tmp_path) == set()


def test_no_committed_file_is_ignored():
    """Nothing tracked matches the ignore rules (they would hide its changes)."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git work tree")
    result = subprocess.run(["git", "ls-files", "-ci", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    assert result.stdout == ""
