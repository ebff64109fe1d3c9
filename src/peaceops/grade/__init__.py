"""`peaceops grade`: grade collected submissions from their answers files, into the gradebook."""

from .cohort import CohortGrader, Outcome, Submission, Summary, find_submissions, grade

__all__ = ["CohortGrader", "Outcome", "Submission", "Summary", "find_submissions", "grade"]
