"""`peaceops grade` ends with one line per assignment: graded, mean score, flagged."""

from pathlib import Path

from peaceops.grading.discovery import Submission
from peaceops.grading.pipeline import Outcome
from peaceops.grading.summary import RunSummary


def outcome(student, assignment, score, flags=(), status="graded"):
    return Outcome(Submission(student, assignment, Path(".")), status, score, 10.0, list(flags))


def test_one_line_per_assignment():
    summary = RunSummary([outcome("a", "exam", 10), outcome("b", "exam", 5, ["odd"]),
                       outcome("c", "exam", 0, status="error"), outcome("a", "mlt", 8)])
    assert summary.per_assignment() == ["  exam: 2 graded, mean 75.0 %, 1 flagged for review",
                                        "  mlt: 1 graded, mean 80.0 %, 0 flagged for review"]


def test_without_outcomes_the_tallies_are_the_same():
    done = [outcome("a", "exam", 10), outcome("b", "exam", 5, ["odd"]),
            outcome("c", "exam", 0, status="error"), outcome("a", "mlt", 8, status="skipped")]
    kept, tallied = RunSummary(done), RunSummary(keep=False)
    for o in done:
        tallied.tally(o)
    assert tallied.outcomes == [] and kept.outcomes == done
    for summary in (kept, tallied):
        assert summary.per_assignment() == [
            "  exam: 2 graded, mean 75.0 %, 1 flagged for review",
            "  mlt: 1 graded, mean 80.0 %, 0 flagged for review"]
        assert (summary.count("graded"), summary.count("skipped"), summary.count("error"),
                summary.total) == (2, 1, 1, 4)
        assert [o.submission.student for o in summary.flagged] == ["b"]
        assert [o.submission.student for o in summary.errors] == ["c"]
