"""Two kernels saving to one folder at once (two notebooks, or a notebook open twice) lose
no update: AnswerStore merges and replaces the file under a lock."""

import multiprocessing

import pytest

from peaceops.exercises.store import FILENAME, AnswerStore, read

pytestmark = pytest.mark.slow  # two processes saving at once

SAVES = 300


def _save_many(folder: str, prefix: str, start) -> None:
    store = AnswerStore(folder)  # one store per kernel, loaded before the other saves
    start.wait()
    for n in range(SAVES):
        store.save(f"{prefix}-{n}", "v1", "amina", {"item": n})


def test_two_processes_saving_at_once_lose_no_update(tmp_path):
    context = multiprocessing.get_context("fork")
    start = context.Barrier(2)
    workers = [context.Process(target=_save_many, args=(str(tmp_path), prefix, start))
               for prefix in ("a", "b")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    loaded = read(tmp_path / FILENAME)  # a valid file: raises if not
    assert not loaded.problems and loaded.learner == "amina"
    expected = {f"{p}-{n}" for p in ("a", "b") for n in range(SAVES)}
    lost = expected - set(loaded.records)
    assert not lost, f"{len(lost)} of {len(expected)} saved answers were lost"
    assert all(loaded.records[f"a-{n}"].answers == {"item": n} for n in range(SAVES))
    assert not list(tmp_path.glob(f".{FILENAME}.*")), "a temporary file was left behind"
