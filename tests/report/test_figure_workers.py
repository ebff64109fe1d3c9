"""Figures drawn in forked worker processes, and drawn here when that is not possible or a
worker fails: the same PNG bytes either way."""

import multiprocessing as mp
import os

import pytest

from peaceops.report import analyse, figures, plots
from peaceops.report.figure_workers import FigureWorkers
from tests.factories.cohort import cohort

needs_fork = pytest.mark.skipif("fork" not in mp.get_all_start_methods(),
                                reason="the fork start method is not available here")


def _pid(*args) -> bytes:
    """A stand-in plot: the id of the process that drew it."""
    return str(os.getpid()).encode()


@pytest.fixture
def pid_plot(monkeypatch):
    """`plots.score_histogram` replaced by `_pid` (forked workers inherit the replacement)."""
    monkeypatch.setattr(plots, "score_histogram", _pid)
    return "score_histogram"


@needs_fork
def test_figures_are_drawn_in_worker_processes(pid_plot):
    with FigureWorkers(jobs=2) as workers:
        assert workers.parallel
        drawn = {workers.render(pid_plot)() for _ in range(6)}
    assert str(os.getpid()).encode() not in drawn


def test_one_job_draws_here(pid_plot):
    with FigureWorkers(jobs=1) as workers:
        assert not workers.parallel
        assert workers.render(pid_plot)() == str(os.getpid()).encode()


def test_without_fork_figures_are_drawn_here(pid_plot, monkeypatch):
    monkeypatch.setattr(mp, "get_all_start_methods", lambda: ["spawn"])
    with FigureWorkers(jobs=2) as workers:
        assert not workers.parallel
        assert workers.render(pid_plot)() == str(os.getpid()).encode()


def _dies_in_a_worker(parent: int):
    def plot(*args) -> bytes:
        if os.getpid() != parent:
            os._exit(3)  # a worker killed mid-figure (e.g. out of memory)
        return b"drawn here"
    return plot


def _fails_in_a_worker(parent: int):
    def plot(*args) -> bytes:
        if os.getpid() != parent:
            raise MemoryError("worker")
        return b"drawn here"
    return plot


@needs_fork
@pytest.mark.parametrize("failing", [_dies_in_a_worker, _fails_in_a_worker])
def test_a_figure_whose_worker_fails_is_drawn_here(failing, monkeypatch):
    monkeypatch.setattr(plots, "item_map", failing(os.getpid()))
    with FigureWorkers(jobs=2) as workers:
        assert workers.parallel
        assert [workers.render("item_map")() for _ in range(3)] == [b"drawn here"] * 3


def test_an_error_in_a_plot_is_raised_here(monkeypatch):
    def broken(*args):
        raise ValueError("bad plot")

    monkeypatch.setattr(plots, "item_map", broken)
    with FigureWorkers() as workers, pytest.raises(ValueError, match="bad plot"):
        workers.render("item_map")()


@needs_fork
def test_the_report_figures_are_the_same_drawn_in_workers_or_here():
    a = analyse(cohort(n=60, seed=5))
    here = figures(a)
    with FigureWorkers(jobs=2) as workers:
        assert workers.parallel
        assert figures(a, workers) == here
    assert here[0] and here[1] and here[2]
