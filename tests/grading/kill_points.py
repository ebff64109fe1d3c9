"""Run a grader (`peaceops grade ...` or `nbgrader autograde ...`) and SIGKILL its process
group at the N-th of its durable steps: not a test module, a script the kill tests run as

    python kill_points.py N COUNT_FILE peaceops grade ...
    python kill_points.py N COUNT_FILE nbgrader autograde ...

A durable step is a call that changes the course on disk: opening a file to write, a
rename, a removal, a copy, a folder made, a mode changed, an fsync, a gradebook commit.
The process kills itself just before the N-th (N = 0: never); COUNT_FILE receives the
number of steps seen so far, after each (so a clean run tells the tests how many there
are). SIGKILL runs no cleanup, no `finally`, no atexit.
"""

from __future__ import annotations

import builtins
import functools
import os
import shutil
import signal
import sys

NTH, COUNT_FILE, PROGRAM = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
_seen = [0]
_real_open, _real_replace = builtins.open, os.replace


def _step() -> None:
    _seen[0] += 1
    if _seen[0] == NTH:
        os.killpg(os.getpgrp(), signal.SIGKILL)


def _counted(real):
    @functools.wraps(real)
    def wrapper(*args, **kwargs):
        _step()
        try:
            return real(*args, **kwargs)
        finally:  # written whole: the test reads it at any moment
            with _real_open(f"{COUNT_FILE}.new", "w") as out:
                out.write(str(_seen[0]))
            _real_replace(f"{COUNT_FILE}.new", COUNT_FILE)
    return wrapper


def _open(file, mode="r", *args, **kwargs):
    if not str(file).startswith(COUNT_FILE) and any(m in mode for m in "wax+"):
        return _counted(_real_open)(file, mode, *args, **kwargs)
    return _real_open(file, mode, *args, **kwargs)


def _install() -> None:
    from sqlalchemy.orm import Session

    builtins.open = _open
    for name in ("replace", "rename", "remove", "unlink", "rmdir", "mkdir", "chmod", "fsync"):
        setattr(os, name, _counted(getattr(os, name)))
    for name in ("copyfile", "rmtree"):
        setattr(shutil, name, _counted(getattr(shutil, name)))
    Session.commit = _counted(Session.commit)


if __name__ == "__main__":
    _install()
    sys.argv = PROGRAM
    if PROGRAM[0] == "nbgrader":
        from nbgrader.apps.nbgraderapp import main
    else:
        from peaceops.cli import main
    sys.exit(main())
