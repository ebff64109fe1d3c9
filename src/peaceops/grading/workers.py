"""The worker pool: submissions prepared (graded up to the gradebook) in forked worker
processes, in submission order, while the parent process writes the gradebook."""

from __future__ import annotations

import contextlib
import multiprocessing as mp
from collections.abc import Iterable, Iterator, Sequence

from .discovery import Submission
from .pipeline import Outcome, SubmissionGrader

_WORKER: SubmissionGrader | None = None  # the grader a worker process prepares with (forked)


def _prepare_in_worker(submission: Submission) -> Outcome:
    return _WORKER.prepare(submission)


@contextlib.contextmanager
def prepared(grader: SubmissionGrader, submissions: Sequence[Submission], jobs: int
             ) -> Iterator[Iterable[Outcome]]:
    """Each submission prepared (graded up to the gradebook), in order: here, or in `jobs`
    forked worker processes when there are more than one (and the platform forks)."""
    if jobs <= 1 or len(submissions) < 2 or "fork" not in mp.get_all_start_methods():
        yield (grader.prepare(s) for s in submissions)
        return
    global _WORKER
    _WORKER = grader
    _ = grader.ledger.known  # read once, before forking, not by each worker during the run
    try:
        with mp.get_context("fork").Pool(jobs) as pool:
            yield pool.imap(_prepare_in_worker, submissions, chunksize=8)
    finally:
        _WORKER = None
