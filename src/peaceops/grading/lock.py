"""The course-level grader lock: one grader at a time writes a course's gradebook.

Two graders at once (two instructors, or a cron job and a person) would race on the same
new submission: both add it to the gradebook, both number its attempt. `peaceops grade`
takes an exclusive `fcntl` lock on `<course>/.peaceops-grade.lock` for the whole run (the
kernel releases it if the grader dies), so a second grader waits for the first and then
finds its work done, or, with `wait=False`, exits at once saying who holds the lock.
`nbgrader autograde` takes the same lock for its whole process (`hold_until_exit`, from the
course's nbgrader_config.py).
"""

from __future__ import annotations

import atexit
import fcntl
import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

FILENAME = ".peaceops-grade.lock"


class GraderBusy(RuntimeError):
    """Another grader holds the course's grader lock."""


def _holder(path: Path) -> str:
    try:
        who = json.loads(path.read_text(encoding="utf-8"))
        return f"pid {who['pid']} on {who['host']}, since {who['since']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


@contextmanager
def grader_lock(root: Path, *, wait: bool = True, timeout: float | None = None,
                 on_wait: Callable[[str], None] | None = None) -> Iterator[Path]:
    """Hold the grader lock of the course at `root` (waiting for it, or raising
    `GraderBusy` when `wait` is False or `timeout` seconds pass)."""
    path = Path(root) / FILENAME
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 (held for the whole run)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(path)
            if not wait:
                raise GraderBusy(
                    f"another grader is grading this course ({holder}; lock {path}). Wait "
                    "for it to finish, then run again: it will skip what is already graded."
                ) from None
            if on_wait:
                on_wait(f"Waiting for the grader that holds {path} ({holder}) …")
            deadline = None if timeout is None else time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if deadline is not None and time.monotonic() > deadline:
                        raise GraderBusy(f"gave up waiting for the grader lock {path} "
                                         f"({_holder(path)})") from None
                    time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                                 "since": datetime.now(UTC).isoformat(timespec="seconds")}))
        handle.flush()
        yield path
    finally:
        handle.close()  # releases the lock


_HELD: dict[Path, ExitStack] = {}


def hold_until_exit(root: Path, *, on_wait: Callable[[str], None] | None = None) -> Path:
    """Hold the grader lock of the course at `root` for the rest of this process (waiting
    for it first): for `nbgrader autograde`, whose configuration file takes it. The kernel
    releases it when the process ends, however it ends; taking it twice is a no-op."""
    root = Path(root).resolve()
    if root not in _HELD:
        stack = ExitStack()
        stack.enter_context(grader_lock(root, on_wait=on_wait))
        _HELD[root] = stack
        atexit.register(stack.close)
    return root / FILENAME
