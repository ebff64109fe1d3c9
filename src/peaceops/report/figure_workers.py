"""The report's figures drawn in forked worker processes, on the machine's other CPUs.

`peaceops report` starts a `FigureWorkers` before it reads the results: its workers import
matplotlib (a third of a second) while the main process reads, then draw the figures in
parallel; the main process never imports matplotlib. Without the "fork" start method or a
second CPU, or with ``jobs=1``, the figures are drawn in the calling process; a figure
whose worker fails (an error, a worker killed) is drawn again in the calling process.
"""

from __future__ import annotations

import functools
import multiprocessing as mp
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from types import TracebackType

#: At most this many workers: each imports matplotlib, and a report has about a dozen figures.
MAX_JOBS = 4

Rendering = Callable[[], bytes]


def render(plot: str, *args) -> bytes:
    """The PNG bytes of `plots.<plot>(*args)`, drawn in this process."""
    from . import plots

    return getattr(plots, plot)(*args)


def _import_plots() -> None:
    """Worker initializer: matplotlib is imported once per worker, before any figure."""
    from . import plots  # noqa: F401


class FigureWorkers:
    """Draws figures (by the name of a function of `plots`) in `jobs` forked processes
    (default: one per CPU, at most `MAX_JOBS`), or here when that is not possible."""

    def __init__(self, jobs: int | None = None) -> None:
        jobs = min(jobs or os.cpu_count() or 1, MAX_JOBS)
        self._executor: ProcessPoolExecutor | None = None
        if jobs > 1 and "fork" in mp.get_all_start_methods():
            self._executor = ProcessPoolExecutor(
                jobs, mp_context=mp.get_context("fork"), initializer=_import_plots)
            self._executor.submit(int)  # the workers start now (fork: all at the first task)

    @property
    def parallel(self) -> bool:
        """Whether figures go to worker processes."""
        return self._executor is not None

    def render(self, plot: str, *args) -> Rendering:
        """Start drawing `plots.<plot>(*args)`; call the result for the PNG bytes."""
        here = functools.partial(render, plot, *args)
        if self._executor is None:
            return here
        try:
            future = self._executor.submit(render, plot, *args)
        except RuntimeError:  # the executor is broken or shut down
            return here
        return functools.partial(_result, future, here)

    def close(self) -> None:
        """Stop the workers (figures not yet collected are abandoned)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> FigureWorkers:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def _result(future: Future, here: Rendering) -> bytes:
    """The worker's PNG, or, when the worker failed, the figure drawn here (an error in the
    plot itself is then raised here, with a traceback of this process)."""
    try:
        return future.result()
    except Exception:  # BrokenProcessPool, a pickling error, the plot's own error
        return here()


__all__ = ["MAX_JOBS", "Rendering", "FigureWorkers", "render"]
