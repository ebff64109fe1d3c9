"""nbgrader configuration: this repository is the course directory.

Grading is trusted: autograde does not execute the learner's notebook. TrustedGrade
rebuilds it from the release and scores each exercise from peaceops-answers.json;
FlagForReview marks submissions that could not be graded cleanly for the instructor.
"""

import sys

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    LimitOutput,
    SaveAutoGrades,
)

from peaceops.grading.nbgrader import (
    FlagForReview,
    RecordAttempt,
    TrustedGrade,
    remove_half_graded,
)

c = get_config()  # noqa: F821 (provided by nbgrader)

c.CourseDirectory.course_id = "peaceops"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "feedback",
    "peaceops-answers*.json",
    "peaceops-grading.json",
]

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

# A killed `nbgrader autograde` leaves a half-written autograded/ folder, which nbgrader would
# skip as done on the next run: remove such folders so they are graded again.
if "autograde" in sys.argv[1:2]:
    for _folder in remove_half_graded("."):
        print(f"[peaceops] regrading the half-graded {_folder}", file=sys.stderr)
