"""Certificates' test factories, shared by tests/certify and tests/credentials (each conftest
imports the fixtures): fabricated cohort results (`cohort`), a key pair in a temporary
folder, the real configuration, and a course with certificates issued."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from peaceops.content import load_certification, load_course
from peaceops.credentials import init_keys, load_private_key
from peaceops.results import (
    ATTEMPT_COLUMNS,
    ITEM_COLUMNS,
    STUDENT_COLUMNS,
    SUBMISSION_COLUMNS,
    Results,
)

EXAM = "certification-exam"
LESSONS = ["mlt-roles", "principles-politics", "rights-wps-conduct", "polarities"]
NAMES = {
    "amina": ("Amina", "Diallo"),
    "bo": ("Bo", "Lindqvist"),
    "chen": ("Chen", "Wei"),
    "dara": ("Dara", "Ó Súilleabháin"),
}


def cohort(
    exams: dict[str, list[float]],
    lessons: dict[str, list[str]] | None = None,
    review: dict[str, dict] | None = None,
    names: dict | None = None,
    max_score: float = 20.0,
) -> Results:
    """Results where learner -> exam scores by attempt (attempt 1 first), every learner has
    submitted every lesson-group assignment unless `lessons` says which, and `review` sets
    the exam submission's needs_manual_grade/flagged/flags."""
    names = NAMES if names is None else names
    lessons = lessons or {}
    review = review or {}
    subs, attempts = [], []
    for student in sorted(set(exams) | set(lessons)):
        for assignment in lessons.get(student, LESSONS):
            subs.append([student, assignment, 10.0, 10.0, "2026-11-01T10:00:00", False, False, ""])
        scores = exams.get(student, [])
        for n, score in enumerate(scores, start=1):
            attempts.append([student, EXAM, n, f"2026-11-0{n}T10:00:00", score, max_score])
        if scores:
            flags = review.get(student, {})
            subs.append(
                [
                    student,
                    EXAM,
                    scores[-1],
                    max_score,
                    "2026-11-05T10:00:00",
                    flags.get("needs_manual_grade", False),
                    flags.get("flagged", False),
                    flags.get("flags", ""),
                ]
            )
    students = [[s, *names.get(s, ("", "")), "", ""] for s in sorted(set(exams) | set(lessons))]
    return Results(
        pd.DataFrame(subs, columns=SUBMISSION_COLUMNS),
        pd.DataFrame([], columns=ITEM_COLUMNS),
        pd.DataFrame(attempts, columns=ATTEMPT_COLUMNS),
        pd.DataFrame(students, columns=STUDENT_COLUMNS),
        load_course().assignments,
    )


#: The issued course's roster (`nbgrader db student import` columns and the language): chen's
#: certificate is French, amina's English (the language given), dara's English (the default).
ROSTER = """id,first_name,last_name,email,language
amina,Amina,Diallo,,en
chen,Chen,Wei,,fr
dara,Dara,Ó Súilleabháin,,
"""


@pytest.fixture(scope="session")
def certification():
    return load_certification()


@pytest.fixture
def keypair(tmp_path: Path):
    """(private key, public-keys folder) made by `init_keys` under tmp_path."""
    files = init_keys(tmp_path / "private", tmp_path / "public-keys")
    return load_private_key(files.private), tmp_path / "public-keys"


@pytest.fixture(scope="session")
def _issued_once(tmp_path_factory, certification) -> tuple[Path, Path]:
    """`keys init` and `certify` for amina (16/20), dara (18/20) and chen (20/20, in French:
    the roster's language column), done once per session (issuing draws three PDFs):
    (folder, private key file)."""
    from peaceops.certify import issue_certificates
    from peaceops.certify.languages import read_roster
    from peaceops.credentials.publish import publish

    folder = tmp_path_factory.mktemp("issued")
    course = folder / "course"
    files = init_keys(folder / "private", course / "public-keys")
    key = load_private_key(files.private)
    publish(course / "public-keys", key)
    results = cohort({"amina": [16], "dara": [18], "chen": [20]})
    roster = course / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    report = issue_certificates(
        results, certification, key, course / "certificates", None, course / "public-keys",
        languages=read_roster(roster),
    )
    assert len(report.issued) == 3, report.problems
    return folder, files.private.relative_to(folder)


@pytest.fixture
def issued_course(tmp_path: Path, _issued_once):
    """A course folder after `keys init` and `certify` for amina (16/20), dara (18/20) and
    chen (20/20), a copy of its own for each test: (course dir, public-keys dir, private
    key)."""
    import shutil

    folder, private = _issued_once
    shutil.copytree(folder, tmp_path, dirs_exist_ok=True)
    course = tmp_path / "course"
    return course, course / "public-keys", load_private_key(tmp_path / private)
