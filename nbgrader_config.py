"""nbgrader configuration: this repository is the course directory.

Grading is trusted: autograde does not execute the learner's notebook. TrustedGrade
rebuilds it from the release and scores each exercise from peaceops-answers.json;
FlagForReview marks submissions that could not be graded cleanly for the instructor.
"""

import os

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    LimitOutput,
    SaveAutoGrades,
)

from peaceops.grading.nbgrader import FlagForReview, RecordAttempt, TrustedGrade

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = "peaceops"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "peaceops-answers.unreadable-*.json",  # the learner's answers file itself is submitted
    ".peaceops-answers.json.*",
    "peaceops-grading.json",
]

# On a hub the gradebook is a PostgreSQL database (README, "Running a cohort on
# JupyterHub"); peaceops reads the same setting.
if os.environ.get("PEACEOPS_GRADEBOOK_URL"):
    c.CourseDirectory.db_url = os.environ["PEACEOPS_GRADEBOOK_URL"]

c.Autograde.autograde_preprocessors = [
    TrustedGrade,  # replaces Execute: nothing of the submission runs
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    FlagForReview,  # flagged submissions need the instructor's review
    AssignLatePenalties,
    RecordAttempt,  # each new submission time is an attempt (peaceops-attempts.jsonl)
    CheckCellMetadata,
]
c.ClearMetadataPreprocessor.enabled = True
c.ClearMetadataPreprocessor.preserve_cell_metadata_mask = [("nbgrader")]
c.ClearMetadataPreprocessor.preserve_nb_metadata_mask = [("language_info", "name"), ("kernelspec",)]
