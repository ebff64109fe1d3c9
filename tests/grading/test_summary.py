"""`peaceops grade` ends with one line per assignment: graded, mean score, flagged."""

from pathlib import Path

from peaceops.grading.cohort import Outcome, Submission, Summary


def test_one_line_per_assignment():
    def outcome(student, assignment, score, flags=(), status="graded"):
        return Outcome(Submission(student, assignment, Path(".")), status, score, 10.0,
                       list(flags))

    summary = Summary([outcome("a", "exam", 10), outcome("b", "exam", 5, ["odd"]),
                       outcome("c", "exam", 0, status="error"), outcome("a", "mlt", 8)])
    assert summary.per_assignment() == ["  exam: 2 graded, mean 75.0 %, 1 flagged for review",
                                        "  mlt: 1 graded, mean 80.0 %, 0 flagged for review"]
